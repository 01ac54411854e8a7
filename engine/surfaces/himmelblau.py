"""``himmelblau``: four global minima of equal depth — where you start decides where you end."""

from __future__ import annotations

import numpy as np

from engine.surfaces.surface import Surface, refine

APPROXIMATE_MINIMA = ((3.0, 2.0), (-2.805118, 3.131312), (-3.779310, -3.283186), (3.584428, -1.848126))
"""Himmelblau's four minima to 6 decimals (3, 2 is exact); ``Himmelblau.minima`` refines them."""


class Himmelblau(Surface):
    """f = (x² + y − 11)² + (x + y² − 7)²;  four minima, f = 0 at each.

        ∂f/∂x = 4x(x² + y − 11) + 2(x + y² − 7)
        ∂f/∂y = 2(x² + y − 11) + 4y(x + y² − 7)
    """

    name = "himmelblau"
    formula = "f = (x² + y − 11)² + (x + y² − 7)²"
    box = (-5.0, 5.0, -5.0, 5.0)
    start = (-0.5, -0.5)
    learning_rate = 0.01
    steps = 300
    log_shading = True

    def __init__(self):
        self._minima = np.array([refine(self, guess) for guess in APPROXIMATE_MINIMA])

    @property
    def minima(self) -> np.ndarray:
        return self._minima

    def value(self, x, y):
        return (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2

    def gradient(self, theta):
        x, y = theta
        a, b = x * x + y - 11, x + y * y - 7
        return np.array([4 * x * a + 2 * b, 2 * a + 4 * y * b], dtype=np.float64)
