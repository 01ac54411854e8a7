"""``sine``: a sine wave with Gaussian noise (regression, 1 feature)."""

from __future__ import annotations

import numpy as np

from engine.datasets.dataset import Dataset
from engine.datasets.sampling import check_n_samples, check_noise, rng_for

FREQUENCY = 2.0
X_RANGE = (-3.0, 3.0)


def sine(*, n_samples: int = 2000, noise: float = 0.1, seed: int | None = 0) -> Dataset:
    """A sine wave with Gaussian noise, about two periods; regression, 1 feature.

    Each sample is drawn independently:

        x ~ U(-3, 3)
        y = sin(ω·x) + noise·ε,   ε ~ N(0, 1),   ω = FREQUENCY = 2

    Returns:
        Dataset with x ``(N, 1)`` and real y ``(N,)``.
    """
    n, noise = check_n_samples(n_samples), check_noise(noise)
    rng = rng_for(seed)
    x = rng.uniform(*X_RANGE, size=n)
    y = np.sin(FREQUENCY * x) + noise * rng.standard_normal(n)
    return Dataset("sine", x[:, None], y, "regression", feature_names=("x",),
                   params={"n_samples": n, "noise": noise, "seed": seed})
