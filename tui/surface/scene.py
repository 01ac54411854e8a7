"""``Scene``: what the surface view shows — a surface, a start point, walkers — stepped in lockstep, no Textual."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from engine import checks, optimizers, surfaces
from engine import SurfaceSetup, WalkerSetup

START_STEP = 1 / 40
"""An arrow key moves the start by this fraction of the box."""

MAX_STEPS = 100_000
"""The most updates a walk may be given (``steps=`` in the edit field)."""


@dataclass
class Walker:
    """One walker to be: an optimizer (registry name), its hyperparameters, a batch size on linreg."""

    name: str
    options: dict = field(default_factory=dict)
    batch_size: int | None = None


class Scene:
    """A surface, a start, one ``surfaces.Descent`` per walker; ``advance(n)`` steps every walk n times.

    Changing the surface, the start, a walker's optimizer or the step budget restarts the walks;
    a hyperparameter (learning rate, momentum, β…) is set on the live optimizer and applies from
    the next step, as in the main view.
    """

    def __init__(self, surface: str = "quadratic", **params):
        self.set_surface(surface, **params)

    # -- setup ------------------------------------------------------------------------------
    def set_surface(self, name: str, **params) -> None:
        """Switch surface (its default start, steps and walkers); ``ValueError`` if unknown."""
        self.surface = surfaces.get(name, **params)
        self.start = np.array(self.surface.start, dtype=np.float64)
        self.steps = self.surface.steps
        lr = {"learning_rate": self.surface.learning_rate}
        if isinstance(self.surface, surfaces.LinReg):
            n = self.surface.samples
            self.walkers = [Walker("sgd", dict(lr), n if b == "full" else b) for b in surfaces.LINREG_BATCH_SIZES]
        else:
            self.walkers = [Walker(name, dict(lr)) for name in surfaces.DEFAULT_OPTIMIZERS]
        self.reset()

    def apply(self, setup: SurfaceSetup) -> None:
        """A setup file's walk: its surface (and settings), start, step budget and walkers; the walks restart."""
        self.set_surface(setup.name, **setup.params)
        self.start = np.array(setup.start, dtype=np.float64)
        self.steps = setup.steps
        self.walkers = [Walker(w.optimizer, dict(w.options), w.batch_size) for w in setup.walkers]
        self.reset()

    def setup(self) -> SurfaceSetup:
        """What ``apply`` takes: this scene as a setup file's ``[surface]`` (the walkers as set now)."""
        return SurfaceSetup(self.surface.name, (float(self.start[0]), float(self.start[1])), self.steps,
                                     tuple(WalkerSetup(w.name, dict(w.options), w.batch_size)
                                           for w in self.walkers), dict(self.surface.params()))

    def reset(self) -> None:
        """Every walk back at the start, from step 0, with fresh optimizer state."""
        self.walks = [self._walk(w) for w in self.walkers]

    def _walk(self, walker: Walker) -> surfaces.Descent:
        label = walker.name if walker.batch_size is None else \
            surfaces.batch_label(walker.name, walker.batch_size, self.surface.samples, 1)
        return surfaces.Descent(self.surface, optimizers.get(walker.name, **walker.options), self.start, steps=self.steps,
                       batch_size=walker.batch_size, label=label)

    # -- stepping ---------------------------------------------------------------------------
    @property
    def done(self) -> bool:
        return all(w.done for w in self.walks)

    @property
    def step_count(self) -> int:
        return max(w.step_count for w in self.walks)

    def advance(self, n: int = 1) -> int:
        """Up to ``n`` updates of every walk still running; returns how many rounds made progress."""
        made = 0
        for _ in range(n):
            if not any([w.step() for w in self.walks]):
                break
            made += 1
        return made

    # -- edits ------------------------------------------------------------------------------
    def move_start(self, dx: int, dy: int) -> None:
        """Move the start by (dx, dy) arrow presses (kept inside the box) and restart."""
        x0, x1, y0, y1 = self.surface.box
        self.start = np.array([np.clip(self.start[0] + dx * START_STEP * (x1 - x0), x0, x1),
                               np.clip(self.start[1] + dy * START_STEP * (y1 - y0), y0, y1)])
        self.reset()

    def set_start(self, x: float, y: float) -> None:
        if not (np.isfinite(x) and np.isfinite(y)):
            raise ValueError(f"start must be two finite numbers, got {x!r}, {y!r}")
        self.start = np.array([x, y], dtype=np.float64)
        self.reset()

    def set_steps(self, steps: int) -> None:
        self.steps = checks.whole_number("steps", steps, minimum=1, maximum=MAX_STEPS)
        self.reset()

    def set_optimizer(self, index: int, name: str) -> None:
        """Walker ``index`` becomes ``name`` at the surface's learning rate (its walk restarts)."""
        optimizers.get(name)  # unknown names raise here, before anything changes
        walker = self.walkers[index]
        self.walkers[index] = Walker(name, {"learning_rate": walker.options.get("learning_rate",
                                                                               self.surface.learning_rate)},
                                     walker.batch_size)
        self.walks[index] = self._walk(self.walkers[index])
        self._catch_up(index)

    def set_option(self, index: int, key: str, value) -> None:
        """Set one hyperparameter of walker ``index`` on its live optimizer (from the next step).

        The value is checked by building the optimizer with it; a refused value raises
        ``ValueError`` and changes nothing.
        """
        walker = self.walkers[index]
        fresh = optimizers.get(walker.name, **{**walker.options, key: value})
        walker.options[key] = value
        setattr(self.walks[index].optimizer, key, getattr(fresh, key))

    def _catch_up(self, index: int) -> None:
        """A restarted walk runs up to the others' step, so the walks stay in lockstep."""
        target = max((w.step_count for i, w in enumerate(self.walks) if i != index), default=0)
        self.walks[index].run(target)

    # -- facts ------------------------------------------------------------------------------
    def divergence_rates(self) -> list[float | None]:
        """Per walk, the learning rate above which it diverges (the quadratic's GD/momentum only)."""
        if not isinstance(self.surface, surfaces.Quadratic):
            return [None] * len(self.walks)
        return [self.surface.divergence_learning_rate(w.optimizer) for w in self.walks]
