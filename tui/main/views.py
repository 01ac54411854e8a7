"""``OtherViews``: the main view's keys that open another view (race, surfaces, lessons, help) or switch language."""

from __future__ import annotations

from engine import ConfigError, ExperimentConfig, build_experiment, race as races, sharing
from tui import i18n, lessons
from tui.lessons.menu import LessonMenu
from tui.main.keys import help_extra
from tui.race.screen import RaceScreen
from tui.surface.screen import SurfaceScreen
from tui.widgets.footer import KeysFooter
from tui.widgets.help_screen import HelpScreen

SURFACE_SPEED = 30
"""Updates per second of the surface view when the main view runs flat out: a walk stays watchable."""


class OtherViews:
    """Mixed into ``DescendApp``: uses its ``config``, ``status``, ``speed``, ``lesson``, ``screen_stack``."""

    def action_race(self) -> None:
        """Race optimizers (or learning rates, losses, batch sizes) on this experiment, overlaid and ranked."""
        self._open_race(None)

    def _open_race(self, setup: sharing.RaceSetup | None) -> None:
        """Open the race view; a line-up that cannot run (e.g. K copies over the memory budget) is refused
        in one line and the main view goes on as it was."""
        try:
            if setup is None:
                screen = RaceScreen(self.config)
            else:
                screen = RaceScreen(self.config, setup.field, race_values(self.config, setup), lesson=self.lesson,
                                    target_loss=setup.target_loss)
        except ConfigError as exc:
            self.notify(str(exc), severity="error", timeout=6, markup=False)
            return
        if self.status == "running":
            self.action_toggle_run()  # one thing trains at a time
        self.push_screen(screen)

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
        """Switch the app's words between English and Korean (한국어): keys, palette, help, panels, lessons."""
        langs = i18n.LANGUAGES
        i18n.set_language(langs[(langs.index(i18n.language()) + 1) % len(langs)])
        self._show_experiment()
        if isinstance(self.screen, RaceScreen):
            self.screen.show_notes()
        if isinstance(self.screen, SurfaceScreen):
            self.screen.show_lesson()
        for screen in self.screen_stack:  # what each widget draws from the words (counters, leaderboard), and the keys
            for widget in screen.query("*"):
                widget.refresh(layout=True)
            for footer in screen.query(KeysFooter):
                footer.refresh(recompose=True)
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
            self.push_screen(HelpScreen(list(self.BINDINGS), help_extra()))


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
