"""``InsidePanel``: what the optimizer carries — per layer numbers and the step size over epochs."""

from __future__ import annotations

import math

import numpy as np
from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.containers import Vertical
from textual.widgets import Static

from engine import Diagnostics
from tui.widgets.loss_plot import Curve, LossPlot

STEP_SIZE_COLOR = (198, 120, 221)


def number(value: float | None) -> str:
    """2 significant digits, compact exponents (``3.73e3``, ``1.2e-5``); ``–`` for none."""
    if value is None:
        return "–"
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "∞"
    text = f"{value:.2g}"
    return text.replace("e+0", "e").replace("e+", "e").replace("e-0", "e-")


NARROW = 60
"""Below this many columns the table keeps only ‖g‖, Δθ/θ and the step sizes, layers by number."""


def table(d: Diagnostics, width: int = 80) -> Table:
    """One row per layer and one for the whole model: ‖g‖, ‖θ‖, ‖Δθ‖/‖θ‖, step size min/median/max,
    ‖m‖ (narrower than ``NARROW``: without ‖θ‖ and ‖m‖)."""
    narrow = width < NARROW
    grid = Table(box=None, padding=(0, 0, 0, 1), show_edge=False, header_style="bold")
    columns = ["layer", "‖g‖", "‖θ‖", "Δθ/θ", "lr min", "lr med", "lr max"]
    momentum = d.velocity_norm is not None and not narrow
    if narrow:
        columns.remove("‖θ‖")
    for name in columns + (["‖m‖"] if momentum else []):
        grid.add_column(name, justify="left" if name == "layer" else "right", no_wrap=True)
    rows = [(layer.name.replace("dense_", "" if narrow else "dense "), layer) for layer in d.layers] + [("all", d)]
    for name, item in rows:
        spread = item.effective_lr
        cells = [name, number(item.grad_norm), *([] if narrow else [number(item.weight_norm)]),
                 number(item.update_ratio),
                 *(("–", "–", "–") if spread is None else (number(spread.min), number(spread.median),
                                                        number(spread.max)))]
        if momentum:
            cells.append(number(item.velocity_norm))
        grid.add_row(*cells, style="bold" if name == "all" else None)
    return grid


def summary(d: Diagnostics) -> Text:
    """The line under the table: learning rate, bias corrections, saturation."""
    text = Text(f"lr {number(d.learning_rate)} · step {d.step:,}")
    if d.bias_corrections is not None:
        c1, c2 = d.bias_corrections
        text.append(f" · 1−β₁ᵗ {c1:.4g} · 1−β₂ᵗ {c2:.4g}")
    if d.saturated:
        text.append(f" · {d.saturation.detail}", style="bold red")
    return text


class InsidePanel(Vertical):
    """Per layer numbers of the optimizer's last update (top), median step size per epoch (below)."""

    def compose(self):
        yield Static(id="inside-text")
        yield LossPlot(id="step-size-plot")

    @property
    def plot(self) -> LossPlot:
        return self.query_one("#step-size-plot", LossPlot)

    def show(self, d: Diagnostics | None) -> None:
        """The numbers of ``d`` (None: no update yet)."""
        static = self.query_one("#inside-text", Static)
        if d is None:
            static.update(Text("No update yet: press space, n or e.", style="dim"))
            return
        static.update(Group(table(d, self.content_size.width or 80), summary(d)))

    def show_history(self, epochs: np.ndarray, medians: np.ndarray, color=STEP_SIZE_COLOR) -> None:
        """The median effective step size after each epoch (log scale)."""
        plot = self.plot
        curves = [Curve("median step size", epochs, medians, color)] if len(epochs) else []
        plot.show(curves, x_label="epoch", y_label="step size",
                  x_range=(0.0, float(max(epochs[-1] if len(epochs) else 1, 1))))
