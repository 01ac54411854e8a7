"""``blobs``: one round Gaussian cloud per class (binary or multiclass, 2 features)."""

from __future__ import annotations

import numpy as np

from engine.datasets.dataset import Dataset
from engine.datasets.sampling import (balanced_labels, check_classes, check_n_samples,
                                      check_noise, rng_for, task_for)

CENTRE_RADIUS = 1.5
"""How far every blob's centre is from the origin."""


def centres(classes: int) -> np.ndarray:
    """``(K, 2)``: the blob centres, evenly spaced on a circle, the first at 45°."""
    phi = np.pi / 4 + 2 * np.pi * np.arange(classes) / classes
    return CENTRE_RADIUS * np.column_stack([np.cos(phi), np.sin(phi)])


def blobs(*, n_samples: int = 2000, noise: float = 0.5, seed: int | None = 0,
          classes: int = 2) -> Dataset:
    """K isotropic Gaussian blobs, blob k holding label k (K = ``classes``); ``noise`` is their std.

    Labels are drawn first, balanced and in random order; then each point:

        x = c_k + noise·ε,   ε ~ N(0, I₂)
        c_k = 1.5·(cos φ_k, sin φ_k),   φ_k = π/4 + 2π·k/K

    Two blobs sit at ±(1.06, 1.06), so a single straight line separates them.

    Returns:
        Dataset with x ``(N, 2)`` and int64 labels ``(N,)``; task ``"binary"``
        for ``classes=2``, ``"multiclass"`` for more.
    """
    n, noise, k = check_n_samples(n_samples), check_noise(noise), check_classes(classes)
    rng = rng_for(seed)
    y = balanced_labels(n, k, rng)
    x = centres(k)[y] + noise * rng.standard_normal((n, 2))
    return Dataset("blobs", x, y, task_for(k), n_classes=k,
                   params={"n_samples": n, "noise": noise, "seed": seed, "classes": k})
