"""``RaceProgress``: the race trained in a worker, and each report it posts folded into the view.

A report feeds the tracks, the leaderboard, the contestants' insides, the epoch and speed, and the race's
status when it ends."""

from __future__ import annotations

import threading

from textual import work
from textual.worker import Worker

from tui import i18n
from tui.driver import Driver
from tui.messages import Progress
from tui.report import X_AXES, row


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
        moved = [event for event in report.last if event is not None]
        for k, event in enumerate(report.last):
            if event is not None:
                self._positions[k] = row(event)[:len(X_AXES)]
        if moved:  # where the race is within its epoch, as the main view's counters say it (one length for all)
            lengths = {event.iterations_per_epoch for event in moved}
            self.race_iteration = None if len(lengths) > 1 else \
                (max(event.epoch for event in moved), max(event.iteration for event in moved), lengths.pop())
        self._board.standings = report.snapshot
        self._inside.take(report)
        self.race_epoch, self.race_epochs = report.snapshot.epoch, report.snapshot.epochs
        self.length_taken(report.snapshot.epochs, report.changes)
        if report.steps_per_second and any(report.updates):
            self.steps_per_second = report.steps_per_second
        if report.done and report.run_id == self._run_id:
            self.status = report.final_status(self.session.driver.requested)
        self._dirty = True
