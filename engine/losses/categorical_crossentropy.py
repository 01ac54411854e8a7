"""Categorical cross-entropy over one-hot targets (Keras ``'categorical_crossentropy'``)."""

from __future__ import annotations

import numpy as np

from engine.losses.base import EPSILON, ONE_MINUS_EPSILON, Loss, check_bool, check_fraction


class CategoricalCrossentropy(Loss):
    """Per sample, the cross-entropy between a target distribution and the predicted one.

    Targets are first smoothed towards uniform over the ``K`` classes: ``t = y (1 - ls) + ls/K``.

    Probabilities (the default): each row is renormalised, then clipped (``ε = 1e-7``):

        s_i = Σ_k y_pred[i,k],   r = y_pred / s_i,   p = clip(r, ε, 1 - ε)
        l_i = -Σ_k t[i,k] log p[i,k]
        a = -t / p  (0 where the clip is active),    ∂l_i/∂y_pred[i,j] = (a_j - Σ_k a_k r_k) / s_i

    Logits (``from_logits=True``), ``z = y_pred``:

        log p = z - max z - log Σ_k exp(z_k - max z)          (log-softmax)
        l_i = -Σ_k t[i,k] log p[i,k]
        ∂l_i/∂z_j = softmax(z)_j Σ_k t_k - t_j

    Args:
        from_logits: whether ``y_pred`` holds logits rather than probabilities.
        label_smoothing: ``ls`` in ``[0, 1]``.
        y_true: ``(N, K)`` one-hot (or soft) targets.  y_pred: ``(N, K)``.
    Returns:
        ``call``: ``(N,)``; ``call_gradient``: ``(N, K)``.
    """

    name = "categorical_crossentropy"
    output = "softmax"
    targets = "one_hot"

    def __init__(self, from_logits: bool = False, label_smoothing: float = 0.0,
                 reduction="sum_over_batch_size", name=None):
        super().__init__(reduction=reduction, name=name)
        self.from_logits = check_bool(self.name, "from_logits", from_logits)
        self.label_smoothing = check_fraction(self.name, "label_smoothing", label_smoothing)

    def prepare(self, y_true, y_pred):
        k = y_pred.shape[-1]
        shape = np.shape(y_true)
        if k > 1 and y_pred.ndim > 1 and (len(shape) == y_pred.ndim - 1
                                          or (len(shape) == y_pred.ndim and shape[-1] == 1)):
            raise ValueError(
                f"{self.name} expects one-hot rows of width {k}, got integer class labels "
                f"of shape {shape}; use sparse_categorical_crossentropy"
            )
        return super().prepare(y_true, y_pred)

    def _targets(self, y_true):
        ls = self.label_smoothing
        return y_true * (1.0 - ls) + ls / y_true.shape[-1] if ls else y_true

    def call(self, y_true, y_pred):
        # one copy of the formula: the values are call_with_gradient's, stopping before the gradient
        return self.call_with_gradient(y_true, y_pred, gradient=False)[0]

    def call_gradient(self, y_true, y_pred):
        return self.call_with_gradient(y_true, y_pred)[1]

    def call_with_gradient(self, y_true, y_pred, gradient: bool = True):
        t = self._targets(y_true)
        if self.from_logits:
            shifted = y_pred - y_pred.max(axis=-1, keepdims=True)
            exp = np.exp(shifted)
            total = exp.sum(axis=-1, keepdims=True)
            values = -(t * (shifted - np.log(total))).sum(axis=-1)
            if not gradient:
                return values, None
            return values, exp / total * t.sum(axis=-1, keepdims=True) - t
        s = y_pred.sum(axis=-1, keepdims=True)
        r = y_pred / s
        p = np.minimum(np.maximum(r, EPSILON), ONE_MINUS_EPSILON)
        values = -(t * np.log(p)).sum(axis=-1)
        if not gradient:
            return values, None
        a = -t / p
        np.putmask(a, p != r, 0.0)  # where the clip moved r
        return values, (a - (a * r).sum(axis=-1, keepdims=True)) / s

    def get_config(self):
        return {**super().get_config(), "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing}
