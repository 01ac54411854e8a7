"""``HelpScreen``: every key binding, generated from the app's ``Binding`` objects, in the current language."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui import i18n


def describe(binding: Binding) -> str:
    """What a binding does, in the current language (``help.action.<action>``; its own text otherwise)."""
    key = f"help.action.{binding.action}"
    return i18n.t(key) if i18n.has(key) else binding.description or binding.action


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
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for binding in self.bindings:
            keys = " / ".join(self.app.get_key_display(Binding(key, binding.action))
                              for key in binding.key.split(","))
            table.add_row(keys, describe(binding))
        for keys, description in self.extra:
            table.add_row(keys, description)
        with VerticalScroll(id="help-box"):
            yield Static(f"[b]{i18n.t('help.title')}[/b]", id="help-title")
            yield Static(table, id="help-table")
            yield Static(i18n.t("help.hint"), id="help-hint")

    def action_dismiss(self) -> None:  # type: ignore[override]
        if self.is_active:  # a second escape queued behind the first must not close the view below
            self.dismiss(None)
