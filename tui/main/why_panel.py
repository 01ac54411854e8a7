"""``WhyPanel``: what the current choices mean, in the lecture's terms, plus the experiment's summary."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static


class WhyPanel(VerticalScroll):
    """Scrollable: the experiment's ``describe()`` lines, then one paragraph per current choice."""

    def compose(self):
        yield Static(id="why-text")

    def show(self, summary: list[str], reasons: list[str]) -> None:
        text = Text()
        for reason in reasons:
            text.append("• ", style="bold")
            text.append(reason + "\n")
        text.append("\n")
        for line in summary:
            text.append(line + "\n", style="dim")
        self.query_one("#why-text", Static).update(text)

    @property
    def text(self) -> str:
        return str(self.query_one("#why-text", Static).content)
