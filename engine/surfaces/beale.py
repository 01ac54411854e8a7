"""``beale``: Beale's function, flat plateaus and sharp ridges around (3, 0.5)."""

from __future__ import annotations

import numpy as np

from engine.surfaces.surface import Surface


class Beale(Surface):
    """f = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²;  minimum 0 at (3, 0.5).

    With u_i = c_i − x + x yⁱ (c = 1.5, 2.25, 2.625; i = 1, 2, 3):

        ∂f/∂x = Σ 2 u_i (yⁱ − 1)
        ∂f/∂y = Σ 2 u_i · i x yⁱ⁻¹
    """

    name = "beale"
    formula = "f = (1.5 − x + xy)² + (2.25 − x + xy²)² + (2.625 − x + xy³)²"
    box = (-4.5, 4.5, -4.5, 4.5)
    start = (1.0, 1.4)
    learning_rate = 0.01
    steps = 500
    log_shading = True
    C = (1.5, 2.25, 2.625)

    @property
    def minima(self) -> np.ndarray:
        return np.array([[3.0, 0.5]])

    def value(self, x, y):
        return sum((c - x + x * y ** i) ** 2 for i, c in enumerate(self.C, start=1))

    def gradient(self, theta):
        x, y = theta
        gx = gy = 0.0
        for i, c in enumerate(self.C, start=1):
            u = c - x + x * y ** i
            gx += 2 * u * (y ** i - 1)
            gy += 2 * u * i * x * y ** (i - 1)
        return np.array([gx, gy], dtype=np.float64)
