"""``Driver``: the one worker loop behind both views — pace, pause, single step, stop, bounded reports.

Textual-free: a view's worker thread calls ``drive``; the tests call it directly. A solo run is the one-contestant case: ``solo(trainer)`` and ``racing(race)``
turn a ``Trainer`` and a ``Race`` into the same kind of step, so the speed keys, pause, ``n``,
``e`` and stop behave alike in the main view and the race view.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import count

from engine import StepEvent
from tui.report import Report, Rows, row

REPORT_INTERVAL = 1 / 10
"""Seconds between two reports while running: as often as the plots redraw, no more."""

SPEEDS: tuple[float | None, ...] = (1, 3, 10, 30, 100, 300, None)
"""The speed settings, in steps per second; None is as fast as the machine goes."""

WAIT_SLICE = 0.05
"""Longest single wait while pacing: a speed change or a stop is seen within this many seconds."""

_generations = count(1)


@dataclass(frozen=True, slots=True)
class Tick:
    """One step of whatever is driven: each contestant's update (``None``: it did not move)."""

    events: tuple[StepEvent | None, ...]
    epoch_done: bool
    """Every contestant still running finished an epoch on this step."""
    done: bool
    """Nothing is left to run (finished, or diverged)."""


@dataclass(frozen=True)
class Length:
    """What a run (or a race) has become after a change of its length, read between two steps."""

    epochs: int
    """Its length in epochs."""
    done: bool
    """Whether it has ended (fewer epochs than it has run)."""
    started: bool
    """Whether it has made an update."""


Step = Callable[[bool], "Tick | None"]
"""Advances a run by one step; its argument says whether a report may follow this step."""


def solo(trainer) -> Step:
    """``trainer.step`` as a ``Tick`` of one (``None`` once the run is over)."""
    def step(report_due: bool = False) -> Tick | None:
        event = trainer.step()
        if event is None:
            return None
        return Tick((event,), event.epoch_logs is not None, event.status != "running")
    return step


def racing(race) -> Step:
    """``race.step`` as a ``Tick`` of K (``None`` once the race is over)."""
    def step(report_due: bool = False) -> Tick | None:
        event = race.step()
        return None if event is None else Tick(event.steps, event.epoch_done, event.done)
    return step


