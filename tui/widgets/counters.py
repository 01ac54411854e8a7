"""``Counters``: where the run stands — state, epoch, iteration, step, examples, speed, metric."""

from __future__ import annotations

from dataclasses import dataclass

from textual.reactive import reactive
from textual.widget import Widget

STATE_STYLES = {"ready": "bold $text-muted", "running": "bold $success", "paused": "bold $warning",
                "finished": "bold $primary", "diverged": "bold $error"}


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
    diverged_at: tuple[int, int] | None = None
    loss: float | None = None
    val_loss: float | None = None
    metric: str = "accuracy"
    metric_value: float | None = None
    val_metric_value: float | None = None


def _number(value: float | None, metric: str = "") -> str:
    if value is None:
        return "–"
    if metric == "accuracy":
        return f"{value:.1%}"
    return f"{value:.4g}"


class Counters(Widget):
    """Always-visible counters, rendered from one ``Counts`` snapshot."""

    counts: reactive[Counts] = reactive(Counts, layout=True)
    """What to show; replace it to update."""

    def render(self) -> str:
        c = self.counts
        state = c.state
        if c.state == "diverged" and c.diverged_at:
            state = f"diverged at epoch {c.diverged_at[0]}, iteration {c.diverged_at[1]}"
        name = "acc" if c.metric == "accuracy" else "rmse"
        return (
            f"[{STATE_STYLES[c.state]}]● {state}[/]   [b]epoch {c.epoch}/{c.epochs}   "
            f"iteration {c.iteration}/{c.iterations}[/b]\n"
            f"step {c.step:,} · seen {c.examples:,} · last batch {c.last_batch} · "
            f"{c.steps_per_second:,.0f} steps/s\n"
            f"loss {_number(c.loss)} · val {_number(c.val_loss)} · "
            f"{name} {_number(c.metric_value, c.metric)} · val {_number(c.val_metric_value, c.metric)}"
        )
