"""Private names of Textual and plotext are reached only through their fence modules."""

from __future__ import annotations

import re
from pathlib import Path

PILOT_FENCE = Path("tui/textual_private_pilot.py")
"""Textual's privates the tests alone use (Pilot's waits): a fence the app never imports."""

FENCES = {Path("tui/textual_private.py"), *Path("tui/textual_patches").glob("*.py"), Path("tui/widgets/plotext_private.py"),
          PILOT_FENCE}

PRIVATE_IMPORT = re.compile(r"^\s*(from|import)\s+(textual|plotext|textual_plotext|rich)\S*\._")
"""``from textual.widgets._footer import …``, ``import plotext._utility``."""

PRIVATE_ATTRIBUTE = re.compile(r"(?<![\w.])([A-Za-z_][\w.]*)\._[a-z]\w*")
"""``plt._build_matrix``, ``self.screen._compositor``: a private attribute of something (group 1) that
is not ``self`` or ``cls``."""


def private_access(code: str) -> bool:
    return any(m.group(1) not in ("self", "cls") for m in PRIVATE_ATTRIBUTE.finditer(code))


def test_only_the_fence_modules_touch_private_names():
    offences = []
    for path in sorted(Path("tui").rglob("*.py")):
        if path in FENCES:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#")[0]
            code = re.sub(r"(\"\"\"|'''|\"|').*?\1", "", code)  # strings and docstring lines aside
            if PRIVATE_IMPORT.search(code) or private_access(code):
                offences.append(f"{path}:{number}: {line.strip()}")
    assert offences == []


def test_the_app_never_imports_the_tests_fence():
    imports = re.compile(rf"^\s*(from|import)\s+tui\.{PILOT_FENCE.stem}\b|^\s*from\s+tui\s+import\s.*\b{PILOT_FENCE.stem}\b",
                         re.MULTILINE)
    assert [str(path) for path in sorted(Path("tui").rglob("*.py")) if imports.search(path.read_text())] == []


def test_the_fence_patterns_catch_what_they_are_for():
    assert PRIVATE_IMPORT.search("from textual.widgets._footer import FooterKey")
    assert PRIVATE_IMPORT.search("import plotext._utility as u")
    assert private_access("    plt._build_matrix()")
    assert private_access("x = self.app.screen._compositor")
    assert not private_access("    self._frame = self._plot")
    assert not private_access("    return self.app.size")


def test_the_tests_read_the_apps_notices_and_screen_through_the_fences():
    """Textual's ``App._notifications`` is read in one place, ``notices(app)`` in the tests' fence (it was read in
    six test files), and ``Screen._compositor`` in ``screen_lines(screen)`` in the app's (test_scroll_text read it)."""
    texts = {path: path.read_text() for path in sorted(Path("tests").rglob("*.py")) if not path.samefile(__file__)}
    readers = [f"{path}: {name}" for path, text in texts.items() for name in ("._notifications", "._compositor")
               if name in text]
    assert readers == []
