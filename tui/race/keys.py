"""The race view's keys: its bindings (the footer, help and palette are made from them) and the rows its help adds."""

from __future__ import annotations

from textual.binding import Binding

from tui import i18n

BINDINGS = [
    Binding("space", "toggle_run", "Run/Pause", id="race-run", priority=True),  # before a menu or a tick box
    Binding("n", "step_iteration", "Step", id="race-iteration"),
    Binding("e", "step_epoch", "Epoch", id="race-epoch"),
    Binding("r", "reset", "Reset", id="race-reset"),
    Binding("x", "cycle_x", "X axis", id="race-x"),
    Binding("l", "toggle_log", "Log scale", id="race-log"),
    Binding("b", "toggle_batches", "Batch loss", show=False, id="race-batches"),
    Binding("escape,c", "back", "Back", id="race-back"),
    Binding("f", "toggle_field", "Field", id="race-field-panel"),
    Binding("m", "cycle_inside", "Maps/steps", id="race-inside"),
    Binding("left_square_bracket", "lr_down", "Lr ÷2", show=False, id="race-lr-down"),
    Binding("right_square_bracket", "lr_up", "Lr ×2", show=False, id="race-lr-up"),
    Binding("y", "toggle_why", "Why", id="race-why-key"),
    Binding("question_mark", "help", "Help", id="race-help"),
    Binding("q", "quit", "Quit", id="race-quit"),
]


def help_rows() -> list[tuple[str, str]]:
    """The keys the help screen lists besides the bindings, in the current language."""
    return [("- / +", i18n.t("help.race.speed")), ("tab", i18n.t("help.race.tab")),
            ("enter", i18n.t("help.race.enter")), ("ctrl+p", i18n.t("help.palette"))]
