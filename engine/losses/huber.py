"""Huber loss: squared error near zero, absolute error beyond ``delta`` (Keras ``'huber'``)."""

from __future__ import annotations

import numpy as np

from engine import checks
from engine.losses.base import Loss, mean_last


class Huber(Loss):
    """Per sample, the mean over the last axis of the Huber function of ``e = y_pred - y_true``:

        h(e) = ½ e²                  if |e| ≤ δ
               δ |e| - ½ δ²          otherwise
        l_i = (1/D) Σ_d h(e[i,d])
        ∂l_i/∂y_pred[i,d] = (1/D) clip(e[i,d], -δ, δ)

    Args:
        delta: ``δ > 0``, where the quadratic turns linear (Keras default 1.0).
        y_true: ``(N, D)`` targets.  y_pred: ``(N, D)`` predictions.
    Returns:
        ``call``: ``(N,)``; ``call_gradient``: ``(N, D)``.
    """

    name = "huber"
    output = "linear"
    targets = "real"

    def __init__(self, delta: float = 1.0, reduction="sum_over_batch_size", name=None):
        super().__init__(reduction=reduction, name=name)
        self.delta = checks.number(f"{self.name}: delta", delta, low=0, low_open=True)

    def call(self, y_true, y_pred):
        error = y_pred - y_true
        abs_error = np.abs(error)
        d = self.delta
        return mean_last(np.where(abs_error <= d, 0.5 * np.square(error), d * abs_error - 0.5 * (d * d)))

    def call_gradient(self, y_true, y_pred):
        return np.minimum(np.maximum(y_pred - y_true, -self.delta), self.delta) / y_pred.shape[-1]

    def get_config(self):
        return {**super().get_config(), "delta": self.delta}
