"""The ``Loss`` base class: per-sample values, their gradient, and Keras's reductions."""

from __future__ import annotations

import numpy as np

from engine import checks
from engine.losses.reduction import REDUCTIONS, reduce_weighted_values, standardize_reduction, weight_gradient

EPSILON = 1e-7
"""Keras's ``backend.epsilon()``: the clip bound and fuzz factor of every loss."""
ONE_MINUS_EPSILON = 1.0 - EPSILON



def mean_last(x: np.ndarray) -> np.ndarray:
    """``np.mean(x, axis=-1)`` bit for bit, without the reduction when there is one column."""
    d = x.shape[-1]
    return x[..., 0] if d == 1 else x.sum(axis=-1) / d


def check_fraction(loss_name: str, arg: str, value) -> float:
    """``value`` as a float in ``[0, 1]``, or a one-line ``ValueError``."""
    return checks.number(f"{loss_name}: {arg}", value, low=0, high=1)


def check_bool(loss_name: str, arg: str, value) -> bool:
    """``value`` if it is a bool, else a one-line ``ValueError``."""
    return checks.flag(f"{loss_name}: {arg}", value)


class Loss:
    """A Keras 3 loss.

    Subclasses implement the maths on aligned arrays:

    - ``call(y_true, y_pred) -> (N,)`` the per-sample loss ``l_i``;
    - ``call_gradient(y_true, y_pred) -> (N, D)`` the derivative ``∂l_i / ∂y_pred[i]``;
    - ``call_with_gradient`` both at once: losses on the training hot path override it to
      share intermediates (its results must equal ``call`` and ``call_gradient`` exactly).

    The reduction turns them into what Keras reports, with per-sample weights w (all 1
    when ``sample_weight`` is not given; see ``engine.losses.reduction``):

        sum_over_batch_size, mean:  L = Σ_i w_i l_i / N     (Keras's default)
        sum:                        L = Σ_i w_i l_i
        mean_with_sample_weight:    L = Σ_i w_i l_i / Σ_i w_i
        none:                       L = w ⊙ l  (an array)

    Class attributes describe how the loss meets a model (used to build experiments):

    - ``output``: the output activation Keras users pair it with
      (``"sigmoid"``, ``"softmax"``, ``"linear"``, ``"softplus"``);
    - ``targets``: the label encoding it expects: ``"real"`` (any numbers),
      ``"binary"`` (0/1 in one column), ``"one_hot"`` (K columns), ``"integer"``
      (class indices), ``"counts"`` (non-negative numbers).
    """

    name = "loss"
    output = "linear"
    targets = "real"

    def __init__(self, reduction: str | None = "sum_over_batch_size", name: str | None = None):
        self.reduction = standardize_reduction(reduction)  # Keras spells "none" either way: None too
        if name is not None:
            self.name = name

    # -- the maths, per subclass -------------------------------------------------
    def call(self, y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def call_gradient(self, y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def call_with_gradient(self, y_true: np.ndarray, y_pred: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return self.call(y_true, y_pred), self.call_gradient(y_true, y_pred)

    # -- alignment -------------------------------------------------------------
    def prepare(self, y_true, y_pred: np.ndarray) -> np.ndarray:
        """Return ``y_true`` as float64 with ``y_pred``'s rank (Keras's squeeze-or-expand)."""
        y_true = np.asarray(y_true, dtype=np.float64)
        if y_true.ndim == y_pred.ndim - 1 and y_pred.shape[-1] == 1:
            y_true = y_true[..., None]
        elif y_true.ndim == y_pred.ndim + 1 and y_true.shape[-1] == 1:
            y_true = y_true[..., 0]
        if y_true.shape != y_pred.shape:
            raise ValueError(
                f"{self.name}: y_true shape {y_true.shape} does not match y_pred shape {y_pred.shape}"
            )
        return y_true

    # -- the public API ----------------------------------------------------------
    def __call__(self, y_true, y_pred, sample_weight=None):
        """The reduced loss (a float, or the weighted per-sample array for ``reduction='none'``)."""
        y_pred = np.asarray(y_pred, dtype=np.float64)
        values = self.call(self.prepare(y_true, y_pred), y_pred)
        return reduce_weighted_values(values, sample_weight, self.reduction)

    def gradient(self, y_true, y_pred, sample_weight=None) -> np.ndarray:
        """``∂L / ∂y_pred`` of the reduced loss, shaped like ``y_pred``.

        For ``reduction='none'`` this is the gradient of ``Σ_i w_i l_i``.
        """
        y_pred = np.asarray(y_pred, dtype=np.float64)
        y_true = self.prepare(y_true, y_pred)
        if sample_weight is None and self.reduction in ("sum", "none"):
            return self.call_gradient(y_true, y_pred)
        values, grad = self.call_with_gradient(y_true, y_pred)
        return weight_gradient(grad, values, sample_weight, self.reduction)

    def value_and_gradient(self, y_true: np.ndarray, y_pred: np.ndarray,
                           sample_weight: np.ndarray | None = None) -> tuple[float, np.ndarray]:
        """The reduced loss (summed for ``none``) and its gradient, ``y_true`` already ``prepare``-d
        (the training hot path)."""
        values, grad = self.call_with_gradient(y_true, y_pred)
        if sample_weight is None:
            total = float(np.add.reduce(values, axis=None))  # what values.sum() calls, without its wrapper
            if self.reduction in ("sum", "none"):
                return total, grad
            n = float(values.size)  # a float operand converts faster than an int, to the same float64
            return total / n, np.divide(grad, n)
        value = reduce_weighted_values(values, sample_weight, self.reduction)
        value = float(np.sum(value)) if self.reduction == "none" else value
        return value, weight_gradient(grad, values, sample_weight, self.reduction)

    def get_config(self) -> dict:
        return {"name": self.name, "reduction": self.reduction}

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.get_config().items() if k != "name")
        return f"{type(self).__name__}({args})"
