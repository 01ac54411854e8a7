"""``circles``: a small circle inside a large one (binary, 2 features)."""

from __future__ import annotations

import numpy as np

from engine.datasets.dataset import Dataset
from engine.datasets.sampling import balanced_labels, check_n_samples, check_noise, rng_for

RADII = (2.0, 1.0)
"""The radius of label 0 (the outer ring) and of label 1 (the inner ring)."""


def circles(*, n_samples: int = 2000, noise: float = 0.2, seed: int | None = 0) -> Dataset:
    """Two concentric rings: label 0 outside, label 1 inside; no straight line separates them.

    Labels are drawn first, half 0 and half 1 in random order; then each point:

        θ ~ U(0, 2π)
        x = r_label · (cos θ, sin θ) + noise·ε,   r₀ = 2,  r₁ = 1,  ε ~ N(0, I₂)

    Returns:
        Dataset with x ``(N, 2)`` and int64 labels ``(N,)``.
    """
    n, noise = check_n_samples(n_samples), check_noise(noise)
    rng = rng_for(seed)
    y = balanced_labels(n, 2, rng)
    theta = rng.uniform(0.0, 2 * np.pi, size=n)
    r = np.asarray(RADII)[y][:, None]
    x = r * np.column_stack([np.cos(theta), np.sin(theta)])
    x += noise * rng.standard_normal((n, 2))
    return Dataset("circles", x, y, "binary", n_classes=2,
                   params={"n_samples": n, "noise": noise, "seed": seed})
