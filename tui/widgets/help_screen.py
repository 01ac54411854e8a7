"""``HelpScreen``: every key binding, generated from the app's ``Binding`` objects, in the current language."""

from __future__ import annotations

from collections.abc import Callable

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tui import i18n
from tui.widgets.footer import KeysFooter


def describe(binding: Binding, view: str | None = None) -> str:
    """What a binding does, in the current language: ``help.<view>.<action>`` where a view's action means
    something else (the surface view's ``r`` goes back to the start), else ``help.action.<action>``, else
    the binding's own text."""
    for key in ([f"help.{view}.{binding.action}"] if view else []) + [f"help.action.{binding.action}"]:
        if i18n.has(key):
            return i18n.t(key)
    return binding.description or binding.action


class HelpScreen(ModalScreen[None]):
    """A modal listing the bindings; escape or ? closes it, q quits the app (as the footer and the list say), K
    switches the language (the list is said again in it). The list has focus from the start, so the arrows and
    page keys scroll it where it is taller than the terminal (80x24)."""

    AUTO_FOCUS = "#help-box"
    """Without it the app's own ``AUTO_FOCUS`` ("#loss-plot") matches nothing here and nothing has focus."""

    BINDINGS = [
        Binding("escape,question_mark", "dismiss", "Close help", id="close-help"),
        Binding("q", "app.quit", "Quit", id="quit"),  # a modal screen hides the app's bindings
        Binding("K", "app.language", "한/EN", show=False, id="language"),
    ]

    def __init__(self, bindings: list[Binding], extra: Callable[[], list[tuple[str, str]]],
                 view: str | None = None) -> None:
        super().__init__()
        self.bindings = bindings
        self.extra = extra
        """The rows for keys that are not bindings (keys, what they do), in the current language."""
        self.view = view
        """``"race"`` or ``"surface"``: its own words for the actions that differ there (see ``describe``)."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-box"):
            yield Static(self._title(), id="help-title")
            yield Static(self._table(), id="help-table")
            yield Static(i18n.t("help.hint"), id="help-hint")
        yield KeysFooter(optional=[])  # its own keys: the view's below do nothing while it is open

    def _title(self) -> str:
        return f"[b]{i18n.t('help.title')}[/b]"

    def _table(self) -> Table:
        table = Table(box=None, show_header=False, padding=(0, 2, 0, 0))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for binding in self.bindings:
            keys = " / ".join(self.app.get_key_display(Binding(key, binding.action))
                              for key in binding.key.split(","))
            table.add_row(keys, describe(binding, self.view))
        for keys, description in self.extra():
            table.add_row(keys, description)
        return table

    def show_words(self) -> None:
        """The title, the list and the hint in the app's language (after K), scrolled where they were."""
        self.query_one("#help-title", Static).update(self._title())
        self.query_one("#help-table", Static).update(self._table())
        self.query_one("#help-hint", Static).update(i18n.t("help.hint"))

    def action_dismiss(self) -> None:  # type: ignore[override]
        if self.is_active:  # a second escape queued behind the first must not close the view below
            self.dismiss(None)
