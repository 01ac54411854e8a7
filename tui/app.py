"""``DescendApp``: the playground — controls, counters, live loss plot, why panel; training in a worker.

The app is put together from one mixin per concern, each in ``tui/main/``: ``Training`` (the worker, its
reports and the run state they fill), ``Display`` (counters and plots), ``Settings`` (a field's change),
``Building`` (a new experiment, off the UI thread when big), ``OtherViews`` (race, surfaces, lessons, help, and
the view a lesson or setup file opens on), ``Commands`` (the palette), ``InsideView`` (the lower panel);
``keys.py`` holds the bindings. This module composes the screen and owns the app's life: start, size, signals,
quit.
"""

from __future__ import annotations

import asyncio
import signal
from functools import partial

from textual import events, on
from textual.app import App, ComposeResult
from textual.dom import DOMNode
from textual.containers import Horizontal, Vertical
from textual.reactive import var

from engine import Experiment, ExperimentConfig, sharing
from engine import SurfaceSetup
from tui import i18n, lessons, textual_patches
from tui.share import ShareActions
from tui.driver import Driver
from tui.textual_private import end_if_shutdown_hangs
from tui.race.screen import RaceScreen
from tui.surface.screen import SurfaceScreen
from tui.run_control import RunControl
from tui.settled_screen import SettledScreen
from tui.main import keys
from tui.background import Judged, is_quick
from tui.main.building import Building, build_session
from tui.main.session import Session
from tui.main.commands import Commands
from tui.main.control_panel import ControlPanel
from tui.main.display import Display, REDRAW_INTERVAL
from tui.main.field_commands import FieldCommands
from tui.palette import SystemCommands
from tui.main.settings import DEFAULT_PATIENCE, Settings
from tui.main.training import Training
from tui.main.views import OtherViews
from tui.widgets.footer import KeysFooter
from tui.widgets.counters import Counters
from tui.widgets.size_guard import SizeGuard, fits
from tui.widgets.loss_plot import LossPlot
from tui.widgets.status import metric_label
from tui.main.why_panel import WhyPanel
from tui.main.inside_panel import InsidePanel
from tui.main.inside_view import InsideView
from tui.widgets.learned_map import LearnedMap

QUIT_GRACE = 2.0
"""Seconds a signalled quit may take before the process ends without Textual's shutdown (an app's ``quit_grace``;
``python -m tui`` takes the environment's ``DESCEND_QUIT_GRACE`` instead if set)."""

HUNG_QUIT_STATUS = 3
"""The exit status of a signalled quit that the QUIT_GRACE timer ended (the orderly exit's is 0)."""

DEFAULT_SPEED = 300
"""Updates per second at start: the default run (1,000 updates) lasts a few seconds, the counters and
curves visibly moving; one ``+`` reaches max."""


