"""Adagrad: per-parameter steps shrinking with the sum of squared gradients (Keras ``'adagrad'``)."""

from __future__ import annotations

import numpy as np

from engine.optimizers.base import Optimizer, check_positive


class Adagrad(Optimizer):
    """Keras 3 Adagrad. With ``g`` the gradient:

        a ← a + g²                          (a starts at initial_accumulator_value)
        θ ← θ - (lr · g) / √(a + ε)

    Defaults: learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7.
    ``initial_accumulator_value`` is read once, when the state is built.
    """

    name = "adagrad"
    formula = ("epsilon",)
    slots = ("accumulators",)

    def __init__(self, learning_rate: float = 0.001, initial_accumulator_value: float = 0.1,
                 epsilon: float = 1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.initial_accumulator_value = check_positive(
            "initial_accumulator_value", initial_accumulator_value, allow_zero=True)
        self.epsilon = check_positive("epsilon", epsilon, allow_zero=True)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.accumulators = self.zeros_like(variables, self.initial_accumulator_value)

    def update_step(self, gradient, variable, index):
        a = self.accumulators[index]
        s, t = self.scratch[index]
        a += np.square(gradient, out=s)
        np.add(a, self.epsilon, out=s)
        np.sqrt(s, out=s)
        np.multiply(gradient, self.learning_rate, out=t)
        t /= s
        variable -= t

    def effective_learning_rate(self):
        """``lr / √(a + ε)`` per parameter: shrinks for good as ``a`` only grows."""
        if not self.built:
            return None
        return [self.learning_rate / np.sqrt(a + self.epsilon) for a in self.accumulators]

    def get_config(self):
        return {**super().get_config(), "initial_accumulator_value": self.initial_accumulator_value,
                "epsilon": self.epsilon}
