"""``PolynomialDecay``: from the initial to the end rate along (1 - t/T)^power."""

from __future__ import annotations

import math

from engine.optimizers.schedules.base import LearningRateSchedule, check_number, check_steps


class PolynomialDecay(LearningRateSchedule):
    """Keras 3's ``PolynomialDecay`` (power=1 is linear decay):

        T = decay_steps;  s = min(step, T)
        cycle=True:  s = step,  T = decay_steps · max(1, ⌈step / decay_steps⌉)
        lr(step) = (initial_learning_rate - end_learning_rate) · (1 - s/T)^power + end_learning_rate

    Defaults: end_learning_rate=0.0001, power=1.0, cycle=False.
    """

    def __init__(self, initial_learning_rate, decay_steps, end_learning_rate=0.0001, power=1.0, cycle=False,
                 name="PolynomialDecay"):
        self.initial_learning_rate = check_number(name, "initial_learning_rate", initial_learning_rate)
        self.decay_steps = check_steps("decay_steps", decay_steps)
        self.end_learning_rate = check_number(name, "end_learning_rate", end_learning_rate)
        self.power = check_number(name, "power", power)
        self.cycle = cycle
        self.name = name

    def __call__(self, step) -> float:
        step, decay_steps = float(step), float(self.decay_steps)
        if self.cycle:
            decay_steps *= 1.0 if step == 0 else math.ceil(step / self.decay_steps)
        else:
            step = min(step, decay_steps)
        p = step / decay_steps
        initial, end = float(self.initial_learning_rate), float(self.end_learning_rate)
        return (initial - end) * (1 - p) ** float(self.power) + end

    def get_config(self) -> dict:
        return {"initial_learning_rate": self.initial_learning_rate, "decay_steps": self.decay_steps,
                "end_learning_rate": self.end_learning_rate, "power": self.power, "cycle": self.cycle,
                "name": self.name}
