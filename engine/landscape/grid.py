"""The loss over a plane of parameter vectors, computed many networks at a time on the training core's ``Stack``."""

from __future__ import annotations

import numpy as np

from engine.model import Sequential
from engine.core.stack import Stack

ROWS_BUDGET = 32 * 2 ** 20
"""Bytes of activations one batch of networks may take (two float64 buffers per unit per sample)."""


class Cancelled(Exception):
    """A landscape computation stopped because its caller asked it to (e.g. the app is quitting)."""


def axis(extent: float, n: int) -> np.ndarray:
    """``n`` coordinates from −extent to extent; for odd ``n`` the middle one is exactly 0."""
    half = (n - 1) / 2
    return extent * (np.arange(n) - half) / half


def rows_per_batch(model: Sequential, samples: int) -> int:
    units = sum(layer.units for layer in model.layers)
    return max(1, int(ROWS_BUDGET // (2 * 8 * units * max(samples, 1))))


def plane_losses(model: Sequential, x: np.ndarray, y, centre: np.ndarray, d1: np.ndarray, d2: np.ndarray,
                 alphas: np.ndarray, betas: np.ndarray, should_stop=None) -> np.ndarray:
    """L(centre + α d1 + β d2) for every (β, α) on the grid: ``(len(betas), len(alphas))``.

    The parameter vectors go through the model's architecture in batches of K rows (one
    ``Stack``: each layer one stacked matmul for all K), and each row's loss is the model's
    compiled loss on ``(x, y)`` — as ``model.evaluate(x, y)`` computes it, bit for bit at the
    centre (α = β = 0 gives ``centre + 0.0 = centre`` exactly).

    Args:
        model: a built, compiled ``Sequential`` (its architecture and loss; its weights are not used).
        x: ``(N, features)``.  y: the targets, as ``evaluate`` takes them.
        centre, d1, d2: ``(P,)``.
        alphas: ``(A,)`` along d1.  betas: ``(B,)`` along d2.
        should_stop: optional callable, asked between batches; when it is true ``Cancelled`` is raised.
    """
    a, b = np.meshgrid(alphas, betas)  # (B, A): rows follow the second direction
    offsets = a.reshape(-1, 1) * d1 + b.reshape(-1, 1) * d2
    thetas = centre + offsets
    losses = np.empty(len(thetas))
    loss = model.loss
    k = min(rows_per_batch(model, len(x)), len(thetas))
    stack = Stack.of([model] * k)
    y_true = None
    with np.errstate(all="ignore"):
        for lo in range(0, len(thetas), k):
            if should_stop is not None and should_stop():
                raise Cancelled("the landscape was cancelled")
            chunk = thetas[lo:lo + k]
            stack.params[:len(chunk)] = chunk
            stack.params[len(chunk):] = centre  # a short last batch: pad, then ignore
            y_pred = stack.forward(x, buffered=False)[-1][1]
            if y_true is None:
                y_true = loss.prepare(y, y_pred[0])
            for r in range(len(chunk)):
                losses[lo + r] = float(loss(y_true, y_pred[r]))
    return losses.reshape(a.shape)