class DescendApp(Commands, Settings, Building, OtherViews, Display, Training, ShareActions, InsideView, RunControl,
                 App[None]):
    """Pick a loss, an optimizer and a batch size; press space; watch the model learn."""

    CSS_PATH = "descend.tcss"
    COMMANDS = {SystemCommands, FieldCommands}  # Textual's system commands, found by their help's words too
    TITLE = "descend"
    AUTO_FOCUS = "#loss-plot"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]

    BINDINGS = keys.BINDINGS

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
                 surface: SurfaceSetup | None = None, experiment: Experiment | None = None,
                 judged: Judged | None = None) -> None:
        super().__init__()
        textual_patches.apply()  # Textual's methods replaced to lay out and draw less per event
        self.lesson = lesson
        """The lesson open in the why panel (``None``: no lesson)."""
        self.race_setup = race
        """A race to open on start (a race lesson or a race setup file)."""
        self.surface_setup = surface
        """A surface walk to open on start (a surface setup file)."""
        self.set_reactive(DescendApp.speed, speed)
        self.cursor_blink = cursor_blink
        """Whether text fields blink their cursor (off in tests and screenshots)."""
        config = (config or ExperimentConfig()).validate()
        self.patience = config.early_stopping if config.early_stopping is not None else DEFAULT_PATIENCE
        """Early stopping's patience (kept while it is off: the loss plot marks where it would stop)."""
        self.start_build: Judged | None = None
        """A setup too big to build before the screen shows: built in the background once the app has opened, on
        the lecture's default experiment meanwhile (as a field change keeps the experiment in place)."""
        judged = judged if judged is not None and judged.config == config else None  # python -m tui judged it big
        if experiment is not None and experiment.config == config:  # python -m tui built it to check it
            self.session = Session(experiment)
        elif judged is not None or not is_quick([config]):
            self.start_build = judged or Judged(config)
            config = ExperimentConfig().validate()
            self.session = build_session(config)
            self.building = self.start_build.config  # what the screen shows from its first frame: the setup on its way
            if self.start_build.plan is not None:  # its lengths as python -m tui judged them (not judged again)
                self.plan_coming(self.start_build.plan)
        else:
            self.session = build_session(config)
        self.config = config
        self.handle_signals = handle_signals
        self.quit_grace = QUIT_GRACE
        """Seconds a signalled quit may take before the process ends with HUNG_QUIT_STATUS."""
        self._fresh_run()
        self._init_run_control()
        self._dirty = True
        self._plot_due = 0.0
        self.frames_drawn = 0
        self._map = LearnedMap(id="learned", captioned=True)
        self._inside = InsidePanel(id="inside")
        self._init_inside()

    # -- layout ----------------------------------------------------------------------------
    def get_default_screen(self) -> SettledScreen:
        # Textual's default screen, styled once as it opens; its lower panels follow its size
        return SettledScreen(id="_default", follow_size=lambda size: self._show_lower(size.width, size.height))

    def update_styles(self, node: DOMNode, animate: bool = True) -> None:
        """Textual's restyle of ``node`` after a class change, skipped while ``node`` is not in the DOM yet:
        its mount styles it anyway. Textual widgets set classes in their constructors (``Input``'s value and
        ``compact``, ``Select``'s ``compact``), and Textual styled each such widget there, alone and uncached,
        once per class: about a third of the control panel's start."""
        if node is self or node.is_attached:
            super().update_styles(node, animate=animate)

    def compose(self) -> ComposeResult:
        self._controls = ControlPanel(self.building or self.config, train_size=self.totals.train_size, patience=self.patience,
                                      monitors=self.session.experiment.monitors, id="controls")
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

    def show_titles(self) -> None:
        """The panels' titles in the app's language (again after K)."""
        self.learned_map.border_title = i18n.t("panel.learned")
        self.inside_panel.border_title = i18n.t("panel.carries")
        self.controls.border_title = i18n.t("panel.experiment")
        self.why_panel.border_title = i18n.t("ui.lessons.card") if self.lesson else i18n.t("panel.why")

    def on_mount(self) -> None:
        self.metric_plot.log_scale = False
        self.loss_plot.border_title = "loss"
        self.metric_plot.border_title = metric_label(self.session.experiment.metric, short=False)
        self.show_titles()
        self._show_lower()
        self._show_inside()
        self.set_interval(REDRAW_INTERVAL, self._redraw)
        self.driver.max_rate = self.speed
        self._show_experiment()
        if self.start_build is not None:
            self.then = self._open_start_view  # the race or walks a setup file opens on are of the setup being built
            judged, self.start_build = self.start_build, None  # its rows, if read, are held by the build only
            self.call_after_refresh(partial(self.rebuild, judged.config, judged=judged))
        else:
            self._open_start_view()
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
        ``quit_grace`` seconds later if the orderly exit has not (training is halted by then), with its own exit
        status (HUNG_QUIT_STATUS)."""
        end_if_shutdown_hangs(self.quit_grace, HUNG_QUIT_STATUS)
        self.run_worker(self.action_quit(), exclusive=False)

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
        Asked while quitting, it answers before reading the screen: a footer may ask once the screens are gone,
        and ``self.screen`` then raises ``ScreenStackError``.
        """
        if self.return_code is not None or not self.screen_stack:
            return False
        if action == "toggle_run" and (self.screen.is_modal or
                                       any(isinstance(s, (RaceScreen, SurfaceScreen)) for s in self.screen_stack)):
            return False
        return not (action == "toggle_why" and self.screen is not self.screen_stack[0])

    async def action_quit(self) -> None:
        """Stop training (in every view) and exit, restoring the terminal."""
        for view in self._views():
            view.halt()
        self.exit()

    def on_unmount(self) -> None:
        self.halt()


def make_app(config: ExperimentConfig | None = None, *, handle_signals: bool = False, cursor_blink: bool = True,
             race: sharing.RaceSetup | None = None, lesson: lessons.Lesson | None = None,
             speed: float | None | str = "lesson", lang: str = i18n.LANGUAGES[0],
             surface: SurfaceSetup | None = None, experiment: Experiment | None = None,
             judged: Judged | None = None) -> DescendApp:
    """The app ``python -m tui`` runs (tests build it the same way, with a small config). ``speed``: updates
    per second at start (``None``: max); by default the lesson's, or ``DEFAULT_SPEED``. ``lang``: the
    language it starts in (each new app starts in it, whatever an earlier app switched to). ``experiment``:
    the config's experiment if already built (not built twice); ``judged``: the config judged too big to build
    before the app opens (``python -m tui``), not judged again."""
    i18n.set_language(lang)
    if speed == "lesson" and lesson is None:
        speed = DEFAULT_SPEED
    if lesson is not None:
        config, race = lesson.setup.config, lesson.setup.race
        speed = lesson.speed if speed == "lesson" else speed
    return DescendApp(config, handle_signals=handle_signals, cursor_blink=cursor_blink, race=race, lesson=lesson,
                      speed=speed, surface=surface, experiment=experiment, judged=judged)
