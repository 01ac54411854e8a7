"""Per-sample weights for ``fit``/``evaluate``: Keras's ``class_weight`` → ``sample_weight`` and checks."""

from __future__ import annotations

import numpy as np


def class_weight_to_sample_weights(y, class_weight) -> np.ndarray:
    """Keras 3's ``class_weight_to_sample_weights`` (data_adapter_utils.py): each sample's class
    (the label; argmax of a one-hot row; a (N, 1) column squeezed; rounded to an integer)
    looks up its weight, 1.0 for a class the dict does not name.

    Args:
        y: ``(N,)``, ``(N, 1)`` or one-hot ``(N, K)`` targets, before any loss alignment.
        class_weight: ``{class index: weight}``; keys must read as integers.
    Returns:
        ``(N,)`` float64 weights.
    """
    if not hasattr(class_weight, "items") or not hasattr(class_weight, "get"):
        raise ValueError("`class_weight` must be a dict-like mapping of class indices to weights. "
                         f"Received: class_weight={class_weight} of type {type(class_weight)}.")
    cleaned = {}
    for key, value in class_weight.items():
        try:
            cleaned[int(key)] = float(value)
        except (TypeError, ValueError):
            raise ValueError("`class_weight` must be a dictionary with integer keys representing class "
                             f"indices. Received an invalid key: {key!r} of type {type(key)}.") from None
    y = np.asarray(y, dtype=np.float64)
    if y.ndim > 1:
        y = np.argmax(y, axis=-1) if y.shape[-1] != 1 else y[..., 0]
    labels = np.round(y).astype(np.int32)
    return np.array([cleaned.get(int(label), 1.0) for label in labels], dtype=np.float64)


def check_sample_weight(sample_weight, n: int, what: str = "sample_weight") -> np.ndarray:
    """``sample_weight`` as float64 ``(n,)`` (a ``(n, 1)`` column is flattened), finite, or a one-line ``ValueError``."""
    try:
        weights = np.asarray(sample_weight, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be numbers, got {sample_weight!r}") from None
    if weights.ndim == 2 and weights.shape[1] == 1:
        weights = weights[:, 0]
    if weights.shape != (n,):
        raise ValueError(f"{what} must hold one weight per sample ({n}), got shape {weights.shape}")
    if not np.all(np.isfinite(weights)):
        raise ValueError(f"{what} contains NaN or infinite values")
    return weights
