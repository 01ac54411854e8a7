"""``ShareActions``: keys that take things out of the app — the setup (``w``), the history (``o``), a screenshot (``p``).

Files go to ``share_folder`` (the working directory unless set), named ``descend-YYYYmmdd-HHMMSS``
with the extension of their kind; every write is atomic (``engine.export.atomic_write``), and a
failure is a one-line notice, never a crash.
"""

from __future__ import annotations

import os
import time

from engine import export, race, sharing
from tui import i18n
from tui.svg_cells import pin_braille


def race_setup(session) -> sharing.RaceSetup:
    """The race view's line-up as a setup: optimizers at their learning rates, or the field's values (a setup's
    optimizers with settings of their own as it gave them), and its target loss."""
    return line_up_setup(session.field, session.values, session.target_loss)


def line_up_setup(field: str, values, target_loss: float | None) -> sharing.RaceSetup:
    """``race_setup`` of a line-up given as ``tui.race.session.line_up`` takes it."""
    if field == "optimizer" and not isinstance(values, str):
        values = tuple(name if lr is None else f"{name}:learning_rate={lr!r}" for name, lr in values)
    else:
        text = values if isinstance(values, str) else ",".join(map(str, values))
        values = sharing.race_values(field, race.parse_values(field, text))
    return sharing.RaceSetup(field, values, target_loss)


class ShareActions:
    """Mixin for the app. The host provides ``config``, ``building`` (a setup being built, or ``None``),
    ``session.recorder`` (the main run's ``Recorder``), ``screen`` and Textual's ``save_screenshot`` and
    ``notify``; a race view on top provides its own ``session`` (with ``base``, ``field``, ``values`` and
    ``recorder``) and ``building_line_up``, a surface view its ``scene``."""

    share_folder: str = "."

    def _share_path(self, extension: str) -> str:
        """``descend-<time><extension>`` in ``share_folder``; ``-2``, ``-3``… if the second already has one."""
        base = os.path.join(self.share_folder, f"descend-{time.strftime('%Y%m%d-%H%M%S')}")
        path, n = base + extension, 1
        while os.path.exists(path):  # two saves in one second (w, then W in the surface view) keep both
            n += 1
            path = f"{base}-{n}{extension}"
        return path

    def _shared_setup(self) -> sharing.Setup:
        scene = getattr(self.screen, "scene", None)
        if scene is not None and hasattr(scene, "setup"):  # the surface view: its walk
            return sharing.Setup(self.config, surface=scene.setup())
        session = getattr(self.screen, "session", None)
        if session is not None and hasattr(session, "field"):
            building = self.screen.building_line_up  # the line-up the race view is building, if any
            if building is not None:
                return sharing.Setup(self.screen.base, line_up_setup(*building))
            return sharing.Setup(session.base, race_setup(session))
        return sharing.Setup(self.building or self.config)  # the one the panel shows: being built, or in place

    def _shared_recorder(self) -> export.Recorder:
        session = getattr(self.screen, "session", None)
        return session.recorder if session is not None and hasattr(session, "field") else self.session.recorder

    def action_save_setup(self) -> None:
        """Save this setup (the race's in the race view) to a TOML file: python -m tui FILE opens it again."""
        path = self._share_path(".toml")
        try:
            sharing.save(path, self._shared_setup())
        except ValueError as exc:
            self.notify(i18n.t("ui.share.failed", reason=i18n.message(exc)), severity="error", timeout=5)
            return
        self.notify(i18n.t("ui.share.saved_setup", path=path), timeout=4)

    def action_export_history(self) -> None:
        """Export every update and every epoch so far to CSV and JSON files."""
        csv_path, json_path = self._share_path(".csv"), self._share_path(".json")
        recorder = self._shared_recorder().snapshot()
        try:
            recorder.write(csv_path)
            recorder.write(json_path)
        except ValueError as exc:
            self.notify(i18n.t("ui.share.failed", reason=i18n.message(exc)), severity="error", timeout=5)
            return
        self.notify(i18n.t("ui.share.exported", csv=csv_path, json=json_path), timeout=4)

    def export_screenshot(self, *, title: str | None = None, simplify: bool = False) -> str:
        """Textual's SVG of the screen, each braille cell pinned to its place (``tui.svg_cells``), so plots
        look the same in every SVG viewer (``save_screenshot`` writes this)."""
        return pin_braille(super().export_screenshot(title=title, simplify=simplify))

    def action_screenshot(self) -> None:
        """Save the screen as an SVG, for slides."""
        path = self._share_path(".svg")
        try:
            self.save_screenshot(os.path.basename(path), os.path.dirname(path) or ".")
        except OSError as exc:
            reason = i18n.message(exc.strerror or str(exc))  # the system's words, in the app's language
            self.notify(i18n.t("ui.share.failed", reason=reason), severity="error", timeout=5)
            return
        self.notify(i18n.t("ui.share.screenshot", path=path), timeout=4)
