"""Mean absolute error, the outlier-tolerant regression loss (Keras ``'mae'``)."""

from __future__ import annotations

import numpy as np

from engine.losses.base import Loss, mean_last


class MeanAbsoluteError(Loss):
    """Per sample, the mean over the last axis of the absolute error:

        l_i = (1/D) Σ_d |y_pred[i,d] - y_true[i,d]|
        ∂l_i/∂y_pred[i,d] = (1/D) sign(y_pred[i,d] - y_true[i,d])     (0 at the kink)

    Args:
        y_true: ``(N, D)`` targets.  y_pred: ``(N, D)`` predictions.
    Returns:
        ``call``: ``(N,)``; ``call_gradient``: ``(N, D)``.
    """

    name = "mean_absolute_error"
    output = "linear"
    targets = "real"

    def call(self, y_true, y_pred):
        return mean_last(np.abs(y_pred - y_true))

    def call_gradient(self, y_true, y_pred):
        return np.sign(y_pred - y_true) / y_pred.shape[-1]
