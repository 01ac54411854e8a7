"""``saddle``: f = x² − y², a saddle point at the origin and no minimum."""

from __future__ import annotations

import numpy as np

from engine.surfaces.surface import Surface


class Saddle(Surface):
    """f = x² − y²;  ∇f = (2x, −2y).

    The origin is stationary but not a minimum: a path that starts exactly on y = 0 stops
    there; any other slides off along ±y (f is unbounded below, so ``minima`` is empty).
    """

    name = "saddle"
    formula = "f = x² − y²"
    box = (-2.0, 2.0, -2.0, 2.0)
    start = (-1.8, 0.02)
    learning_rate = 0.05
    steps = 80

    def value(self, x, y):
        return x * x - y * y

    def gradient(self, theta):
        return np.array([2 * theta[0], -2 * theta[1]], dtype=np.float64)
