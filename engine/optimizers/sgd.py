"""Stochastic gradient descent, with optional (Nesterov) momentum (Keras ``'sgd'``)."""

from __future__ import annotations

import numpy as np

from engine.optimizers.base import Optimizer, check_unit


class SGD(Optimizer):
    """Keras 3 SGD. With ``g`` the gradient and ``lr`` the learning rate:

        momentum = 0:  θ ← θ - lr · g
        momentum > 0:  m ← momentum · m - lr · g            (m starts at 0)
                       θ ← θ + m                            (plain)
                       θ ← θ + momentum · m - lr · g        (nesterov)

    Defaults: learning_rate=0.01, momentum=0.0, nesterov=False.
    """

    name = "sgd"

    def __init__(self, learning_rate: float = 0.01, momentum: float = 0.0, nesterov: bool = False, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.momentum = check_unit("momentum", momentum, closed=True)
        self.nesterov = bool(nesterov)

    def build(self, variables):
        self.momentums = self.zeros_like(variables)
        super().build(variables)

    def update_step(self, gradient, variable, index):
        lr = self.learning_rate
        if self.momentum == 0:
            variable -= gradient * lr
            return
        m = self.momentums[index]
        m[...] = -gradient * lr + m * self.momentum
        if self.nesterov:
            variable += -gradient * lr + m * self.momentum
        else:
            variable += m

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum, "nesterov": self.nesterov}
