"""``InsideView``: the main view's lower panel — why, what the network learned, what the optimizer carries.

A mixin of the app: it keeps what the training reports about the inside of the run (a copy of
the weights, the per-epoch diagnostics, the per-layer numbers now, the saturation detail) and
draws the map and the optimizer panel from it, each at its own bounded rate.
"""

from __future__ import annotations

import time

import numpy as np

from tui.widgets.learned_map import snapshot_predict, source_for
from tui.widgets.series import Series

LOWER_PANELS = {"-narrow": ("why", "map", "optimizer"), "-wide": ("why", "optimizer")}
"""What ``m`` cycles the lower panel through: narrow, one of why / map / optimizer; wide, the map
stays on the left and ``m`` switches the right between why and optimizer."""

WIDE = 110
"""From this many columns the map has room beside the why or optimizer panel."""

LOW = 24
"""Under this many rows (60x20) the loss plot's 16 rows took the whole stage: a lesson's card shares it (``-low``)."""

PANEL_INTERVAL = 0.25
"""Seconds between two redraws of the optimizer panel's numbers at the least."""


class InsideView:
    """Mixed into ``DescendApp``: uses its ``session``, ``lesson``, ``learned_map``, ``inside_panel``, ``why_panel``, and
    ``Building``'s ``building`` and ``building_note``."""

    def _init_inside(self) -> None:
        self.step_sizes = Series()
        """Median effective step size after each epoch (x: epoch)."""
        self.lr_changes: list[float] = []
        """Where the learning rate was changed mid-run, in epochs (x of the loss plot)."""
        self.detail: str | None = None
        """The run state's detail: the saturation finding, or None."""
        self.inside = None
        """The latest per-layer ``Diagnostics`` the training reported."""
        self._weights: np.ndarray | None = None
        self._weights_drawn: int = -1
        self._weights_version = 0
        self._inside_due = 0.0
        self._coming_note: str | None = None
        """The note the map and the optimizer panel show while a new setup is built (``None``: they show the run)."""
        self._inside_dirty = True
        self._history_dirty = True
        self._final = False
        self._bind_map()

    def _bind_map(self) -> None:
        session = self.session
        self._weights = session.experiment.model.params.copy()
        self._weights_version += 1
        self.learned_map.set_source(source_for(session.experiment, session.trainer,
                                               snapshot_predict(session.experiment.model, lambda: self._weights)))

    def _reset_inside(self) -> None:
        self.step_sizes.clear()
        self.lr_changes = []
        self.detail = None
        self.inside = None
        self._inside_dirty = self._history_dirty = True
        self._bind_map()

    def _take_inside(self, progress, done: bool = False) -> None:
        """Keep what a report's snapshot says about the inside of the run (``done``: its last report)."""
        if progress.params is not None:
            self._weights = progress.params
            self._weights_version += 1
            self._final = done  # the run stopped: draw its last weights at once
        for entry in progress.diagnostics:
            if entry.effective_lr is not None:
                self.step_sizes.append(entry.epoch, entry.effective_lr.median)
                self._history_dirty = True
        if progress.inside is not None:
            self.inside = progress.inside
            self._inside_dirty = True
            if progress.inside.saturation is not None:
                self.detail = progress.inside.saturation.detail

    # -- the lower panel ------------------------------------------------------------------
    def action_cycle_panel(self) -> None:
        """Lower panel: why → map of what the network learned → what the optimizer carries."""
        order = self._panel_order()
        self.lower = order[(order.index(self.lower) + 1) % len(order)] if self.lower in order else order[0]
        self.lower_open = True  # choosing what it shows shows it

    def action_toggle_why(self) -> None:
        """Hide the why panel (the whole row under the plots) to give the plots its rows; again to show it."""
        self.lower_open = not self.lower_open

    def _panel_order(self, width: int | None = None) -> tuple[str, ...]:
        return LOWER_PANELS["-wide" if (self.size.width if width is None else width) >= WIDE else "-narrow"]

    def watch_lower(self) -> None:
        if self.is_mounted:
            self._show_lower()

    def watch_lower_open(self) -> None:
        if self.is_mounted:
            self._show_lower()

    def on_descendant_focus(self, event) -> None:
        """Reading the why panel (tab to it) gives it half the height; leaving it gives the rows back."""
        self._set_reading(event.widget is self.why_panel)

    def on_descendant_blur(self, event) -> None:
        if event.widget is self.why_panel:
            self._set_reading(False)

    def _set_reading(self, reading: bool) -> None:
        """``-reading`` on the stage, found from the why panel up: a query walked every widget of every screen at each
        focus move (the race view's too). Focus moves as the app closes too, when the stage may be gone already."""
        for node in self.why_panel.ancestors:
            if node.id == "stage":
                node.set_class(reading, "-reading")
                return

    def _show_lower(self, width: int | None = None, height: int | None = None) -> None:
        """Show what ``lower`` and ``lower_open`` say at ``width`` columns and ``height`` rows (the app's). The loss
        plot keeps its minimum rows (10 to draw in) except when, narrow, the user chose the map or the optimizer
        panel: then the two share the height; and under ``LOW`` rows (60x20, ``-low``), where a lesson's card shares
        it too."""
        width = self.size.width if width is None else width
        height = self.size.height if height is None else height
        wide = width >= WIDE
        lower = self.lower if self.lower in self._panel_order(width) else "why"
        self.query_one("#lower").display = self.lower_open
        self.learned_map.display = wide or lower == "map"
        self.why_panel.display = lower == "why"
        self.inside_panel.display = lower == "optimizer"
        stage = self.query_one("#stage")
        stage.set_class(lower != "why" or wide, "-tall-lower")
        stage.set_class(lower != "why" and not wide and self.lower_open, "-shared")
        stage.set_class(lower == "why" and self.lesson is not None, "-card")
        stage.set_class(height < LOW, "-low")
        self._inside_dirty = self._history_dirty = True
        self._weights_drawn = -1

    def _redraw_inside(self) -> None:
        """The map (if the weights changed) and the optimizer panel, each at its bounded rate; while a new setup is
        built, neither shows the run in place (its data, its weights): they say what is coming."""
        if not self.lower_open:
            return
        note = self.building_note() if self.building is not None else None
        if note != self._coming_note:  # a setup went on its way (or the language changed), or it came or was refused
            self._coming_note = note
            if note is not None:
                self.learned_map.blank(note)
                self.inside_panel.note(note)
            else:
                self.learned_map.set_source(self.learned_map.source)  # its caption again, drawn at once
            self._weights_drawn = -1
            self._inside_dirty = self._history_dirty = True
        if note is not None:
            return
        if self.learned_map.display and (self._weights_drawn != self._weights_version or self.learned_map.stale):
            if self.learned_map.redraw(force=self._final):
                self._weights_drawn = self._weights_version
        panel = self.inside_panel
        if not panel.display:
            return
        now = time.perf_counter()
        if self._inside_dirty and (now >= self._inside_due or self.status != "running"):
            panel.show(self.inside)
            self._inside_dirty = False
            self._inside_due = now + PANEL_INTERVAL
        if self._history_dirty and panel.plot.display:
            xs, ys = self.step_sizes.points(panel.plot.max_points)
            panel.show_history(xs, ys)
            self._history_dirty = False

    def _show_inside_words(self) -> None:
        """The lower panel in the current language (after ``K``), whether or not the run still updates it: the
        map's caption and the optimizer panel's table, at once (a setup on its way: its note, in the new language,
        is a new note for ``_redraw_inside``)."""
        if self._coming_note is None:
            self.learned_map.set_source(self.learned_map.source)  # its caption again
        self._inside_dirty = self._history_dirty = True
        self._redraw_inside()

    def _show_inside(self) -> None:
        self._inside_dirty = self._history_dirty = True
        self.inside_panel.show(self.inside)
