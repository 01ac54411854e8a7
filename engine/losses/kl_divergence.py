"""Kullback–Leibler divergence between target and predicted distributions (Keras ``'kld'``)."""

from __future__ import annotations

import numpy as np

from engine.losses.base import EPSILON, Loss


class KLDivergence(Loss):
    """Per sample, the *sum* over the last axis of ``t log(t / p)``, both clipped to ``[ε, 1]``:

        t = clip(y_true, ε, 1),   p = clip(y_pred, ε, 1),   ε = 1e-7
        l_i = Σ_k t[i,k] log(t[i,k] / p[i,k])
        ∂l_i/∂y_pred[i,k] = -t[i,k] / p[i,k]     (0 where the clip is active)

    Args:
        y_true: ``(N, K)`` target distributions.  y_pred: ``(N, K)`` predicted ones.
    Returns:
        ``call``: ``(N,)``; ``call_gradient``: ``(N, K)``.
    """

    name = "kl_divergence"
    output = "softmax"
    targets = "one_hot"

    def call(self, y_true, y_pred):
        t = np.minimum(np.maximum(y_true, EPSILON), 1.0)
        p = np.minimum(np.maximum(y_pred, EPSILON), 1.0)
        return np.sum(t * np.log(t / p), axis=-1)

    def call_gradient(self, y_true, y_pred):
        t = np.minimum(np.maximum(y_true, EPSILON), 1.0)
        p = np.minimum(np.maximum(y_pred, EPSILON), 1.0)
        grad = -t / p
        np.putmask(grad, p != y_pred, 0.0)  # where the clip moved y_pred
        return grad
