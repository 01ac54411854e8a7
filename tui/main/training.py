"""``Training``: the main view's run — its worker, the reports it posts, a reset, and the pace (``-`` / ``+``)."""

from __future__ import annotations

import threading

from textual import work
from textual.worker import Worker

from engine import StopWatch
from tui import i18n
from tui.driver import SPEEDS, Driver
from tui.main import totals
from tui.main.session import Session
from tui.messages import Progress
from tui.race.screen import RaceScreen
from tui.run_control import RunControl
from tui.widgets.series import Series


class Training:
    """Mixed into ``DescendApp`` (with ``RunControl``): the worker never touches a widget; ``on_progress``
    folds each report into the series ``Display`` draws."""

    @work(thread=True, exclusive=True, exit_on_error=False, group="training", description="training")
    def _train(self, driver: Driver, until: str, stop: threading.Event, run_id: int) -> str:
        """Drive the run in this thread; report with ``post_message`` (never waits on the UI)."""
        return driver.drive(until, stop, lambda report: self.post_message(Progress(report)), run_id=run_id)

    def _finished_note(self) -> str | None:
        """Why the run cannot go on: a diverged run must be reset. A finished one trains more: another
        ``epochs`` epochs, as Keras's ``fit(initial_epoch=…)`` continues (same weights, optimizer state)."""
        if note := self.building_note():
            return note
        if self.status == "diverged":  # as the last report said
            return i18n.t("ui.run.diverged")
        if self.status == "finished":
            length = self.session.extend(self.config.epochs)  # between steps: the last drive may be letting go
            self.run_totals = self.run_totals.lasting(length.epochs if length else
                                                      self.run_totals.epochs + self.config.epochs)
            self._show_counts()
        return None

    def _launch(self, until: str, stop: threading.Event, run_id: int) -> Worker:
        return self._train(self.session.driver, until, stop, run_id)

    def on_progress(self, message: Progress) -> None:
        """A report from the worker (named for the message: ``@on`` only registers on a Textual class)."""
        report = message.report
        report.received()
        if report.generation != self.session.generation:
            return  # from a run that was reset away
        rows = report.rows[0]
        self.updates += report.updates[0]
        if len(rows):
            self.batch_loss.extend(rows[:, 0], rows[:, 4])  # x in epochs: epoch − 1 + iteration / iterations
        for _, (epoch, *_), logs in report.epochs:
            self.train_loss.append(epoch, logs["loss"])
            if "val_loss" in logs:
                self.val_loss.append(epoch, logs["val_loss"])
            metric = self.session.experiment.metric
            if metric in logs:
                self.train_metric.append(epoch, logs[metric])
            if "val_" + metric in logs:
                self.val_metric.append(epoch, logs["val_" + metric])
            self.last_logs, self.logs_epoch = logs, int(epoch)
            self.epoch_logs.append(logs)
            self.stop_watch.observe(int(epoch) - 1, logs)
            self.loss_plot.border_subtitle = self.stop_note()
        if report.last[0] is not None:
            self._last_event = report.last[0]
        self.status_text = report.snapshot.status_text
        self.run_totals = self.run_totals.lasting(report.snapshot.epochs)
        self.length_taken(report.snapshot.epochs, report.changes)
        if report.snapshot.learning_rate is not None:
            self.learning_rate = report.snapshot.learning_rate
        if report.steps_per_second and report.updates[0]:
            self.steps_per_second = report.steps_per_second
        self._take_inside(report.snapshot, report.done)
        if report.done and report.run_id == self._run_id:
            self.status = report.final_status(self.session.driver.requested)
            self._show_counts()  # the final numbers now, not at the next frame
        self._dirty = True

    # -- actions ---------------------------------------------------------------------------
    async def action_reset(self) -> None:
        """Rebuild the experiment from the config: same seed, same weights, same batch order. An experiment
        being built starts from its start already (building it again would make the wait twice as long)."""
        if self.building is None:
            await self.rebuild(self.config)

    def _reset_to(self, session: Session) -> None:
        """Replace the run with ``session``'s (a new experiment, ready to train)."""
        self.halt()
        self.session = session
        self._fresh_run()
        self.driver.max_rate = self.speed
        self.loss_plot.border_subtitle = ""
        self._reset_inside()
        self.status = "ready"
        self._show_experiment()

    def _fresh_run(self) -> None:
        """What the reports fill (``on_progress``), empty: the run in place (``session``) as built, none reported yet."""
        self.run_totals = totals.of_experiment(self.session.experiment)
        """The run in place's lengths, as built, then as its reports (or a change made between steps) say."""
        self.batch_loss, self.train_loss, self.val_loss = Series(), Series(), Series()
        self.train_metric, self.val_metric = Series(), Series()
        self.last_logs: dict[str, float] = {}
        self.logs_epoch: int | None = None
        """The epoch (1-based) ``last_logs`` closed; None before the first."""
        self.epoch_logs: list[dict[str, float]] = []
        self.stop_watch = StopWatch(self.config.monitor, self.patience)
        self.learning_rate: float | None = self.session.learning_rate
        """The rate of the next update, as the last report (or a live change) said."""
        self.status_text = "ready"
        """The run's status in the engine's words, as the last report had it."""
        self.updates = 0
        """Updates the reports covered (``batch_loss`` keeps their extremes, not every one)."""
        self.steps_per_second = 0.0
        self._last_event = None
        self._metric_drawn: tuple = ()
        self.asked_length = None

    def action_slower(self) -> None:
        """Fewer updates per second (1, 3, 10 … 300, max), applied to the run in progress."""
        self.speed = SPEEDS[max(SPEEDS.index(self.speed) - 1, 0)] if self.speed in SPEEDS else SPEEDS[0]

    def action_faster(self) -> None:
        """More updates per second, up to as fast as the machine goes."""
        self.speed = SPEEDS[min(SPEEDS.index(self.speed) + 1, len(SPEEDS) - 1)] if self.speed in SPEEDS else None

    def watch_speed(self, speed: float | None) -> None:
        for view in self._views():
            view.driver.max_rate = speed  # the stepping thread reads it before its next step
            if isinstance(view, RaceScreen):
                view.show_speed()
        if self.is_mounted:
            self._show_counts()

    def _views(self) -> list[RunControl]:
        """This view and every race view on the screen stack: each drives one worker."""
        return [self, *(s for s in self.screen_stack if isinstance(s, RunControl))]
