"""``Building``: the main view's new experiment — at once when small, in the background when big.

While a big one is built (``tui.background``) the screen stays live, the counters say ``building the
experiment…``, and the experiment in place stays (its run paused) until the new one is ready; a
refusal shows its one line in place and keeps it.
"""

from __future__ import annotations

from collections.abc import Callable

from engine import ExperimentConfig, build_experiment
from tui import i18n
from tui.background import Background, Judged
from tui.main.session import Session


def build_session(config: ExperimentConfig, dataset=None) -> Session:
    """``config``'s experiment (from ``dataset`` if already read) and the session that trains it (in any
    thread: Textual-free)."""
    return Session(build_experiment(config, dataset=dataset))


class Building(Background):
    """Mixed into ``DescendApp``: ``rebuild(config)`` switches to a new experiment, now or when built.

    Uses the app's ``config``, ``status``, ``controls``, ``session``, ``totals``, ``_reset_to``,
    ``_show_experiment`` and ``_show_counts``, and ``OtherViews``' ``opening_race`` (a race built for the experiment
    being replaced and waiting to open, ``ready_race``, is of an older request: ``_open_ready_race`` drops it).
    """

    building: ExperimentConfig | None = None
    """The config whose experiment is being built in the background (``None``: none is)."""

    then: Callable[[], None] | None = None
    """What to do once the experiment being built is in place, whichever request builds it (the view a setup
    file opens on); dropped if the build is refused."""

    async def rebuild(self, config: ExperimentConfig, *, row: str | None = None, judged: Judged | None = None) -> bool:
        """Switch to ``config``'s new experiment: at once if it is quick to build, else when the background
        has built it (``Background.build_setup``). A refusal shows its one line in place (``row``: the panel row
        that asked) and keeps the experiment in place, and a build under way. False if refused at once.
        ``judged``: ``config`` is known to be big (not asked again), built from the rows it holds if any."""
        dataset = judged.dataset if judged is not None else None
        return await self.build_setup(None if judged else lambda: [config],
                                      lambda: build_session(config, dataset=dataset), group="build",
                                      description="building the experiment", waiting=lambda: self._await(config),
                                      built=lambda session: self._switch_to(config, session),
                                      refused=lambda reason, late: self._show_refusal(reason, row, late=late))

    async def _await(self, config: ExperimentConfig) -> None:
        """``config``'s experiment is on its way: the run in place pauses (the build gets the machine; the run
        stays if the build fails) and the screen describes the setup coming."""
        self.opening_race = False  # a race on its way was of the experiment being replaced
        if self.status == "running":
            self.action_toggle_run()
        self.building = config
        self._show_experiment()  # the setup on its way, in the why panel and the counters
        await self.controls.show_config(config, self.totals.train_size)  # its batch menu labelled for its size

    async def _switch_to(self, config: ExperimentConfig, session: Session) -> None:
        self.building = None
        self.opening_race = False
        self.config = config
        self._reset_to(session)
        await self.controls.show_config(config, session.experiment.train_size)
        if self.then is not None:
            then, self.then = self.then, None
            then()

    async def refuse(self, reason: str, row: str | None) -> None:
        """Say why a setting was refused: on its row, and in a notice."""
        await self._show_refusal(reason, row)
        self.notify_refusal(reason)

    async def _show_refusal(self, reason: str, row: str | None, *, late: bool = False) -> None:
        """Show why a setting was refused on its row if one asked (the panel shows the setup being built, else the
        config in place). ``late``: the setup being built was refused; the screen shows the one in place again."""
        if late:
            self.building = None
            self.then = None
            self._show_experiment()
        if row is not None:
            await self.controls.show_config(self.building or self.config, refused=(row, reason))
        elif late:
            await self.controls.show_config(self.config, self.session.experiment.train_size)
        self._show_counts()

    def building_note(self) -> str | None:
        """What the counters say while a build is under way (``None``: none is)."""
        if self.opening_race:
            return i18n.t("ui.build.race")
        return None if self.building is None else i18n.t("ui.build.building")
