"""``DescendApp``: the playground — controls, counters, live loss plot, why panel; training in a worker."""

from __future__ import annotations

import asyncio
import inspect
import math
import signal
import threading
import time
from collections.abc import Iterable

from textual import events, on, work
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.screen import Screen

from engine import (ConfigError, ExperimentConfig, StopWatch, batch_mode, build_experiment, optimizers, race as races,
                    sharing)
from engine import SurfaceSetup
from tui import i18n, lessons, why
from tui.lessons.menu import LessonMenu
from tui.share import ShareActions
from tui.driver import SPEEDS, Driver
from tui.main.session import Session
from tui.messages import Progress
from tui.palette import DescendPalette, listed_for
from tui.textual_private import end_if_shutdown_hangs
from tui.race.screen import RaceScreen
from tui.surface.screen import SurfaceScreen
from tui.run_control import RunControl
from tui.widgets.series import Series
from tui.main.control_panel import ControlPanel
from tui.main.field_commands import FieldCommands
from tui.widgets.fields import Setting
from tui.widgets.footer import KeysFooter
from tui.widgets.counters import Counts, Counters, speed_text
from tui.widgets.help_screen import HelpScreen
from tui.widgets.size_guard import SizeGuard, fits
from tui.colors import BATCH, TRAIN, VALIDATION
from tui.widgets.loss_plot import Curve, LossPlot
from tui.widgets.status import metric_label
from tui.main.schedule_curve import lr_curve, lr_summary
from tui.main.why_panel import WhyPanel
from tui.main.inside_panel import InsidePanel
from tui.main.inside_view import InsideView
from tui.widgets.learned_map import LearnedMap

QUIT_GRACE = 2.0
"""Seconds a signalled quit may take before the process ends without Textual's shutdown."""

STRUCTURAL = ("dataset", "samples", "noise", "classes", "hidden", "activation", "loss", "optimizer",
              "batch_size", "epochs", "validation_split", "seed", "schedule", "schedule_options", "stop.on",
              "monitor", "class_weight")
"""Config fields whose change rebuilds the experiment (a reset); ``opt.*`` apply live."""

REDRAW_INTERVAL = 0.1
"""Seconds between two looks for new data: counters update at this rate, plots at most at it."""

SURFACE_SPEED = 30
"""Updates per second of the surface view when the main view runs flat out: a walk stays watchable."""

SPEED = Binding.Group("Speed", compact=True)
"""The footer shows - and + as one entry."""

LR_MARK_COLOR = (229, 192, 123)
"""A learning-rate change made mid-run: a vertical line at that point of the loss plot's x axis."""

BEST_MARK_COLOR = (152, 195, 121)
"""The best epoch of the monitored quantity (early stopping's): a green line."""

STOP_MARK_COLOR = (224, 108, 117)
"""Where early stopping stopped the run (on), or where it would have (off: dimmer)."""
WOULD_STOP_MARK_COLOR = (150, 90, 96)

DEFAULT_PATIENCE = 5
"""Early stopping's patience in the panel until the user sets one."""

PLOT_SHARE = 0.1
"""At most this fraction of the UI thread goes to plot rebuilds: after a rebuild costing c seconds
the next waits ≥ c / PLOT_SHARE (every millisecond there is taken from the training thread, the GIL)."""


def config_with(config: ExperimentConfig, key: str, value) -> ExperimentConfig:
    """``config`` with one setting changed, as the control panel names it."""
    if key == "opt.learning_rate":
        return config.replace(learning_rate=value)
    if key.startswith("opt."):
        return config.replace(optimizer_options={**config.optimizer_options, key[4:]: value})
    if key == "optimizer":
        return config.replace(optimizer=value, learning_rate=None, optimizer_options={})
    if key == "dataset":
        return config.replace(dataset=value, noise=None)
    if key == "schedule":  # options belong to the schedule they were typed for
        return config.replace(schedule=None if value == "constant" else value, schedule_options={})
    return config.replace(**{key: value})


def config_with_stopping(config: ExperimentConfig, key: str, value, patience: int) -> ExperimentConfig:
    """``config`` after the early-stopping row ``key`` (``stop.on`` / ``stop.patience``) changed."""
    if key == "stop.on":
        return config.replace(early_stopping=patience if value else None)
    return config.replace(early_stopping=value) if config.early_stopping is not None else config


