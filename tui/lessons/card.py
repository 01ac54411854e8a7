"""A lesson as the app shows it: its title, then what to do, what to watch and the question."""

from __future__ import annotations

from rich.text import Text

MARKS = ("▶ ", "◉ ", "? ")
"""Before the lesson's lines: do, watch, question."""


def lesson_text(title: str, lines: list[str]) -> Text:
    """The card: the title in bold, then each line after its mark (the question in italics)."""
    text = Text()
    text.append(title, style="bold")
    for mark, line in zip(MARKS, lines):
        text.append("\n" + mark, style="bold")
        text.append(line, style="italic" if mark == MARKS[-1] else "")
    return text
