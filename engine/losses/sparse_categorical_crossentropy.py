"""Categorical cross-entropy over integer class labels (Keras ``'sparse_categorical_crossentropy'``)."""

from __future__ import annotations

import numpy as np

from engine.losses.base import EPSILON, ONE_MINUS_EPSILON, Loss, check_bool


class SparseCategoricalCrossentropy(Loss):
    """Categorical cross-entropy with the target class given as an index ``c_i``.

    Probabilities (the default), renormalised and clipped as in ``categorical_crossentropy``:

        s_i = Σ_k y_pred[i,k],   r = y_pred[i,c_i] / s_i,   p = clip(r, ε, 1 - ε)
        l_i = -log p
        a = -1/p  (0 where the clip is active),    ∂l_i/∂y_pred[i,j] = a ([j = c_i] - r) / s_i

    Logits (``from_logits=True``), ``z = y_pred``:

        l_i = -log softmax(z_i)[c_i] = -(z[i,c_i] - max z_i - log Σ_k exp(z[i,k] - max z_i))
        ∂l_i/∂z_j = softmax(z_i)_j - [j = c_i]

    Args:
        from_logits: whether ``y_pred`` holds logits rather than probabilities.
        y_true: ``(N,)`` or ``(N, 1)`` class indices in ``[0, K)``.  y_pred: ``(N, K)``.
    Returns:
        ``prepare``: ``(N,)`` integer labels; ``call``: ``(N,)``; ``call_gradient``: ``(N, K)``.
    """

    name = "sparse_categorical_crossentropy"
    output = "softmax"
    targets = "integer"

    def __init__(self, from_logits: bool = False, reduction="sum_over_batch_size", name=None):
        super().__init__(reduction=reduction, name=name)
        self.from_logits = check_bool(self.name, "from_logits", from_logits)

    def prepare(self, y_true, y_pred):
        """Integer labels ``(N,)``; ``ValueError`` for one-hot rows, fractions or out-of-range ids."""
        if y_pred.ndim != 2:
            raise ValueError(f"{self.name}: predictions must be (samples, classes), got {y_pred.shape}")
        k = y_pred.shape[-1]
        y = np.asarray(y_true)
        if y.ndim == 2 and y.shape[-1] > 1:
            raise ValueError(
                f"{self.name} expects integer class labels, got one-hot rows of width "
                f"{y.shape[-1]}; use categorical_crossentropy"
            )
        if y.ndim == 2:
            y = y[:, 0]
        if y.shape != y_pred.shape[:-1]:
            raise ValueError(f"{self.name}: labels of shape {np.shape(y_true)} do not match "
                             f"predictions of shape {y_pred.shape}")
        try:
            labels = y.astype(np.float64)
        except (TypeError, ValueError):
            raise ValueError(f"{self.name}: labels must be whole numbers in [0, {k})") from None
        if not np.all(np.isfinite(labels) & (labels == np.floor(labels))):
            raise ValueError(f"{self.name}: labels must be whole numbers in [0, {k}), "
                             f"got fractional or non-finite values")
        if labels.size and not (labels.min() >= 0 and labels.max() < k):
            raise ValueError(f"{self.name}: labels must be in [0, {k}) for {k} outputs, "
                             f"got values from {labels.min():g} to {labels.max():g}")
        return labels.astype(np.intp)

    def call(self, y_true, y_pred):
        # one copy of the formula: the values are call_with_gradient's, stopping before the gradient
        return self.call_with_gradient(y_true, y_pred, gradient=False)[0]

    def call_gradient(self, y_true, y_pred):
        return self.call_with_gradient(y_true, y_pred)[1]

    def call_with_gradient(self, y_true, y_pred, gradient: bool = True):
        rows = np.arange(y_true.shape[0])
        if self.from_logits:
            shifted = y_pred - y_pred.max(axis=-1, keepdims=True)
            exp = np.exp(shifted)
            total = exp.sum(axis=-1)
            values = -(shifted[rows, y_true] - np.log(total))
            if not gradient:
                return values, None
            grad = exp / total[:, None]
            grad[rows, y_true] -= 1.0
            return values, grad
        s = y_pred.sum(axis=-1)
        r = y_pred[rows, y_true] / s
        p = np.minimum(np.maximum(r, EPSILON), ONE_MINUS_EPSILON)
        values = -np.log(p)
        if not gradient:
            return values, None
        g = 1.0 / (p * s)  # -a / s
        np.putmask(g, p != r, 0.0)  # where the clip moved r
        grad = np.repeat((g * r)[:, None], y_pred.shape[-1], axis=1)
        grad[rows, y_true] -= g
        return values, grad

    def get_config(self):
        return {**super().get_config(), "from_logits": self.from_logits}
