"""Name lookup shared by every registry, and the one ``get()`` convention (Keras's).

Every kind — losses, optimizers, metrics, activations, datasets — answers ``get(identifier)``
as Keras's ``keras.<kind>.get`` does:

    None                                       → None (activations: linear, as in Keras)
    an instance                                → the instance itself
    a name: "mse", "mean_squared_error",       → a new object of that class; any case, aliases
            "MeanSquaredError", "Adam"           followed, the class's own name accepted
    a class                                    → an instance of it (not for optimizers, as in Keras)
    {"class_name": "Adam", "config": {...}}    → the class built from its config (Keras's
                                                 serialized form; "module"/"registered_name" ignored,
                                                 and the config's "name" too where the class takes none)
    {"name": "adam", ...}                      → descend's ``get_config()`` form, the same way
    anything else                              → ValueError naming the valid names
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Mapping

from engine.checks import unknown_name_message

__all__ = ["get", "resolve", "unknown_name_message"]


def resolve(kind: str, name: str, table: dict, aliases: dict[str, str] | None = None):
    """Return ``table[canonical(name)]`` or raise ``ValueError`` listing the valid names."""
    key = canonical(kind, name, table, aliases)
    return table[key]


def canonical(kind: str, name, table: Mapping, aliases: Mapping[str, str] | None = None,
              listed: list[str] | None = None) -> str:
    """The registry name for ``name``: case and spaces ignored, aliases and class names followed.

    ``ValueError`` lists ``listed`` (default: the registry and alias names, sorted) with a
    suggestion for a near miss.
    """
    aliases = aliases or {}
    if isinstance(name, str):
        key = name.lower().strip()
        key = aliases.get(key, key)
        if key in table:
            return key
        by_class = {cls.__name__.lower(): n for n, cls in table.items() if isinstance(cls, type)}
        if key in by_class:
            return by_class[key]
    raise ValueError(unknown_name_message(kind, name, listed or sorted(set(table) | set(aliases))))


def config_parts(kind: str, config: Mapping, valid: list[str]) -> tuple[str, dict]:
    """``(name, constructor kwargs)`` from Keras's ``{"class_name", "config"}`` or a flat ``{"name", …}``."""
    if "class_name" in config:
        inner = config.get("config") or {}
        if not isinstance(inner, Mapping):
            raise ValueError(f"a {kind} config's 'config' must be a dict of arguments, got {inner!r}")
        return config["class_name"], dict(inner)
    if "name" in config:
        rest = dict(config)
        return rest.pop("name"), rest
    raise ValueError(f"a {kind} config needs a 'class_name' (or 'name'): one of {', '.join(valid)}; "
                     f"got keys {sorted(config)}")


def get(kind: str, identifier, kwargs: dict, *, base: type, table: Mapping,
        aliases: Mapping[str, str] | None = None, build: Callable[[str, dict], object] | None = None,
        none=None, listed: list[str] | None = None, classes: bool = True):
    """Keras's ``get`` for one registry (see the module docstring).

    Args:
        kind: the word for messages ("loss", "optimizer", …).
        identifier: what the user gave.
        kwargs: extra constructor arguments (refused with an instance).
        base: the kind's base class (instances pass through).
        table: canonical name → class (or factory).
        aliases: extra names → canonical names.
        build: ``build(canonical_name, kwargs)`` → object; default ``construct(table[name], kwargs)``.
        none: what ``None`` gives (a factory), ``None`` for Keras's ``None`` → ``None``.
        listed: the names every "valid:" message lists, whatever the identifier's type (default: table
            and aliases, sorted).
        classes: whether a class is instantiated (Keras's losses, metrics, activations do; its
            optimizers refuse one).
    """
    build = build or (lambda name, arguments: construct(table[name], arguments, name))
    valid = listed or sorted(set(table) | set(aliases or {}))  # one list, whatever the identifier's type
    if identifier is None:
        return none() if none is not None else None
    if isinstance(identifier, base):
        if kwargs:
            raise ValueError(f"got a ready-made {kind}; cannot apply {', '.join(kwargs)}")
        return identifier
    if classes and isinstance(identifier, type) and issubclass(identifier, base):
        return identifier(**kwargs)
    if isinstance(identifier, Mapping):
        name, config = config_parts(kind, identifier, valid)
        key = canonical(kind, name, table, aliases, valid)
        if "class_name" in identifier and not takes_name(table[key]):
            config.pop("name", None)  # Keras's get_config() carries the object's name: a label here
        return build(key, {**config, **kwargs})
    if isinstance(identifier, str):
        return build(canonical(kind, identifier, table, aliases, valid), dict(kwargs))
    raise ValueError(unknown_name_message(kind, identifier, valid))


def takes_name(cls) -> bool:
    """Whether ``cls``'s constructor takes a ``name`` (Keras's losses and optimizers do; an activation does not),
    itself or through ``**kwargs`` handed to a base class's (as each optimizer hands it to ``Optimizer``)."""
    if not isinstance(cls, type):
        return False
    for klass in cls.__mro__:
        init = vars(klass).get("__init__")
        if init is None:
            continue
        if init is object.__init__:
            return False
        parameters = inspect.signature(init).parameters
        if "name" in parameters:
            return True
        if not any(p.kind is p.VAR_KEYWORD for p in parameters.values()):
            return False
    return False


def construct(cls: type, kwargs: dict, label: str):
    """``cls(**kwargs)``, refusing an argument its constructor does not take with one line."""
    if kwargs:
        accepted = [] if cls.__init__ is object.__init__ else \
            [p for p in inspect.signature(cls.__init__).parameters if p != "self"]
        unknown = [k for k in kwargs if k not in accepted]
        if unknown:
            valid = f"valid: {', '.join(accepted)}" if accepted else "it takes none"
            raise ValueError(f"{label}: unexpected argument {unknown[0]!r} ({valid})")
    return cls(**kwargs)
