"""LossPlot: a plotext widget that draws loss curves, linear or log10, from already-decimated points."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from textual.reactive import reactive
from textual_plotext import PlotextPlot

PALETTE: tuple[tuple[int, int, int], ...] = (
    (97, 175, 239),  # blue
    (229, 192, 123),  # amber
    (152, 195, 121),  # green
    (224, 108, 117),  # red
    (198, 120, 221),  # violet
    (86, 182, 194),  # cyan
)
"""Curve colours legible on a dark surface; `PALETTE[i % len(PALETTE)]` for the i-th curve."""

POINTS_PER_COLUMN = 2
"""Points per terminal column `LossPlot.max_points` asks for: one min/max pair per column.

A braille cell is 2 dots wide, so a column shows one vertical stroke per curve, and a
min/max pair per column is all of it; more points only add plotext work (its build
cost grows with the pixels it rasterises, ~7 ms per noisy line at 120x40).
"""


@dataclass(frozen=True)
class Curve:
    """One labelled series to draw: xs and ys of shape (n,), n may be 0."""

    label: str
    xs: np.ndarray
    ys: np.ndarray
    color: str | tuple[int, int, int]
    style: str = "line"
    """"line" joins the points; "scatter" (or "dots") draws them unjoined, e.g. per-batch loss."""


class LossPlot(PlotextPlot):
    """Loss curves over steps or epochs; redraws only when `show()` is called or `log_scale` flips.

    Cost does not grow with the run: the caller passes at most `max_points` points
    per curve (e.g. `Series.points(plot.max_points)`), and points that cannot be
    drawn (NaN, +-inf, and y <= 0 on the log scale) are dropped here.
    """

    log_scale: reactive[bool] = reactive(True)
    """Plot log10(y) with ticks labelled in y (1e-3, 0.01, 0.1, 1, 10); False plots y itself."""

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._curves: list[Curve] = []
        self._title = ""
        self._x_label = ""
        self._y_label = "loss"

    @property
    def max_points(self) -> int:
        """How many points per curve are worth drawing at the widget's current width."""
        width = self.size.width or 80  # not laid out yet: assume a typical terminal
        return max(16, POINTS_PER_COLUMN * width)

    @property
    def curves(self) -> list[Curve]:
        """The curves last passed to `show()`."""
        return list(self._curves)

    def show(self, curves: list[Curve], *, title: str = "", x_label: str = "", y_label: str = "loss") -> None:
        """Replace the drawn curves and labels, and redraw."""
        self._curves = list(curves)
        self._title, self._x_label, self._y_label = title, x_label, y_label
        self._redraw()

    def watch_log_scale(self) -> None:
        self._redraw()

    def on_resize(self) -> None:
        """Tick density and legend headroom depend on the size."""
        self._redraw()

    def _redraw(self) -> None:
        plt = self.plt
        plt.clear_data()
        plt.title(self._title)
        plt.xlabel(self._x_label)
        plt.ylabel(f"{self._y_label} (log)" if self.log_scale and self._y_label else self._y_label)
        drawn = [(c, *self._drawable(c)) for c in self._curves]
        drawn = [(c, x, y) for c, x, y in drawn if x.size]
        for curve, x, y in drawn:
            draw = plt.scatter if curve.style in ("scatter", "dots") else plt.plot
            draw(x.tolist(), y.tolist(), label=curve.label, color=curve.color, marker="braille")
        if drawn:
            x_all = np.concatenate([x for _, x, _ in drawn])
            y_all = np.concatenate([y for _, _, y in drawn])
            x_lo, x_hi = _padded(float(x_all.min()), float(x_all.max()), 0.5)
            y_lo, y_hi = _padded(float(y_all.min()), float(y_all.max()), 0.5 if self.log_scale else None)
            y_hi += (y_hi - y_lo) * self._legend_headroom(len(drawn))
            plt.xlim(x_lo, x_hi)
            plt.ylim(y_lo, y_hi)
            x_target = min(max(self.size.width // 14, 2), 8)  # labels like "250k" need room
            y_target = min(max(self.size.height // 4, 2), 6)
            plt.xticks(*_linear_ticks(x_lo, x_hi, _fmt_x, x_target))
            if self.log_scale:
                plt.yticks(*_log_ticks(y_lo, y_hi))
            else:
                plt.yticks(*_linear_ticks(y_lo, y_hi, _fmt_y, y_target))
        else:  # an empty frame: no ticks, no limits left over from the last draw
            plt.xticks([])
            plt.yticks([])
        self.refresh()

    def _legend_headroom(self, n_curves: int) -> float:
        """Extra top margin, as a fraction of the y range, so curves start below the legend."""
        rows = max(self.size.height - 5, 4)  # minus title, frame and tick/label rows
        frac = min(n_curves / rows, 0.5)
        return frac / (1 - frac)

    def _drawable(self, curve: Curve) -> tuple[np.ndarray, np.ndarray]:
        """The curve's finite points, y as log10(y) on the log scale (y <= 0 dropped)."""
        x = np.asarray(curve.xs, dtype=np.float64).ravel()
        y = np.asarray(curve.ys, dtype=np.float64).ravel()
        keep = np.isfinite(x) & np.isfinite(y)
        if self.log_scale:
            keep &= y > 0
            return x[keep], np.log10(y[keep])
        return x[keep], y[keep]


def _padded(lo: float, hi: float, pad_if_flat: float | None) -> tuple[float, float]:
    """Limits around [lo, hi]; a flat range is widened so the points sit mid-frame."""
    if hi > lo:
        return lo, hi
    pad = pad_if_flat if pad_if_flat is not None else (abs(lo) * 0.1 or 1.0)
    return lo - pad, hi + pad


def _nice_step(span: float, target: int = 5) -> float:
    """The 1-2-5 x 10^k step whose tick count over `span` is closest to `target`."""
    k = math.floor(math.log10(span / target))
    return min((m * 10.0**k for m in (1, 2, 5, 10)), key=lambda step: abs(span / step - target))


def _linear_ticks(lo: float, hi: float, fmt, target: int = 5) -> tuple[list[float], list[str]]:
    """About `target` ticks at multiples of a 1-2-5 step inside [lo, hi], labelled by fmt(tick, step)."""
    step = _nice_step(hi - lo, target)
    first = math.ceil(lo / step - 1e-9)
    ticks = [i * step for i in range(first, math.floor(hi / step + 1e-9) + 1)]
    return ticks, [fmt(t, step) for t in ticks]


def _log_ticks(lo: float, hi: float) -> tuple[list[float], list[str]]:
    """Ticks (as log10 positions) and labels (as values) for a log10 axis spanning [lo, hi].

    Powers of ten; also 2 and 5 x 10^k when the range spans under 2 decades; linear
    1-2-5 values when even those give fewer than two ticks; every n-th decade when
    there would be more than 8.
    """
    d_lo, d_hi = math.floor(lo), math.ceil(hi)
    stride = max(1, math.ceil((d_hi - d_lo + 1) / 8))
    mantissas = (1, 2, 5) if hi - lo < 2 else (1,)
    values = [m * 10.0**d for d in range(d_lo, d_hi + 1) if d % stride == 0 for m in mantissas]
    values = [v for v in values if lo - 1e-9 <= math.log10(v) <= hi + 1e-9]
    if len(values) < 2:
        lin, _ = _linear_ticks(10**lo, 10**hi, _fmt_y)
        values = [v for v in lin if v > 0]
    return [math.log10(v) for v in values], [_fmt_value(v) for v in values]


def _fmt_value(v: float) -> str:
    """A short label: 0.01 ... 1000 as decimals, others as 1e-3, 2.5e6."""
    if v == 0:
        return "0"
    if 1e-2 <= abs(v) < 1e4:
        return f"{v:.6g}"
    mantissa, exponent = f"{v:.3e}".split("e")
    return f"{float(mantissa):g}e{int(exponent)}"


def _fmt_y(v: float, step: float) -> str:
    return _fmt_value(round(v / step) * step) if v else "0"


def _fmt_x(v: float, step: float) -> str:
    """Steps read better as 250k, 1.5M than as 250000, 1500000."""
    v = round(v / step) * step
    for scale, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= scale and step >= scale / 100:
            return f"{v / scale:.4g}{suffix}"
    return f"{v:.6g}" if step < 1 else str(int(round(v)))
