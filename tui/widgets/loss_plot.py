"""LossPlot: a plotext widget that draws loss curves, linear or log10, from already-decimated points."""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from rich.text import Text
from textual.reactive import reactive
from textual.strip import Strip
from textual_plotext import PlotextPlot

from tui import i18n
from tui.widgets.braille import rasterise
from tui.widgets.plot_key import KeyEntry
from tui.widgets.plotext_canvas import add_key, drop_fillers, matrix_strips, wide_text, with_data
from tui.widgets.plotext_private import build_matrix, set_size, theme_name
from tui.widgets.ticks import fmt_x, fmt_y, linear_axis, linear_ticks, log_axis, padded

HUGE = 1e300
"""Above this magnitude the linear scale draws y / 2**64, so plotext's span maths stays finite."""

CHROME_ROWS = 4
"""Rows of the plot that are not its canvas: the top and bottom borders, the x ticks and the x label."""

POINTS_PER_COLUMN = 2
"""Points per terminal column `LossPlot.max_points` asks for: one min/max pair per column.

A braille cell is 2 dots wide, so a column shows one vertical stroke per curve, and a
min/max pair per column is all of it; more points only add work.
"""


@dataclass(frozen=True)
class Curve:
    """One labelled series to draw: xs and ys of shape (n,), n may be 0."""

    label: str
    xs: np.ndarray
    ys: np.ndarray
    color: str | tuple[int, int, int]
    style: str = "line"
    """"line" joins the points; "scatter" (or "dots") draws them unjoined, e.g. per-batch loss;
    "reference" joins them beneath every other curve (a level such as the race's target), so a curve
    that shares its cells keeps its own colour there."""



def axis_words(text: str) -> str:
    """An axis label or a curve's name in the key (``epoch``, ``train``) in the app's language; a name
    the language has no words for (a race contestant's ``adam``) as it is."""
    return i18n.words(f"axis.{text}", text) if text else text

