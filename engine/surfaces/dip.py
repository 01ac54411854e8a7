"""``dip``: a round bowl with a small dip on the way down — plain SGD stops in it, momentum rolls through."""

from __future__ import annotations

import numpy as np

from engine.surfaces.surface import Surface, refine

DEPTH = 2.0
WIDTH = 0.45
CENTRE = (-2.4, 0.6)


class Dip(Surface):
    """f = ½(x² + y²) − d·exp(−‖θ − c‖² / 2σ²),  d = 2, σ = 0.45, c = (−2.4, 0.6).

        ∇f = θ + (d/σ²)·exp(−‖θ − c‖² / 2σ²)·(θ − c)

    The dip is steep enough (d/σ > 4, the bowl's slope ‖θ‖ ≈ 2.5 there) to hold a local minimum
    near (−2.14, 0.535) on the straight line from the start (−4, 1) to the bowl's bottom. Plain
    SGD follows the slope into it and stops; momentum 0.9 arrives with speed and rolls through
    to the global minimum near the origin (both computed by Newton's method, not typed in;
    ``tests/engine/test_surfaces.py`` keeps the story true at the defaults).
    """

    name = "dip"
    formula = "f = ½(x² + y²) − 2·exp(−‖θ − (−2.4, 0.6)‖² / (2·0.45²))"
    box = (-4.5, 1.5, -1.5, 2.0)
    start = (-4.0, 1.0)
    learning_rate = 0.05
    steps = 200

    def __init__(self):
        self._minimum = refine(self, (0.0, 0.0))
        self.local_minimum = refine(self, (-2.15, 0.54))
        """The dip's own bottom, where plain SGD stops."""

    @property
    def minima(self) -> np.ndarray:
        return self._minimum[None, :]

    def value(self, x, y):
        cx, cy = CENTRE
        return 0.5 * (x * x + y * y) - DEPTH * np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * WIDTH ** 2))

    def gradient(self, theta):
        x, y = theta
        cx, cy = CENTRE
        e = DEPTH * np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / (2 * WIDTH ** 2)) / WIDTH ** 2
        return np.array([x + e * (x - cx), y + e * (y - cy)], dtype=np.float64)
