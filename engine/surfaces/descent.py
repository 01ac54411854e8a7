"""``Descent``: one engine optimizer walking a surface from a start point — its path, f along it, its status."""

from __future__ import annotations

import math

import numpy as np

from engine import checks, optimizers
from engine.surfaces.linreg import LinReg
from engine.surfaces.surface import Surface
from engine.wording import Wording

TOLERANCE = 1e-3
"""A walk has reached a minimum when its point is within this distance of one."""

DIVERGED_NORM = 1e6
"""A walk whose point, f or gradient stops being finite, or whose ‖θ‖ passes this, has diverged."""


class Descent:
    """``optimizer`` applied to the 2-vector θ, one update per ``step()``:

        g ← ∇f(θ)   (or, on ``linreg`` with a ``batch_size``, the gradient of the batch)
        optimizer.apply([g], [θ])

    The optimizer is the engine's own (``engine.optimizers``), so a path is exactly what that
    optimizer does with these gradients; its hyperparameters may be changed between steps
    (``descent.optimizer.learning_rate = 0.2`` applies from the next one).

    Args:
        surface: the ``Surface`` to walk.
        optimizer: a name, config dict or ``Optimizer`` (as ``optimizers.get`` takes).
        start: ``(x, y)``.
        steps: the most updates to make; after them a walk that has not arrived is ``"stopped"``.
        batch_size: ``linreg`` only: walk with the engine's ``Trainer`` at this batch size
            (``None`` → the full-data gradient, i.e. batch GD without the trainer).
        tol: distance to a minimum that counts as reaching it.
        label: the name to show (default: the optimizer's).

    State: ``path`` (list of ``(2,)`` points, start first), ``losses`` (f at each), ``status``
    (``"running"``, ``"reached"``, ``"diverged"``, ``"stopped"``), ``reached_at`` / ``ended_at``
    (the step where the walk ended).
    """

    def __init__(self, surface: Surface, optimizer, start, *, steps: int, batch_size: int | None = None,
                 tol: float = TOLERANCE, label: str | None = None):
        self.surface = surface
        self.optimizer = optimizers.get(optimizer)
        start = np.array(start, dtype=np.float64)
        if start.shape != (2,) or not np.all(np.isfinite(start)):
            raise ValueError(Wording("a start point is two finite numbers x,y, got {value}",
                                     value=repr(start.tolist())))
        self.steps = checks.whole_number("steps", steps, minimum=1, error=ValueError)
        self.tol = float(tol)
        self.batch_size = batch_size
        self.label = label or self.optimizer.name
        self.trainer = None
        if batch_size is not None:
            if not isinstance(surface, LinReg):
                raise ValueError(Wording("a batch size needs data: only linreg has it, not {surface}", surface=surface.name))
            epochs = -(-self.steps // -(-surface.samples // batch_size))
            self.trainer = surface.trainer(self.optimizer, start, batch_size, epochs)
            self.theta = self.trainer.model.params  # (w, b): the model's flat parameter vector
        else:
            self.theta = start
        self.path: list[np.ndarray] = [self.theta.copy()]
        self.losses: list[float] = [surface.loss(self.theta)]
        self.status = "running"
        self.ended_at: int | None = None
        self._check()

    @property
    def step_count(self) -> int:
        """Updates made so far."""
        return len(self.path) - 1

    @property
    def done(self) -> bool:
        return self.status != "running"

    @property
    def point(self) -> np.ndarray:
        return self.path[-1]

    @property
    def gradient_norm(self) -> float:
        """‖∇f‖ of the full surface at the current point."""
        with np.errstate(all="ignore"):
            return float(np.linalg.norm(self.surface.gradient(self.point)))

    def step(self) -> bool:
        """One update (if the walk is still running); ``True`` if one was made."""
        if self.done:
            return False
        with np.errstate(all="ignore"):
            if self.trainer is not None:
                self.trainer.step()
            else:
                self.optimizer.apply([self.surface.gradient(self.theta)], [self.theta])
            self.path.append(self.theta.copy())
            self.losses.append(self.surface.loss(self.theta))
        self._check()
        return True

    def run(self, steps: int | None = None) -> "Descent":
        """Step until done (or ``steps`` more updates)."""
        for _ in range(self.steps if steps is None else steps):
            if not self.step():
                break
        return self

    def _check(self) -> None:
        theta, f = self.path[-1], self.losses[-1]
        k = self.step_count
        if not (np.all(np.isfinite(theta)) and math.isfinite(f)) or float(np.linalg.norm(theta)) > DIVERGED_NORM:
            self.status, self.ended_at = "diverged", k
        elif self.distance_to_minimum() <= self.tol:
            self.status, self.ended_at = "reached", k
        elif k >= self.steps:
            self.status, self.ended_at = "stopped", k

    def distance_to_minimum(self) -> float:
        """Distance from the current point to the nearest global minimum (inf if there is none)."""
        minima = self.surface.minima
        if not len(minima):
            return math.inf
        return float(np.min(np.linalg.norm(minima - self.path[-1], axis=1)))

    def status_text(self) -> str:
        """The status in words: ``reached the minimum (within 0.001) at step 42``, ``diverged at step 7``… (steps
        grouped by thousands, as every counter: ``stopped after 2,000 steps``)."""
        if self.status == "reached":
            return Wording("reached the minimum (within {tol}) at step {step}", tol=f"{self.tol:g}",
                           step=f"{self.ended_at:,}")
        if self.status == "diverged":
            return Wording("diverged at step {step}", step=f"{self.ended_at:,}")
        if self.status == "stopped":
            distance = self.distance_to_minimum()
            if math.isinf(distance):
                return Wording("stopped after {steps} steps", steps=f"{self.ended_at:,}")
            return Wording("stopped after {steps} steps, {distance} from the minimum", steps=f"{self.ended_at:,}",
                           distance=f"{distance:.3g}")
        return Wording("running · step {step}", step=f"{self.step_count:,}")

    def to_dict(self) -> dict:
        """The run as the CLI's JSON has it: label, optimizer, path, loss, status (and details)."""
        return {
            "label": self.label,
            "optimizer": self.optimizer.name,
            "hyperparameters": self.optimizer.hyperparameters(),
            "batch_size": self.batch_size,
            "path": [p.tolist() for p in self.path],
            "loss": list(self.losses),
            "status": self.status,
            "status_text": self.status_text(),
            "ended_at": self.ended_at,
        }
