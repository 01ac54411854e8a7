"""``RaceScreen``: the race view — contestants learning the same problem from the same start, overlaid and ranked."""

from __future__ import annotations

import threading

import numpy as np
from textual import on, work
from textual.app import ComposeResult, SystemCommand
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Static
from textual.worker import Worker

from engine import ConfigError, ExperimentConfig, race
from tui import i18n, why
from tui.lessons.card import lesson_text
from tui.driver import Driver
from tui.messages import Progress
from tui.race.leaderboard import Leaderboard
from tui.race.panel import FIELD_LABELS, RacePanel
from tui.race.session import RaceSession
from tui.race.track import X_LABELS, Track
from tui.report import X_AXES, row
from tui.run_control import RunControl
from tui.widgets.counters import speed_text
from tui.widgets.footer import KeysFooter
from tui.widgets.help_screen import HelpScreen
from tui.colors import BATCH
from tui.widgets.loss_plot import Curve, LossPlot
from tui.widgets.status import state_markup
from tui.race.inside import RaceInside

REDRAW_INTERVAL = 0.1
"""Seconds between redraws of plot, leaderboard and status line (only when new data arrived)."""

SHARED_MARK_COLOR = (220, 223, 228)
"""A learning-rate change several contestants made at the same x (one made alone is in its colour)."""



