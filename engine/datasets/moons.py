"""``moons``: two interleaving half-circles (binary, 2 features)."""

from __future__ import annotations

import numpy as np

from engine.datasets.dataset import Dataset
from engine.datasets.sampling import balanced_labels, check_n_samples, check_noise, rng_for

CENTRES = np.array([[-0.5, -0.25], [0.5, 0.25]])
"""The centre of each moon's circle, after shifting the pair to sit around the origin."""


def moons(*, n_samples: int = 2000, noise: float = 0.2, seed: int | None = 0) -> Dataset:
    """Two interleaving half-circles of radius 1 (scikit-learn's ``make_moons``, centred).

    Labels are drawn first, half 0 and half 1 in random order; then each point:

        t ~ U(0, π)
        label 0 (upper moon):  x = c₀ + ( cos t,  sin t) + noise·ε
        label 1 (lower moon):  x = c₁ + (-cos t, -sin t) + noise·ε
        c₀ = (-0.5, -0.25),  c₁ = (0.5, 0.25),  ε ~ N(0, I₂)

    Returns:
        Dataset with x ``(N, 2)`` within about [-1.5, 1.5] × [-0.75, 0.75]
        and int64 labels ``(N,)``.
    """
    n, noise = check_n_samples(n_samples), check_noise(noise)
    rng = rng_for(seed)
    y = balanced_labels(n, 2, rng)
    t = rng.uniform(0.0, np.pi, size=n)
    direction = np.where(y == 0, 1.0, -1.0)[:, None]
    x = CENTRES[y] + direction * np.column_stack([np.cos(t), np.sin(t)])
    x += noise * rng.standard_normal((n, 2))
    return Dataset("moons", x, y, "binary", n_classes=2,
                   params={"n_samples": n, "noise": noise, "seed": seed})
