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
            if view.content != text:                            # committed as it quits shows nowhere
                show_in_place(view, text)

    @property
    def text(self) -> str:
        return str(self.query_one("#why-text", Static).content)


def show_in_place(view: Static, text: Text) -> None:
    """``view`` shows ``text``, and the screen is laid out only if that changes its height (a field's change rewords
    the summary and the reasons, mostly in as many lines: each update laid the whole screen out, ~15 ms of CPU)."""
    view.update(text, layout=False)
    width = view.outer_size.width - view.styles.gutter.width
    height = view.outer_size.height - view.styles.gutter.height
    if width <= 0 or view.get_content_height(view.outer_size, view.outer_size, width) != height:
        view.refresh(layout=True)
