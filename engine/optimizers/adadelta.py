"""Adadelta: steps scaled by the ratio of running RMS of updates and gradients (Keras ``'adadelta'``)."""

from __future__ import annotations

import numpy as np

from engine.optimizers.base import Optimizer, check_positive, check_unit


class Adadelta(Optimizer):
    """Keras 3 Adadelta. With ``g`` the gradient and rms(x) = √(x + ε) (a, d start at 0):

        a ← ρ · a + (1 - ρ) · g²
        Δ = -(rms(d) · g) / rms(a)
        d ← ρ · d + (1 - ρ) · Δ²
        θ ← θ + lr · Δ

    Defaults: learning_rate=0.001, rho=0.95, epsilon=1e-7.
    """

    name = "adadelta"
    formula = ("rho", "epsilon")
    slots = ("accumulated_grads", "accumulated_deltas")

    def __init__(self, learning_rate: float = 0.001, rho: float = 0.95, epsilon: float = 1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.rho = check_unit("rho", rho, closed=True)
        self.epsilon = check_positive("epsilon", epsilon, allow_zero=True)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.accumulated_grads = self.zeros_like(variables)
        self.accumulated_deltas = self.zeros_like(variables)

    def update_step(self, gradient, variable, index):
        rho, epsilon = self.rho, self.epsilon
        a, d = self.accumulated_grads[index], self.accumulated_deltas[index]
        s, t = self.scratch[index]
        np.square(gradient, out=s)
        s *= 1 - rho
        a *= rho
        a += s
        np.add(d, epsilon, out=s)
        np.sqrt(s, out=s)
        s *= gradient
        np.add(a, epsilon, out=t)
        np.sqrt(t, out=t)
        s /= t                                           # s = -Δ (negation is exact)
        np.square(s, out=t)
        t *= 1 - rho
        d *= rho
        d += t
        s *= self.learning_rate
        variable -= s                                    # θ + lr · Δ, bit for bit

    def effective_learning_rate(self):
        """``lr · √(d + ε) / √(a + ε)`` per parameter, from the state now (``d`` already holds the
        last update's Δ², so this is the scale the next update starts from)."""
        if not self.built:
            return None
        return [self.learning_rate * np.sqrt(d + self.epsilon) / np.sqrt(a + self.epsilon)
                for a, d in zip(self.accumulated_grads, self.accumulated_deltas)]

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "epsilon": self.epsilon}
