"""engine/'s modules form an acyclic import graph and use no other module's private names.

Read from the source with ``ast`` (nothing is imported). An import counts wherever it is written,
inside a function too (a late import is how a cycle hides), except under ``if TYPE_CHECKING:``,
which never runs. ``from engine.x import name`` is an edge to ``engine.x.name`` when that is a
module, else to ``engine.x``.

Private: a name with one leading underscore. A module may import none from another module, and
may reach ``obj._name`` only for a ``_name`` it defines itself; ``self._name`` is always allowed
(a subclass using what its base class keeps for it).
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENGINE = ROOT / "engine"


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(ENGINE.rglob("*.py"))}


def is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or \
        (isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def runtime_nodes(tree: ast.AST):
    """Every node except those under ``if TYPE_CHECKING:``."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and is_type_checking(child):
                stack.extend(child.orelse)
            else:
                stack.append(child)


def resolve(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".") if MODULES[module].name == "__init__.py" else module.split(".")[:-1]
    package = package[:len(package) - node.level + 1]
    return ".".join(package + ([node.module] if node.module else []))


@functools.cache
def parsed(path: Path) -> ast.Module:
    """The tree of the file at ``path``, parsed once for both checks (each parse of engine/ is ~0.13 s of CPU)."""
    return ast.parse(path.read_text())


@functools.cache
def imports(module: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """``(imported module, names taken from it)`` for every runtime import in ``module``, read once for both checks."""
    found = []
    for node in runtime_nodes(parsed(MODULES[module])):
        if isinstance(node, ast.Import):
            found += [(alias.name, ()) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = resolve(module, node)
            for alias in node.names:
                sub = f"{source}.{alias.name}"
                found.append((sub, ()) if sub in MODULES else (source, (alias.name,)))
    return tuple(found)


def graph() -> dict[str, set[str]]:
    return {m: {target for target, _ in imports(m) if target in MODULES and target != m} for m in MODULES}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """One cycle as ``[a, b, …, a]``, or ``None`` (depth-first search, colouring nodes)."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def own_private_names(tree: ast.AST) -> set[str]:
    """Private names this module defines: functions, classes, assigned names and ``self._x``."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            names.add(node.id)
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) \
                and isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"):
            names.add(node.attr)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
    return {n for n in names if private(n)}


def private_uses(module: str) -> list[str]:
    """``from x import _name`` and ``something._name`` where ``_name`` is not this module's own."""
    tree = parsed(MODULES[module])
    own = own_private_names(tree)
    found = []
    for target, names in imports(module):
        found += [f"{module}:{target} imports {n}" for n in names if private(n)]
        found += [f"{module}: imports {target}" for part in target.split(".") if private(part)]
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and private(node.attr) and node.attr not in own \
                and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
            found.append(f"{module}:{node.lineno} uses .{node.attr}, private to another module")
    return found


def test_the_engine_import_graph_is_acyclic():
    edges = graph()
    assert sum(len(e) for e in edges.values()) > len(MODULES)  # the graph was read
    assert find_cycle(edges) is None, " → ".join(find_cycle(edges))


def test_no_engine_module_uses_another_modules_private_names():
    assert [use for m in MODULES for use in private_uses(m)] == []


# -- the checks catch what they are for -------------------------------------------------------
def test_find_cycle_finds_a_cycle_and_only_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None


def test_the_checks_see_late_imports_and_private_names(tmp_path, monkeypatch):
    source = tmp_path / "engine"
    source.mkdir()
    (source / "__init__.py").write_text("")
    (source / "a.py").write_text("def f():\n    from engine.b import g\n    return g\n")
    (source / "b.py").write_text("from engine.a import f as _f\nfrom engine import a\n"
                                 "def g(model):\n    return model._secret() + a._hidden\n")
    (source / "c.py").write_text("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from engine.a import f\n"
                                 "class C:\n    def __init__(self):\n        self._mine = 1\n"
                                 "    def same(self, other):\n        return other._mine + self._inherited\n")
    monkeypatch.setattr(__import__(__name__), "ROOT", tmp_path)
    monkeypatch.setattr(__import__(__name__), "MODULES", {module_name(p): p for p in source.rglob("*.py")})
    assert find_cycle(graph()) in (["engine.a", "engine.b", "engine.a"], ["engine.b", "engine.a", "engine.b"])
    assert graph()["engine.c"] == set()  # TYPE_CHECKING imports never run
    assert sorted(private_uses("engine.b")) == ["engine.b:4 uses ._hidden, private to another module",
                                                "engine.b:4 uses ._secret, private to another module"]
    assert private_uses("engine.c") == []  # its own private attribute, on another instance
