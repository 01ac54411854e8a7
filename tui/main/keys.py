"""The main view's keys: written out once, so the footer, the ``?`` help and the palette are generated from them."""

from __future__ import annotations

from textual.binding import Binding

from tui import i18n

SPEED = Binding.Group("Speed", compact=True)
"""The footer shows - and + as one entry."""

BINDINGS = [
    # priority: before the focused widget, so a menu or a tick box cannot take space (a text field
    # still types it: Textual leaves out bindings of the keys it consumes); see check_action
    Binding("space", "toggle_run", "Run/Pause", id="run", priority=True),
    Binding("n", "step_iteration", "Iteration", id="iteration"),
    Binding("e", "step_epoch", "Epoch", id="epoch"),
    Binding("r", "reset", "Reset", id="reset"),
    Binding("l", "toggle_log", "Log scale", id="log"),
    Binding("minus", "slower", "Slower", id="slower", group=SPEED),
    Binding("plus,equals_sign", "faster", "Faster", id="faster", group=SPEED),
    Binding("c", "race", "Compare", id="race"),
    Binding("m", "cycle_panel", "Map/why/optimizer", id="panel"),
    Binding("y", "toggle_why", "Why", id="why"),
    Binding("s", "surfaces", "Surfaces", show=False, id="surfaces"),  # in ? help and the palette: the footer is full
    Binding("L", "lessons", "Lessons", id="lessons"),
    Binding("K", "language", "한/EN", show=False, id="language"),
    Binding("o", "export_history", "Export", show=False, id="export"),
    Binding("w", "save_setup", "Save setup", show=False, id="save-setup"),
    Binding("p", "screenshot", "Screenshot", show=False, id="screenshot"),
    Binding("question_mark", "help", "Help", id="help"),
    Binding("q", "quit", "Quit", id="quit"),
    Binding("ctrl+c", "quit", "Quit", show=False, priority=True, id="interrupt"),
    Binding("escape", "leave_field", "Leave field", show=False, id="leave"),
    Binding("tab", "focus_next", "Next panel/field", show=False, id="next"),
    Binding("shift+tab", "focus_previous", "Previous panel/field", show=False, id="previous"),
]
"""The main view's bindings (``DescendApp.BINDINGS``)."""


def help_extra() -> list[tuple[str, str]]:
    """The ``?`` help's rows for keys that are not bindings of the main view (in the current language)."""
    return [("ctrl+p", i18n.t("help.palette")), ("↑ ↓", i18n.t("help.step")),
        ("enter", i18n.t("help.enter")), ("ctrl+q", i18n.t("help.ctrl_q"))]
