"""``RaceProgress``: the race trained in a worker, and each report it posts folded into the view.

A report feeds the tracks, the leaderboard, the contestants' insides, the epoch and speed, and the race's
status when it ends."""

from __future__ import annotations

import threading
from typing import NamedTuple

from textual import work
from textual.worker import Worker

from engine import StepEvent

from tui import i18n
from tui.driver import Driver
from tui.messages import Progress
from tui.report import X_AXES, row


class RaceIteration(NamedTuple):
    """Where the race is within its epoch (1-based, as the main view's counters count): whose count it is where the
    contestants' epochs differ in length (``name``, e.g. ``B=1``; ``None`` where they are all as long)."""

    epoch: int
    iteration: int
    iterations: int
    name: str | None


class RaceProgress:
    """Mixin for the race view: its worker and its ``Progress`` handler.

    The host provides ``session`` (a ``RaceSession``), ``race``, ``tracks`` (a ``Track`` per contestant),
    ``_positions`` (each contestant's last reported x on every axis), ``status``, ``race_epoch``, ``race_epochs``,
    ``race_iteration``,
    ``steps_per_second``, ``_run_id`` (``RunControl``'s), ``_board``, ``_inside`` and ``_dirty``.
    """

    @work(thread=True, exclusive=True, exit_on_error=False, group="race", description="race")
    def _run(self, driver: Driver, until: str, stop: threading.Event, run_id: int) -> str:
        """Drive the race in this thread; report with ``post_message`` (never waits on the UI)."""
        return driver.drive(until, stop, lambda report: self.post_message(Progress(report)), run_id=run_id)

    def _finished_note(self) -> str | None:
        """Why the race cannot go on (every contestant diverged). A finished race trains more: another
        ``epochs`` epochs for every contestant that has not diverged (``Race.extend``)."""
        if self.building:
            return self.building_note()
        if self.status != "finished":  # as the last report said
            return None
        if all(s.status == "diverged" for s in self._board.standings.rows):
            return i18n.t("ui.run.race_diverged")
        length = self.session.extend(self.session.base.epochs)  # between steps: the last drive may be letting go
        self.race_epochs = length.epochs if length else self.race_epochs + self.session.base.epochs
        self._dirty = True
        return None

    def _iteration_of(self, moved: list[tuple[int, StepEvent]]) -> RaceIteration:
        """Where the race is within its epoch, as the main view's counters say it, from the last update of each
        contestant that moved (index, event). Where the contestants' epochs differ in length (a race of batch sizes)
        the one of the longest that moved counts, named: the others wait for it at the epoch's end."""
        if len(set(self.session.epoch_lengths)) == 1:
            return RaceIteration(max(event.epoch for _, event in moved), max(event.iteration for _, event in moved),
                                 self.session.epoch_lengths[0], None)
        k, event = max(moved, key=lambda moved: moved[1].iterations_per_epoch)  # the first of the longest
        return RaceIteration(event.epoch, event.iteration, event.iterations_per_epoch, self.session.labels[k])

    def _launch(self, until: str, stop: threading.Event, run_id: int) -> Worker:
        self._dirty = True
        return self._run(self.session.driver, until, stop, run_id)

    def on_progress(self, message: Progress) -> None:
        """A report from the worker (named for the message: ``@on`` only registers on a Textual class)."""
        report = message.report
        report.received()
        if report.generation != self.session.generation:
            return  # from a race that was reset or replaced
        ended: list[list] = [[] for _ in self.tracks]
        for k, xs, logs in report.epochs:
            ended[k].append((xs, logs))
        for track, rows, updates, epochs in zip(self.tracks, report.rows, report.updates, ended):
            track.add(rows, updates, epochs)
        moved = [(k, event) for k, event in enumerate(report.last) if event is not None]
        for k, event in moved:
            self._positions[k] = row(event)[:len(X_AXES)]
        if moved:
            self.race_iteration = self._iteration_of(moved)
        self._board.standings = report.snapshot
        self._inside.take(report)
        self.race_epoch, self.race_epochs = report.snapshot.epoch, report.snapshot.epochs
        self.length_taken(report.snapshot.epochs, report.changes)
        if report.steps_per_second and any(report.updates):
            self.steps_per_second = report.steps_per_second
        if report.done and report.run_id == self._run_id:
            self.status = report.final_status(self.session.driver.requested)
        self._dirty = True
