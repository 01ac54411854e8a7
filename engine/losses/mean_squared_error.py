"""Mean squared error, the regression loss (Keras ``'mse'``)."""

from __future__ import annotations

import numpy as np

from engine.losses.base import Loss, mean_last


class MeanSquaredError(Loss):
    """Per sample, the mean over the last axis of the squared error:

        l_i = (1/D) Σ_d (y_pred[i,d] - y_true[i,d])²
        ∂l_i/∂y_pred[i,d] = (2/D) (y_pred[i,d] - y_true[i,d])

    Args:
        y_true: ``(N, D)`` targets.  y_pred: ``(N, D)`` predictions.
    Returns:
        ``call``: ``(N,)``; ``call_gradient``: ``(N, D)``.
    """

    name = "mean_squared_error"
    output = "linear"
    targets = "real"

    def call(self, y_true, y_pred):
        return mean_last(np.square(y_pred - y_true))

    def call_gradient(self, y_true, y_pred):
        return (2.0 / y_pred.shape[-1]) * (y_pred - y_true)

    def call_with_gradient(self, y_true, y_pred):
        error = y_pred - y_true
        return mean_last(np.square(error)), (2.0 / y_pred.shape[-1]) * error
