"""``polynomial``: a cubic with two turning points and Gaussian noise (regression, 1 feature)."""

from __future__ import annotations

from engine.datasets.dataset import Dataset
from engine.datasets.sampling import check_n_samples, check_noise, rng_for

X_RANGE = (-2.0, 2.0)


def cubic(x):
    """The noise-free curve ``(x³ - 3x) / 2``: turning points (±1, ∓1), and ±1 at x = ±2."""
    return (x**3 - 3 * x) / 2


def polynomial(*, n_samples: int = 2000, noise: float = 0.1, seed: int | None = 0) -> Dataset:
    """A cubic with two turning points and Gaussian noise; regression, 1 feature.

    Each sample is drawn independently:

        x ~ U(-2, 2)
        y = (x³ - 3x) / 2 + noise·ε,   ε ~ N(0, 1)

    so the clean curve stays within [-1, 1] and a straight line cannot fit it.

    Returns:
        Dataset with x ``(N, 1)`` and real y ``(N,)``.
    """
    n, noise = check_n_samples(n_samples), check_noise(noise)
    rng = rng_for(seed)
    x = rng.uniform(*X_RANGE, size=n)
    y = cubic(x) + noise * rng.standard_normal(n)
    return Dataset("polynomial", x[:, None], y, "regression", feature_names=("x",),
                   params={"n_samples": n, "noise": noise, "seed": seed})
