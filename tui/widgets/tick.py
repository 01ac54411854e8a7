"""``Tick``: a checkbox whose box itself says on or off, not only its colour."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox


class Tick(Checkbox):
    """A checkbox drawn ``▐X▌`` when on and ``▐ ▌`` when off.

    Textual's checkbox draws the same ``X`` either way and tells on from off by colour alone, which
    a 16-colour terminal (or a projector) can flatten to the same shade. Enter toggles it (and a
    click); space is the app's run/pause key everywhere but in a text field.
    """

    ON = "X"
    OFF = " "

    def render(self) -> Content:
        self.BUTTON_INNER = self.ON if self.value else self.OFF
        return super().render()