class LossPlot(PlotextPlot):
    """Loss curves over steps or epochs, with a one-line key in the frame's top border.

    Drawn in two layers. plotext builds the frame -- axes, ticks, labels, vertical marks -- and
    the frame is kept while its limits, ticks, labels, size and theme stay the same. The curves
    are drawn on it by ``tui.widgets.braille`` in NumPy, dot for dot as plotext draws a braille
    line, so a redraw costs the same for any data: the caller passes at most `max_points` points
    per curve (e.g. `Series.points(plot.max_points)`), and points that cannot be drawn (NaN,
    +-inf, and y <= 0 on the log scale) are dropped here. Any finite value can be drawn, up to
    1.8e308 (a diverged run). A repaint that brings no new data (focus, a neighbour's resize,
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
        self._layout: tuple = ()  # what plotext draws: labels, limits, ticks, marks, key
        self._laid_out_at: tuple[int, int] | None = None  # the size the layout's ticks were chosen for
        self._data: list[tuple[np.ndarray, np.ndarray, bool]] = []  # what braille draws, in plotext's units
        self._colors: list = []
        self._base: tuple | None = None  # (key, matrix, strips) of the last plotext frame
        self._frame: list[Strip] | None = None
        self._key_text = ""  # the key as the last frame wrote it
        self.build_seconds = 0.0
        """Wall time of the last frame build (plotext if its layout changed, + the curves + strips):
        what one redraw costs the UI thread."""

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

    def show_coming(self, note: str, x_label: str) -> None:
        """Empty, titled ``note`` (what is being built) and no subtitle: not the curves of the run a setup on its way
        replaces."""
        self.show([], title=note, x_label=x_label, y_label="loss")
        self.border_subtitle = ""

    def watch_log_scale(self) -> None:
        self._redraw()

    def show_words(self) -> None:
        """Draw the axis labels and the key in the app's language (after it changed)."""
        self._redraw()

    def key_names(self, label: str) -> bool:
        """Whether the key on the frame's border names ``label`` in full (labels that do not fit are
        shortened, then left out), as drawn now."""
        self.frame()
        return axis_words(label) in self._key_text.split()

    def render_line(self, y: int) -> Strip:
        lines = self.frame()
        return lines[y] if y < len(lines) else Strip.blank(self.size.width)

    def render(self) -> Text:
        """The frame as Rich Text (what `render_line` draws; for tests and tools)."""
        return Text("\n").join(Text.assemble(*((s.text, s.style) for s in strip)) for strip in self.frame())

    def frame(self) -> list[Strip]:
        """The plot as strips, one per row: plotext's frame (rebuilt only if its layout, the size or the
        theme changed) with the curves drawn on it (redrawn only if they changed)."""
        width, height = self.size
        if self._laid_out_at != (width, height):  # resized: the ticks for the new size, laid out as it is drawn
            self._redraw(refresh=False)
        key = (width, height, theme_name(self, self.app.theme), self._layout)
        if self._frame is not None and self._base is not None and self._base[0] == key:
            return self._frame
        started = time.perf_counter()
        if self._base is None or self._base[0] != key:
            matrix = self._build_frame(width, height, key[2])
            self._base = (key, matrix, matrix_strips(matrix))
        _, matrix, strips = self._base
        canvas = matrix.Cols_canvas, matrix.Rows_canvas
        if self._data and len(canvas[0]) > 0 and len(canvas[1]) > 0:
            codes, owner = rasterise(self._data, *self._limits, len(canvas[0]), len(canvas[1]))
            strips = with_data(strips, matrix, codes, owner, self._colors)
        self._frame = strips
        self.build_seconds = time.perf_counter() - started
        return self._frame

    def _build_frame(self, width: int, height: int, theme: str):
        """plotext's frame for the current layout: everything but the curves, and the key on top."""
        title, x_label, y_label, limits, x_ticks, y_ticks, marks, key = self._layout or (("",) * 3 + (None,) * 5)
        plt = self._plot
        plt.clear_data()
        plt.plotsize(width, height)
        set_size(plt, width, height)
        plt.theme(theme)
        plt.title(wide_text(title))
        plt.xlabel(wide_text(x_label))
        plt.ylabel(wide_text(y_label))
        if limits is None:  # an empty frame: no ticks, no limits left over from the last draw
            plt.xticks([])
            plt.yticks([])
        else:
            plt.plot([], [])  # a signal without points, so plotext draws the axes it would use
            for x, color in marks:
                plt.vline(x, color)
            plt.xlim(*limits[0])
            plt.ylim(*limits[1])
            plt.xticks(*x_ticks)
            plt.yticks(*y_ticks)
        matrix = build_matrix(plt)
        drop_fillers(matrix)
        self._key_text = add_key(matrix, list(key)) if key else ""
        return matrix

    def _redraw(self, refresh: bool = True) -> None:
        """Lay out the curves, labels and ticks (their number follows the size) and, with ``refresh``, repaint."""
        self._laid_out_at = tuple(self.size)
        y_label = axis_words(self._y_label)
        y_label = i18n.t("plot.log", label=y_label) if self.log_scale and y_label else y_label
        x_label = axis_words(self._x_label)
        drawn = [(c, *self._drawable(c)) for c in self._curves]
        drawn = [(c, x, y) for c, x, y in drawn if x.size]
        self._data, self._colors = [], []
        if not drawn:
            self._layout = (self._title, x_label, y_label, None, None, None, None, ())
            self._frame = None
            if refresh:
                self.refresh()
            return
        x_all = np.concatenate([x for _, x, _ in drawn])
        y_all = np.concatenate([y for _, _, y in drawn])
        if self._x_range is not None:
            x_lo, x_hi = padded(*self._x_range, 0.5)
        else:
            x_lo, x_hi = padded(float(x_all.min()), float(x_all.max()), 0.5)
        y_lo, y_hi = padded(float(y_all.min()), float(y_all.max()), 0.5 if self.log_scale else None)
        x_target = min(max(self.size.width // 14, 2), 8)  # labels like "250k" need room
        y_target = min(max(self.size.height // 4, 2), 6)
        rows = self.size.height - CHROME_ROWS
        if self.log_scale:
            y_lo, y_hi, y_ticks, y_labels = log_axis(y_lo, y_hi, rows)
            scale = 1.0
        else:
            y_lo, y_hi, y_ticks, y_labels = linear_axis(y_lo, y_hi, fmt_y, y_target, rows)
            # plotext divides by (hi - lo), which overflows near the float limit: hand it y / 2**64.
            scale = 2.0**-64 if max(abs(y_lo), abs(y_hi)) > HUGE else 1.0
        # a braille cell shows the last curve drawn into it: reference lines first, beneath the curves
        layers = sorted(drawn, key=lambda d: d[0].style != "reference")  # stable: the rest keep their order
        self._data = [(x, y * scale, curve.style not in ("scatter", "dots")) for curve, x, y in layers]
        self._colors = [curve.color for curve, _, _ in layers]
        self._limits = ((x_lo, x_hi), (y_lo * scale, y_hi * scale))
        x_ticks = tuple(map(tuple, linear_ticks(x_lo, x_hi, fmt_x, x_target)))
        marks = tuple((x, color) for x, color in self._marks if x_lo <= x <= x_hi)
        key = tuple(KeyEntry(axis_words(curve.label), curve.color, curve.style) for curve, _, _ in drawn if curve.label)
        self._layout = (self._title, x_label, y_label, self._limits, x_ticks,
                        (tuple(t * scale for t in y_ticks), tuple(y_labels)), marks, key)
        self._frame = None
        if refresh:
            self.refresh()

    def _drawable(self, curve: Curve) -> tuple[np.ndarray, np.ndarray]:
        """The curve's finite points, y as log10(y) on the log scale (y <= 0 dropped)."""
        x = np.asarray(curve.xs, dtype=np.float64).ravel()
        y = np.asarray(curve.ys, dtype=np.float64).ravel()
        keep = np.isfinite(x) & np.isfinite(y)
        if self.log_scale:
            keep &= y > 0
            return x[keep], np.log10(y[keep])
        return x[keep], y[keep]