class Driver:
    """Drives one run (``step``: a ``solo`` or ``racing`` step) in the calling thread, one ``drive`` at a time.

    Args:
        step: advances the run by one step (told whether a report may follow it).
        contestants: how many events each ``Tick`` carries (1 for a solo run).
        final_status: the run's status when it has ended: ``finished`` or ``diverged``.
        snapshot: what to add to each report, given each contestant's last update; called in the
            driving thread between two steps (the race's standings): the UI never reads the run while it trains.
    """

    def __init__(self, step: Step, contestants: int = 1, *,
                 final_status: Callable[[], str] = lambda: "finished",
                 snapshot: Callable[[list], object] = lambda last: None) -> None:
        self.generation = next(_generations)
        """This run's number (a reset makes a new driver, with a new number)."""
        self.max_rate: float | None = None
        """Most steps per second (None: no limit); read before every step, so a change applies at once."""
        self.ended = False
        """True once the run has finished or diverged."""
        self._step = step
        self._k = contestants
        self._final_status = final_status
        self._snapshot = snapshot
        self.requested = 0
        """Changes asked for with ``between_steps`` (counted in the caller's thread, the UI's)."""
        self._applied = 0
        self._changes: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._stepping = threading.Lock()

    def between_steps(self, change: Callable[[], None]) -> bool:
        """Run ``change`` between two steps: the driving thread runs it before its next step (or as its drive
        ends); when no drive is running, it runs now, in the caller's thread, and True is returned (the
        caller may then read the run: no thread steps it). A final report whose ``changes`` is below
        ``requested`` was made before the last change: its status may be stale."""
        self.requested += 1
        self._changes.put(change)
        return self._apply_if_idle()

    def change_length(self, change: Callable[[], object], length: Callable[[], Length]) -> Length | None:
        """``change`` between two steps (``between_steps``); made now (no drive running): the ``length()`` the
        run then has, read in the same breath; else ``None`` (the driving thread makes it; its reports say)."""
        made: list[Length] = []
        if self.between_steps(lambda: (change(), made.append(length()))):
            return made[0]
        return None

    def _apply_if_idle(self) -> bool:
        """Apply the queued changes unless a drive holds the run (it applies them itself, before it lets go)."""
        if self._stepping.acquire(blocking=False):
            try:
                self._apply_changes()
            finally:
                self._stepping.release()
            return True
        return False

    def _apply_changes(self) -> None:
        while True:
            try:
                change = self._changes.get_nowait()
            except queue.Empty:
                return
            change()
            self._applied += 1

    def drive(self, until: str, stop: threading.Event, report: Callable[[Report], None], *,
              interval: float = REPORT_INTERVAL, run_id: int = 0) -> str:
        """Step until the run ends, ``stop`` is set, or ``until`` (``"end"``, ``"epoch"``, ``"iteration"``) is met.

        Paces itself to ``max_rate`` by waiting on ``stop`` (which releases the GIL and wakes at once
        on stop). Calls ``report`` at most once per ``interval``, and only once the previous report
        was ``received()`` (meanwhile the steps fold into the next one, bounded); always once more at
        the end, with ``done=True``. Returns the run's status then.
        """
        with self._stepping:
            rows = [Rows() for _ in range(self._k)]
            epochs: list = []
            last: list[StepEvent | None] = [None] * self._k
            ticks = 0
            stepped_at, rate = 0.0, 0.0
            pace = Pace()
            sent: Report | None = None
            last_report = time.perf_counter()
            self.ended = False  # a finished run may have been extended (more epochs) since
            # Steps/s between reports, timed between step completions (so a paced run shows its pace).
            mark: tuple[float, int] | None = None  # (time, ticks) after the last reported step

            def send(status: str, done: bool) -> Report:
                nonlocal epochs, rate, mark
                if mark is not None and stepped_at > mark[0]:
                    rate = (ticks - mark[1]) / (stepped_at - mark[0])
                    mark = (stepped_at, ticks)
                taken = [r.take() for r in rows]
                message = Report(self.generation, run_id, tuple(t[0] for t in taken), tuple(t[1] for t in taken),
                                 tuple(epochs), tuple(last), status, rate, done, self._snapshot(last), self._applied)
                epochs = []
                report(message)
                return message

            status = "running"
            while not stop.is_set():
                if not pace.wait(self, stop):
                    break
                self._apply_changes()
                may_send = sent is None or sent.receipt.is_set()
                tick = self._step(until != "end" or (may_send and time.perf_counter() - last_report >= interval))
                if tick is None:
                    self.ended = True
                    break
                ticks += 1
                stepped_at = time.perf_counter()
                if mark is None:
                    mark = (stepped_at, ticks)
                for i, event in enumerate(tick.events):
                    if event is None:
                        continue
                    last[i] = event
                    rows[i].add(row(event))
                    if event.epoch_logs is not None:
                        epochs.append((i, (float(event.epoch), event.step, event.examples_seen,
                                           event.seconds), event.epoch_logs))
                if tick.done:
                    self.ended = True
                    break
                if until == "iteration" or (until == "epoch" and tick.epoch_done):
                    break
                if may_send and stepped_at - last_report >= interval:
                    sent = send(status, False)
                    last_report = stepped_at
            self._apply_changes()
            status = send(self._final_status() if self.ended else "paused", True).status
        self._apply_if_idle()  # a change queued after the last look, while the drive still held the run
        return status


class Pace:
    """When the next step of a paced run is due; a new ``max_rate`` restarts the schedule."""

    def __init__(self) -> None:
        self.rate: float | None = None
        self.due = 0.0

    def wait(self, driver: Driver, stop: threading.Event) -> bool:
        """Wait until the next step is due at ``driver.max_rate``; False if ``stop`` was set meanwhile."""
        while True:
            rate = driver.max_rate
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
