"""``RaceInside``: the race's small multiples — what each contestant learned, and its step size over epochs.

One ``LearnedMap`` per contestant, all on the same plane (same scale), framed in the contestant's
plot colour; or one plot of every contestant's median effective step size per epoch (log y),
where Adagrad's decay and RMSprop's plateau sit side by side.
"""

from __future__ import annotations

import numpy as np
from textual.containers import Horizontal, Vertical

from tui import learned
from tui.widgets.learned_map import LearnedMap, MapSource, snapshot_predict
from tui.colors import RGB, rich_color
from tui.widgets.loss_plot import Curve, LossPlot
from tui.widgets.series import Series


class RaceInside(Vertical):
    """Maps per contestant (``mode == "maps"``) or their step sizes (``"steps"``)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.maps: list[LearnedMap] = []
        self.step_sizes: list[Series] = []
        self.labels: list[str] = []
        self.contestant_colors: tuple[RGB, ...] = ()
        self._weights: list[np.ndarray] = []
        self._version = 0
        self._drawn: list[int] = []
        self._steps_dirty = True
        self._final = False
        self.mode = "maps"

    def compose(self):
        yield Horizontal(id="race-maps")
        yield LossPlot(id="race-step-sizes")

    @property
    def plot(self) -> LossPlot:
        return self.query_one("#race-step-sizes", LossPlot)

    def line_up(self, session) -> None:
        """New maps for ``session``'s contestants (the old ones go)."""
        race = session.race
        row = self.query_one("#race-maps", Horizontal)
        row.remove_children()
        contestants = race.contestants
        first = contestants[0].experiment
        task = first.dataset.task
        kind = learned.kind(task, race.x.shape[1])
        box = learned.bounds(first.x) if kind == "plane" else None
        self._weights = [c.params.copy() for c in contestants]
        self.maps, self.step_sizes, self.labels = [], [Series() for _ in contestants], [c.label for c in contestants]
        self.contestant_colors = session.colors
        for c in contestants:
            predict = snapshot_predict(c.model, lambda i=c.index: self._weights[i])
            view = LearnedMap(classes="race-map")
            view.set_source(MapSource(predict, (race.x, race.targets[c.index]), race.validation_data[c.index], task, kind, box))
            view.border_title = c.label
            color = rich_color(session.colors[c.index])
            view.styles.border = ("round", color)
            view.styles.border_title_color = color
            self.maps.append(view)
        row.mount_all(self.maps)
        self._drawn = [-1] * len(self.maps)
        self._version += 1
        self._steps_dirty = True
        self.show_mode(self.mode)

    def show_mode(self, mode: str) -> None:
        self.mode = mode
        self.query_one("#race-maps").display = mode == "maps"
        self.plot.display = mode == "steps"
        self._drawn = [-1] * len(self.maps)
        self._steps_dirty = True

    def take(self, report) -> None:
        """Keep a race report's weights and per-epoch step sizes (its ``snapshot``: ``Standings``)."""
        standings = report.snapshot
        if standings.weights:
            self._weights = list(standings.weights)
            self._version += 1
            self._final = report.done  # the run stopped: draw its last weights at once
        for series, entries in zip(self.step_sizes, standings.diagnostics):
            for entry in entries:
                if entry.effective_lr is not None:
                    series.append(entry.epoch, entry.effective_lr.median)
                    self._steps_dirty = True

    def redraw(self) -> None:
        """The maps (if the weights changed, each at its bounded rate) or the step-size plot."""
        if not self.display:
            return
        if self.mode == "maps":
            for i, view in enumerate(self.maps):
                if self._drawn[i] != self._version and view.redraw(force=self._final):
                    self._drawn[i] = self._version
        elif self._steps_dirty:
            plot = self.plot
            curves = []
            for i, (label, series) in enumerate(zip(self.labels, self.step_sizes)):
                xs, ys = series.points(plot.max_points)
                if len(xs):
                    curves.append(Curve(label, xs, ys, self.contestant_colors[i]))
            right = max((float(c.xs[-1]) for c in curves), default=1.0)
            plot.show(curves, x_label="epoch", y_label="median step size", x_range=(0.0, max(right, 1.0)))
            self._steps_dirty = False
