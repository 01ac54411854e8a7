"""``LearningRateSchedule``: a learning rate as a function of the optimizer's step count."""

from __future__ import annotations

import math

from engine import checks
from engine.wording import Wording


def check_number(schedule: str, arg: str, value) -> float:
    """``value`` (as given) if it is a finite real number, else a one-line ``ValueError``."""
    checks.number(f"{schedule}: {arg}", value)
    return value


def check_steps(arg: str, value):
    """Keras's check on ``decay_steps`` / ``first_decay_steps``: a number > 0, in its words."""
    check_number("schedule", arg, value)
    if value <= 0:
        raise ValueError(Wording("Argument `{arg}` must be > 0. Received: {arg}={value}", arg=arg, value=value))
    return value


class LearningRateSchedule:
    """Keras 3's ``keras.optimizers.schedules.LearningRateSchedule``.

    ``schedule(step)`` is the learning rate at optimizer step ``step`` (a float). An
    optimizer given one as ``learning_rate`` evaluates it at its ``iterations`` — the
    number of updates already applied — before each update, so the first update uses
    ``schedule(0)``. ``get_config()`` returns the constructor's arguments (Keras's keys)
    and ``from_config(config)`` rebuilds the schedule.
    """

    def __call__(self, step) -> float:
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `__call__(self, step)`.")

    def get_config(self) -> dict:
        raise NotImplementedError(
            f"Learning rate schedule '{type(self).__name__}' must override `get_config()` "
            "in order to be serializable.")

    @classmethod
    def from_config(cls, config: dict) -> "LearningRateSchedule":
        return cls(**config)

    def __eq__(self, other) -> bool:
        return type(self) is type(other) and self.get_config() == other.get_config()

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items() if k != "name")
        return f"{type(self).__name__}({args})"


class RateDecay(LearningRateSchedule):
    """What ``ExponentialDecay`` and ``InverseTimeDecay`` share (Keras gives both the same arguments):
    the progress ``p = step / decay_steps`` (``⌊step / decay_steps⌋`` with ``staircase``) that their
    formulas apply ``decay_rate`` to, their checks and their config."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name=None):
        name = name or type(self).__name__
        self.initial_learning_rate = check_number(name, "initial_learning_rate", initial_learning_rate)
        self.decay_steps = check_steps("decay_steps", decay_steps)
        self.decay_rate = check_number(name, "decay_rate", decay_rate)
        self.staircase = staircase
        self.name = name

    def progress(self, step) -> float:
        p = float(step) / float(self.decay_steps)
        return math.floor(p) if self.staircase else p

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name}
