"""What every generator shares: argument checks, the seeded RNG, and balanced shuffled labels."""

from __future__ import annotations

import math
import numbers

import numpy as np

from engine.datasets.dataset import DatasetError

MAX_CLASSES = 20
"""The most classes a generator makes (the CSV loader's classification cut-off too)."""


def check_n_samples(n_samples) -> int:
    """``n_samples`` as an int, or a one-line error unless it is an integer ≥ 1 (like ``epochs``)."""
    if isinstance(n_samples, bool) or not isinstance(n_samples, numbers.Integral) or n_samples < 1:
        raise DatasetError(f"n_samples must be a whole number ≥ 1, got {n_samples!r}")
    return int(n_samples)


def check_noise(noise) -> float:
    """``noise`` as a float, or a one-line error unless it is a finite number ≥ 0."""
    if isinstance(noise, bool) or not isinstance(noise, numbers.Real) \
            or not math.isfinite(noise) or noise < 0:
        raise DatasetError(f"noise must be a finite number ≥ 0, got {noise!r}")
    return float(noise)


def check_classes(classes) -> int:
    """``classes`` as an int, or a one-line error unless it is a whole number in 2..MAX_CLASSES."""
    if isinstance(classes, bool) or not isinstance(classes, numbers.Integral) \
            or not 2 <= classes <= MAX_CLASSES:
        raise DatasetError(f"classes must be a whole number from 2 to {MAX_CLASSES}, got {classes!r}")
    return int(classes)


def rng_for(seed) -> np.random.Generator:
    """``numpy.random.default_rng(seed)``; ``seed`` is a whole number ≥ 0 or None (fresh entropy)."""
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0):
        raise DatasetError(f"seed must be a whole number ≥ 0 or None, got {seed!r}")
    return np.random.default_rng(seed)


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
