"""``RaceScreen``: the race view — contestants learning the same problem from the same start, overlaid and ranked.

Its parts, one concept a module: ``keys`` (bindings and help rows), ``progress`` (the worker and its
reports), ``plot`` (the status line, curves, target and marks drawn), ``controls`` (the view's own keys);
here the layout, a new or reset line-up, the notes, leaving, help and palette."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.widgets import Static

from engine import ConfigError, ExperimentConfig, text_of
from tui import i18n, why
from tui.driver import Driver
from tui.lessons.card import lesson_text
from tui.palette import binding_commands
from tui.race import keys
from tui.race.controls import RaceControls
from tui.race.inside import RaceInside
from tui.race.building import RaceBuilding, race_configs
from tui.race.leaderboard import Leaderboard
from tui.race.panel import RacePanel
from tui.race.plot import REDRAW_INTERVAL, RacePlot
from tui.race.progress import RaceIteration, RaceProgress
from tui.race.session import DEFAULT_LINE_UP, RaceSession
from tui.race.track import Track
from tui.report import X_AXES
from tui.run_control import RunControl
from tui.settled_screen import SettledScreen
from tui.widgets.footer import KeysFooter
from tui.widgets.help_screen import HelpScreen
from tui.widgets.loss_plot import LossPlot
from tui.widgets.scroll_text import ScrollText


PANEL_SHOWN_FROM = 110
"""Columns from which the field panel shows beside the plot as the race view opens (``f`` toggles it)."""

PANEL_SLIM_BELOW = 80
"""Under this many columns the field panel takes only the width its widest row needs (``-slim``), so the
leaderboard beside it keeps each contestant's name, loss and state on one line (at 60 columns the state read
``st``/``at``/``us``, folded two cells a line)."""
CARD_ROOM_FROM = 24
"""From this many rows a lesson's card under 30 rows takes 5 rows, not 4 (``-roomy``): at 80×24 its title and what
to do (two lines) show whole; at 60×20 the plot keeps its 8 rows. Under it the stage is ``-low``: the leaderboard
gives way while the card is read (tab)."""


class RaceScreen(RaceBuilding, RaceProgress, RacePlot, RaceControls, RunControl, SettledScreen[None]):
    """K contestants (optimizers by default) trained in lockstep; one loss plot, one leaderboard."""

    AUTO_FOCUS = "#race-plot"

    BINDINGS = keys.BINDINGS

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
                 target_loss: float | None = None, session: RaceSession | None = None) -> None:
        super().__init__()
        self.base = base
        """The main view's config: data, model, loss, batch size, epochs, seed."""
        self.lesson = lesson
        """The race lesson shown in the notes (``None``: the optimizers' why texts)."""
        if values is None:
            values = DEFAULT_LINE_UP
        self.session = session or RaceSession(base, field, values, target_loss)
        """The race in place (``session``: one already built, in the background)."""
        self.tracks: list[Track] = []
        self.lr_changes: list[tuple[int, tuple[float, ...]]] = []
        """Learning-rate changes made mid-race: (contestant, its x on each of ``X_AXES`` then)."""
        self._positions: list[tuple[float, ...]] = []
        self.race_epoch = 0
        self.race_epochs = self.session.base.epochs
        """The race's length in epochs, as its reports (or a change made between steps) say."""
        self.race_iteration: RaceIteration | None = None
        """The last update's epoch and iteration, as the main view counts them (in a race of batch sizes, the
        longest epoch's, named); ``None`` before the first."""
        self.steps_per_second = 0.0
        self._init_run_control()
        self._dirty = True

    # -- layout ----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        self._head = Static(id="race-head")
        self._plot = LossPlot(id="race-plot")
        self._plot.can_focus = True  # where space, n, e, r act on the race
        self._board = Leaderboard(id="leaderboard")
        self._why = ScrollText(id="race-why", text_id="race-why-text")  # the notes, or a lesson's card
        self._why.set_class(self.app.size.height >= CARD_ROOM_FROM, "-roomy")
        self._inside = RaceInside(id="race-inside")
        self._panel = RacePanel(self.base, self.session.field, self.session.values, id="race-panel")
        self._panel.display = self.app.size.width >= PANEL_SHOWN_FROM
        self._panel.set_class(self.app.size.width < PANEL_SLIM_BELOW, "-slim")
        yield self._head
        with Horizontal(id="race-main"):
            with Vertical(id="race-stage", classes="-low" if self.app.size.height < CARD_ROOM_FROM else ""):
                yield self._plot
                yield self._inside
                yield self._board
                yield self._why
            if self._panel.display:  # else mounted when f first shows it: ~70 widgets a narrow view may never show
                yield self._panel
        yield KeysFooter(optional=["lessons", "cycle_inside", ("slower", "faster"), "toggle_log", "cycle_x",
                                   "toggle_why", "help", "reset"])  # (at 60 columns: q Quit shows)

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

    async def mounted_panel(self) -> RacePanel:
        """The field panel, mounted (a view too narrow to show it from the start mounts it when asked)."""
        if self._panel.parent is None:
            await self.query_one("#race-main", Horizontal).mount(self._panel)
        return self._panel

    @property
    def race(self):
        return self.session.race

    @property
    def driver(self) -> Driver:
        return self.session.driver

    def on_mount(self) -> None:
        self._plot.border_title = "loss"
        self._inside.display = False
        self._new_race(self.session)
        self._show_curves()  # the first frame draws the race (its first tick would: an empty frame first)
        self.set_interval(REDRAW_INTERVAL, self._redraw)

    def _new_race(self, session: RaceSession) -> None:
        self.halt()
        if session.base.epochs != self.base.epochs:  # a length set while this line-up was being built
            session.set_epochs(self.base.epochs)
        self.session = session
        self.asked_length = None
        session.driver.max_rate = self.app.speed
        self.tracks = [Track(c.initial_loss) for c in session.contestants]
        self.lr_changes = []
        self._positions = [(0.0,) * len(X_AXES) for _ in session.contestants]
        self._board.contestant_colors = session.colors
        self._board.standings = session.standings()  # before any worker steps it
        self.race_epoch, self.race_epochs = 0, self._board.standings.epochs
        self.race_iteration = None
        self.steps_per_second = 0.0
        self.status = "ready"
        self.show_notes()
        self._inside.line_up(session)
        self._dirty = True

    def show_notes(self) -> None:
        """The notes under the leaderboard: the lesson's card, or each optimizer's why text (of the line-up being
        built while one is), and the panels' titles (current language)."""
        session = self.session
        self._dirty = True  # the status line and plot, in the current language
        self._board.border_title = i18n.t("panel.leaderboard")
        self._panel.border_title = i18n.t("panel.field")
        self._panel.show_words()
        self._why.can_focus = self.lesson is not None  # tab reads the card at a larger size (fit_stage)
        if self.lesson is not None:
            self._why.border_title = i18n.t("ui.lessons.card")
            self._why.update(lesson_text(self.lesson.text("title"), self.lesson.lines()))
            self._why.set_class(False, "-empty")
            self._why.add_class("-lesson")
            self.fit_stage()
            return
        self._why.remove_class("-lesson")
        self._why.border_title = i18n.t("panel.why")
        field = session.field if self.building_line_up is None else self.building_line_up[0]
        shown = self.coming if self.coming is not None else [(c.label, c.config) for c in session.contestants]
        notes = [f"[b]{label}[/b]  {why.optimizer(config.optimizer)}" for label, config in shown]
        self._why.update("\n".join(notes) if field == "optimizer" else "")
        self._why.set_class(field != "optimizer", "-empty")
        self.fit_stage()

    def on_resize(self, event) -> None:
        """Before the screen's new layout (``SettledScreen.on_resize``, which runs next): the card's rows."""
        self._why.set_class(event.size.height >= CARD_ROOM_FROM, "-roomy")
        self.query("#race-stage").set_class(event.size.height < CARD_ROOM_FROM, "-low")
        self._panel.set_class(event.size.width < PANEL_SLIM_BELOW, "-slim")

    def fit_stage(self) -> None:
        """Say on the stage what shares it with the plot, for the stylesheet's rules: the maps or step sizes ``m``
        shows (``-inside``: under 30 rows they take half the height, the leaderboard and the notes give way), else a
        lesson's card being read (``-reading``, focused with tab: the card and the plot share the height). From the
        classes, which the styles follow only later."""
        why = self._why
        inside = self.inside != "none" and not self.building
        stage = self.query("#race-stage")
        stage.set_class(inside, "-inside")
        stage.set_class(why.has_class("-lesson") and not inside and self.focused is why, "-reading")

    def on_descendant_focus(self) -> None:
        self.fit_stage()

    def on_descendant_blur(self) -> None:
        self.fit_stage()

    # -- actions ---------------------------------------------------------------------------
    async def action_reset(self) -> None:
        """The same line-up from the start: same seed, same initial weights, same batches. A line-up being built
        starts from the start already (the race in place is the one it replaces)."""
        if self.building:
            return
        s = self.session
        await self.race_again(s.restarted, lambda: race_configs(s.base, s.field, s.values))

    def action_back(self) -> None:
        """Leave a setting being edited or the lesson's card being read; otherwise stop the race and go back to the main view."""
        focused = self.focused
        if focused is not None and (self._panel in focused.ancestors_with_self or focused is self._why):
            self._plot.focus()
            return
        self.halt()
        if self.is_active:  # only ever remove this view, never the one below it
            self.dismiss()

    def action_help(self) -> None:
        """Show the race view's keys."""
        self.app.push_screen(HelpScreen(list(self.BINDINGS), keys.help_rows, view="race"))

    async def action_quit(self) -> None:
        """Stop the race and exit, restoring the terminal."""
        await self.app.action_quit()

    def on_unmount(self) -> None:
        self.halt()

    @on(RacePanel.LineUp)
    async def _on_line_up(self, event: RacePanel.LineUp) -> None:
        base, field, values, target = self.base, event.field, event.values, self.session.target_loss
        await self.race_again(lambda: RaceSession(base, field, values, target),
                              lambda: race_configs(base, field, values), (field, values, target))

    @on(RacePanel.Epochs)
    def _on_epochs(self, event: RacePanel.Epochs) -> None:
        try:
            now = self.session.set_epochs(event.epochs)
        except ConfigError as exc:
            self._panel.refuse(text_of(exc))
            return
        self.base = self.session.base
        self._panel.show_epochs(self.base.epochs)  # the length in use: escape in the field puts it back
        self._panel.show_reason("")
        self.length_asked(event.epochs)
        if now is not None:  # made now, no thread steps the race: it says what the race has become
            self.race_epochs = now.epochs
            if self.status != "running" and now.started:
                self.status = "finished" if now.done else "paused"
            self.length_taken(now.epochs)
        self._dirty = True

    def show_length(self, epochs: int) -> None:
        """The epochs field (and the length a new line-up or more epochs take) say the length the race took
        (``length_taken``)."""
        self.session.base = self.base = self.session.base.replace(epochs=epochs)
        self._panel.show_epochs(epochs)

    # -- command palette ---------------------------------------------------------------------
    def commands(self):
        """Palette entries for this view, from its bindings (the app yields them while it is on top)."""
        return binding_commands(self, self.BINDINGS, view="race", title="palette.race")
