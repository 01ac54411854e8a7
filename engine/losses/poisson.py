"""Poisson loss, the negative log-likelihood of counts up to a constant (Keras ``'poisson'``)."""

from __future__ import annotations

import numpy as np

from engine.losses.base import EPSILON, Loss, mean_last


class Poisson(Loss):
    """Per sample, the mean over the last axis of ``y_pred - y_true log(y_pred + ε)``:

        l_i = (1/D) Σ_d [y_pred[i,d] - y_true[i,d] log(y_pred[i,d] + ε)],   ε = 1e-7
        ∂l_i/∂y_pred[i,d] = (1/D) (1 - y_true[i,d] / (y_pred[i,d] + ε))

    ``y_pred`` is a rate, so the model's output must be positive (softplus).

    Args:
        y_true: ``(N, D)`` non-negative counts.  y_pred: ``(N, D)`` predicted rates.
    Returns:
        ``call``: ``(N,)``; ``call_gradient``: ``(N, D)``.
    """

    name = "poisson"
    output = "softplus"
    targets = "counts"

    def call(self, y_true, y_pred):
        return mean_last(y_pred - y_true * np.log(y_pred + EPSILON))

    def call_gradient(self, y_true, y_pred):
        return (1.0 - y_true / (y_pred + EPSILON)) / y_pred.shape[-1]
