"""The ``Optimizer`` base class: Keras 3's ``apply`` (clipping, weight decay, step count)."""

from __future__ import annotations

import math

import numpy as np


def check_positive(name: str, value, *, allow_zero: bool = False) -> float:
    """``float(value)``, or ``ValueError`` if it is not a finite number > 0 (≥ 0 with allow_zero)."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        bound = "≥ 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be a finite number {bound}, got {value!r}")
    return value


def check_unit(name: str, value, *, closed: bool = False) -> float:
    """``float(value)`` in [0, 1) (or [0, 1] when ``closed``), else ``ValueError``."""
    value = check_positive(name, value, allow_zero=True)
    if value > 1 or (value == 1 and not closed):
        raise ValueError(f"{name} must be in [0, 1{']' if closed else ')'}, got {value!r}")
    return value


class Optimizer:
    """Updates a list of parameter arrays in place from a list of gradient arrays.

    ``apply(grads, params)`` follows Keras 3's ``BaseOptimizer.apply``:

        1. clip gradients (clipnorm per array, clipvalue elementwise, or global_clipnorm);
        2. decoupled weight decay:  θ ← θ - θ · weight_decay · lr;
        3. ``update_step(g, θ, i)`` for every array — the maths of the subclass;
        4. ``iterations += 1``.

    State (moments, accumulators) is created once, lazily, by ``build`` on the first
    ``apply``; later calls must pass arrays of the same shapes in the same order.
    Hyperparameters are plain attributes: assigning ``opt.learning_rate = 0.1`` takes
    effect from the next ``apply``.
    """

    name = "optimizer"

    def __init__(
        self,
        learning_rate: float = 0.001,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        name: str | None = None,
    ):
        self.learning_rate = check_positive("learning_rate", learning_rate)
        self.weight_decay = None if weight_decay is None else check_positive("weight_decay", weight_decay, allow_zero=True)
        self.clipnorm = None if clipnorm is None else check_positive("clipnorm", clipnorm)
        self.clipvalue = None if clipvalue is None else check_positive("clipvalue", clipvalue)
        self.global_clipnorm = None if global_clipnorm is None else check_positive("global_clipnorm", global_clipnorm)
        if sum(x is not None for x in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError("only one of clipnorm, clipvalue and global_clipnorm can be set")
        if name is not None:
            self.name = name
        self.iterations = 0
        self.built = False

    # -- state -----------------------------------------------------------------
    def build(self, variables: list[np.ndarray]) -> None:
        """Create the optimizer's state for ``variables``. Subclasses extend, then call super."""
        self.built = True

    @staticmethod
    def zeros_like(variables: list[np.ndarray], fill: float = 0.0) -> list[np.ndarray]:
        """One float64 state array per variable, filled with ``fill``."""
        return [np.full(np.shape(v), fill, dtype=np.float64) for v in variables]

    # -- the step ---------------------------------------------------------------
    def apply(self, grads: list[np.ndarray], variables: list[np.ndarray]) -> None:
        """One update of every array in ``variables`` (in place) from ``grads``."""
        if len(grads) != len(variables):
            raise ValueError(f"got {len(grads)} gradients for {len(variables)} variables")
        if not self.built:
            self.build(variables)
        grads = self._clip(grads)
        if self.weight_decay:
            decay = self.weight_decay * self.learning_rate
            for v in variables:
                v -= v * decay
        for index, (g, v) in enumerate(zip(grads, variables)):
            self.update_step(g, v, index)
        self.iterations += 1

    def update_step(self, gradient: np.ndarray, variable: np.ndarray, index: int) -> None:
        """Update ``variable`` in place; ``index`` selects its state arrays."""
        raise NotImplementedError

    def _clip(self, grads: list[np.ndarray]) -> list[np.ndarray]:
        if self.clipvalue is not None:
            return [np.clip(g, -self.clipvalue, self.clipvalue) for g in grads]
        if self.clipnorm is not None:
            return [_clip_by_norm(g, self.clipnorm) for g in grads]
        if self.global_clipnorm is not None:
            norm = math.sqrt(sum(float(np.sum(g * g)) for g in grads))
            if norm > self.global_clipnorm:
                return [g * (self.global_clipnorm / norm) for g in grads]
        return grads

    # -- description ------------------------------------------------------------
    def hyperparameters(self) -> dict[str, float | bool]:
        """The tunable hyperparameters and their current values (config minus bookkeeping)."""
        skip = {"name", "weight_decay", "clipnorm", "clipvalue", "global_clipnorm"}
        return {k: v for k, v in self.get_config().items() if k not in skip}

    def get_config(self) -> dict:
        return {
            "name": self.name,
            "learning_rate": self.learning_rate,
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "clipvalue": self.clipvalue,
            "global_clipnorm": self.global_clipnorm,
        }

    @classmethod
    def from_config(cls, config: dict) -> "Optimizer":
        return cls(**config)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.hyperparameters().items())
        return f"{type(self).__name__}({args})"


def _clip_by_norm(g: np.ndarray, clipnorm: float) -> np.ndarray:
    """Keras ``clip_by_norm``: ``g · clipnorm / max(‖g‖₂, clipnorm)``."""
    norm = math.sqrt(float(np.sum(g * g)))
    return g * (clipnorm / norm) if norm > clipnorm else g