class RaceScreen(RunControl, Screen[None]):
    """K contestants (optimizers by default) trained in lockstep; one loss plot, one leaderboard."""

    AUTO_FOCUS = "#race-plot"

    BINDINGS = [
        Binding("space", "toggle_run", "Run/Pause", id="race-run", priority=True),  # before a menu or a tick box
        Binding("n", "step_iteration", "Step", id="race-iteration"),
        Binding("e", "step_epoch", "Epoch", id="race-epoch"),
        Binding("r", "reset", "Reset", id="race-reset"),
        Binding("x", "cycle_x", "X axis", id="race-x"),
        Binding("l", "toggle_log", "Log", id="race-log"),
        Binding("b", "toggle_batches", "Batch loss", show=False, id="race-batches"),
        Binding("escape,c", "back", "Back", id="race-back"),
        Binding("f", "toggle_field", "Field", id="race-field-panel"),
        Binding("m", "cycle_inside", "Maps/steps", id="race-inside"),
        Binding("left_square_bracket", "lr_down", "Lr ÷2", show=False, id="race-lr-down"),
        Binding("right_square_bracket", "lr_up", "Lr ×2", show=False, id="race-lr-up"),
        Binding("y", "toggle_why", "Why", id="race-why-key"),
        Binding("question_mark", "help", "Help", id="race-help"),
        Binding("q", "quit", "Quit", id="race-quit"),
    ]

    status: reactive[str] = reactive("ready")
    """The race as a whole: ready, running, paused, finished."""
    x_axis: reactive[str] = reactive("epoch")
    """What the plot's x axis counts: one of ``X_AXES``."""
    show_batches: reactive[bool] = reactive(False)
    """Also plot every update's batch loss (decimated dots) under the epoch lines."""
    inside: reactive[str] = reactive("none")
    """Under the plot: ``"none"``, ``"maps"`` (what each contestant learned) or ``"steps"`` (their
    median effective step size per epoch); ``m`` cycles it."""

    def __init__(self, base: ExperimentConfig, field: str = "optimizer", values=None, *, lesson=None,
                 target_loss: float | None = None) -> None:
        super().__init__()
        self.base = base
        """The main view's config: data, model, loss, batch size, epochs, seed."""
        self.lesson = lesson
        """The race lesson shown in the notes (``None``: the optimizers' why texts)."""
        if values is None:
            values = [(name, None) for name in race.DEFAULT_OPTIMIZERS]
        self.session = RaceSession(base, field, values, target_loss)
        self.tracks: list[Track] = []
        self.lr_changes: list[tuple[int, tuple[float, ...]]] = []
        """Learning-rate changes made mid-race: (contestant, its x on each of ``X_AXES`` then)."""
        self._positions: list[tuple[float, ...]] = []
        self.race_epoch = 0
        self.steps_per_second = 0.0
        self._init_run_control()
        self._dirty = True

    # -- layout ----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        self._head = Static(id="race-head")
        self._plot = LossPlot(id="race-plot")
        self._plot.can_focus = True  # where space, n, e, r act on the race
        self._board = Leaderboard(id="leaderboard")
        self._why = Static(id="race-why")
        self._inside = RaceInside(id="race-inside")
        self._panel = RacePanel(self.base, self.session.field, self.session.values, id="race-panel")
        yield self._head
        with Horizontal(id="race-main"):
            with Vertical(id="race-stage"):
                yield self._plot
                yield self._inside
                yield self._board
                yield self._why
            yield self._panel
        yield KeysFooter(optional=["lessons", "cycle_inside", ("slower", "faster"), "toggle_log", "cycle_x"])

    @property
    def plot(self) -> LossPlot:
        return self._plot

    @property
    def leaderboard(self) -> Leaderboard:
        return self._board

    @property
    def inside_view(self) -> RaceInside:
        return self._inside

    @property
    def panel(self) -> RacePanel:
        return self._panel

    @property
    def race(self):
        return self.session.race

    @property
    def driver(self) -> Driver:
        return self.session.driver

    def on_mount(self) -> None:
        self._plot.border_title = "loss"
        self._board.border_title = "leaderboard"
        self._panel.border_title = "field"
        self._why.border_title = "why"
        self._panel.display = self.app.size.width >= 110
        self._inside.display = False
        self._new_race(self.session)
        self.set_interval(REDRAW_INTERVAL, self._redraw)

    def _new_race(self, session: RaceSession) -> None:
        self.halt()
        self.session = session
        session.driver.max_rate = self.app.speed
        self.tracks = [Track(c.initial_loss) for c in session.contestants]
        self.lr_changes = []
        self._positions = [(0.0,) * len(X_AXES) for _ in session.contestants]
        self._board.contestant_colors = session.colors
        self._board.standings = session.standings()
        self.race_epoch = 0
        self.steps_per_second = 0.0
        self.status = "ready"
        self.show_notes()
        self._inside.line_up(session)
        self._dirty = True

    def show_notes(self) -> None:
        """The notes under the leaderboard: the lesson's card, or each optimizer's why text (current language)."""
        session = self.session
        if self.lesson is not None:
            self._why.border_title = i18n.t("ui.lessons.card")
            self._why.update(lesson_text(self.lesson.text("title"), self.lesson.lines()))
            self._why.set_class(False, "-empty")
            self._why.add_class("-lesson")
            return
        self._why.remove_class("-lesson")
        self._why.border_title = "why"
        notes = [f"[b]{c.label}[/b]  {why.optimizer(c.config.optimizer)}" for c in session.contestants]
        self._why.update("\n".join(notes) if session.field == "optimizer" else "")
        self._why.set_class(session.field != "optimizer", "-empty")

    # -- drawing ---------------------------------------------------------------------------
    def _head_text(self) -> str:
        s, r = self.session, self.session.race
        state = state_markup(self.status)
        targets = {c.target_loss for c in r.contestants}
        if s.target_loss is not None:  # the setup's own target
            target = f"target loss ≤ {s.target_loss:.4g}"
        else:
            target = (f"target loss ≤ {targets.pop():.4g} ({race.TARGET_FRACTION:g}×initial)" if len(targets) == 1
                      else f"target loss ≤ {race.TARGET_FRACTION:g}×own initial")
        return (f"{state} · [b]{FIELD_LABELS[s.field]}[/b] · epoch {self.race_epoch}/{r.epochs} · "
                f"{self.steps_per_second:,.0f} steps/s · speed {speed_text(self.app.speed)} · {target}")

    def _redraw(self) -> None:
        """Draw the status line, plot and leaderboard if new points arrived (at ≤ 10 Hz)."""
        self._inside.redraw()
        if not self._dirty:
            return
        self._dirty = False
        self._head.update(self._head_text())
        plot, axis = self._plot, self.x_axis
        n = plot.max_points
        curves: list[Curve] = []
        standings = {s.index: s for s in self._board.standings.rows}
        for c, track in zip(self.race.contestants, self.tracks):
            color = self.session.colors[c.index]
            if self.show_batches:
                bx, by = track.batch_loss[axis].points(n)
                curves.append(Curve("", bx, by, color, style="scatter"))
            x, y = track.epoch_loss[axis].points(n)
            standing = standings.get(c.index)
            label = c.label + (" ✗" if standing is not None and standing.status == "diverged" else "")
            curves.append(Curve(label, x, y, color))
        targets = {c.target_loss for c in self.race.contestants}
        xs = [cv.xs for cv in curves if len(cv.xs)]
        if len(targets) == 1 and xs:
            lo, hi = min(float(x.min()) for x in xs), max(float(x.max()) for x in xs)
            if hi > lo:
                t = targets.pop()
                curves.append(Curve("target", np.array([lo, hi]), np.array([t, t]), BATCH, style="reference"))
        right = max((float(x.max()) for x in xs), default=0.0)
        marks = self.lr_marks()
        plot.show([cv for cv in curves if len(cv.xs)], x_label=X_LABELS[axis], y_label="loss",
                  x_range=(0.0, right if right > 0 else 1.0), marks=marks)  # from the start: never a negative epoch
        # the key on the frame names the grey line; said here only where the key has no room for it
        target_note = " · grey: target" if any(cv.label == "target" for cv in curves) and \
            not plot.key_names("target") else ""
        lr_note = " · │ lr changed" if marks else ""
        plot.border_subtitle = f"x: {X_LABELS[axis]} (x cycles){target_note}{lr_note}"
        self._board.refresh(layout=True)

    def lr_marks(self) -> list[tuple[float, tuple[int, int, int]]]:
        """The learning-rate changes on the current x axis: a line in the contestant's colour, or
        one ``SHARED_MARK_COLOR`` line where several contestants' changes fall on the same x."""
        column = X_AXES.index(self.x_axis)
        at: dict[float, list[int]] = {}
        for k, xs in self.lr_changes:
            at.setdefault(xs[column], []).append(k)
        return [(x, self.session.colors[ks[0]] if len(set(ks)) == 1 else SHARED_MARK_COLOR) for x, ks in at.items()]

    # -- training --------------------------------------------------------------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="race", description="race")
    def _run(self, driver: Driver, until: str, stop: threading.Event, run_id: int) -> str:
        """Drive the race in this thread; report with ``post_message`` (never waits on the UI)."""
        return driver.drive(until, stop, lambda report: self.post_message(Progress(report)), run_id=run_id)

    def _finished_note(self) -> str | None:
        """Why the race cannot go on (every contestant diverged). A finished race trains more: another
        ``epochs`` epochs for every contestant that has not diverged (``Race.extend``)."""
        if not self.race.done:
            return None
        if all(c.status == "diverged" for c in self.race.contestants):
            return "Every contestant has diverged; press r to run the race again."
        self.race.extend(self.session.base.epochs)  # no worker is running: the race has ended
        self._dirty = True
        return None

    def _launch(self, until: str, stop: threading.Event, run_id: int) -> Worker:
        self._dirty = True
        return self._run(self.session.driver, until, stop, run_id)

    @on(Progress)
    def _on_progress(self, message: Progress) -> None:
        report = message.report
        report.received()
        if report.generation != self.session.generation:
            return  # from a race that was reset or replaced
        ended: list[list] = [[] for _ in self.tracks]
        for k, xs, logs in report.epochs:
            ended[k].append((xs, logs))
        for track, rows, updates, epochs in zip(self.tracks, report.rows, report.updates, ended):
            track.add(rows, updates, epochs)
        for k, event in enumerate(report.last):
            if event is not None:
                self._positions[k] = row(event)[:len(X_AXES)]
        self._board.standings = report.snapshot
        self._inside.take(report)
        self.race_epoch = report.snapshot.epoch
        if report.steps_per_second and any(report.updates):
            self.steps_per_second = report.steps_per_second
        if report.done and report.run_id == self._run_id:
            # finished, unless more epochs were set as it ended (the change came after its last step)
            self.status = "paused" if report.status == "finished" and not self.race.done else report.status
        self._dirty = True

    def watch_status(self) -> None:
        self._dirty = True

    def show_speed(self) -> None:
        """The app's speed changed: the status line says so at the next redraw."""
        self._dirty = True

    # -- actions ---------------------------------------------------------------------------
    def action_reset(self) -> None:
        """The same line-up from the start: same seed, same initial weights, same batches."""
        self._new_race(self.session.restarted())

    def action_cycle_x(self) -> None:
        """Plot against epochs, updates, examples seen, or seconds."""
        self.x_axis = X_AXES[(X_AXES.index(self.x_axis) + 1) % len(X_AXES)]

    def watch_x_axis(self) -> None:
        self._dirty = True

    def action_toggle_log(self) -> None:
        """Switch the loss plot's y axis between linear and log scale."""
        self._plot.log_scale = not self._plot.log_scale

    def action_toggle_batches(self) -> None:
        """Show or hide every update's batch loss under the epoch lines."""
        self.show_batches = not self.show_batches

    def watch_show_batches(self) -> None:
        self._dirty = True

    def action_cycle_inside(self) -> None:
        """Under the plot: each contestant's map of what it learned, their step sizes, or nothing."""
        order = ("none", "maps", "steps")
        self.inside = order[(order.index(self.inside) + 1) % len(order)]

    def watch_inside(self, inside: str) -> None:
        self._inside.display = inside != "none"
        if inside != "none":
            self._inside.show_mode(inside)

    def action_lr_down(self) -> None:
        """Halve every contestant's learning rate from its next update (marked on the loss plot)."""
        self._scale_learning_rates(0.5)

    def action_lr_up(self) -> None:
        """Double every contestant's learning rate from its next update (marked on the loss plot)."""
        self._scale_learning_rates(2.0)

    def _scale_learning_rates(self, factor: float) -> None:
        scaled = self.session.scale_learning_rates(factor)
        if not scaled:
            self.notify("No contestant's learning rate can change: each has diverged or follows a schedule.",
                        timeout=3, markup=False)
            return
        # each mark at the contestant's last reported update: where the change takes effect
        self.lr_changes += [(k, self._positions[k]) for k in scaled]
        self._dirty = True

    def action_toggle_why(self) -> None:
        """Hide the notes under the leaderboard (the optimizers' why, or the lesson's card) to give the plot
        their rows; again to show them (narrow, where they start hidden, too)."""
        if self._why.has_class("-empty"):
            return  # no notes for this field (learning rates, losses, batch sizes)
        shown = self._why.display and not self._why.has_class("-closed")
        self._why.set_class(shown, "-closed")
        self._why.set_class(not shown, "-open")

    def action_toggle_field(self) -> None:
        """Show or hide the panel that picks the race's field."""
        self._panel.display = not self._panel.display
        if self._panel.display:
            self._panel.query_one("#race-field").focus()
        else:
            self._plot.focus()

    def action_back(self) -> None:
        """Leave a setting being edited; otherwise stop the race and go back to the main view."""
        focused = self.focused
        if focused is not None and self._panel in focused.ancestors_with_self:
            self._plot.focus()
            return
        self.halt()
        if self.is_active:  # only ever remove this view, never the one below it
            self.dismiss()

    def action_help(self) -> None:
        """Show the race view's keys."""
        extra = [("- / +", i18n.t("help.race.speed")), ("tab", i18n.t("help.race.tab")),
                 ("enter", i18n.t("help.race.enter")), ("ctrl+p", i18n.t("help.palette"))]
        self.app.push_screen(HelpScreen(list(self.BINDINGS), extra, view="race"))

    async def action_quit(self) -> None:
        """Stop the race and exit, restoring the terminal."""
        await self.app.action_quit()

    def on_unmount(self) -> None:
        self.halt()

    @on(RacePanel.LineUp)
    def _on_line_up(self, event: RacePanel.LineUp) -> None:
        try:
            session = RaceSession(self.base, event.field, event.values, self.session.target_loss)
        except ConfigError as exc:
            self._panel.show_reason(str(exc))
            self.notify(str(exc), severity="error", timeout=4, markup=False)
            return
        self._panel.show_reason("")
        self._new_race(session)

    @on(RacePanel.Epochs)
    def _on_epochs(self, event: RacePanel.Epochs) -> None:
        try:
            self.session.set_epochs(event.epochs)
        except ConfigError as exc:
            self._panel.show_reason(str(exc))
            return
        self.base = self.session.base
        self._panel.show_reason("")
        if self.status != "running" and self.race.race_step:
            self.status = "finished" if self.race.done else "paused"
        self._dirty = True

    # -- command palette ---------------------------------------------------------------------
    def commands(self):
        """Palette entries for this view, from its bindings (the app yields them while it is on top)."""
        for binding in self.BINDINGS:
            action = getattr(self, f"action_{binding.action}")
            yield SystemCommand(f"Race: {binding.description}", (action.__doc__ or "").strip().split("\n")[0],
                                action)

