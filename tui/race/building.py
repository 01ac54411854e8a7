"""``RaceBuilding``: the race view's new line-up (or its restart) — at once when small, in the background when big.

A race builds every contestant and their initial-loss pass over the training set: a race of
200,000 samples takes ~2 s of CPU. While one is built (``tui.background``) the view stays live, its
status line says ``building the race…``, and the race in place stays (paused) until the new one is
ready; a refusal shows its one line under the field panel and keeps it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual import work

from engine import ConfigError, ExperimentConfig
from tui import i18n
from tui.background import Background, is_quick, refusal
from tui.race.session import RaceSession, line_up


def race_configs(base: ExperimentConfig, field: str, values: Sequence) -> list[ExperimentConfig]:
    """The contestants' configs of a line-up (``ConfigError``, one line, for an unusable one)."""
    return [entry.config for entry in line_up(base, field, values if isinstance(values, str) else list(values))]


class RaceBuilding(Background):
    """Mixed into ``RaceScreen``: uses its ``session``, ``status``, ``panel``, ``halt``, ``notify``, ``workers``
    and ``_new_race``."""

    building: bool = False
    """Whether a new line-up is being built in the background."""

    building_line_up: tuple[str, object, float | None] | None = None
    """The line-up being built as ``(field, values, target loss)`` (``w`` saves it), or ``None``: none is, or
    it is a restart of the one in place."""

    def race_again(self, build: Callable[[], RaceSession], configs: Callable[[], list[ExperimentConfig]],
                   line_up: tuple[str, object, float | None] | None = None) -> None:
        """Switch to the race ``build()`` makes (a new ``line_up``, or a restart): at once if quick to build
        (judged on its contestants' ``configs()``), else when built in the background. A refusal changes
        nothing: a line-up being built goes on."""
        try:
            session = build() if is_quick(configs()) else None
        except (ConfigError, MemoryError) as exc:
            self._refuse_race(refusal(exc))
            return
        request = self.builds.request()  # a line-up under way is dropped
        if session is not None:
            if self.building:
                self.workers.cancel_group(self, "race-build")
                self.building, self.building_line_up = False, None
            self.panel.show_reason("")
            self._new_race(session)
            return
        self.halt()
        if self.status == "running":
            self.status = "paused"
        self.building, self.building_line_up = True, line_up
        self._dirty = True
        self._build_race(request, build)

    @work(exclusive=True, group="race-build", description="building the race")
    async def _build_race(self, request: int, build) -> None:
        try:
            session = await self.builds.run(request, build)
        except (ConfigError, MemoryError) as exc:
            self.building, self.building_line_up = False, None
            self._dirty = True
            self._refuse_race(refusal(exc))
            return
        if session is not None:
            self.building, self.building_line_up = False, None
            self.panel.show_reason("")
            self._new_race(session)

    def _refuse_race(self, reason: str) -> None:
        self.panel.show_reason(reason)
        self.notify(i18n.message(reason), severity="error", timeout=4, markup=False)

    def building_note(self) -> str | None:
        """What the status line says while a line-up is built (``None``: none is)."""
        return i18n.t("ui.build.race") if self.building else None
