"""Built-in lessons: the lecture's points, each a preset to open, a key to press, what to watch, a question.

A lesson is a file ``tui/lessons/NAME.toml``: ``[lesson]`` (its ``order``, the ``key`` it asks
for and the ``speed`` it runs at), ``[facts]`` (the numbers its texts quote) and a setup (``[experiment]``, and ``[race]`` for
a race lesson) read by ``engine.sharing``, or ``[surface]`` (a surface and its walkers) for the surface view. Its words are in ``tui/i18n`` under
``lesson.NAME.{title,lecture,do,watch,question}``, with the facts filled in as ``{name}``.
Every fact is checked on the real run by ``tests/tui/test_lesson_claims.py``.

This module does not import Textual: ``python -m tui --list-lessons`` and the tests use it bare.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from engine import checks, command_line, sharing
from tui import i18n

FOLDER = Path(__file__).parent
PARTS = ("do", "watch", "question")
"""The lines a lesson shows, in order, under its title."""


@dataclass(frozen=True)
class Lesson:
    """One lesson: its name, place in the list, the key it asks for, its facts and its setup."""

    name: str
    order: int
    key: str
    speed: float | None
    """Updates per second the lesson runs at (``None``: max), chosen so its run lasts a few seconds."""
    facts: dict
    setup: sharing.Setup
    surface: dict | None = None
    """A surface lesson's walk: ``{"name": "dip", "optimizers": ["sgd", "momentum"]}`` (opens the surface view);
    without ``optimizers``, the surface's own walkers (on ``linreg`` the lecture's three batch sizes)."""

    @property
    def view(self) -> str:
        """Where the lesson opens: ``"surface"``, ``"race"`` or ``"main"``."""
        if self.surface is not None:
            return "surface"
        return self.setup.kind if self.setup.kind == "race" else "main"

    def text(self, part: str, lang: str | None = None) -> str:
        """``title``, ``lecture``, ``do``, ``watch`` or ``question`` in ``lang``, facts filled in."""
        return i18n.t(f"lesson.{self.name}.{part}", lang, **{k: _show(v) for k, v in self.facts.items()})

    def command_line(self) -> str:
        """The headless command that trains (or walks) the lesson's setup."""
        if self.surface is not None:
            names = self.surface.get("optimizers")
            return f"python -m engine surface {self.surface['name']}" + (f" --optimizers {','.join(names)}" if names else "")
        return command_line.command_line(self.setup)

    def lines(self, lang: str | None = None) -> list[str]:
        """What the lesson card shows under the title: do, watch, question."""
        return [self.text(part, lang) for part in PARTS]


def _show(value) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int) and not isinstance(value, bool) and value >= 10000:
        return f"{value:,}"
    return str(value)


def _load(path: Path) -> Lesson:
    with open(path, "rb") as f:
        data = tomllib.load(f)
    meta = data.pop("lesson")
    facts = data.pop("facts", {})
    surface = data.pop("surface", None)
    setup = sharing.from_data(data, source=str(path), folder=str(path.parent))
    speed = meta["speed"]
    return Lesson(path.stem, int(meta["order"]), str(meta["key"]), None if speed == "max" else float(speed),
                  facts, setup, surface)


@cache
def all_lessons() -> tuple[Lesson, ...]:
    """Every lesson, in the lecture's order."""
    return tuple(sorted((_load(p) for p in FOLDER.glob("*.toml")), key=lambda lesson: lesson.order))


def names() -> list[str]:
    return [lesson.name for lesson in all_lessons()]


def get(name: str) -> Lesson:
    """The lesson called ``name``; ``ValueError`` listing the names if there is none."""
    for lesson in all_lessons():
        if lesson.name == name.strip().lower():
            return lesson
    raise ValueError(checks.unknown_name_message("lesson", name, names()))


def listing(lang: str | None = None) -> list[str]:
    """``python -m tui --list-lessons``: one line each, name and title."""
    width = max(len(n) for n in names())
    return [f"{lesson.name:{width}}  {lesson.text('title', lang)}" for lesson in all_lessons()]


README_START = "<!-- lessons: generated from tui/lessons by `python -m tui.lessons`; a test keeps them equal -->"
README_END = "<!-- end of lessons -->"


def readme_table() -> str:
    """The README's "Lessons to try" table (English), between its two markers."""
    rows = [README_START, "",
            "| lesson | the lecture says | open it (or train it headless) | what you see |",
            "|---|---|---|---|"]
    for lesson in all_lessons():
        rows.append(f"| **{lesson.text('title', 'en')}** | {lesson.text('lecture', 'en')} | "
                    f"`python -m tui --lesson {lesson.name}` (`{lesson.command_line()}`) | "
                    f"{lesson.text('watch', 'en')} |")
    return "\n".join([*rows, "", README_END])
