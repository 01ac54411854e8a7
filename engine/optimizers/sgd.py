"""Stochastic gradient descent, with optional (Nesterov) momentum (Keras ``'sgd'``)."""

from __future__ import annotations

import numpy as np

from engine.optimizers.base import Optimizer, check_flag, check_unit


class SGD(Optimizer):
    """Keras 3 SGD. With ``g`` the gradient and ``lr`` the learning rate:

        momentum = 0:  θ ← θ - g · lr
        momentum > 0:  m ← m · momentum - g · lr            (m starts at 0)
                       θ ← θ + m                            (plain)
                       θ ← θ + (m · momentum - g · lr)      (nesterov)

    Defaults: learning_rate=0.01, momentum=0.0, nesterov=False.
    The momentum array always exists, so momentum can be switched on mid-run.
    """

    name = "sgd"
    formula = ("momentum", "nesterov")
    slots = ("momentums",)

    def __init__(self, learning_rate: float = 0.01, momentum: float = 0.0, nesterov: bool = False, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.momentum = check_unit("momentum", momentum, closed=True)
        self.nesterov = check_flag("nesterov", nesterov)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.momentums = self.zeros_like(variables)

    def update_step(self, gradient, variable, index):
        lr, momentum = self.learning_rate, self.momentum
        s, t = self.scratch[index]
        np.multiply(gradient, lr, out=s)                 # g · lr
        if momentum == 0:
            variable -= s
            return
        m = self.momentums[index]
        m *= momentum
        m -= s                                           # m ← m · momentum - g · lr
        if self.nesterov:
            np.multiply(m, momentum, out=t)
            t -= s
            variable += t
        else:
            variable += m

    def velocity(self):
        """``m`` (it already holds the learning rate: θ moves by m), while momentum is on."""
        return self.momentums if self.built and self.momentum > 0 else None

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
