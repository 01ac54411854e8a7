"""``linear``: a straight line with Gaussian noise (regression, 1 feature)."""

from __future__ import annotations

from engine.datasets.dataset import Dataset
from engine.datasets.sampling import check_n_samples, check_noise, rng_for

SLOPE = 1.5
INTERCEPT = 0.5
X_RANGE = (-2.0, 2.0)


def linear(*, n_samples: int = 2000, noise: float = 0.3, seed: int | None = 0) -> Dataset:
    """A straight line with Gaussian noise; regression, 1 feature.

    Each sample is drawn independently:

        x ~ U(-2, 2)
        y = a·x + b + noise·ε,   ε ~ N(0, 1),   a = SLOPE = 1.5,  b = INTERCEPT = 0.5

    Returns:
        Dataset with x ``(N, 1)`` and real y ``(N,)``.
    """
    n, noise = check_n_samples(n_samples), check_noise(noise)
    rng = rng_for(seed)
    x = rng.uniform(*X_RANGE, size=n)
    y = SLOPE * x + INTERCEPT + noise * rng.standard_normal(n)
    return Dataset("linear", x[:, None], y, "regression", feature_names=("x",),
                   params={"n_samples": n, "noise": noise, "seed": seed})