DEFAULT_SPEED = 300
"""Updates per second at start: the default run (1,000 updates) lasts a few seconds, the counters and
curves visibly moving; one ``+`` reaches max."""


class DescendApp(ShareActions, InsideView, RunControl, App[None]):
    """Pick a loss, an optimizer and a batch size; press space; watch the model learn."""

    CSS_PATH = "descend.tcss"
    COMMANDS = App.COMMANDS | {FieldCommands}
    TITLE = "descend"
    AUTO_FOCUS = "#loss-plot"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]

    BINDINGS = [
        # priority: before the focused widget, so a menu or a tick box cannot take space (a text field
        # still types it: Textual leaves out bindings of the keys it consumes); see check_action
        Binding("space", "toggle_run", "Run/Pause", id="run", priority=True),
        Binding("n", "step_iteration", "Iteration", id="iteration"),
        Binding("e", "step_epoch", "Epoch", id="epoch"),
        Binding("r", "reset", "Reset", id="reset"),
        Binding("l", "toggle_log", "Log y", id="log"),
        Binding("minus", "slower", "Slower", id="slower", group=SPEED),
        Binding("plus,equals_sign", "faster", "Faster", id="faster", group=SPEED),
        Binding("c", "race", "Compare", id="race"),
        Binding("m", "cycle_panel", "Map/why/optimizer", id="panel"),
        Binding("y", "toggle_why", "Why", id="why"),
        Binding("s", "surfaces", "Surfaces", show=False, id="surfaces"),  # in ? help and the palette: the footer is full
        Binding("L", "lessons", "Lessons", id="lessons"),
        Binding("K", "language", "한/EN", show=False, id="language"),
        Binding("o", "export_history", "Export", show=False, id="export"),
        Binding("w", "save_setup", "Save setup", show=False, id="save-setup"),
        Binding("p", "screenshot", "Screenshot", show=False, id="screenshot"),
        Binding("question_mark", "help", "Help", id="help"),
        Binding("q", "quit", "Quit", id="quit"),
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True, id="interrupt"),
        Binding("escape", "leave_field", "Leave field", show=False, id="leave"),
        Binding("tab", "focus_next", "Next panel/field", show=False, id="next"),
        Binding("shift+tab", "focus_previous", "Previous panel/field", show=False, id="previous"),
    ]

    # App state, not drawn by the App itself: ``var``, because a ``reactive`` on the App repaints the
    # whole screen (~35 ms at 120x40) on every change; the counters redraw only their own region.
    status: var[str] = var("ready")
    """Run state in words: ready, running, paused, finished, diverged."""

    speed: var[float | None] = var(DEFAULT_SPEED)
    """Most updates per second the training makes, one of ``SPEEDS`` (None: as fast as it goes)."""

    lower: var[str] = var("why")
    """What the lower panel shows: ``"why"``, ``"map"`` (what the network learned) or ``"optimizer"``
    (what it carries); ``m`` cycles it."""

    lower_open: var[bool] = var(True)
    """Whether the row under the plots (the why panel, or what ``m`` chose) shows; ``y`` toggles it."""

    def __init__(self, config: ExperimentConfig | None = None, *, handle_signals: bool = False,
                 cursor_blink: bool = True, race: sharing.RaceSetup | None = None,
                 lesson: lessons.Lesson | None = None, speed: float | None = DEFAULT_SPEED,
                 surface: SurfaceSetup | None = None) -> None:
        super().__init__()
        self.lesson = lesson
        """The lesson open in the why panel (``None``: no lesson)."""
        self.race_setup = race
        """A race to open on start (a race lesson or a race setup file)."""
        self.surface_setup = surface
        """A surface walk to open on start (a surface setup file)."""
        self.set_reactive(DescendApp.speed, speed)
        self.cursor_blink = cursor_blink
        """Whether text fields blink their cursor (off in tests and screenshots)."""
        self.config = (config or ExperimentConfig()).validate()
        self.session = Session(build_experiment(self.config))
        self.patience = self.config.early_stopping if self.config.early_stopping is not None else DEFAULT_PATIENCE
        """Early stopping's patience (kept while it is off: the loss plot marks where it would stop)."""
        self.epoch_logs: list[dict[str, float]] = []
        self.stop_watch = StopWatch(self.config.monitor, self.patience)
        self.learning_rate: float | None = None
        self.handle_signals = handle_signals
        self.batch_loss = Series()
        self.train_loss = Series()
        self.val_loss = Series()
        self.train_metric = Series()
        self.val_metric = Series()
        self.last_logs: dict[str, float] = {}
        self.logs_epoch: int | None = None
        """The epoch (1-based) ``last_logs`` closed; None before the first."""
        self.status_text = "ready"
        """The run's status in the engine's words, as the last report had it."""
        self.updates = 0
        """Updates the reports covered (``batch_loss`` keeps their extremes, not every one)."""
        self.steps_per_second = 0.0
        self._init_run_control()
        self._dirty = True
        self._metric_drawn: tuple = ()
        self._plot_due = 0.0
        self.frames_drawn = 0
        self._map = LearnedMap(id="learned", captioned=True)
        self._inside = InsidePanel(id="inside")
        self._init_inside()

    # -- layout ----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        self._controls = ControlPanel(self.config, train_size=self.session.experiment.train_size, patience=self.patience,
                                      monitors=self.session.experiment.monitors(), id="controls")
        self._counters = Counters(id="counters")
        self._loss_plot = LossPlot(id="loss-plot")
        self._metric_plot = LossPlot(id="metric-plot")
        self._why = WhyPanel(id="why")
        for widget in (self._loss_plot, self._metric_plot, self._why):
            widget.can_focus = True  # a place to stand where space, n, e, r act on the run
        yield self._counters  # the run's state across the top: full width, so its lines fit at 80 columns
        with Horizontal(id="main"):
            yield self._controls
            with Vertical(id="stage"):
                with Horizontal(id="plots"):
                    yield self._loss_plot
                    yield self._metric_plot
                with Horizontal(id="lower"):
                    yield self._map
                    yield self._why
                    yield self._inside
        yield KeysFooter(optional=["cycle_panel", "toggle_log", "race", ("slower", "faster"), "lessons", "toggle_why"])

    # Held, not queried: a query would search whichever screen is on top (help, palette).
    @property
    def controls(self) -> ControlPanel:
        return self._controls

    @property
    def counters(self) -> Counters:
        return self._counters

    @property
    def loss_plot(self) -> LossPlot:
        return self._loss_plot

    @property
    def metric_plot(self) -> LossPlot:
        return self._metric_plot

    @property
    def why_panel(self) -> WhyPanel:
        return self._why

    @property
    def learned_map(self) -> LearnedMap:
        return self._map

    @property
    def inside_panel(self) -> InsidePanel:
        return self._inside

    @property
    def trainer(self):
        return self.session.trainer

    @property
    def driver(self) -> Driver:
        return self.session.driver

    def on_mount(self) -> None:
        self.metric_plot.log_scale = False
        self.loss_plot.border_title = "loss"
        self.metric_plot.border_title = metric_label(self.session.experiment.metric, short=False)
        self.why_panel.border_title = "why"
        self.learned_map.border_title = "what the network learned"
        self.inside_panel.border_title = "what the optimizer carries"
        self.controls.border_title = "experiment"
        self._show_lower()
        self._show_inside()
        self.set_interval(REDRAW_INTERVAL, self._redraw)
        self.driver.max_rate = self.speed
        self._show_experiment()
        if self.lesson is not None and self.lesson.surface is not None:
            self.call_after_refresh(self._open_surface_lesson, self.lesson)
        elif self.race_setup is not None:
            self.call_after_refresh(self._open_race, self.race_setup)
        elif self.surface_setup is not None:
            self.call_after_refresh(lambda: self.push_screen(
                SurfaceScreen(self.config, speed=self.speed or SURFACE_SPEED, setup=self.surface_setup)))
        self.call_after_refresh(lambda: self._guard_size(self.size))  # over the race, if one opens first
        if self.handle_signals:
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGHUP):
                loop.add_signal_handler(sig, self._on_signal)

    @on(events.Resize)
    def _on_terminal_resize(self, event: events.Resize) -> None:
        self._guard_size(event.size)

    def _guard_size(self, size) -> None:
        """Below the smallest usable size, cover the app with a note saying how big it needs to be."""
        guard = next((s for s in self.screen_stack if isinstance(s, SizeGuard)), None)
        if guard is not None:
            guard.follow(size)
        elif not fits(size):
            self.push_screen(SizeGuard())

    def _on_signal(self) -> None:
        """SIGTERM or SIGHUP: quit as ``q`` does. After a hang-up the terminal is gone, and Textual's
        orderly shutdown can wait for ever on an output thread that died writing to it (seen in 1 of 4
        dropped terminals mid-run), leaving an orphan process. So a daemon timer ends the process
        QUIT_GRACE seconds later if the orderly exit has not (training is halted by then)."""
        end_if_shutdown_hangs(QUIT_GRACE)
        self.run_worker(self.action_quit(), exclusive=False)

    # -- state shown ----------------------------------------------------------------------
    def _counts(self) -> Counts:
        t, exp = self.trainer, self.session.experiment
        last = self._last_event
        logs = self.last_logs
        metric = exp.metric
        key = "root_mean_squared_error" if metric == "root_mean_squared_error" else "accuracy"
        return Counts(
            state=self.status,
            epoch=last.epoch if last else 0, epochs=t.epochs,
            iteration=last.iteration if last else 0, iterations=t.iterations_per_epoch,
            step=last.step if last else 0, examples=last.examples_seen if last else 0,
            last_batch=t.last_batch_size, mode=batch_mode(exp.batch_size, exp.train_size),
            steps_per_second=self.steps_per_second, speed=self.speed,
            status_text=self.status_text if self.status == "diverged" else self.status,
            loss=logs.get("loss"), val_loss=logs.get("val_loss"), metric=metric,
            metric_value=logs.get(key), val_metric_value=logs.get("val_" + key), detail=self.detail,
            logs_epoch=self.logs_epoch,
            learning_rate=self.learning_rate if self.learning_rate is not None else
            float(self.trainer.model.optimizer.learning_rate) if self.status != "running" else None,
        )

    _last_event = None

    def _show_counts(self) -> None:
        self.counters.counts = self._counts()

    def _show_experiment(self) -> None:
        """The why panel and counters for the current config (hyperparameters as last set)."""
        exp, c = self.session.experiment, self.config
        optimizer = optimizers.get(c.optimizer, **c.optimizer_kwargs())
        params = ", ".join(f"{k}={v}" for k, v in optimizer.hyperparameters().items())
        summary = [f"optimizer {optimizer.name}({params})" if line.startswith("optimizer") else line
                   for line in exp.describe()]
        mode = batch_mode(exp.batch_size, exp.train_size)
        lesson = None if self.lesson is None else (self.lesson.text("title"), self.lesson.lines())
        self.why_panel.show(summary, why.lines(c.loss, c.optimizer, mode, c.activation, self.status), lesson)
        self.why_panel.border_title = i18n.t("ui.lessons.card") if self.lesson else "why"
        total = exp.config.epochs * self.trainer.iterations_per_epoch
        self.controls.show_schedule(lr_curve(exp.model.optimizer, total), lr_summary(exp.model.optimizer, total),
                                    exp.monitors())
        self.metric_plot.border_title = metric_label(exp.metric, short=False)
        self._show_counts()
        self._dirty = True

    def watch_status(self, old: str, new: str) -> None:
        if self.is_mounted:
            self._show_counts()
            if "diverged" in (old, new):
                self._show_experiment()

    def _redraw(self) -> None:
        """Draw the counters and plots if new points arrived (called at 10 Hz; plots at an adaptive rate).

        A plot rebuild is ~5-15 ms of Python: it waits until ``last cost / PLOT_SHARE`` has
        passed, so drawing never takes more than a tenth of the UI thread, however big the
        terminal or slow the machine.
        """
        self._redraw_inside()
        if not self._dirty:
            return
        now = time.perf_counter()
        if self.status == "running" and now < self._plot_due:
            self._show_counts()
            return  # the plots catch up at the next due tick; the data waits in the Series
        self._dirty = False
        self._show_counts()
        started = time.perf_counter()
        plot = self.loss_plot
        n = plot.max_points
        bx, by = self.batch_loss.points(n)
        tx, ty = self.train_loss.points(n)
        vx, vy = self.val_loss.points(n)
        # Loss and metric share the x axis, from epoch 0 (before training) to the end of the epoch in
        # progress: the metric's first point is off the frame's edge, and the range changes once an epoch.
        x_range = (0.0, float(max(math.ceil(bx[-1]) if len(bx) else 0, tx[-1] if len(tx) else 0, 1)))
        curves = [Curve("batch", bx, by, BATCH, style="scatter"),
                  Curve("train", tx, ty, TRAIN),
                  Curve("validation", vx, vy, VALIDATION)]
        plot.show([c for c in curves if len(c.xs)], title="", x_label="epoch", y_label="loss", x_range=x_range,
                  marks=[(x, LR_MARK_COLOR) for x in self.lr_changes] + self.stop_marks())
        cost = plot.build_seconds
        m = self.metric_plot
        if m.display and (len(self.train_metric), m.size, x_range) != self._metric_drawn:
            self._metric_drawn = (len(self.train_metric), m.size, x_range)
            k = m.max_points
            metric_curves = [Curve("train", *self.train_metric.points(k), TRAIN),
                             Curve("validation", *self.val_metric.points(k), VALIDATION)]
            m.show([c for c in metric_curves if len(c.xs)], title="", x_label="epoch", y_label="",
                   x_range=x_range)
            cost += m.build_seconds
        # The builds run at the next paint; the last ones' cost predicts these.
        self._plot_due = now + max(REDRAW_INTERVAL, (time.perf_counter() - started + cost) / PLOT_SHARE)
        self.frames_drawn += 1

    def stop_marks(self) -> list[tuple[float, tuple[int, int, int]]]:
        """The best epoch and where early stopping stopped (or would have, when it is off), as x = epochs."""
        watch, marks = self.stop_watch, []
        if watch.best_epoch is not None:
            marks.append((watch.best_epoch + 1.0, BEST_MARK_COLOR))
        if watch.stopped_epoch is not None:
            on = self.config.early_stopping is not None
            marks.append((watch.stopped_epoch + 1.0, STOP_MARK_COLOR if on else WOULD_STOP_MARK_COLOR))
        return marks

    def stop_note(self) -> str:
        """The loss plot's subtitle: ``best epoch 12 · stopped early at 15`` (``would stop at 15`` when
        early stopping is off): the monitored quantity's best epoch and early stopping's stop."""
        watch = self.stop_watch
        if watch.best_epoch is None:
            return ""
        note = f"best epoch {watch.best_epoch + 1}"
        if watch.stopped_epoch is not None:
            on = self.config.early_stopping is not None
            note += f" · {'stopped early' if on else 'would stop'} at {watch.stopped_epoch + 1}"
        return note

    def _watch_again(self) -> None:
        """A fresh StopWatch for the current monitor and patience, over the epochs so far."""
        self.stop_watch = StopWatch(self.config.monitor, self.patience)
        for epoch, logs in enumerate(self.epoch_logs):
            self.stop_watch.observe(epoch, logs)
        self.loss_plot.border_subtitle = self.stop_note()
        self._dirty = True

    # -- training --------------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="training", description="training")
    def _train(self, driver: Driver, until: str, stop: threading.Event, run_id: int) -> str:
        """Drive the run in this thread; report with ``post_message`` (never waits on the UI)."""
        return driver.drive(until, stop, lambda report: self.post_message(Progress(report)), run_id=run_id)

    def _finished_note(self) -> str | None:
        """Why the run cannot go on: a diverged run must be reset. A finished one trains more: another
        ``epochs`` epochs, as Keras's ``fit(initial_epoch=…)`` continues (same weights, optimizer state)."""
        if self.trainer.status == "diverged":
            return "The run has diverged; press r to reset."
        if self.trainer.status == "finished":
            self.trainer.extend(self.config.epochs)  # no worker is running: the run has ended
            self._show_counts()
        return None

    def _launch(self, until: str, stop: threading.Event, run_id: int) -> None:
        self._train(self.session.driver, until, stop, run_id)

    @on(Progress)
    def _on_progress(self, message: Progress) -> None:
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
        if report.snapshot.learning_rate is not None:
            self.learning_rate = report.snapshot.learning_rate
        if report.steps_per_second and report.updates[0]:
            self.steps_per_second = report.steps_per_second
        self._take_inside(report.snapshot, report.done)
        if report.done and report.run_id == self._run_id:
            # finished, unless more epochs were set as it ended (the change came after its last step)
            self.status = "paused" if report.status == "finished" and not self.trainer.done else report.status
            self._show_counts()  # the final numbers now, not at the next frame
        self._dirty = True

    # -- actions ---------------------------------------------------------------------------
    def action_reset(self) -> None:
        """Rebuild the experiment from the config: same seed, same weights, same batch order."""
        self._reset_to(build_experiment(self.config))

    def _reset_to(self, experiment) -> None:
        self.halt()
        self.session = Session(experiment)
        self.driver.max_rate = self.speed
        for series in (self.batch_loss, self.train_loss, self.val_loss, self.train_metric, self.val_metric):
            series.clear()
        self.last_logs, self.logs_epoch = {}, None
        self.epoch_logs = []
        self.learning_rate = None
        self.stop_watch = StopWatch(self.config.monitor, self.patience)
        self.loss_plot.border_subtitle = ""
        self.status_text = "ready"
        self.updates = 0
        self._last_event = None
        self._metric_drawn = ()
        self._reset_inside()
        self.steps_per_second = 0.0
        self.status = "ready"
        self._show_experiment()

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

    def action_toggle_log(self) -> None:
        """Switch the loss plot's y axis between linear and log scale."""
        self.loss_plot.log_scale = not self.loss_plot.log_scale
        self._dirty = True

    def action_race(self) -> None:
        """Race optimizers (or learning rates, losses, batch sizes) on this experiment, overlaid and ranked."""
        self._open_race(None)

    def _open_race(self, setup: sharing.RaceSetup | None) -> None:
        if self.status == "running":
            self.action_toggle_run()  # one thing trains at a time
        if setup is None:
            self.push_screen(RaceScreen(self.config))
        else:
            self.push_screen(RaceScreen(self.config, setup.field, race_values(self.config, setup), lesson=self.lesson,
                                        target_loss=setup.target_loss))

    # -- lessons and language ---------------------------------------------------------------
    def action_lessons(self) -> None:
        """Open a lesson: the lecture's points, each a setup, a key to press, what to watch, a question."""
        if not isinstance(self.screen, LessonMenu):
            self.push_screen(LessonMenu(), self._lesson_chosen)

    def _lesson_chosen(self, name: str | None) -> None:
        if name is not None:
            self.call_later(self.open_lesson, lessons.get(name))

    async def open_lesson(self, lesson: lessons.Lesson) -> None:
        """Set up ``lesson``: its experiment (a reset), its speed, the card in the why panel; a race lesson
        opens the race view on its race."""
        while isinstance(self.screen, (RaceScreen, SurfaceScreen, LessonMenu, HelpScreen)):
            if isinstance(self.screen, RaceScreen):
                self.screen.halt()
            self.pop_screen()
        self.lesson = lesson
        self.config = lesson.setup.config
        self.speed = lesson.speed
        self.lower = "why"  # the card lives in the why panel
        self.lower_open = True
        self._reset_to(build_experiment(self.config))
        await self.controls.show_config(self.config, self.session.experiment.train_size)
        self.notify(i18n.t("ui.lessons.opened", title=lesson.text("title")), timeout=3)
        if lesson.surface is not None:
            self._open_surface_lesson(lesson)
        elif lesson.setup.race is not None:
            self._open_race(lesson.setup.race)

    def _open_surface_lesson(self, lesson: lessons.Lesson) -> None:
        self.push_screen(SurfaceScreen(self.config, speed=lesson.speed, lesson=lesson))

    def action_language(self) -> None:
        """Switch the lessons, the why panel and the help between English and Korean (한국어)."""
        langs = i18n.LANGUAGES
        i18n.set_language(langs[(langs.index(i18n.language()) + 1) % len(langs)])
        self._show_experiment()
        if isinstance(self.screen, RaceScreen):
            self.screen.show_notes()
        if isinstance(self.screen, SurfaceScreen):
            self.screen.show_lesson()
        self.notify(i18n.t("ui.language.switched"), timeout=2)

    def action_surfaces(self) -> None:
        """Optimizers walking 2-D loss surfaces, the lecture's batch picture, and this network's landscape."""
        if self.screen is not self.screen_stack[0]:
            return  # from the main view only
        if self.status == "running":
            self.action_toggle_run()  # one thing trains at a time
        self.push_screen(SurfaceScreen(self.config, speed=self.speed or SURFACE_SPEED))

    def action_help(self) -> None:
        """Show every key binding."""
        if not isinstance(self.screen, HelpScreen):
            extra = [("ctrl+p", i18n.t("help.palette")), ("↑ ↓", i18n.t("help.step")),
                     ("enter", i18n.t("help.enter")), ("ctrl+q", i18n.t("help.ctrl_q"))]
            self.push_screen(HelpScreen(list(self.BINDINGS), extra))

    def action_leave_field(self) -> None:
        """Leave the setting being edited (so space, n, e, r and q act on the run again)."""
        self.loss_plot.focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Once quitting, nothing new starts: keys typed right after q still arrive, and a view opened
        while the app closes (``q`` then ``c``) crashed the exit.

        Space is a priority key (checked before any widget): it runs the main view only while the main view
        is what the keys reach — not under a modal (help, lessons, the size note), whose keys wait, nor
        under a race or surface view, which has a space of its own.
        ``y`` acts on the main view's why panel: from the main view only (the race view has its own).
        """
        if action == "toggle_run" and (self.screen.is_modal or
                                       any(isinstance(s, (RaceScreen, SurfaceScreen)) for s in self.screen_stack)):
            return False
        if action == "toggle_why" and self.screen is not self.screen_stack[0]:
            return False
        return self.return_code is None

    async def action_quit(self) -> None:
        """Stop training (in every view) and exit, restoring the terminal."""
        for view in self._views():
            view.halt()
        self.exit()

    def on_unmount(self) -> None:
        self.halt()

    # -- settings --------------------------------------------------------------------------
    @on(Setting.Committed)
    async def _on_setting(self, event: Setting.Committed) -> None:
        event.stop()
        await self.apply_setting(event.key, event.value, row=event.row)

    async def apply_setting(self, key: str, value, *, row: str | None = None) -> bool:
        """Apply one setting: live for optimizer hyperparameters, a reset otherwise.

        A value the engine refuses shows its one-line reason in place and changes nothing.
        """
        if key == "stop.patience":
            self.patience = value
            self.controls.patience = value
        try:
            if key.startswith("stop."):
                config = config_with_stopping(self.config, key, value, self.patience).validate()
            else:
                config = config_with(self.config, key, value).validate()
            if config == self.config and key == "stop.patience":  # off: only where it would stop moves
                self._watch_again()
                return True
            live = key.startswith("opt.") and not (key == "opt.learning_rate" and config.schedule)
            experiment = None if live else build_experiment(config)  # a schedule starts from the rate: rebuilt
        except ConfigError as exc:
            if row is not None:
                await self.controls.show_config(self.config, refused=(row, str(exc)))
            self.notify(str(exc), severity="error", timeout=4, markup=False)
            return False
        if key == "epochs" and self.trainer.status != "diverged":
            self._set_epochs(config.epochs)  # the run goes on (or ends sooner), never starts again
            self.config = config
            await self.controls.show_config(config, self.session.experiment.train_size)
            return True
        self.config = config
        if experiment is None:
            name = key[4:]
            self.session.set_hyperparameter(name, value)  # the stepping thread applies it before its next step
            e = self._last_event  # the last update reported: where the change shows on the loss plot
            if name == "learning_rate" and e is not None:
                self.lr_changes.append(e.epoch - 1 + e.iteration / e.iterations_per_epoch)
                self._dirty = True
            self._show_experiment()
        else:
            self._reset_to(experiment)
        await self.controls.show_config(config, self.session.experiment.train_size)
        return True

    def _set_epochs(self, epochs: int) -> None:
        """The run's length in epochs, as ``Trainer.set_epochs`` sets it: more continue the run (Keras's
        ``fit(initial_epoch=…)``), fewer than it has started end it after the epoch in progress. While it
        trains, the driving thread makes the change before its next step."""
        t = self.trainer
        self.session.driver.between_steps(lambda: t.set_epochs(epochs))
        if self.status != "running" and t.step_count:
            self.status = "finished" if t.done else "paused"
        self._show_counts()

    # -- command palette --------------------------------------------------------------------
    def action_command_palette(self) -> None:
        """Open the command palette (one that keys typed faster than it reacts cannot break)."""
        if self.use_command_palette and not CommandPalette.is_open(self) and not isinstance(self.screen, SizeGuard):
            self.push_screen(DescendPalette(id="--command-palette"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        own = screen.commands() if isinstance(screen, (RaceScreen, SurfaceScreen)) else self._commands()
        yield from listed_for(screen, own)

    def _commands(self) -> Iterable[SystemCommand]:
        """The main view's palette entries: its bindings, lessons and speeds (every field: ``FieldCommands``)."""
        for binding in self.BINDINGS:
            if binding.action in ("focus_next", "focus_previous", "leave_field") or binding.id == "interrupt":
                continue
            action = getattr(self, f"action_{binding.action}")
            yield SystemCommand(binding.description, (action.__doc__ or "").strip().split("\n")[0],
                                self._palette(binding.action))
        for lesson in lessons.all_lessons():
            yield SystemCommand(f"Lesson: {lesson.text('title')}", lesson.text("lecture"), self._palette_lesson(lesson))
        for speed in SPEEDS:
            yield SystemCommand(f"Speed: {speed_text(speed)}", "Most updates per second (applies at once)",
                                self._palette_speed(speed))

    def _palette_lesson(self, lesson: lessons.Lesson):
        async def run() -> None:
            await self.open_lesson(lesson)
        return run

    def _palette_speed(self, speed: float | None):
        def run() -> None:
            self.speed = speed
        return run

    def _palette(self, action: str):
        """Run ``action`` itself (not through its key's checks: run/pause picked from the palette runs
        even if the field left focused is a text field)."""
        async def run() -> None:
            result = getattr(self, f"action_{action}")()
            if inspect.isawaitable(result):
                await result
        return run


