"""``RacePlot``: the race's overlay ``LossPlot`` — a legend only when there is room, and headroom only for it."""

from __future__ import annotations

from tui.widgets.loss_plot import Curve, LossPlot

LEGEND_MIN_HEIGHT = 18
"""Below this many rows the legend would hide the curves' start; the leaderboard's swatches name them instead."""


class RacePlot(LossPlot):
    """A ``LossPlot`` whose legend lists only labelled curves, and is left out when the plot is short."""

    @property
    def has_legend(self) -> bool:
        return self.size.height >= LEGEND_MIN_HEIGHT

    def show(self, curves: list[Curve], *, title: str = "", x_label: str = "", y_label: str = "loss",
             x_range: tuple[float, float] | None = None) -> None:
        """As ``LossPlot.show``; the labels are kept for the legend only if it fits."""
        self._all_curves = list(curves)
        super().show(self._labelled(curves), title=title, x_label=x_label, y_label=y_label, x_range=x_range)

    def _labelled(self, curves: list[Curve]) -> list[Curve]:
        if self.has_legend:
            return curves
        return [Curve("", c.xs, c.ys, c.color, c.style) for c in curves]

    def on_resize(self) -> None:
        self._curves = self._labelled(getattr(self, "_all_curves", []))
        super().on_resize()

    def _legend_headroom(self, n_curves: int) -> float:
        return super()._legend_headroom(sum(1 for c in self._curves if c.label))
