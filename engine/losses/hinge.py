"""Hinge losses, the margin losses of SVMs: hinge, squared hinge and categorical hinge."""

from __future__ import annotations

import numpy as np

from engine.losses.base import Loss, mean_last


def signed_labels(y: np.ndarray) -> np.ndarray:
    """``2y - 1`` when every label is 0 or 1, else ``y`` unchanged (Keras's hinge label rule)."""
    return 2.0 * y - 1.0 if np.all((y == 0.0) | (y == 1.0)) else y


class Hinge(Loss):
    """Per sample, the mean over the last axis of the hinge on the margin ``m = 1 - y·y_pred``:

        l_i = (1/D) Σ_d max(m[i,d], 0)
        ∂l_i/∂y_pred[i,d] = -(1/D) y[i,d] [m[i,d] ≥ 0]

    ``y`` is ±1; 0/1 labels become -1/1 when *all* labels of the batch are 0 or 1
    (Keras's ``convert_binary_labels_to_hinge``, applied inside the loss, so metrics still
    see the 0/1 labels). At the kink ``m = 0`` the gradient is
    TensorFlow's: ``max(a, b)`` passes it to ``a`` when ``a ≥ b``.

    Args:
        y_true: ``(N, D)`` labels, -1/1 or 0/1.  y_pred: ``(N, D)`` scores (linear outputs).
    Returns:
        ``call``: ``(N,)``; ``call_gradient``: ``(N, D)``.
    """

    name = "hinge"
    output = "linear"
    targets = "binary"

    def call(self, y_true, y_pred):
        y_true = signed_labels(y_true)
        return mean_last(np.maximum(1.0 - y_true * y_pred, 0.0))

    def call_gradient(self, y_true, y_pred):
        y_true = signed_labels(y_true)
        margin = 1.0 - y_true * y_pred
        return -y_true * (margin >= 0.0) / y_pred.shape[-1]


class SquaredHinge(Hinge):
    """Per sample, the mean over the last axis of the squared hinge, ``m = 1 - y·y_pred``:

        l_i = (1/D) Σ_d max(m[i,d], 0)²
        ∂l_i/∂y_pred[i,d] = -(2/D) y[i,d] max(m[i,d], 0)

    Labels as in ``hinge`` (0/1 become -1/1).

    Args:
        y_true: ``(N, D)`` labels, -1/1 or 0/1.  y_pred: ``(N, D)`` scores.
    Returns:
        ``call``: ``(N,)``; ``call_gradient``: ``(N, D)``.
    """

    name = "squared_hinge"

    def call(self, y_true, y_pred):
        y_true = signed_labels(y_true)
        return mean_last(np.square(np.maximum(1.0 - y_true * y_pred, 0.0)))

    def call_gradient(self, y_true, y_pred):
        y_true = signed_labels(y_true)
        hinge = np.maximum(1.0 - y_true * y_pred, 0.0)
        return -2.0 * y_true * hinge / y_pred.shape[-1]


class CategoricalHinge(Loss):
    """Per sample, the margin between the best wrong class and the true one:

        pos_i = Σ_k y[i,k] y_pred[i,k],     neg_i = max_k (1 - y[i,k]) y_pred[i,k]
        l_i = max(neg_i - pos_i + 1, 0)
        ∂l_i/∂y_pred[i,j] = [l_i's argument ≥ 0] ((1 - y[i,j]) w[i,j] - y[i,j])

    where ``w`` is 1 on the arg-max of ``neg`` (shared equally among ties, as TensorFlow and
    JAX do). Labels are used as given (no 0/1 → ±1 conversion).

    Args:
        y_true: ``(N, K)`` one-hot targets.  y_pred: ``(N, K)`` scores.
    Returns:
        ``call``: ``(N,)``; ``call_gradient``: ``(N, K)``.
    """

    name = "categorical_hinge"
    output = "linear"
    targets = "one_hot"

    def call(self, y_true, y_pred):
        pos = np.sum(y_true * y_pred, axis=-1)
        neg = np.max((1.0 - y_true) * y_pred, axis=-1)
        return np.maximum(neg - pos + 1.0, 0.0)

    def call_gradient(self, y_true, y_pred):
        others = (1.0 - y_true) * y_pred
        pos = np.sum(y_true * y_pred, axis=-1, keepdims=True)
        neg = np.max(others, axis=-1, keepdims=True)
        winners = others == neg
        w = winners / np.sum(winners, axis=-1, keepdims=True)
        active = neg - pos + 1.0 >= 0.0
        return active * ((1.0 - y_true) * w - y_true)
