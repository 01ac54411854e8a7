"""Binary cross-entropy, the loss of yes/no classifiers (Keras ``'binary_crossentropy'``)."""

from __future__ import annotations

import numpy as np

from engine.losses.base import EPSILON, ONE_MINUS_EPSILON, Loss, check_bool, check_fraction, mean_last
from engine.scalars import ONE, ZERO, constant

EPSILON_0D, ONE_MINUS_EPSILON_0D = constant(EPSILON), constant(ONE_MINUS_EPSILON)


class BinaryCrossentropy(Loss):
    """Per sample, the mean over the last axis of the binary cross-entropy.

    Targets are first smoothed towards ½: ``t = y (1 - ls) + ½ ls``.

    Probabilities (the default), ``p = clip(y_pred, ε, 1 - ε)`` with ``ε = 1e-7``:

        l_i = -(1/D) Σ_d [t log p + (1 - t) log(1 - p)]
        ∂l_i/∂y_pred = (1/D) (p - t) / (p (1 - p))     (0 where the clip is active)

    Logits (``from_logits=True``), ``z = y_pred``, in the overflow-free form of
    ``-t log σ(z) - (1 - t) log σ(-z)`` that Keras's TensorFlow backend uses:

        l_i = (1/D) Σ_d [max(z, 0) - t z + log(1 + e^-|z|)]
        ∂l_i/∂z = (1/D) (σ(z) - t)

    Args:
        from_logits: whether ``y_pred`` holds logits rather than probabilities.
        label_smoothing: ``ls`` in ``[0, 1]``.
        y_true: ``(N, D)`` 0/1 targets.  y_pred: ``(N, D)`` probabilities or logits.
    Returns:
        ``call``: ``(N,)``; ``call_gradient``: ``(N, D)``.
    """

    name = "binary_crossentropy"
    output = "sigmoid"
    targets = "binary"

    def __init__(self, from_logits: bool = False, label_smoothing: float = 0.0,
                 reduction="sum_over_batch_size", name=None):
        super().__init__(reduction=reduction, name=name)
        self.from_logits = check_bool(self.name, "from_logits", from_logits)
        self.label_smoothing = check_fraction(self.name, "label_smoothing", label_smoothing)

    def _targets(self, y_true):
        ls = self.label_smoothing
        return y_true * (1.0 - ls) + 0.5 * ls if ls else y_true

    def call(self, y_true, y_pred):
        # one copy of the formula: the values are call_with_gradient's, stopping before the gradient
        return self.call_with_gradient(y_true, y_pred, gradient=False)[0]

    def call_gradient(self, y_true, y_pred):
        return self.call_with_gradient(y_true, y_pred)[1]

    def call_with_gradient(self, y_true, y_pred, gradient: bool = True):
        t = self._targets(y_true)
        if self.from_logits:
            z = y_pred
            e = np.exp(-np.abs(z))
            values = mean_last(np.maximum(z, 0.0) - t * z + np.log1p(e))
            if not gradient:
                return values, None
            grad = np.where(z >= 0.0, 1.0, e) / (1.0 + e) - t  # σ(z) - t
        else:  # the same operations in place, with 0-d constants (engine.scalars): the hot path
            p = np.maximum(y_pred, EPSILON_0D)
            np.minimum(p, ONE_MINUS_EPSILON_0D, out=p)
            q = np.subtract(ONE, p)
            s = np.log(p)
            s *= t  # t log p
            r = np.log(q)
            r *= np.subtract(t, ONE)  # (t - 1) log(1 - p): -(1 - t) log(1 - p) bit for bit
            r -= s  # -[t log p + (1 - t) log(1 - p)]: the minus folded into the sum, same bits
            values = mean_last(r)
            if not gradient:
                return values, None
            grad = np.subtract(p, t)
            q *= p  # p (1 - p)
            grad /= q
            np.putmask(grad, p != y_pred, ZERO)  # where the clip moved y_pred
        d = y_pred.shape[-1]
        return values, grad if d == 1 else grad / d

    def get_config(self):
        return {**super().get_config(), "from_logits": self.from_logits,
                "label_smoothing": self.label_smoothing}
