"""``RaceSession``: a ``Race`` being run — line-ups, batched progress reports, standings; Textual-free.

The race view's worker calls ``drive`` in a thread (as the main view's calls ``Session.drive``);
the tests can call it directly.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import count

import numpy as np

from engine import ConfigError, ExperimentConfig, race
from tui.widgets.series import Series
from tui.session import REPORT_INTERVAL

X_AXES = ("epoch", "step", "examples", "seconds")
"""What a race can be plotted against; columns 0–3 of ``RaceProgress.batches``."""

X_LABELS = {"epoch": "epochs", "step": "updates (steps)", "examples": "examples seen",
            "seconds": "seconds (own compute)"}
"""The plot's x-axis label for each of ``X_AXES``."""

_generations = count(1)


@dataclass(frozen=True)
class Standing:
    """Where one contestant stands, snapshotted by the driving thread (the UI never reads the race live)."""

    index: int
    label: str
    loss_name: str
    metric: str
    """History key of the metric ranked/shown: ``val_<metric>`` when there is validation, else ``<metric>``."""
    status: str
    diverged_at: tuple[int, int] | None
    epoch: int
    iteration: int
    step: int
    examples_seen: int
    seconds: float
    initial_loss: float
    target_loss: float
    steps_to_target: int | None
    loss: float | None
    """Last epoch's training loss (``None`` before the first epoch ends)."""
    batch_loss: float | None
    """Last update's batch loss."""
    best_val_loss: float | None
    metric_value: float | None

    @property
    def status_text(self) -> str:
        """``running``, ``finished``, ``diverged at epoch e, iteration i`` (as the engine's report says it)."""
        if self.status == "diverged" and self.diverged_at:
            return f"diverged at epoch {self.diverged_at[0]}, iteration {self.diverged_at[1]}"
        return self.status


@dataclass
class RaceProgress:
    """Everything that happened in the race since the last report."""

    generation: int
    batches: list[np.ndarray]
    """Per contestant, shape (m, 5): epoch position (epoch − 1 + iteration / iterations per epoch),
    step, examples seen, seconds, batch loss — one row per update since the last report."""
    epochs: list[tuple[int, tuple[float, float, float, float], dict[str, float]]] = field(default_factory=list)
    """(contestant index, (epoch, step, examples, seconds) at its end, logs) for every epoch that ended."""
    standings: tuple[Standing, ...] = ()
    epoch: int = 0
    """Race epochs completed."""
    race_steps: int = 0
    steps_per_second: float = 0.0
    """Race steps (one update of every running contestant) per second during this ``drive``."""
    race_done: bool = False
    """Every contestant finished or diverged."""
    done: bool = False
    """True on the final report of a ``drive`` call (the worker has stopped)."""
    run_id: int = 0


class Track:
    """One contestant's plotted history: per-epoch training loss and per-update batch loss against each x axis."""

    def __init__(self, initial_loss: float) -> None:
        self.epoch_loss = {axis: Series() for axis in X_AXES}
        """Training loss at each epoch's end (and the initial loss at x = 0)."""
        self.batch_loss = {axis: Series() for axis in X_AXES}
        """Each update's batch loss (min/max-decimated by ``Series``)."""
        for series in self.epoch_loss.values():
            series.append(0.0, initial_loss)

    def add(self, batches: np.ndarray, epochs: list[tuple[tuple[float, ...], dict[str, float]]]) -> None:
        """Rows of ``RaceProgress.batches`` for this contestant, then its ended epochs."""
        if len(batches):
            for i, axis in enumerate(X_AXES):
                self.batch_loss[axis].extend(batches[:, i], batches[:, 4])
        for xs, logs in epochs:
            for axis, x in zip(X_AXES, xs):
                self.epoch_loss[axis].append(x, logs["loss"])


def line_up(base: ExperimentConfig, field_name: str, values: Sequence) -> list[race.Entry]:
    """The contestants' entries: ``base`` with ``field_name`` varied over ``values``.

    For ``"optimizer"`` the values are ``(name, learning_rate or None)`` pairs: each optimizer
    at its Keras defaults (the main view's optimizer options do not carry over), with its own
    learning rate if given. Other fields take the comma-separated text ``race --field`` takes.
    Raises ``ConfigError`` (one line) for anything unusable.
    """
    if field_name == "optimizer":
        if not values:
            raise ConfigError("pick at least one optimizer")
        result = []
        for name, lr in values:
            if lr is not None and not (math.isfinite(lr) and lr > 0):
                raise ConfigError(f"{name}: learning rate must be a positive number, got {lr:g}")
            config = base.replace(optimizer=name, learning_rate=lr, optimizer_options={})
            result.append(race.Entry(name if lr is None else f"{name} lr={lr:g}", config))
        return result
    text = values if isinstance(values, str) else ",".join(map(str, values))
    return race.entries(base, field_name, race.parse_values(field_name, text))


