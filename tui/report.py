"""``Report``: what the training worker tells a view, bounded in size however many steps it covers.

Textual-free. The worker folds every update into ``Rows`` (one per contestant; a solo run is the
one-contestant case) and hands the UI one ``Report`` at a time: the UI's work per report is at most
``ROWS`` rows per contestant whether it covers ten steps or a million (batch size 1 on a fast
machine), so the message queue never floods and a key or a quit is never stuck behind reports.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

import numpy as np

from engine import StepEvent

X_AXES = ("epoch", "step", "examples", "seconds")
"""What a loss can be plotted against: columns 0–3 of ``Report.rows``; column 4 is the batch loss."""

ROWS = 256
"""Most rows per contestant in one report (≈ 2 per column of a wide plot; a plot redraw takes fewer)."""

_BLOCK = 4
"""Rows per block when folding: each block keeps its lowest- and highest-loss rows (2 of 4)."""


def row(event: StepEvent) -> tuple[float, int, int, float, float]:
    """One update as a row: epoch position ``epoch − 1 + iteration / iterations_per_epoch``, step,
    examples seen, seconds of own compute, batch loss."""
    return (event.epoch - 1 + event.iteration / event.iterations_per_epoch, event.step,
            event.examples_seen, event.seconds, event.loss)


def fold(rows: np.ndarray) -> np.ndarray:
    """Halve ``rows`` (shape (n, 5)) keeping, in each block of 4, the rows of lowest and highest loss.

    Order is kept, so x stays non-decreasing; a non-finite loss is never picked over a finite one
    (a block of only non-finite losses keeps its first row). The last ``n mod 4`` rows stay as they are.
    """
    n = len(rows) - len(rows) % _BLOCK
    blocks = rows[:n].reshape(-1, _BLOCK, rows.shape[1])
    y = blocks[:, :, 4]
    finite = np.isfinite(y)
    lo = np.where(finite, y, np.inf).argmin(axis=1)
    hi = np.where(finite, y, -np.inf).argmax(axis=1)
    first, second = np.minimum(lo, hi), np.maximum(lo, hi)
    index = np.arange(len(blocks))
    kept = np.stack((blocks[index, first], blocks[index, second]), axis=1).reshape(-1, rows.shape[1])
    return np.concatenate((kept, rows[n:]))


class Rows:
    """One contestant's updates since the last report: at most ``limit`` rows, min/max-folded beyond.

    ``add`` is a list append (the worker's per-step cost); every ``limit`` raw rows are folded into
    the kept ones, halving them as often as needed, so memory and the report stay bounded and the
    lowest and highest batch losses are never lost.
    """

    def __init__(self, limit: int = ROWS) -> None:
        self.limit = limit
        self.count = 0
        """Updates added since the last ``take`` (rows before folding)."""
        self._raw: list[tuple] = []
        self._kept = np.empty((0, 5))

    def add(self, values: tuple) -> None:
        self._raw.append(values)
        self.count += 1
        if len(self._raw) >= self.limit:
            self._fold()

    def _fold(self) -> None:
        rows = np.concatenate((self._kept, np.asarray(self._raw, dtype=np.float64).reshape(-1, 5)))
        self._raw = []
        while len(rows) > self.limit:
            rows = fold(rows)
        self._kept = rows

    def take(self) -> tuple[np.ndarray, int]:
        """The rows (shape (m, 5), m ≤ ``limit``) and how many updates they stand for; then empty."""
        if self._raw:
            self._fold()
        rows, count = self._kept, self.count
        self._kept, self.count = np.empty((0, 5)), 0
        return rows, count


@dataclass(frozen=True, eq=False)
class Report:
    """Everything that happened in a run since the previous report (≤ ``ROWS`` rows per contestant)."""

    generation: int
    """Which run (a reset or a new line-up starts a new one; older reports are ignored)."""
    run_id: int
    """Which start of the worker sent it (the view's number for that start)."""
    rows: tuple[np.ndarray, ...]
    """Per contestant, shape (m, 5): x on each of ``X_AXES``, then the batch loss — its updates since
    the last report, min/max-folded by batch loss down to ``ROWS``."""
    updates: tuple[int, ...]
    """Per contestant, how many updates its rows stand for."""
    epochs: tuple[tuple[int, tuple[float, float, float, float], dict[str, float]], ...]
    """(contestant, (epoch, step, examples, seconds) at its end, logs) for every epoch that ended."""
    last: tuple[StepEvent | None, ...]
    """Per contestant, its latest update (``None`` if it has none yet)."""
    status: str
    """The run now: ``running``; on the final report ``paused``, ``finished`` or ``diverged``."""
    steps_per_second: float
    """Steps per second between the last two reports (a race step is one update of each contestant)."""
    done: bool
    """True on the last report of a start (the worker has stopped)."""
    snapshot: object = None
    """What the view asked the worker to add (the race's standings), taken between two steps."""
    changes: int = 0
    """How many ``Driver.between_steps`` changes the run had taken when ``status`` was read: fewer than
    the driver's ``requested`` on a final report means a change (more epochs) came after its last step."""
    receipt: threading.Event = field(default_factory=threading.Event, repr=False, compare=False)
    """Set by the UI when it takes the report: until then the worker folds new steps into the next one."""

    def final_status(self, requested: int) -> str:
        """The status a view shows for this final report, given its driver's ``requested`` count: a finished
        run that was asked for a change after its last step (more epochs, set as it ended) shows ``paused``
        (space goes on), so the view never reads the live run to find out."""
        return "paused" if self.status == "finished" and self.changes < requested else self.status

    def received(self) -> None:
        """Tell the worker this report was taken, so it may send the next."""
        self.receipt.set()
