"""``RaceNotes``: the notes under the leaderboard — each optimizer's why text, or a race lesson's card (it scrolls)."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static


class RaceNotes(VerticalScroll):
    """One text, scrolled when it is taller than the rows the view gives it (a lesson's card at 80×24)."""

    def compose(self):
        yield Static(id="race-why-text")

    def update(self, text: str | Text) -> None:
        for view in self.query("#race-why-text").results(Static):  # none once the view is closing
            view.update(text)
