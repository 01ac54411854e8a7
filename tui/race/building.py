"""``RaceBuilding``: the race view's new line-up (or its restart) — at once when small, in the background when big.

A race builds every contestant and their initial-loss pass over the training set: a race of
200,000 samples takes ~2 s of CPU. While one is built (``tui.background``) the view stays live, its
status line says ``building the race…``, and the race in place stays (paused) until the new one is
ready; a refusal shows its one line under the field panel and keeps it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from engine import ExperimentConfig
from tui import i18n
from tui.background import Background
from tui.colors import optimizer_colors
from tui.race.session import RaceSession, line_up


def race_configs(base: ExperimentConfig, field: str, values: Sequence) -> list[ExperimentConfig]:
    """The contestants' configs of a line-up (``ConfigError``, one line, for an unusable one)."""
    return [entry.config for entry in line_up(base, field, values if isinstance(values, str) else list(values))]


class RaceBuilding(Background):
    """Mixed into ``RaceScreen``: uses its ``session``, ``base``, ``status``, ``panel``, ``leaderboard``,
    ``inside``, ``inside_view``, ``halt``, ``show_notes`` and ``_new_race``."""

    building: bool = False
    """Whether a new line-up is being built in the background."""

    building_line_up: tuple[str, object, float | None] | None = None
    """The line-up being built as ``(field, values, target loss)`` (``w`` saves it), or ``None``: none is, or
    it is a restart of the one in place."""

    coming: list[tuple[str, ExperimentConfig]] | None = None
    """The contestants being built, as (label, config): what the leaderboard and notes show meanwhile (``None``:
    no line-up is being built)."""

    async def race_again(self, build: Callable[[], RaceSession], configs: Callable[[], list[ExperimentConfig]],
                         line_up: tuple[str, object, float | None] | None = None) -> None:
        """Switch to the race ``build()`` makes (a new ``line_up``, or a restart): at once if quick to build
        (judged on its contestants' ``configs()``), else when built in the background (``Background.build_setup``).
        A refusal shows its one line under the field panel and changes nothing: a line-up being built goes on."""
        await self.build_setup(configs, build, group="race-build", description="building the race",
                               waiting=lambda: self._await_race(line_up), built=self._race_built,
                               refused=self._race_refused)

    def _await_race(self, asked: tuple[str, object, float | None] | None) -> None:
        """A line-up is on its way: the race in place stops (paused) until it is ready, and the leaderboard and
        notes show the line-up coming (a restart: the one in place, from its start), each contestant building."""
        self.halt()
        if self.status == "running":
            self.status = "paused"
        self.building, self.building_line_up = True, asked
        if asked is None:
            self.coming = [(c.label, c.config) for c in self.session.contestants]
        else:
            self.coming = [(entry.label, entry.config) for entry in line_up(self.base, asked[0], asked[1])]
        self.leaderboard.coming = tuple(zip((label for label, _ in self.coming),
                                            optimizer_colors([config.optimizer for _, config in self.coming])))
        self.show_notes()
        self.show_inside()
        self._dirty = True

    def _race_built(self, session: RaceSession) -> None:
        self._not_building()
        self.panel.show_reason("")
        self.panel.line_up = (session.field, session.values)  # in use now: escape in a field puts it back
        self._new_race(session)
        self.show_inside()

    def _race_refused(self, reason: str, late: bool) -> None:
        if late:  # the line-up being built: the race in place shows again
            self._not_building()
            self.show_notes()
            self.show_inside()
            self._dirty = True
        self.panel.show_reason(reason, scroll=True)  # (the notice: Background's)

    def _not_building(self) -> None:
        self.building, self.building_line_up, self.coming = False, None, None
        self.leaderboard.coming = None

    def show_inside(self) -> None:
        """The contestants' maps or step sizes under the plot, as ``m`` chose, except while a line-up is built: they
        are of the race in place, which it replaces."""
        self.inside_view.display = self.inside != "none" and not self.building
        self.fit_stage()

    def building_note(self) -> str | None:
        """What the status line says while a line-up is built (``None``: none is)."""
        return i18n.t("ui.build.race") if self.building else None
