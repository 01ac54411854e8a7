"""``Building``: the main view's new experiment — at once when small, in the background when big.

While a big one is built (``tui.background``) the screen stays live, the counters say ``building the
experiment…``, and the experiment in place stays (its run paused) until the new one is ready; a
refusal shows its one line in place and keeps it.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import work

from engine import ConfigError, ExperimentConfig, build_experiment
from tui import i18n
from tui.background import Background, is_quick, refusal
from tui.main.session import Session


def build_session(config: ExperimentConfig) -> Session:
    """``config``'s experiment and the session that trains it (in any thread: Textual-free)."""
    return Session(build_experiment(config))


class Building(Background):
    """Mixed into ``DescendApp``: ``rebuild(config)`` switches to a new experiment, now or when built.

    Uses the app's ``config``, ``status``, ``controls``, ``notify``, ``workers``, ``_reset_to`` and
    ``_show_counts``.
    """

    building: ExperimentConfig | None = None
    """The config whose experiment is being built in the background (``None``: none is)."""

    then: Callable[[], None] | None = None
    """What to do once the experiment being built is in place, whichever request builds it (the view a setup
    file opens on); dropped if the build is refused."""

    async def rebuild(self, config: ExperimentConfig, *, row: str | None = None) -> bool:
        """Switch to ``config``'s new experiment: at once if it is quick to build, else when the background
        has built it. A refusal shows its one line in place (``row``: the panel row that asked) and keeps
        the experiment in place, and a build under way. False if refused at once."""
        if is_quick([config]):
            try:
                session = build_session(config)
            except (ConfigError, MemoryError) as exc:
                await self._refuse(refusal(exc), row)  # changes nothing: a build under way goes on
                return False
            self.builds.request()  # a newer request: a build or race under way is dropped
            self.workers.cancel_group(self, "build")
            self.building = None
            self.opening_race = False
            self.ready_race = None  # nor a race built for the experiment being replaced, waiting to open
            await self._switch_to(config, session)
            return True
        request = self.builds.request()
        self.opening_race = False  # a race on its way was of the experiment being replaced
        self.ready_race = None
        if self.status == "running":
            self.action_toggle_run()  # the build gets the machine; the run stays if the build fails
        self.building = config
        self._show_experiment()  # the setup on its way, in the why panel and the counters
        await self.controls.show_config(config, self.totals.train_size)  # its batch menu labelled for its size
        self._build(config, row, request)
        return True

    @work(exclusive=True, group="build", description="building the experiment")
    async def _build(self, config: ExperimentConfig, row: str | None, request: int) -> None:
        """Await ``config``'s build in the background; switch to it unless a newer request came."""
        try:
            session = await self.builds.run(request, lambda: build_session(config))
        except (ConfigError, MemoryError) as exc:
            self.building = None
            self.then = None
            self._show_experiment()  # the experiment in place again
            await self._refuse(refusal(exc), row, restore=True)
            return
        if session is not None:
            self.building = None
            await self._switch_to(config, session)

    async def _switch_to(self, config: ExperimentConfig, session: Session) -> None:
        self.config = config
        self._reset_to(session)
        await self.controls.show_config(config, session.experiment.train_size)
        if self.then is not None:
            then, self.then = self.then, None
            then()

    async def _refuse(self, reason: str, row: str | None, *, restore: bool = False) -> None:
        """Say why a setting was refused: on its row if one asked (the panel shows the setup being built, else
        the config in place), and in a notice. ``restore``: the panel showed the refused setup being built;
        back to the one in place."""
        if row is not None:
            await self.controls.show_config(self.building or self.config, refused=(row, reason))
        elif restore:
            await self.controls.show_config(self.config, self.session.experiment.train_size)
        self._show_counts()
        self.notify(i18n.message(reason), severity="error", timeout=4, markup=False)

    def building_note(self) -> str | None:
        """What the counters say while a build is under way (``None``: none is)."""
        if self.opening_race:
            return i18n.t("ui.build.race")
        return None if self.building is None else i18n.t("ui.build.building")
