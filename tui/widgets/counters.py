"""``Counters``: where the run stands — state, epoch, iteration, step, examples, speed, metric."""

from __future__ import annotations

import re
from dataclasses import dataclass

from textual.reactive import reactive
from textual.widget import Widget

from tui.widgets.status import metric_label, state_markup


@dataclass(frozen=True)
class Counts:
    """A snapshot of the counters."""

    state: str = "ready"
    epoch: int = 0
    epochs: int = 1
    iteration: int = 0
    iterations: int = 1
    step: int = 0
    examples: int = 0
    last_batch: int = 0
    mode: str = ""
    steps_per_second: float = 0.0
    speed: float | None = None
    """The speed setting: most updates per second, None for no limit."""
    status_text: str = "ready"
    """The state in words: ``diverged at epoch e, iteration i`` (the engine's), else the state."""
    loss: float | None = None
    val_loss: float | None = None
    metric: str = "accuracy"
    metric_value: float | None = None
    val_metric_value: float | None = None
    detail: str | None = None
    """What else the state should say (a saturated run: ``saturated: outputs pinned at the 1e-7 clip``)."""
    learning_rate: float | None = None
    """The optimizer's rate for its next update (a schedule's current value)."""


def speed_text(speed: float | None) -> str:
    """A speed setting as shown: ``30/s``, ``max``."""
    return "max" if speed is None else f"{speed:g}/s"


def _number(value: float | None, metric: str = "") -> str:
    if value is None:
        return "–"
    if metric == "accuracy":
        return f"{value:.1%}"
    return f"{value:.4g}"


class Counters(Widget):
    """Always-visible counters, rendered from one ``Counts`` snapshot."""

    counts: reactive[Counts] = reactive(Counts)
    """What to show; replace it to update."""

    _lines = 0

    def watch_counts(self) -> None:
        lines = self._text().count("\n") + 1
        if lines != self._lines:  # a re-layout only when the height changes, not 30 times a second
            self._lines = lines
            self.refresh(layout=True)

    def render(self) -> str:
        return self._text()

    def on_resize(self) -> None:
        self.watch_counts()

    def _text(self) -> str:
        c = self.counts
        state = f"{c.status_text} · {c.detail}" if c.detail else c.status_text
        name = metric_label(c.metric)
        rows = [
            [state_markup(c.state, state), f"[b]epoch {c.epoch}/{c.epochs}[/b]",
             f"[b]iteration {c.iteration}/{c.iterations}[/b]"],
            [f"step {c.step:,}", f"seen {c.examples:,}", f"last batch {c.last_batch}",
             f"{c.steps_per_second:,.0f} steps/s", f"speed {speed_text(c.speed)}",
             f"lr {_number(c.learning_rate)}"],
            [f"loss {_number(c.loss)}", f"val {_number(c.val_loss)}",
             f"{name} {_number(c.metric_value, c.metric)}", f"val {_number(c.val_metric_value, c.metric)}"],
        ]
        width = max(self.content_region.width, 20)
        return "\n".join(line for row in rows for line in _wrap(row, width))


def _visible(markup: str) -> int:
    return len(re.sub(r"\[[^\]]*\]", "", markup))


def _wrap(tokens: list[str], width: int, sep: str = " · ") -> list[str]:
    """Tokens joined by ``sep``, broken between tokens so no line exceeds ``width``."""
    lines: list[str] = []
    for token in tokens:
        if lines and _visible(lines[-1]) + len(sep) + _visible(token) <= width:
            lines[-1] += sep + token
        else:
            lines.append(token)
    return lines
