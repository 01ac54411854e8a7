"""Log-cosh: like MSE for small errors, like MAE for large ones (Keras ``'log_cosh'``)."""

from __future__ import annotations

import math

import numpy as np

from engine.losses.base import Loss, mean_last

LOG_2 = math.log(2.0)


class LogCosh(Loss):
    """Per sample, the mean over the last axis of ``log cosh(e)``, ``e = y_pred - y_true``,
    computed without overflow as Keras does:

        log cosh(e) = e + softplus(-2e) - log 2,      softplus(x) = log(1 + eˣ)
        l_i = (1/D) Σ_d log cosh(e[i,d])
        ∂l_i/∂y_pred[i,d] = (1/D) tanh(e[i,d])

    Args:
        y_true: ``(N, D)`` targets.  y_pred: ``(N, D)`` predictions.
    Returns:
        ``call``: ``(N,)``; ``call_gradient``: ``(N, D)``.
    """

    name = "log_cosh"
    output = "linear"
    targets = "real"

    def call(self, y_true, y_pred):
        error = y_pred - y_true
        return mean_last(error + np.logaddexp(0.0, -2.0 * error) - LOG_2)

    def call_gradient(self, y_true, y_pred):
        return np.tanh(y_pred - y_true) / y_pred.shape[-1]
