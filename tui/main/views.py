"""``OtherViews``: the main view's keys that open another view (race, surfaces, lessons, help) or switch language."""

from __future__ import annotations

from engine import sharing
from tui import i18n, lessons
from tui.lessons.menu import LessonMenu
from tui.main.keys import help_extra
from tui.race.building import race_configs
from tui.race.screen import RaceScreen
from tui.race.session import DEFAULT_LINE_UP, RaceSession, race_values
from tui.surface.screen import SurfaceScreen
from tui.widgets.footer import KeysFooter
from tui.widgets.loss_plot import LossPlot
from tui.widgets.help_screen import HelpScreen

SURFACE_SPEED = 30
"""Updates per second of the surface view when the main view runs flat out: a walk stays watchable."""


class OtherViews:
    """Mixed into ``DescendApp``: uses its ``config``, ``status``, ``speed``, ``lesson``, ``race_setup``,
    ``surface_setup``, ``screen_stack`` and ``Building``'s ``build_setup``, ``builds`` and ``building_note``."""

    opening_race: bool = False
    """Whether a race is being built in the background, to open the race view on once ready."""

    ready_race: tuple[int, RaceScreen] | None = None
    """A race built in the background while another screen was on top, with its request: opened on return unless
    a newer request (``builds.latest``: a new experiment, a lesson, another race) came meanwhile."""

    watching_screens: bool = False
    """Whether a change of screen asks ``_open_ready_race`` again."""

    def _open_start_view(self) -> None:
        """The view a surface lesson, a race lesson or a setup file opens on (once the first refresh is shown)."""
        if self.lesson is not None and self.lesson.surface is not None:
            self.call_after_refresh(self._open_surface_lesson, self.lesson)
        elif self.race_setup is not None:
            self.call_after_refresh(self._open_race, self.race_setup)
        elif self.surface_setup is not None:
            self.call_after_refresh(lambda: self.push_screen(
                SurfaceScreen(self.config, speed=self.speed or SURFACE_SPEED, setup=self.surface_setup)))

    async def action_race(self) -> None:
        """Race optimizers (or learning rates, losses, batch sizes) on this experiment, overlaid and ranked."""
        await self._open_race(None)

    async def _open_race(self, setup: sharing.RaceSetup | None) -> None:
        """Open the race view on ``setup`` (``None``: the default line-up of optimizers) — at once if its race
        is quick to build, else once built in the background (``Background.build_setup``). A line-up that cannot
        run (e.g. K copies over the memory budget) is refused in one line and the main view goes on as it was."""
        if note := self.building_note():  # a race of the experiment being replaced, or one already on its way
            self.notify(note, timeout=3)
            return
        config, field, values, options = self.config, "optimizer", DEFAULT_LINE_UP, {}
        if setup is not None:
            field, values = setup.field, race_values(config, setup)
            options = {"lesson": self.lesson, "target_loss": setup.target_loss}
        target = options.get("target_loss")
        await self.build_setup(lambda: race_configs(config, field, values),
                               lambda: RaceSession(config, field, values, target), group="build",
                               description="building the race", waiting=self._await_race_view,
                               built=lambda session: self._race_view_built(RaceScreen(
                                   config, field, values, session=session, **options)),
                               refused=self._race_view_refused)

    def _await_race_view(self) -> None:
        """A race is on its way: the main view pauses (one thing trains at a time) and says so."""
        self._stop_for_race()
        self.opening_race = True
        self._show_counts()

    def _stop_for_race(self) -> None:
        if self.status == "running":
            self.action_toggle_run()  # one thing trains at a time

    def _race_view_built(self, screen: RaceScreen) -> None:
        """Open the race view on the race built (at once, or once the screen on top closes)."""
        self._stop_for_race()
        if self.opening_race:
            self.opening_race = False
            self._show_counts()
        if self.return_code is None:
            self.ready_race = (self.builds.latest, screen)
            self._open_ready_race()

    def _race_view_refused(self, reason: str, late: bool) -> None:
        if late and self.return_code is None:
            self.opening_race = False
            self._show_counts()

    def _open_ready_race(self, *_) -> None:
        """Open the race built in the background as soon as the main view is on top: at once, or once help,
        the palette or the lesson menu opened meanwhile closes (the user asked for it and waited). Dropped if
        a newer request came meanwhile (a new experiment, a lesson, another race)."""
        if self.ready_race is None or self.return_code is not None:
            return
        request, screen = self.ready_race
        if request != self.builds.latest:
            self.ready_race = None
        elif self.screen is self.screen_stack[0]:
            self.ready_race = None
            self.push_screen(screen, lambda _: self._lesson_left(screen.lesson))
        elif not self.watching_screens:  # asked again after each change of screen, behind what that change runs
            self.watching_screens = True  # (a palette's command, a chosen lesson: queued before this call)
            self.screen_change_signal.subscribe(self, lambda _: self.call_later(self._open_ready_race))

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
        self.then = None  # the view a setup file opens on once built: the lesson replaces that setup
        self.speed = lesson.speed
        self.lower = "why"  # the card lives in the why panel
        self.lower_open = True
        self._show_lower()  # the card's rows (``-card``), whether or not lower and lower_open changed
        await self.rebuild(lesson.setup.config)  # lecture-sized: built at once
        self.notify(i18n.t("ui.lessons.opened", title=lesson.text("title")), timeout=3)
        if lesson.surface is not None:
            self._open_surface_lesson(lesson)
        elif lesson.setup.race is not None:
            await self._open_race(lesson.setup.race)

    def _open_surface_lesson(self, lesson: lessons.Lesson) -> None:
        self.push_screen(SurfaceScreen(self.config, speed=lesson.speed, lesson=lesson), lambda _: self._lesson_left(lesson))

    def _lesson_left(self, lesson: lessons.Lesson | None) -> None:
        """Back (escape) from a race or surface lesson's view: its card says what to do there, not here (space here
        trains this experiment alone), so the main view closes it and shows its own why panel. Another lesson opened
        meanwhile (``open_lesson`` pops the view without this answer) keeps its card."""
        if lesson is not None and self.lesson is lesson:
            self.lesson = None
            self._show_lower()
            self._show_experiment()

    def action_language(self) -> None:
        """Switch the app's words between English and Korean (한국어): keys, palette, help, panels, lessons."""
        langs = i18n.LANGUAGES
        i18n.set_language(langs[(langs.index(i18n.language()) + 1) % len(langs)])
        self._show_experiment()
        self.show_titles()
        self.controls.show_words()
        self._show_inside_words()
        for screen in self.screen_stack:  # each view's words, whether or not it still updates (help may be on top)
            if isinstance(screen, RaceScreen):
                screen.show_notes()
            if isinstance(screen, (SurfaceScreen, HelpScreen, LessonMenu)):
                screen.show_words()
        for screen in self.screen_stack:  # what each widget draws from the words (counters, leaderboard), and the keys
            for widget in screen.query("*"):
                widget.refresh(layout=True)
            for footer in screen.query(KeysFooter):
                footer.refresh(recompose=True)
            for plot in screen.query(LossPlot):
                plot.show_words()
        self.notify(i18n.t("ui.language.switched"), timeout=2)

    def action_surfaces(self) -> None:
        """Optimizers walking 2-D loss surfaces, the lecture's batch picture, and this network's landscape."""
        if self.screen is not self.screen_stack[0]:
            return  # from the main view only
        if note := self.building_note():  # its network landscape would be of the experiment being replaced
            self.notify(note, timeout=3)
            return
        if self.status == "running":
            self.action_toggle_run()  # one thing trains at a time
        self.push_screen(SurfaceScreen(self.config, speed=self.speed or SURFACE_SPEED))

    def action_help(self) -> None:
        """Show every key binding."""
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(list(self.BINDINGS), help_extra))
