"""RMSprop: steps divided by a running RMS of the gradients (Keras ``'rmsprop'``)."""

from __future__ import annotations

import numpy as np

from engine.optimizers.base import Optimizer, check_flag, check_positive, check_unit


class RMSprop(Optimizer):
    """Keras 3 RMSprop. With ``g`` the gradient (all state starts at 0):

        v ← ρ · v + (1 - ρ) · g²
        centered:  ḡ ← ρ · ḡ + (1 - ρ) · g
                   Δ = (lr · g) / √((v - ḡ²) + ε)
        else:      Δ = (lr · g) / √(v + ε)
        momentum > 0:  m ← momentum · m + Δ;  θ ← θ - m
        else:          θ ← θ - Δ

    Defaults: learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-7, centered=False;
    rho and momentum in [0, 1], epsilon > 0 (as Keras checks).
    The momentum and mean-gradient arrays always exist, so either variant can be
    switched on mid-run (each keeps its state only while it is on).
    """

    name = "rmsprop"
    formula = ("rho", "momentum", "epsilon", "centered")
    slots = ("velocities", "momentums", "average_gradients")

    def __init__(self, learning_rate: float = 0.001, rho: float = 0.9, momentum: float = 0.0,
                 epsilon: float = 1e-7, centered: bool = False, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.rho = check_unit("rho", rho, closed=True)  # the ranges Keras's RMSprop checks
        self.momentum = check_unit("momentum", momentum, closed=True)
        self.epsilon = check_positive("epsilon", epsilon)
        self.centered = check_flag("centered", centered)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.velocities = self.zeros_like(variables)
        self.momentums = self.zeros_like(variables)
        self.average_gradients = self.zeros_like(variables)

    def update_step(self, gradient, variable, index):
        rho = self.rho
        v = self.velocities[index]
        s, t = self.scratch[index]
        np.square(gradient, out=s)
        s *= 1 - rho
        v *= rho
        v += s
        if self.centered:
            mean = self.average_gradients[index]
            np.multiply(gradient, 1 - rho, out=t)
            mean *= rho
            mean += t
            np.square(mean, out=s)
            np.subtract(v, s, out=s)
            s += self.epsilon
        else:
            np.add(v, self.epsilon, out=s)
        np.sqrt(s, out=s)
        np.multiply(gradient, self.learning_rate, out=t)
        t /= s                                           # Δ
        if self.momentum > 0:
            m = self.momentums[index]
            m *= self.momentum
            m += t
            variable -= m
        else:
            variable -= t

    def effective_learning_rate(self):
        """``lr / √(v + ε)`` per parameter (centered: ``lr / √((v - ḡ²) + ε)``): ``v`` is a moving
        average, so the step settles instead of shrinking."""
        if not self.built:
            return None
        if self.centered:
            spread = [v - np.square(mean) for v, mean in zip(self.velocities, self.average_gradients)]
        else:
            spread = self.velocities
        return [self.learning_rate / np.sqrt(v + self.epsilon) for v in spread]

    def velocity(self):
        """``m`` (the summed steps Δ), while momentum is on."""
        return self.momentums if self.built and self.momentum > 0 else None

    def get_config(self):
        return {**super().get_config(), "rho": self.rho, "momentum": self.momentum,
                "epsilon": self.epsilon, "centered": self.centered}
