"""Keras's loss reductions and sample weights: ``reduce_weighted_values`` and its helpers."""

from __future__ import annotations

import numpy as np

REDUCTIONS = ("sum_over_batch_size", "sum", "none", "mean", "mean_with_sample_weight")
"""Keras 3's ``standardize_reduction`` set (``None`` is accepted and means ``"none"``)."""
MEANS = ("sum_over_batch_size", "mean", "mean_with_sample_weight")


def standardize_reduction(reduction) -> str:
    """``reduction`` as one of ``REDUCTIONS`` (``None`` → ``"none"``), or a one-line ``ValueError``."""
    if reduction is None:
        return "none"
    if reduction not in REDUCTIONS:
        raise ValueError(f"unknown reduction {reduction!r} (valid: {', '.join(REDUCTIONS)})")
    return reduction


def squeeze_or_expand_to_same_rank(x1: np.ndarray, x2: np.ndarray, expand_rank_1: bool = True):
    """Keras's alignment of two arrays whose ranks differ by one: the one with a trailing axis
    of size 1 loses it — except that a rank-1 partner gains one instead (``expand_rank_1``):
    ``(4,)`` with ``(4, 1)`` gives ``(4, 1)`` with ``(4, 1)``; ``(3, 2)`` with ``(3, 2, 1)`` gives ``(3, 2)``."""
    r1, r2 = x1.ndim, x2.ndim
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = x2[..., None]
        else:
            x1 = x1[..., 0]
    elif r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = x1[..., None]
        else:
            x2 = x2[..., 0]
    return x1, x2


def weights_array(sample_weight) -> np.ndarray:
    """``sample_weight`` as a float64 array, or a one-line ``ValueError``."""
    try:
        return np.asarray(sample_weight, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"sample_weight must be numbers, got {sample_weight!r}") from None


def as_sample_weight(sample_weight, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(values, weights)`` aligned as Keras aligns them (``squeeze_or_expand_to_same_rank``),
    the weights as float64; ``ValueError`` if they do not fit the per-sample values."""
    weights = weights_array(sample_weight)
    aligned, weights = squeeze_or_expand_to_same_rank(values, weights)
    try:
        size = np.broadcast_shapes(aligned.shape, weights.shape)
    except ValueError:
        size = None
    if size is None or int(np.prod(size)) != values.size:
        raise ValueError(f"sample_weight of shape {weights.shape} does not fit {values.size} per-sample "
                         f"losses of shape {values.shape}")
    return aligned, weights


def divisor(reduction: str, values: np.ndarray, weights: np.ndarray | None) -> float:
    """What the reduced sum is divided by: 1 (``sum``), the number of values, or Σ weights
    (``mean_with_sample_weight`` with weights)."""
    if reduction not in MEANS:
        return 1.0
    if reduction == "mean_with_sample_weight" and weights is not None:
        return float(np.sum(weights))
    return float(values.size)


def reduce_weighted_values(values: np.ndarray, sample_weight=None, reduction: str = "sum_over_batch_size"):
    """Keras 3's ``reduce_weighted_values`` (keras/src/losses/loss.py), in float64:

        weighted = l ⊙ w                                  (w aligned to l; no weights: l)
        none:                     weighted (an array)
        sum:                      Σ weighted
        sum_over_batch_size, mean: Σ weighted / size(l)
        mean_with_sample_weight:  Σ weighted / Σ w        (no weights: / size(l))

    A zero divisor gives 0 (Keras's ``divide_no_nan``); an empty batch returns its empty array.
    """
    weights = None
    if sample_weight is not None:
        values, weights = as_sample_weight(sample_weight, values)
        values = values * weights
    if reduction == "none" or values.shape in ((), (0,)):
        return values
    total = float(np.sum(values))
    if reduction not in MEANS:
        return total
    d = divisor(reduction, values, weights)
    return total / d if d != 0 else 0.0


def weight_gradient(grad: np.ndarray, values: np.ndarray, sample_weight, reduction: str) -> np.ndarray:
    """``∂L/∂y_pred`` of the weighted reduced loss from the per-sample ``∂l_i/∂y_pred[i]``:

        ∂L/∂y_pred[i] = w_i · ∂l_i/∂y_pred[i] / divisor     (divisor as in reduce_weighted_values;
                                                              ``none`` is the gradient of Σ w_i l_i)
    """
    weights = None
    if sample_weight is not None:
        aligned, weights = as_sample_weight(sample_weight, values)
        per_sample = np.broadcast_to(weights, np.broadcast_shapes(aligned.shape, weights.shape)).reshape(values.shape)
        grad = grad * per_sample.reshape(per_sample.shape + (1,) * (grad.ndim - per_sample.ndim))
    d = divisor(reduction, values, weights)
    if d == 0:
        return np.zeros_like(grad)
    return grad / d if d != 1.0 else grad
