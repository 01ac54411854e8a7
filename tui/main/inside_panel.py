"""``InsidePanel``: what the optimizer carries — per layer numbers and the step size over epochs."""

from __future__ import annotations

import math

import numpy as np
from rich.console import Console, Group
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text
from textual.containers import Vertical
from textual.widgets import Static

from engine import Diagnostics
from tui import i18n
from tui.widgets.counters import NOT_KNOWN
from tui.widgets.loss_plot import Curve, LossPlot

STEP_SIZE_COLOR = (198, 120, 221)


def number(value: float | None) -> str:
    """2 significant digits, compact exponents (``3.73e3``, ``1.2e-5``); ``—`` for none."""
    if value is None:
        return NOT_KNOWN
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "∞"
    text = f"{value:.2g}"
    return text.replace("e+0", "e").replace("e+", "e").replace("e-0", "e-")


NARROW = 60
"""Below this many columns the table is turned: one column per layer, one row per quantity (or, when
that does not fit, a row per layer by number, without what does not fit: ``table``)."""

PLOT_ROWS = 4
"""The fewest rows under the numbers that show the step sizes' plot: its legend, two rows of dots and its axis (its
tick labels and caption may be cut, as at 120x40). With fewer (80x24: two), it showed only its legend's row: it is
not shown."""

TURNED_ROWS = 8
"""Rows the turned table takes (a header and seven quantities): with fewer, the narrow one."""


def _cells(item, narrow: bool = False) -> dict[str, str]:
    spread = item.effective_lr
    low, middle, high = (NOT_KNOWN,) * 3 if spread is None else map(number, (spread.min, spread.median, spread.max))
    return {"‖g‖": number(item.grad_norm), "‖θ‖": number(item.weight_norm), "Δθ/θ": number(item.update_ratio),
            "lr min": low, "lr med": middle, "lr max": high, "‖m‖": number(item.velocity_norm)}


def _width(table: Table) -> int:
    """The columns ``table`` takes when nothing is cut."""
    console = Console(width=1000)
    return Measurement.get(console, console.options, table).maximum


def words(name: str) -> str:
    """A column's or row's name in the app's language (``layer`` → 층); notation (‖g‖, a layer's number) as it is."""
    return i18n.words(f"label.{name}", name)


def _rows(d: Diagnostics, quantities: list[str], items, wide: bool) -> Table:
    grid = Table(box=None, padding=(0, 0, 0, 1), show_edge=False, header_style="bold")
    for name in ["layer"] + quantities:
        grid.add_column(words(name), justify="left" if name == "layer" else "right", no_wrap=True)
    for name, item in items:
        cells = _cells(item)
        grid.add_row(f"dense {name}" if wide and name != "all" else words(name), *(cells[q] for q in quantities),
                     style="bold" if name == "all" else None)
    return grid


def table(d: Diagnostics, width: int = 80, height: int | None = None) -> Table:
    """Per layer and for the whole model: ‖g‖, ‖θ‖, ‖Δθ‖/‖θ₋‖ (the last update's), step size min /
    median / max, ‖m‖ (with a momentum). ``width`` columns from ``NARROW`` on: a row per layer; below
    it, turned — a column per layer — when that fits in ``width`` and ``height`` (None: any height),
    else a row per layer with what fits, leaving out ‖m‖, ‖θ‖, the step size's min and max, then Δθ/θ in that
    order (at 60x20 each column was cut to ``0…``)."""
    momentum = d.velocity_norm is not None
    quantities = ["‖g‖", "‖θ‖", "Δθ/θ", "lr min", "lr med", "lr max"] + (["‖m‖"] if momentum else [])
    items = [(layer.name.replace("dense_", ""), layer) for layer in d.layers] + [("all", d)]
    if width >= NARROW:
        return _rows(d, quantities, items, wide=True)
    if 6 + 8 * len(items) <= width and (height is None or height >= TURNED_ROWS):
        grid = Table(box=None, padding=(0, 0, 0, 1), show_edge=False, header_style="bold")
        grid.add_column(words("layer"), justify="left", no_wrap=True)
        for name, _ in items:
            grid.add_column(words(name), justify="right", no_wrap=True, header_style="bold")
        cells = [_cells(item) for _, item in items]
        for quantity in quantities:
            grid.add_row(words(quantity), *(c[quantity] for c in cells))
        return grid
    for dropped in ((), ("‖m‖",), ("‖m‖", "‖θ‖"), ("‖m‖", "‖θ‖", "lr min", "lr max"),
                    ("‖m‖", "‖θ‖", "lr min", "lr max", "Δθ/θ")):  # 60x20: ‖g‖ and the median step size, not all cut
        grid = _rows(d, [q for q in quantities if q not in dropped], items, wide=False)
        if _width(grid) <= width:
            break
    return grid


def summary(d: Diagnostics) -> Text:
    """The line over the table: learning rate, step t, Adam's bias corrections, saturation."""
    text = Text(f"lr {number(d.learning_rate)} · t {d.step:,}")
    if d.bias_corrections is not None:
        c1, c2 = d.bias_corrections
        text.append(f" · 1−β₁ᵗ {c1:.4g} · 1−β₂ᵗ {c2:.4g}")
    if d.saturated:
        text.append(f" · {i18n.message(d.saturation.detail)}", style="bold red")
    return text


class InsidePanel(Vertical):
    """The learning rate, step and saturation, per layer numbers of the optimizer's last update, and
    the median step size per epoch (top to bottom)."""

    def compose(self):
        yield Static(id="inside-text")
        yield LossPlot(id="step-size-plot")

    @property
    def plot(self) -> LossPlot:
        return self.query_one("#step-size-plot", LossPlot)

    shown: Diagnostics | None = None
    """The numbers shown (None: none), drawn again when the panel's size changes."""

    def note(self, text: str) -> None:
        """Only ``text`` (a new setup on its way): no numbers, no step sizes."""
        self.shown = None
        self.query_one("#inside-text", Static).update(Text(text, style="dim"))
        self.show_history(np.empty(0), np.empty(0))

    def show(self, d: Diagnostics | None) -> None:
        """The numbers of ``d`` (None: no update yet), laid out for the panel's size now."""
        self.shown = d
        static = self.query_one("#inside-text", Static)
        if d is None:
            static.update(Text(i18n.t("panel.no_update"), style="dim"))
            return
        # the summary first: a saturated run says so even where the panel is a few rows high (80x24)
        width, height = self.content_size
        line = summary(d)
        below = (height - len(line.wrap(self.app.console, width or 80))) if height else None
        grid = table(d, width or 80, below)
        static.update(Group(line, grid))
        if height:  # the step sizes' plot under the numbers where it can show its curve, else not at all
            self.plot.display = below - (grid.row_count + grid.show_header) >= PLOT_ROWS  # its cells never wrap

    def on_resize(self) -> None:
        """The table turns (a column per layer) where the panel is wide enough: shown before the panel was laid out
        (m, then the app's redraw tick before the screen's layout), it is drawn again at the size it got."""
        if self.shown is not None:
            self.show(self.shown)

    def show_history(self, epochs: np.ndarray, medians: np.ndarray, color=STEP_SIZE_COLOR) -> None:
        """The median effective step size after each epoch (log scale)."""
        plot = self.plot
        curves = [Curve("median step size", epochs, medians, color)] if len(epochs) else []
        plot.show(curves, x_label="epoch", y_label="step size",
                  x_range=(0.0, float(max(epochs[-1] if len(epochs) else 1, 1))))
