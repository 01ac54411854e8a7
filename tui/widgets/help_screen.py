"""``HelpScreen``: every key binding, generated from the app's ``Binding`` objects."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static


class HelpScreen(ModalScreen[None]):
    """A modal listing the bindings; any of escape, ? or q closes it."""

    BINDINGS = [
        Binding("escape,question_mark,q", "dismiss", "Close help", id="close-help"),
    ]

    def __init__(self, bindings: list[Binding], extra: list[tuple[str, str]]) -> None:
        super().__init__()
        self.bindings = bindings
        self.extra = extra

    def compose(self) -> ComposeResult:
        table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
        table.add_column(style="bold")
        table.add_column()
        for binding in self.bindings:
            keys = " / ".join(self.app.get_key_display(Binding(key, binding.action))
                              for key in binding.key.split(","))
            table.add_row(keys, binding.description or binding.action)
        for keys, description in self.extra:
            table.add_row(keys, description)
        with VerticalScroll(id="help-box"):
            yield Static("[b]descend — keys[/b]", id="help-title")
            yield Static(table, id="help-table")
            yield Static("escape / ? / q closes this · ctrl+p finds any action by name", id="help-hint")

    def action_dismiss(self) -> None:  # type: ignore[override]
        self.dismiss(None)
