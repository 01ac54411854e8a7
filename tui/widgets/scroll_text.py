"""``ScrollText``: one text in a box that scrolls when the text is taller than the rows the view gives it — the race's
notes (each optimizer's why text, or a lesson's card) and the surface view's lesson card, at 80×24."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static


class ScrollText(VerticalScroll):
    """The text is a ``Static`` inside (id ``text_id``, for the stylesheet); focused (tab), the arrows scroll it."""

    def __init__(self, *, id: str, text_id: str) -> None:
        super().__init__(id=id)
        self.text_id = text_id

    def compose(self):
        yield Static(id=self.text_id)

    def update(self, text: str | Text) -> None:
        for view in self.query(f"#{self.text_id}").results(Static):  # none once the view is closing
            view.update(text)
