"""``RaceControls``: the race view's own keys, for what it shows and the contestants' learning rates.

The x axis, log scale, batch losses, what shows under the plot, every contestant's learning rate halved or
doubled mid-race, the notes and the field panel."""

from __future__ import annotations

from tui import i18n
from tui.report import X_AXES

INSIDE_MODES = ("none", "maps", "steps")
"""What ``m`` cycles under the plot: nothing, each contestant's map, their step sizes."""


class RaceControls:
    """Mixin for the race view: actions that change what is shown, and the learning-rate keys.

    The host provides ``session``, ``x_axis``, ``show_batches``, ``inside``, ``lr_changes``, ``_positions``,
    ``_dirty``, ``notify``, the widgets ``_plot``, ``_inside`` and ``_why``, ``mounted_panel()``, ``show_inside()``,
    ``fit_stage()`` and ``redraw_soon()``.
    """

    def action_cycle_x(self) -> None:
        """Plot against epochs, updates, examples seen, or seconds."""
        self.x_axis = X_AXES[(X_AXES.index(self.x_axis) + 1) % len(X_AXES)]

    def action_toggle_log(self) -> None:
        """Switch the loss plot's y axis between linear and log scale."""
        self._plot.log_scale = not self._plot.log_scale

    def action_toggle_batches(self) -> None:
        """Show or hide every update's batch loss under the epoch lines."""
        self.show_batches = not self.show_batches

    def action_cycle_inside(self) -> None:
        """Under the plot: each contestant's map of what it learned, their step sizes, or nothing."""
        self.inside = INSIDE_MODES[(INSIDE_MODES.index(self.inside) + 1) % len(INSIDE_MODES)]

    def watch_inside(self, inside: str) -> None:
        self.show_inside()  # (not while a line-up is built)
        if inside != "none":
            self._inside.show_mode(inside)

    def action_lr_down(self) -> None:
        """Halve every contestant's learning rate from its next update (marked on the loss plot)."""
        self._scale_learning_rates(0.5)

    def action_lr_up(self) -> None:
        """Double every contestant's learning rate from its next update (marked on the loss plot)."""
        self._scale_learning_rates(2.0)

    def _scale_learning_rates(self, factor: float) -> None:
        scaled, now = self.session.scale_learning_rates(factor, self.leaderboard.standings)  # as the last report stood
        if not scaled:
            self.notify(i18n.t("ui.run.no_lr_change"),
                        timeout=3, markup=False)
            return
        # each mark at the contestant's last reported update: where the change takes effect
        self.lr_changes += [(k, self._positions[k]) for k in scaled]
        if now is not None:  # made at once (no report will follow): the leaderboard shows the new rates now
            self.leaderboard.standings = now
        self._dirty = True

    def action_toggle_why(self) -> None:
        """Hide the notes under the leaderboard (the optimizers' why, or the lesson's card) to give the plot
        their rows; again to show them (narrow, where they start hidden, too)."""
        if self._why.has_class("-empty"):
            return  # no notes for this field (learning rates, losses, batch sizes)
        shown = self._why.display and not self._why.has_class("-closed")
        self._why.set_class(shown, "-closed")
        self._why.set_class(not shown, "-open")
        if shown and self.focused is self._why:
            self._plot.focus()
        self.fit_stage()

    async def action_toggle_field(self) -> None:
        """Show or hide the panel that picks the race's field."""
        panel = await self.mounted_panel()
        panel.display = not panel.display
        self.call_after_refresh(self.redraw_soon)  # once laid out: the plot's key and subtitle at its new width
        if panel.display:
            panel.query_one("#race-field").focus()
        else:
            self._plot.focus()
