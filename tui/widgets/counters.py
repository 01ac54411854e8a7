"""``Counters``: where the run stands — state, epoch, iteration, step, examples, speed, the last epoch's results.

Three lines (four when narrow: the last epoch's metric gets its own), each a fixed group: a line
that does not fit drops its least important numbers and never wraps, so the plots below keep
their rows at 80×24.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from tui import i18n
from tui.widgets.status import metric_label, state_markup


@dataclass(frozen=True)
class Counts:
    """A snapshot of the counters."""

    state: str = "ready"
    epoch: int = 0
    epochs: int = 1
    iteration: int = 0
    iterations: int | None = 1
    """Updates an epoch (``None``: not known yet — a CSV file being read: shown as —)."""
    step: int = 0
    examples: int = 0
    last_batch: int | None = 0
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
    validation: bool = True
    """Whether the run holds out validation data (a split above 0): without, no ``val_`` columns (they would read —
    for ever)."""
    logs_epoch: int | None = None
    """The epoch (1-based) whose end-of-epoch logs ``loss`` … ``val_metric_value`` are; None before the first."""
    batch_loss: float | None = None
    """The last update's batch loss: shown in the loss's place until the first epoch ends (a first ``n`` shows a
    number, not ``loss —``)."""


WIDEST = "1.234e-05"
"""The widest loss or metric ``_number`` shows in the usual range (four digits; accuracy: ``100.0%``)."""


def speed_text(speed: float | None) -> str:
    """A speed setting as shown: ``30/s``, ``max`` (``최대``)."""
    return i18n.t("counters.max") if speed is None else f"{speed:g}/s"


NOT_KNOWN = "—"
"""What every view shows for a number not known yet (an epoch's loss before it ends, a target not reached):
the engine's race report and the README show it so too."""


def count(value: int | None) -> str:
    """A counter's whole number as every view shows it, thousands grouped: ``12,500`` (``—``: not known yet)."""
    return NOT_KNOWN if value is None else f"{value:,}"


def _number(value: float | None, metric: str = "") -> str:
    if value is None:
        return NOT_KNOWN
    if metric == "accuracy":
        return f"{value:.1%}"
    return f"{value:.4g}"


class Counters(Widget):
    """Always-visible counters, rendered from one ``Counts`` snapshot: three or four lines, none wrapping."""

    counts: reactive[Counts] = reactive(Counts)
    """What to show; replace it to update."""

    _lines = 0

    def watch_counts(self) -> None:
        if not self.outer_size.width:  # not laid out yet: the first layout asks its height at its width
            return
        lines = self._text().count("\n") + 1
        if lines != self._lines:  # a re-layout only when the height changes (with the width), not 30 times a second
            self._lines = lines
            self.refresh(layout=True)

    def get_content_height(self, container, viewport, width: int) -> int:
        """The lines at ``width``, as the layout that will give the widget that width asks: the height is right
        from the first layout (it was four lines at no width, then three: a second layout, a row moved)."""
        self._lines = self._text(width).count("\n") + 1
        return self._lines

    def render(self) -> str:
        return self._text()

    def _text(self, width: int | None = None) -> str:
        # The width from the widget's own size: ``content_region`` asks the screen's compositor, which
        # arranges the whole screen again if a widget was mounted since (~25 ms as the app opens).
        width = self.outer_size.width - self.styles.gutter.width if width is None else width
        return "\n".join(counter_lines(self.counts, max(width, 20)))


def counter_lines(c: Counts, width: int) -> list[str]:
    """The counters as markup lines in the app's language, none wider than ``width`` cells: three, or four
    when the last epoch's results do not fit one line (a choice made on the width alone, so the height never
    flickers). Keras's log names (``loss``, ``val_loss``, ``acc``, ``lr``) read the same in every language."""
    state = " · ".join(i18n.message(part) for part in (c.status_text, c.detail) if part)
    name, t = metric_label(c.metric), i18n.t
    label = "" if c.logs_epoch is None else f"[b]{t('counters.logs_epoch', epoch=count(c.logs_epoch))}[/b] "
    # (token, rank): a line too long drops its highest ranks first; rank 0 always stays.
    lines = [
        _fit([(state_markup(c.state, state), 0),
              (f"[b]{t('counters.epoch', epoch=count(c.epoch), epochs=count(c.epochs))}[/b]", 0),
              (f"[b]{t('counters.iteration', iteration=count(c.iteration), iterations=count(c.iterations))}[/b]",
               1 if c.detail or c.status_text != c.state else 0)],  # a state in more words than its name (saturated,
             # diverged at epoch e, iteration i) keeps them whole: the iteration count gives way
             width),
        _fit([(t("counters.step", step=count(c.step)), 0), (t("counters.seen", examples=count(c.examples)), 5),
              (t("counters.last_batch", size=count(c.last_batch)), 3),
              (t("counters.rate", rate=f"{c.steps_per_second:,.0f}"), 4),
              (t("counters.speed", speed=speed_text(c.speed)), 1), (f"lr {_number(c.learning_rate)}", 2)], width),
    ]
    kept = slice(None) if c.validation else slice(1)  # with the val_ values, or without
    first = f"{label}loss {_number(c.loss)}"
    if c.logs_epoch is None and c.batch_loss is not None:  # within the first epoch: its last batch's loss
        first = t("counters.batch_loss", loss=_number(c.batch_loss))
    losses = [first, f"val_loss {_number(c.val_loss)}"][kept]
    metrics = [f"{name} {_number(c.metric_value, c.metric)}", f"val_{name} {_number(c.val_metric_value, c.metric)}"][kept]
    top = "100.0%" if c.metric == "accuracy" else WIDEST
    widest = [f"[b]{t('counters.logs_epoch', epoch=count(c.epochs))}[/b] loss {WIDEST}", f"val_loss {WIDEST}"][kept] + [
        f"{name} {top}", f"val_{name} {top}"][kept]
    if _visible(" · ".join(widest)) <= width:
        lines.append(" · ".join(losses + metrics))
    else:  # narrow: the losses, then the metric on a line of its own, both labelled with their epoch
        lines += [_fit([(token, rank) for rank, token in enumerate(losses)], width),
                  _fit([(token if rank else label + token, rank) for rank, token in enumerate(metrics)], width)]
    return lines


def _visible(markup: str) -> int:
    """Terminal cells ``markup`` takes once shown (double-width characters count two)."""
    return Text.from_markup(markup).cell_len


def _fit(tokens: list[tuple[str, int]], width: int, sep: str = " · ") -> str:
    """The tokens joined by ``sep`` on one line, leaving out the highest-ranked ones until it is at most
    ``width`` cells (rank 0 always stays; the stylesheet cuts what still overflows with an ellipsis)."""
    kept = list(tokens)
    while True:
        line = sep.join(token for token, _ in kept)
        droppable = [rank for _, rank in kept if rank > 0]
        if _visible(line) <= width or not droppable:
            return line
        worst = max(droppable)
        kept = [t for t in kept if t[1] != worst]
