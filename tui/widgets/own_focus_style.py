"""``OwnFocusStyle``: a container of many widgets restyled alone when it gains or loses focus."""

from __future__ import annotations


class OwnFocusStyle:
    """Mixin for a focusable container (the control panel, the race's field panel) that no rule styles
    by its own focus.

    Textual restyles a widget and every widget in it when its focus changes; for the control panel's
    ~170 widgets that was ~60 ms of CPU each way (tab into it, tab out). The rows' own focus styles
    (``.setting:focus-within``, ``Input:focus`` …) follow their own focus changes, not the container's,
    so only the container (and its scrollbars) is restyled. A rule styling the rows by the container's
    focus (``#controls:focus .row``) would need Textual's full restyle back.
    """

    def watch_has_focus(self, has_focus: bool) -> None:
        self.app.stylesheet.update_nodes([self], animate=True)