def ranked(standings: Sequence[Standing]) -> list[Standing]:
    """``standings`` in leaderboard order, the engine's report ranking (``engine/race/report.py``):
    diverged last; then best ``val_loss`` (final ``loss`` without validation); a race of different
    losses ranks by the final metric instead (accuracy: higher is better)."""
    by_metric = len({s.loss_name for s in standings}) > 1

    def key(s: Standing):
        if by_metric:
            value = s.metric_value
            value = -value if value is not None and s.metric.endswith("accuracy") else value
        else:
            value = s.best_val_loss if s.best_val_loss is not None else s.loss
        return s.status == "diverged", math.inf if value is None or math.isnan(value) else value
    return sorted(standings, key=key)


class RaceSession:
    """A ``Race`` and what the UI needs of it; ``drive`` advances it, honouring a stop event."""

    def __init__(self, base: ExperimentConfig, field_name: str, values: Sequence):
        self.base, self.field = base, field_name
        self.values = values if isinstance(values, str) else list(values)
        self.entries = line_up(base, field_name, self.values)
        self.race = race.Race(self.entries)
        self.generation = next(_generations)
        self._best_val: list[float | None] = [None] * len(self.race.contestants)
        self._last_batch: dict[int, float] = {}
        self._stepping = threading.Lock()

    def restarted(self) -> "RaceSession":
        """The same line-up from the start: same seed, same initial weights, same batch order."""
        return RaceSession(self.base, self.field, self.values)

    @property
    def contestants(self):
        return self.race.contestants

    @property
    def done(self) -> bool:
        return self.race.done

    def standings(self) -> tuple[Standing, ...]:
        """Every contestant's standing now (call from the driving thread, or when it is idle)."""
        return tuple(self._standing(c) for c in self.race.contestants)

    def _standing(self, c) -> Standing:
        history = c.history.history
        metric = ("val_" if "val_loss" in history else "") + c.metric
        losses = history.get("loss")
        metrics = history.get(metric)
        return Standing(c.index, c.label, c.loss.name, metric, c.status, c.diverged_at, c.epoch, c.iteration,
                        c.step, c.examples_seen, c.seconds, c.initial_loss, c.target_loss,
                        None if c.reached is None else c.reached.step,
                        losses[-1] if losses else None, self._last_batch.get(c.index),
                        self._best_val[c.index], metrics[-1] if metrics else None)

    def drive(self, until: str, stop: threading.Event, report: Callable[[RaceProgress], None],
              interval: float = REPORT_INTERVAL, run_id: int = 0) -> bool:
        """Step until the race ends, ``stop`` is set, or ``until`` (``"end"``, ``"epoch"``, ``"iteration"``) is met.

        Calls ``report`` at most once per ``interval`` with everything since the last call,
        and once more at the end (``done=True``). Returns whether the race is over.
        """
        with self._stepping:
            r = self.race
            k = len(r.contestants)
            rows: list[list[tuple]] = [[] for _ in range(k)]
            epochs: list = []
            started = last_report = time.perf_counter()
            first_step = r.race_step

            def flush(done: bool) -> None:
                nonlocal rows, epochs
                elapsed = time.perf_counter() - started
                rate = (r.race_step - first_step) / elapsed if elapsed > 0 else 0.0
                batches = [np.asarray(b, dtype=np.float64).reshape(-1, 5) for b in rows]
                report(RaceProgress(self.generation, batches, epochs, self.standings(), r.epoch, r.race_step,
                                    rate, r.done, done, run_id))
                rows, epochs = [[] for _ in range(k)], []

            while not stop.is_set():
                event = r.step()
                if event is None:
                    break
                for s in event.steps:
                    if s is None:
                        continue
                    rows[s.index].append((s.epoch - 1 + s.iteration / s.iterations_per_epoch, s.step,
                                          s.examples_seen, s.seconds, s.loss))
                    self._last_batch[s.index] = s.loss
                    if s.epoch_logs is not None:
                        epochs.append((s.index, (float(s.epoch), s.step, s.examples_seen, s.seconds), s.epoch_logs))
                        val = s.epoch_logs.get("val_loss")
                        best = self._best_val[s.index]
                        if val is not None and math.isfinite(val) and (best is None or val < best):
                            self._best_val[s.index] = val
                if event.done or until == "iteration" or (until == "epoch" and event.epoch_done):
                    break
                now = time.perf_counter()
                if now - last_report >= interval:
                    flush(False)
                    last_report = now
            flush(True)
            return r.done
