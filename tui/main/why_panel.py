"""``WhyPanel``: the open lesson, what the current choices mean in the lecture's terms, and the experiment's summary."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from tui.lessons.card import lesson_text



class WhyPanel(VerticalScroll):
    """Scrollable: the lesson (if one is open), one paragraph per current choice, the ``describe()`` lines."""

    def compose(self):
        yield Static(id="why-text")

    def show(self, summary: list[str], reasons: list[str], lesson: tuple[str, list[str]] | None = None) -> None:
        text = Text()
        if lesson is not None:
            text.append_text(lesson_text(*lesson))
            text.append("\n\n")
        for reason in reasons:
            text.append("• ", style="bold")
            text.append(reason + "\n")
        text.append("\n")
        for line in summary:
            text.append(line + "\n", style="dim")
        for view in self.query("#why-text").results(Static):  # none once the app is closing: a change
            if view.content != text:                            # committed as it quits shows nowhere; an
                view.update(text)                               # update lays the screen out: only a new text

    @property
    def text(self) -> str:
        return str(self.query_one("#why-text", Static).content)
