"""``spiral``: K arms winding out from the origin, one per class (binary or multiclass, 2 features)."""

from __future__ import annotations

import numpy as np

from engine.datasets.dataset import Dataset
from engine.datasets.sampling import (balanced_labels, check_classes, check_n_samples,
                                      check_noise, rng_for, task_for)

RADIUS = 2.0
"""Where every arm ends."""
TURNS = 1.0
"""How many full turns each arm makes on its way out."""


def spiral(*, n_samples: int = 2000, noise: float = 0.1, seed: int | None = 0,
           classes: int = 2) -> Dataset:
    """K interleaved spiral arms, arm k holding label k (K = ``classes``).

    Labels are drawn first, balanced and in random order; then each point lies on its arm:

        t ~ U(0, 1)
        r = R·t,   θ = 2π·k/K + 2π·T·t          R = RADIUS = 2,  T = TURNS = 1
        x = r·(cos θ, sin θ) + noise·ε,   ε ~ N(0, I₂)

    Arms meet at the origin, so points near it are ambiguous at any noise level.

    Returns:
        Dataset with x ``(N, 2)`` and int64 labels ``(N,)``; task ``"binary"``
        for ``classes=2``, ``"multiclass"`` for more.
    """
    n, noise, k = check_n_samples(n_samples), check_noise(noise), check_classes(classes)
    rng = rng_for(seed)
    y = balanced_labels(n, k, rng)
    t = rng.uniform(0.0, 1.0, size=n)
    r = (RADIUS * t)[:, None]
    theta = 2 * np.pi * y / k + 2 * np.pi * TURNS * t
    x = r * np.column_stack([np.cos(theta), np.sin(theta)])
    x += noise * rng.standard_normal((n, 2))
    return Dataset("spiral", x, y, task_for(k), n_classes=k,
                   params={"n_samples": n, "noise": noise, "seed": seed, "classes": k})
