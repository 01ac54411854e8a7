"""LossPlot: a plotext widget that draws loss curves, linear or log10, from already-decimated points."""

from __future__ import annotations

import math
import sys
import time
from dataclasses import dataclass

import numpy as np
from rich.text import Text
from textual.reactive import reactive
from textual.strip import Strip
from textual_plotext import PlotextPlot

from tui.widgets.plotext_canvas import build_strips
from tui.widgets.plotext_private import set_size, theme_name

PALETTE: tuple[tuple[int, int, int], ...] = (
    (97, 175, 239),  # blue
    (229, 192, 123),  # amber
    (152, 195, 121),  # green
    (224, 108, 117),  # red
    (198, 120, 221),  # violet
    (86, 182, 194),  # cyan
)
"""Curve colours legible on a dark surface; `PALETTE[i % len(PALETTE)]` for the i-th curve."""

MAX_LOG10 = math.log10(sys.float_info.max)
"""log10 of the largest float (308.25): no tick value is computed above it."""

HUGE = 1e300
"""Above this magnitude the linear scale hands plotext y / 2**64, so its span maths stays finite."""

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
    """Loss curves over steps or epochs; rebuilt only when `show()` is called, `log_scale` flips or the size changes.

    Cost does not grow with the run: the caller passes at most `max_points` points
    per curve (e.g. `Series.points(plot.max_points)`), and points that cannot be
    drawn (NaN, +-inf, and y <= 0 on the log scale) are dropped here. Any finite
    value can be drawn, up to 1.8e308 (a diverged run). The built frame is kept as
    strips, so a repaint that brings no new data (focus, a neighbour's resize,
    the compositor) costs nothing here.
    """

    log_scale: reactive[bool] = reactive(True)
    """Plot log10(y) with ticks labelled in y (1e-3, 0.01, 0.1, 1, 10); False plots y itself."""

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._curves: list[Curve] = []
        self._title = ""
        self._x_label = ""
        self._y_label = "loss"
        self._x_range: tuple[float, float] | None = None
        self._marks: list[tuple[float, tuple[int, int, int]]] = []
        self._frame: list[Strip] | None = None
        self._frame_key: tuple = ()
        self.build_seconds = 0.0
        """Wall time of the last frame build (plotext + strips): what one redraw costs the UI thread."""

    @property
    def max_points(self) -> int:
        """How many points per curve are worth drawing at the widget's current width."""
        width = self.size.width or 80  # not laid out yet: assume a typical terminal
        return max(16, POINTS_PER_COLUMN * width)

    @property
    def marks(self) -> list[tuple[float, tuple[int, int, int]]]:
        """The vertical marks last passed to `show()`."""
        return list(self._marks)

    @property
    def curves(self) -> list[Curve]:
        """The curves last passed to `show()`."""
        return list(self._curves)

    def show(self, curves: list[Curve], *, title: str = "", x_label: str = "", y_label: str = "loss",
             x_range: tuple[float, float] | None = None,
             marks: list[tuple[float, tuple[int, int, int]]] = ()) -> None:
        """Replace the drawn curves and labels, and redraw.

        Args:
            x_range: the x axis limits; None fits them to the points. Plots sharing an x axis
                (loss and metric over epochs) pass the same range so their ticks line up.
            marks: ``(x, colour)`` vertical lines across the plot (e.g. a learning-rate change).
        """
        self._marks = list(marks)
        self._curves = list(curves)
        self._title, self._x_label, self._y_label = title, x_label, y_label
        self._x_range = x_range
        self._redraw()

    def watch_log_scale(self) -> None:
        self._redraw()

    def on_resize(self) -> None:
        """Tick density and legend headroom depend on the size."""
        self._redraw()

    def render_line(self, y: int) -> Strip:
        lines = self.frame()
        return lines[y] if y < len(lines) else Strip.blank(self.size.width)

    def render(self) -> Text:
        """The frame as Rich Text (what `render_line` draws; for tests and tools)."""
        return Text("\n").join(Text.assemble(*((s.text, s.style) for s in strip)) for strip in self.frame())

    def frame(self) -> list[Strip]:
        """The plot as strips, one per row: built by plotext only if the data, the size or the theme changed."""
        width, height = self.size
        theme = theme_name(self, self.app.theme)
        key = (width, height, theme)
        if self._frame is None or key != self._frame_key:
            started = time.perf_counter()
            plt = self._plot
            plt.plotsize(width, height)
            set_size(plt, width, height)
            plt.theme(theme)
            self._frame = build_strips(plt)
            self._frame_key = key
            self.build_seconds = time.perf_counter() - started
        return self._frame

    def _redraw(self) -> None:
        plt = self.plt
        plt.clear_data()
        plt.title(self._title)
        plt.xlabel(self._x_label)
        plt.ylabel(f"{self._y_label} (log)" if self.log_scale and self._y_label else self._y_label)
        drawn = [(c, *self._drawable(c)) for c in self._curves]
        drawn = [(c, x, y) for c, x, y in drawn if x.size]
        if drawn:
            x_all = np.concatenate([x for _, x, _ in drawn])
            y_all = np.concatenate([y for _, _, y in drawn])
            if self._x_range is not None:
                x_lo, x_hi = _padded(*self._x_range, 0.5)
            else:
                x_lo, x_hi = _padded(float(x_all.min()), float(x_all.max()), 0.5)
            y_lo, y_hi = _padded(float(y_all.min()), float(y_all.max()), 0.5 if self.log_scale else None)
            y_hi = _raised(y_lo, y_hi, self._legend_headroom(len(drawn)))
            x_target = min(max(self.size.width // 14, 2), 8)  # labels like "250k" need room
            y_target = min(max(self.size.height // 4, 2), 6)
            if self.log_scale:
                y_ticks, y_labels = _log_ticks(y_lo, y_hi)
                scale = 1.0
            else:
                y_ticks, y_labels = _linear_ticks(y_lo, y_hi, _fmt_y, y_target)
                # plotext divides by (hi - lo), which overflows near the float limit: hand it y / 2**64.
                scale = 2.0**-64 if max(abs(y_lo), abs(y_hi)) > HUGE else 1.0
            for curve, x, y in drawn:
                draw = plt.scatter if curve.style in ("scatter", "dots") else plt.plot
                draw(x.tolist(), (y * scale).tolist(), label=curve.label, color=curve.color, marker="braille")
            for x, color in self._marks:
                if x_lo <= x <= x_hi:
                    plt.vline(x, color)
            plt.xlim(x_lo, x_hi)
            plt.ylim(y_lo * scale, y_hi * scale)
            plt.xticks(*_linear_ticks(x_lo, x_hi, _fmt_x, x_target))
            plt.yticks([t * scale for t in y_ticks], y_labels)
        else:  # an empty frame: no ticks, no limits left over from the last draw
            plt.xticks([])
            plt.yticks([])
        self._frame = None
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


def _raised(lo: float, hi: float, fraction: float) -> float:
    """``hi + (hi - lo) * fraction`` without overflowing: at most the largest float."""
    return min(hi + (hi / 2 - lo / 2) * 2 * fraction, sys.float_info.max)


def _nice_step(lo: float, hi: float, target: int = 5) -> float:
    """The 1-2-5 x 10^k step whose tick count over [lo, hi] is closest to `target`.

    Finite for any finite lo < hi: the span is taken as hi/target - lo/target, which cannot
    overflow even when hi - lo would (-1e308 .. 1e308).
    """
    per_tick = hi / target - lo / target
    k = min(math.floor(math.log10(per_tick)), math.floor(MAX_LOG10))
    steps = [m * 10.0**k for m in (1, 2, 5, 10)]
    steps = [s for s in steps if math.isfinite(s)]
    return min(steps, key=lambda step: abs(hi / step - lo / step - target))


def _linear_ticks(lo: float, hi: float, fmt, target: int = 5) -> tuple[list[float], list[str]]:
    """About `target` ticks at multiples of a 1-2-5 step inside [lo, hi], labelled by fmt(tick, step)."""
    step = _nice_step(lo, hi, target)
    first = math.ceil(lo / step - 1e-9)
    ticks = [i * step for i in range(first, math.floor(hi / step + 1e-9) + 1)]
    return ticks, [fmt(t, step) for t in ticks]


def _log_ticks(lo: float, hi: float) -> tuple[list[float], list[str]]:
    """Ticks (as log10 positions) and labels (as values) for a log10 axis spanning [lo, hi].

    Powers of ten; also 2 and 5 x 10^k when the range spans under 2 decades; linear
    1-2-5 values when even those give fewer than two ticks; every n-th decade when
    there would be more than 8. Positions are chosen before values are computed, so
    a range reaching past the largest float (lo, hi up to ~309) never overflows.
    """
    d_lo, d_hi = math.floor(lo), math.ceil(hi)
    needed = (d_hi - d_lo + 1) / 8
    stride = next((s for s in (1, 2, 5, 10, 20, 50, 100, 200) if s >= needed), 500)
    mantissas = (1, 2, 5) if hi - lo < 2 else (1,)
    candidates = [(d + math.log10(m), m, d) for d in range(d_lo, d_hi + 1) if d % stride == 0 for m in mantissas]
    values = [m * 10.0**d for position, m, d in candidates
              if lo - 1e-9 <= position <= min(hi, MAX_LOG10) + 1e-9]
    if len(values) < 2:
        lin, _ = _linear_ticks(_pow10(lo), _pow10(hi), _fmt_y)
        values = [v for v in lin if v > 0]
    return [math.log10(v) for v in values], [_fmt_value(v) for v in values]


def _pow10(x: float) -> float:
    """10**x, or the largest float where that would overflow."""
    return 10.0**x if x < MAX_LOG10 else sys.float_info.max


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
