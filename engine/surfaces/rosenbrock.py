"""``rosenbrock``: the banana valley f = (1 − x)² + 100(y − x²)²."""

from __future__ import annotations

import numpy as np

from engine.surfaces.surface import Surface


class Rosenbrock(Surface):
    """f = (1 − x)² + 100(y − x²)²;  minimum 0 at (1, 1).

        ∂f/∂x = −2(1 − x) − 400 x (y − x²)
        ∂f/∂y = 200 (y − x²)

    A flat curved valley: finding it is easy, following it to (1, 1) is slow.
    """

    name = "rosenbrock"
    formula = "f = (1 − x)² + 100(y − x²)²"
    box = (-2.0, 2.0, -1.0, 3.0)
    start = (-1.5, 2.0)
    learning_rate = 0.001
    steps = 500
    log_shading = True

    @property
    def minima(self) -> np.ndarray:
        return np.array([[1.0, 1.0]])

    def value(self, x, y):
        return (1 - x) ** 2 + 100 * (y - x * x) ** 2

    def gradient(self, theta):
        x, y = theta
        return np.array([-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)], dtype=np.float64)
