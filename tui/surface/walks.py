"""``WalkControl``: the surface view's walkers paced and steered.

Run, step, reset, the start point, the selected walker's learning rate and optimizer, the surface, the speed."""

from __future__ import annotations

import time

from engine import optimizers, surfaces
from tui.driver import SPEEDS
from tui.surface.scene import Scene, Walker

TICK = 1 / 20
"""Seconds between animation frames (steps are made and the canvas redrawn at most this often)."""

MAX_STEPS_PER_TICK = 20
"""At speed "max": updates of every walk per frame (400/s), so a walk stays visible as it moves."""


class WalkControl:
    """Mixin for the surface view: the actions on its walks.

    The host provides ``scene`` (a ``Scene``), ``status`` (ready, running, paused, finished), ``mode``
    (``"surface"`` or ``"landscape"``), ``selected``, ``speed`` (one of ``SPEEDS``), ``_dirty`` (redraw
    at the next tick), ``_redraw()`` and ``_apply(text)`` (one ``KEY=VALUE`` edit, refused in place).
    """

    scene: Scene
    _credit: float
    _last_tick: float

    def _tick(self) -> None:
        """One animation frame: the walks advance by what the speed has earned since the last one."""
        now = time.monotonic()
        dt, self._last_tick = now - self._last_tick, now
        if self.status == "running" and self.mode == "surface":
            if self.speed is None:
                due = MAX_STEPS_PER_TICK
            else:
                self._credit = min(self._credit + self.speed * dt, MAX_STEPS_PER_TICK)
                due = int(self._credit)
                self._credit -= due
            if due:
                self.scene.advance(due)
                self._dirty = True
            if self.scene.done:
                self.status = "finished"
        if self._dirty:
            self._redraw()

    def action_toggle_run(self) -> None:
        """Start the walks, or pause them (a finished set starts over)."""
        if self.mode != "surface":
            return
        if self.status == "running":
            self.status = "paused"
            return
        if self.scene.done:
            self.scene.reset()
        self._credit = 0.0
        self._last_tick = time.monotonic()
        self.status = "running"
        self._dirty = True

    def action_step(self) -> None:
        """One update of every walk."""
        if self.mode != "surface":
            return
        self.scene.advance(1)
        self.status = "finished" if self.scene.done else "paused"
        self._dirty = True

    def action_reset(self) -> None:
        """Every walk back to the start."""
        self.scene.reset()
        self._after_restart()

    def show_walkers(self, surface: str, names: list[str] | None = None) -> None:
        """``surface`` walked by these optimizers, each at the surface's own learning rate (a lesson's setup);
        ``None``: by its own walkers (on ``linreg`` the lecture's three batch sizes)."""
        self.scene.set_surface(surface)
        lr = {"learning_rate": self.scene.surface.learning_rate}
        if names is not None:
            self.scene.walkers = [Walker(name, dict(lr)) for name in names]
        self.scene.reset()
        self._after_restart()

    def show_surface(self, name: str) -> None:
        """Walk surface ``name`` (back from the network's landscape if it is shown)."""
        self.scene.set_surface(name)
        self.mode = "surface"
        self._after_restart()

    def _after_restart(self) -> None:
        self.selected = min(self.selected, len(self.scene.walks) - 1)
        if self.status == "finished":
            self.status = "ready"
        self._dirty = True

    def action_move_start(self, dx: int, dy: int) -> None:
        """Move the start point (the walks start over from it)."""
        if self.mode == "surface":
            self.scene.move_start(dx, dy)
            self._after_restart()

    def action_select(self, index: int) -> None:
        """Pick the walker that [ ] o and the edit field change."""
        if index < len(self.scene.walks):
            self.selected = index
            self._dirty = True

    def action_scale_lr(self, factor: float) -> None:
        """The selected walker's learning rate ×1.25 or ÷1.25, from its next step."""
        walk = self.scene.walks[self.selected]
        self._apply(f"learning_rate={float(walk.optimizer.learning_rate) * factor:.6g}")

    def action_cycle_optimizer(self) -> None:
        """The selected walker becomes the next optimizer in the registry (its walk starts over)."""
        names = optimizers.names()
        current = self.scene.walkers[self.selected].name
        self._apply(f"optimizer={names[(names.index(current) + 1) % len(names)]}")

    def _switch(self, step: int) -> None:
        names = surfaces.names()
        self.show_surface(names[(names.index(self.scene.surface.name) + step) % len(names)])

    def action_next_surface(self) -> None:
        """The next surface: quadratic, rosenbrock, beale, himmelblau, saddle, dip, linreg."""
        self._switch(1)

    def action_previous_surface(self) -> None:
        """The previous surface."""
        self._switch(-1)

    def action_batch_picture(self) -> None:
        """The lecture's batch picture: batch GD, mini-batch and SGD on y = wx + b."""
        self.show_surface("linreg")

    def action_slower(self) -> None:
        """Fewer updates per second."""
        self.speed = SPEEDS[max(SPEEDS.index(self.speed) - 1, 0)]
        self._dirty = True

    def action_faster(self) -> None:
        """More updates per second."""
        self.speed = SPEEDS[min(SPEEDS.index(self.speed) + 1, len(SPEEDS) - 1)]
        self._dirty = True
