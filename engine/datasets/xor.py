"""``xor``: four quadrants, label 1 where the signs of x₁ and x₂ differ (binary, 2 features)."""

from __future__ import annotations

import numpy as np

from engine.datasets.dataset import Dataset
from engine.datasets.sampling import balanced_labels, check_n_samples, check_noise, rng_for

HALF_WIDTH = 2.0


def xor(*, n_samples: int = 2000, noise: float = 0.2, seed: int | None = 0) -> Dataset:
    """Points in the square [-2, 2]², label 1 where x₁ and x₂ have different signs.

    Labels are drawn first, half 0 and half 1 in random order; then each point
    is uniform over its label's two quadrants, and the noise is added after labelling:

        m₁, m₂ ~ U(0, 2]     s ~ U{-1, +1}
        label 0:  x = ( s·m₁,  s·m₂) + noise·ε      (same signs: x₁x₂ > 0)
        label 1:  x = ( s·m₁, -s·m₂) + noise·ε      (signs differ: x₁x₂ < 0)
        ε ~ N(0, I₂)

    With ``noise=0`` the label is exactly ``int(x₁·x₂ < 0)``: XOR of ``x₁ > 0`` and ``x₂ > 0``.

    Returns:
        Dataset with x ``(N, 2)`` and int64 labels ``(N,)``.
    """
    n, noise = check_n_samples(n_samples), check_noise(noise)
    rng = rng_for(seed)
    y = balanced_labels(n, 2, rng)
    magnitude = HALF_WIDTH * (1.0 - rng.random((n, 2)))
    s = rng.choice([-1.0, 1.0], size=n)
    signs = np.column_stack([s, np.where(y == 0, s, -s)])
    x = signs * magnitude + noise * rng.standard_normal((n, 2))
    return Dataset("xor", x, y, "binary", n_classes=2,
                   params={"n_samples": n, "noise": noise, "seed": seed})
