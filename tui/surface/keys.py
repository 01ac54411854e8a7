"""The surface view's keys: its bindings (the footer, help and palette are made from them) and the rows its help adds."""

from __future__ import annotations

from textual.binding import Binding

from tui import i18n

SURFACE_ONLY = {"toggle_run", "step", "reset", "next_surface", "previous_surface", "batch_picture", "edit", "landscape"}
"""Actions of the walks, off in the network landscape (its footer shows none of them; ``w`` there goes back)."""
LANDSCAPE_ONLY = {"directions", "race_paths"}
"""Actions of the network landscape, off (and out of the footer) on a surface."""

VIEW = [
    Binding("space", "toggle_run", "Run/Pause", id="surface-run"),
    Binding("n", "step", "Step", id="surface-step"),
    Binding("r", "reset", "Reset", id="surface-reset"),
    Binding("t", "next_surface", "Surface", id="surface-next"),
    Binding("T", "previous_surface", "Previous surface", show=False, id="surface-previous"),
    Binding("b", "batch_picture", "Batches", id="surface-batches"),
    Binding("i", "edit", "Edit", id="surface-edit-key"),
    Binding("w", "landscape", "Network", id="surface-landscape"),
    Binding("W", "save_setup", "Save setup", show=False, id="surface-save"),
    Binding("up", "move_start(0, 1)", "Start ↑", show=False, id="surface-up"),
    Binding("down", "move_start(0, -1)", "Start ↓", show=False, id="surface-down"),
    Binding("left", "move_start(-1, 0)", "Start ←", show=False, id="surface-left"),
    Binding("right", "move_start(1, 0)", "Start →", show=False, id="surface-right"),
    *[Binding(str(k), f"select({k - 1})", f"Select walker {k}", show=False, id=f"surface-select-{k}")
      for k in range(1, 7)],
    Binding("left_square_bracket", "scale_lr(0.8)", "Lr ÷1.25", show=False, id="surface-lr-down"),
    Binding("right_square_bracket", "scale_lr(1.25)", "Lr ×1.25", show=False, id="surface-lr-up"),
    Binding("o", "cycle_optimizer", "Next optimizer", show=False, id="surface-optimizer"),
    Binding("d", "directions", "Directions (network)", id="surface-directions"),
    Binding("c", "race_paths", "Race paths (network)", id="surface-race"),
    Binding("minus", "slower", "Slower", show=False, id="surface-slower"),
    Binding("plus,equals_sign", "faster", "Faster", show=False, id="surface-faster"),
    Binding("escape,s", "back", "Back", id="surface-back"),
    Binding("e,l,m", "nothing", show=False, id="surface-nothing"),  # the main view's keys do nothing here
]
"""The view's own bindings (the walks' and the network landscape's among them), before the fallbacks below."""


def keys_of(actions: set[str]) -> str:
    """The keys ``VIEW`` binds to ``actions``, as one binding's key list."""
    return ",".join(b.key for b in VIEW if b.action in actions)


BINDINGS = [
    *VIEW,
    # where SurfaceScreen.check_action turns a key above off (the other mode's: surface ↔ network landscape), it
    # lands here: w goes back as escape does, the rest do nothing (rather than reach the main view's c, n, r …)
    Binding(keys_of({"landscape"}), "back", show=False, id="surface-landscape-back"),
    Binding(keys_of((SURFACE_ONLY | LANDSCAPE_ONLY) - {"landscape"}), "nothing", show=False, id="surface-off"),
    Binding("question_mark", "help", "Help", id="surface-help"),
    Binding("q", "quit", "Quit", id="surface-quit"),
]


def help_rows() -> list[tuple[str, str]]:
    """The keys the help screen lists besides the shown bindings, in the current language."""
    return [(keys, i18n.t(f"help.surface.{name}")) for keys, name in
            ((i18n.t("help.surface.arrow_keys"), "arrows"), ("1 … 6", "select"), ("[ / ]", "scale_lr"), ("o", "cycle_optimizer"),
             ("- / +", "speed"))] + [("W", i18n.t("help.action.save_setup"))]
