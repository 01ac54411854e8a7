"""Adam: bias-corrected running means of the gradient and its square (Keras ``'adam'``)."""

from __future__ import annotations

import math

import numpy as np

from engine.optimizers.base import Optimizer, check_flag, check_positive, check_unit
from engine.scalars import constant


def update_moments(gradient, m, v, one_minus_beta_1, one_minus_beta_2, scratch) -> None:
    """Keras's moment updates, in place and in its order: ``m += (g - m)(1 - β1)``; ``v += (g² - v)(1 - β2)``.

    The factors ``1 - β`` as numbers or, cheaper per call, 0-d arrays (``Adam.moment_factors``)."""
    np.subtract(gradient, m, out=scratch)
    scratch *= one_minus_beta_1
    m += scratch
    np.square(gradient, out=scratch)
    scratch -= v
    scratch *= one_minus_beta_2
    v += scratch


class Adam(Optimizer):
    """Keras 3 Adam. At step t = iterations + 1, with ``g`` the gradient (m, v start at 0):

        α ← lr · √(1 - β₂ᵗ) / (1 - β₁ᵗ)
        m ← m + (g - m) · (1 - β₁)
        v ← v + (g² - v) · (1 - β₂)
        amsgrad:  v̂ ← max(v̂, v), and v̂ replaces v below
        θ ← θ - (m · α) / (√v + ε)

    ε is added to √v as it is, not bias-corrected: this is Keras's form, not the paper's.
    Defaults: learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-7, amsgrad=False.
    """

    name = "adam"
    formula = ("beta_1", "beta_2", "epsilon", "amsgrad")
    slots = ("momentums", "velocities", "velocity_hats")

    def __init__(self, learning_rate: float = 0.001, beta_1: float = 0.9, beta_2: float = 0.999,
                 epsilon: float = 1e-7, amsgrad: bool = False, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta_1 = check_unit("beta_1", beta_1)
        self.beta_2 = check_unit("beta_2", beta_2)
        self.epsilon = check_positive("epsilon", epsilon, allow_zero=True)
        self.amsgrad = check_flag("amsgrad", amsgrad)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.momentums = self.zeros_like(variables)
        self.velocities = self.zeros_like(variables)
        self.velocity_hats = self.zeros_like(variables)  # used only while amsgrad is on

    def update_step(self, gradient, variable, index):
        correction_1, correction_2 = self.bias_corrections(self.iterations + 1)
        alpha = self.learning_rate * math.sqrt(correction_2) / correction_1
        one_minus_beta_1, one_minus_beta_2, epsilon = self.moment_factors()
        m, v = self.momentums[index], self.velocities[index]
        s, t = self.scratch[index]
        update_moments(gradient, m, v, one_minus_beta_1, one_minus_beta_2, s)
        if self.amsgrad:
            v = np.maximum(self.velocity_hats[index], v, out=self.velocity_hats[index])
        np.sqrt(v, out=s)
        s += epsilon
        np.multiply(m, alpha, out=t)
        t /= s
        variable -= t

    def moment_factors(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(1 - β₁, 1 - β₂, ε)`` as 0-d operands (``engine.scalars``), made anew only when one of
        the hyperparameters has changed since the last call (they are read every step)."""
        key = (self.beta_1, self.beta_2, self.epsilon)
        if key != self.__dict__.get("_factors_of"):
            self._factors_of = key
            self._factors = (constant(1 - key[0]), constant(1 - key[1]), constant(key[2]))
        return self._factors

    def bias_corrections(self, step: int | None = None) -> tuple[float, float]:
        """``(1 - β₁ᵗ, 1 - β₂ᵗ)`` at step ``t`` (default: the last update's, ``t = iterations``)."""
        t = float(self.iterations if step is None else step)
        return 1 - self.beta_1 ** t, 1 - self.beta_2 ** t

    def effective_learning_rate(self):
        """Per parameter, what multiplies m̂ = m / (1 - β₁ᵗ) in the last update (t = iterations):

            lr · √(1 - β₂ᵗ) / (√v + ε)  =  lr / (√v̂ + ε / √(1 - β₂ᵗ))      (v̂ = v / (1 - β₂ᵗ))

        with Keras's ε outside the correction; amsgrad uses the running maximum of v.
        """
        if not self.built or self.iterations == 0:
            return None
        scale = self.learning_rate * math.sqrt(self.bias_corrections()[1])
        velocities = self.velocity_hats if self.amsgrad else self.velocities
        return [scale / (np.sqrt(v) + self.epsilon) for v in velocities]

    def velocity(self):
        """``m``, the running mean of the gradient (Adam's momentum), before bias correction."""
        return self.momentums if self.built else None

    def get_config(self):
        return {**super().get_config(), "beta_1": self.beta_1, "beta_2": self.beta_2,
                "epsilon": self.epsilon, "amsgrad": self.amsgrad}