def race_values(base: ExperimentConfig, setup: sharing.RaceSetup):
    """A race setup's values as the race view lines them up: optimizers as (name, learning rate) pairs,
    the base config's learning rate applying to each, as in ``python -m engine race``; the setup's text
    when an optimizer has settings besides its learning rate (``sgd:momentum=0.5``), raced as the CLI does."""
    if setup.field != "optimizer":
        return setup.text()
    pairs = []
    for name, options in races.parse_values("optimizer", setup.text()):
        if set(options) - {"learning_rate"}:
            return setup.text()
        pairs.append((name, options.get("learning_rate", base.learning_rate)))
    return pairs


def make_app(config: ExperimentConfig | None = None, *, handle_signals: bool = False, cursor_blink: bool = True,
             race: sharing.RaceSetup | None = None, lesson: lessons.Lesson | None = None,
             speed: float | None | str = "lesson", lang: str = i18n.LANGUAGES[0],
             surface: SurfaceSetup | None = None) -> DescendApp:
    """The app ``python -m tui`` runs (tests build it the same way, with a small config). ``speed``: updates
    per second at start (``None``: max); by default the lesson's, or ``DEFAULT_SPEED``. ``lang``: the
    language it starts in (each new app starts in it, whatever an earlier app switched to)."""
    i18n.set_language(lang)
    if speed == "lesson" and lesson is None:
        speed = DEFAULT_SPEED
    if lesson is not None:
        config, race = lesson.setup.config, lesson.setup.race
        speed = lesson.speed if speed == "lesson" else speed
    return DescendApp(config, handle_signals=handle_signals, cursor_blink=cursor_blink, race=race, lesson=lesson,
                      speed=speed, surface=surface)
