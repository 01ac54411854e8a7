"""``Session``: one experiment being trained — its trainer, pending hyperparameter changes, batched reports.

Textual-free: the app's worker calls ``drive`` in a thread; ``python -m tools.bench_app`` and the
tests can call it directly.
"""

from __future__ import annotations

import math
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import count

import numpy as np

from engine import Diagnostics, DiagnosticsRecorder, Experiment, StepEvent

REPORT_INTERVAL = 1 / 10
"""Seconds between two progress reports while running: as often as the plot redraws, no more."""

SPEEDS: tuple[float | None, ...] = (1, 3, 10, 30, 100, 300, 1000, None)
"""The speed settings, in updates per second; None is as fast as the machine goes."""

WAIT_SLICE = 0.05
"""Longest single wait while pacing: a speed change or a stop is seen within this many seconds."""

_generations = count(1)


@dataclass
class Progress:
    """Everything that happened since the last report."""

    generation: int
    steps: np.ndarray
    """Global step numbers, shape (k,)."""
    losses: np.ndarray
    """Batch loss of each of those steps, shape (k,)."""
    epoch_logs: list[tuple[int, dict[str, float]]] = field(default_factory=list)
    """(1-based epoch, logs) for every epoch that ended."""
    last: StepEvent | None = None
    steps_per_second: float = 0.0
    done: bool = False
    """True on the final report of a ``drive`` call (the worker has stopped)."""
    run_id: int = 0
    """Which ``drive`` call sent it (the caller's number)."""
    diagnostics: list[Diagnostics] = field(default_factory=list)
    """The per-epoch diagnostics of every epoch that ended (``engine.diagnostics_recorder``)."""
    inside: Diagnostics | None = None
    """What the optimizer carries now, per layer, with the saturation probe (taken at the report)."""
    params: np.ndarray | None = None
    """A copy of the weights at the report (what the map of what the network learned is drawn from)."""


class Session:
    """An ``Experiment`` and its ``Trainer``; ``drive`` advances it, honouring stop and changes."""

    def __init__(self, experiment: Experiment):
        self.experiment = experiment
        self.trainer = experiment.trainer()
        t = self.trainer
        self.diagnostics = DiagnosticsRecorder(experiment.model, t.x, t.y, iterations_per_epoch=t.iterations_per_epoch)
        """Fed every step by ``drive`` (in its thread only); its numbers reach the UI in ``Progress``."""
        self._diagnostics_sent = 0
        self.generation = next(_generations)
        self.changes: queue.SimpleQueue[tuple[str, object]] = queue.SimpleQueue()
        self._stepping = threading.Lock()
        self.max_rate: float | None = None
        """Most updates per second ``drive`` makes (None: no limit); read before every step, so a
        change applies to the run in progress."""

    def set_hyperparameter(self, name: str, value) -> None:
        """Queue ``optimizer.<name> = value``; the driving thread applies it before its next step."""
        self.changes.put((name, value))

    def _apply_changes(self) -> None:
        optimizer = self.trainer.model.optimizer
        while True:
            try:
                name, value = self.changes.get_nowait()
            except queue.Empty:
                return
            setattr(optimizer, name, value)

    def drive(self, until: str, stop: threading.Event, report: Callable[[Progress], None],
              interval: float = REPORT_INTERVAL, run_id: int = 0) -> str:
        """Step until the run ends, ``stop`` is set, or ``until`` (``"end"``, ``"epoch"``, ``"iteration"``) is met.

        Calls ``report`` at most once per ``interval`` with everything since the last call,
        and once more at the end (``done=True``). Paces itself to ``max_rate`` by waiting on
        ``stop`` (which releases the GIL and wakes at once on stop). Returns the trainer's status.
        """
        with self._stepping:
            trainer = self.trainer
            steps: list[int] = []
            losses: list[float] = []
            logs: list[tuple[int, dict]] = []
            event = None
            last_report = time.perf_counter()
            # Steps/s since the last report, timed between step completions (so a paced run shows its
            # pace, and a speed change shows at the next report).
            mark: tuple[float, int] | None = None  # (time, step count) after the last reported step
            stepped_at, rate = 0.0, 0.0
            pace = _Pace()

            def flush(done: bool) -> None:
                nonlocal steps, losses, logs, mark, rate
                if mark is not None and stepped_at > mark[0]:
                    rate = (trainer.step_count - mark[1]) / (stepped_at - mark[0])
                    mark = (stepped_at, trainer.step_count)
                entries = diagnostics.entries
                fresh, self._diagnostics_sent = entries[self._diagnostics_sent:], len(entries)
                inside = diagnostics.take(event.epoch if event is not None else None) if trainer.step_count else None
                report(Progress(self.generation, np.asarray(steps, dtype=np.int64),
                                np.asarray(losses, dtype=np.float64), logs, event, rate, done, run_id,
                                fresh, inside, trainer.model.params.copy()))
                steps, losses, logs = [], [], []

            diagnostics = self.diagnostics
            while not stop.is_set():
                if not pace.wait(self, stop):
                    break
                self._apply_changes()
                if until != "end" or time.perf_counter() - last_report >= interval:
                    diagnostics.mark()  # a report may follow this step: its update_ratio is this update's
                event = trainer.step()
                if event is None:
                    break
                diagnostics.observe(event)
                stepped_at = time.perf_counter()
                if mark is None:
                    mark = (stepped_at, trainer.step_count)
                steps.append(event.step)
                losses.append(event.loss)
                if event.epoch_logs is not None:
                    logs.append((event.epoch, event.epoch_logs))
                if event.status != "running" or until == "iteration" \
                        or (until == "epoch" and event.epoch_logs is not None):
                    break
                now = time.perf_counter()
                if now - last_report >= interval:
                    flush(False)
                    last_report = now
            self._apply_changes()
            flush(True)
            return trainer.status


class _Pace:
    """When the next step of a paced run is due; a new ``max_rate`` restarts the schedule."""

    def __init__(self) -> None:
        self.rate: float | None = None
        self.due = 0.0

    def wait(self, session: Session, stop: threading.Event) -> bool:
        """Wait until the next step is due at ``session.max_rate``; False if ``stop`` was set meanwhile."""
        while True:
            rate = session.max_rate
            now = time.perf_counter()
            if rate != self.rate:  # first step, or the speed changed: step now, then every 1/rate
                self.rate, self.due = rate, now
            if rate is None:
                return True
            if now >= self.due:
                period = 1 / rate
                # Keep the phase, so waking a little late (timer slack, the GIL) does not slow the
                # rate; far behind (a slow step, a busy machine): restart from now, no long burst.
                self.due = self.due + period if now - self.due < max(period, WAIT_SLICE) else now + period
                return True
            if stop.wait(min(self.due - now, WAIT_SLICE)):
                return False


def finite(xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The points whose y is a finite number (a diverging run ends in inf/NaN)."""
    keep = np.isfinite(ys)
    return xs[keep], ys[keep]


def is_finite(value) -> bool:
    return isinstance(value, (int, float)) and math.isfinite(value)
