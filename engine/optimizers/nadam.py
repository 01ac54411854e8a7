"""Nadam: Adam with Nesterov momentum and Dozat's momentum schedule (Keras ``'nadam'``)."""

from __future__ import annotations

import math

import numpy as np

from engine.optimizers.adam import update_moments
from engine.optimizers.base import Optimizer, check_positive, check_unit


class Nadam(Optimizer):
    """Keras 3 Nadam. At step t = iterations + 1, with ``g`` the gradient (m, v start at 0):

        uₜ = β₁ · (1 - 0.5 · 0.96ᵗ)                     the momentum schedule
        P ← P · β₁ · (1 - 0.5 · 0.96ᵗ)                  P = u₁·…·uₜ, starts at 1, advanced
                                                        once per apply, *before* the steps
        m ← m + (g - m) · (1 - β₁)
        v ← v + (g² - v) · (1 - β₂)
        m̂ = (uₜ₊₁ · m) / (1 - P · uₜ₊₁) + ((1 - uₜ) · g) / (1 - P)
        v̂ = v / (1 - β₂ᵗ)
        θ ← θ - (m̂ · lr) / (√v̂ + ε)

    Defaults: learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7.
    """

    name = "nadam"

    def __init__(self, learning_rate: float = 0.001, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-7, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = check_unit("beta_1", beta_1)
        self.beta_2 = check_unit("beta_2", beta_2)
        self.epsilon = check_positive("epsilon", epsilon, allow_zero=True)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.momentums = self.zeros_like(variables)
        self.velocities = self.zeros_like(variables)
        self.u_product = 1.0

    def update_all(self, grads, variables):
        step = float(self.iterations + 1)
        self.u_product = self.u_product * self.beta_1 * (1.0 - 0.5 * 0.96 ** step)
        super().update_all(grads, variables)

    def update_step(self, gradient, variable, index):
        beta_1, beta_2 = self.beta_1, self.beta_2
        step = float(self.iterations + 1)
        u_t = beta_1 * (1.0 - 0.5 * 0.96 ** step)
        u_next = beta_1 * (1.0 - 0.5 * 0.96 ** (step + 1))
        u_product = self.u_product
        u_product_next = u_product * u_next
        m, v = self.momentums[index], self.velocities[index]
        s, t = self.scratch[index]
        update_moments(gradient, m, v, 1 - beta_1, 1 - beta_2, s)
        np.multiply(m, u_next, out=s)
        s /= 1 - u_product_next
        np.multiply(gradient, 1 - u_t, out=t)
        t /= 1 - u_product
        s += t                                           # m̂
        np.divide(v, 1 - beta_2 ** step, out=t)
        np.sqrt(t, out=t)
        t += self.epsilon
        s *= self.learning_rate
        s /= t
        variable -= s

    def bias_corrections(self) -> tuple[float, float] | None:
        """``(1 - u₁·…·uₜ, 1 - β₂ᵗ)`` of the last update (t = iterations): what it divided the
        gradient's share of m̂ and v by (Nadam's first factor is its momentum schedule's)."""
        if not self.built or self.iterations == 0:
            return None
        return 1 - self.u_product, 1 - self.beta_2 ** float(self.iterations)

    def effective_learning_rate(self):
        """Per parameter, what multiplies m̂ in the last update: ``lr / (√v̂ + ε)``, v̂ = v / (1 - β₂ᵗ)."""
        if not self.built or self.iterations == 0:
            return None
        correction = 1 - self.beta_2 ** float(self.iterations)
        return [self.learning_rate / (np.sqrt(v / correction) + self.epsilon) for v in self.velocities]

    def velocity(self):
        """``m``, the running mean of the gradient, before Nadam's correction."""
        return self.momentums if self.built else None

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon}
