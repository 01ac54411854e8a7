"""``Track``: one race contestant's plotted history, fed by the worker's reports (UI thread only)."""

from __future__ import annotations

import numpy as np

from tui.report import X_AXES
from tui.widgets.series import Series

X_LABELS = {"epoch": "epochs", "step": "updates (steps)", "examples": "examples seen",
            "seconds": "seconds (own compute)"}
"""The plot's x-axis label for each of ``X_AXES``."""


class Track:
    """Per-epoch training loss and per-update batch loss of one contestant, against each x axis."""

    def __init__(self, initial_loss: float) -> None:
        self.epoch_loss = {axis: Series() for axis in X_AXES}
        """Training loss at each epoch's end (and the initial loss at x = 0)."""
        self.batch_loss = {axis: Series() for axis in X_AXES}
        """Each update's batch loss (min/max-decimated, by the worker beyond ``ROWS`` per report, then by ``Series``)."""
        self.updates = 0
        """How many updates the reports covered (the batch-loss series hold their extremes)."""
        for series in self.epoch_loss.values():
            series.append(0.0, initial_loss)

    def add(self, rows: np.ndarray, updates: int, epochs: list[tuple[tuple[float, ...], dict[str, float]]]) -> None:
        """A report's rows for this contestant (see ``Report.rows``), how many updates they stand for,
        and its ended epochs."""
        self.updates += updates
        if len(rows):
            for i, axis in enumerate(X_AXES):
                self.batch_loss[axis].extend(rows[:, i], rows[:, 4])
        for xs, logs in epochs:
            for axis, x in zip(X_AXES, xs):
                self.epoch_loss[axis].append(x, logs["loss"])
