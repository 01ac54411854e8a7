"""``ExponentialDecay``: the learning rate shrinks by ``decay_rate`` every ``decay_steps`` steps."""

from __future__ import annotations

import math

from engine.optimizers.schedules.base import LearningRateSchedule, check_number, check_steps


class ExponentialDecay(LearningRateSchedule):
    """Keras 3's ``ExponentialDecay``:

        p = step / decay_steps            (⌊step / decay_steps⌋ with staircase=True)
        lr(step) = initial_learning_rate · decay_rate ^ p

    Args:
        initial_learning_rate: the rate at step 0.
        decay_steps: > 0 (Keras's check).
        decay_rate: the factor per ``decay_steps`` steps.
        staircase: decay in whole jumps rather than continuously.
    """

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False, name="ExponentialDecay"):
        self.initial_learning_rate = check_number(name, "initial_learning_rate", initial_learning_rate)
        self.decay_steps = check_steps("decay_steps", decay_steps)
        self.decay_rate = check_number(name, "decay_rate", decay_rate)
        self.staircase = staircase
        self.name = name

    def __call__(self, step) -> float:
        p = float(step) / float(self.decay_steps)
        if self.staircase:
            p = math.floor(p)
        return float(self.initial_learning_rate) * float(self.decay_rate) ** p

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "decay_rate": self.decay_rate, "staircase": self.staircase, "name": self.name}
