"""What every generator shares: argument checks, the seeded RNG, and balanced shuffled labels."""

from __future__ import annotations

import numpy as np

from engine import checks
from engine.datasets.dataset import DatasetError

MAX_CLASSES = 20
"""The most classes a generator makes (the CSV loader's classification cut-off too)."""


def check_n_samples(n_samples) -> int:
    """``n_samples`` as an int, or a one-line error unless it is an integer ≥ 1 (like ``epochs``)."""
    return checks.whole_number("n_samples", n_samples, minimum=1, error=DatasetError)


def check_noise(noise) -> float:
    """``noise`` as a float, or a one-line error unless it is a finite number ≥ 0."""
    return checks.number("noise", noise, low=0, error=DatasetError)


def check_classes(classes) -> int:
    """``classes`` as an int, or a one-line error unless it is a whole number in 2..MAX_CLASSES."""
    return checks.whole_number("classes", classes, minimum=2, maximum=MAX_CLASSES, error=DatasetError)


def rng_for(seed) -> np.random.Generator:
    """``numpy.random.default_rng(seed)``; ``seed`` is a whole number ≥ 0 or None (fresh entropy)."""
    return np.random.default_rng(checks.whole_number("seed", seed, minimum=0, allow_none=True, error=DatasetError))


def balanced_labels(n_samples: int, classes: int, rng: np.random.Generator) -> np.ndarray:
    """``(N,)`` int64 labels, ``N // K`` or one more of each class, in a random order.

    Drawing the labels first and each point from its label keeps the classes
    balanced and unsorted, so Keras's ``validation_split`` (the *last* fraction)
    sees every class.
    """
    return rng.permutation(np.arange(n_samples, dtype=np.int64) % classes)


def task_for(classes: int) -> str:
    """``"binary"`` for two classes, ``"multiclass"`` for more."""
    return "binary" if classes == 2 else "multiclass"
