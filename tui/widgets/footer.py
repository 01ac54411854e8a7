"""``KeysFooter``: Textual's compact Footer that leaves the optional keys to ? help below a width."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Footer

from tui.textual_private import FooterKey


class KeysFooter(Footer):
    """A compact ``Footer``; narrower than ``narrow`` columns it leaves out the bindings of ``optional``
    actions (they stay in the ? help screen and the command palette), so the essential keys and Quit fit."""

    def __init__(self, optional: set[str], *, narrow: int = 100, id: str | None = None) -> None:
        super().__init__(compact=True, id=id)
        self.optional = optional
        self.narrow = narrow
        self._narrow_composed: bool | None = None

    @property
    def is_narrow(self) -> bool:
        return self.app.size.width < self.narrow

    def compose(self) -> ComposeResult:
        self._narrow_composed = narrow = self.is_narrow
        for widget in super().compose():
            if narrow and isinstance(widget, FooterKey) and widget.action in self.optional:
                continue
            yield widget

    def on_resize(self) -> None:
        if self._narrow_composed is not None and self.is_narrow != self._narrow_composed:
            self.call_after_refresh(self.recompose)
