"""``linreg``: the lecture's batch picture — the loss of y = wx + b over (w, b), walked by batch GD,
mini-batch and SGD through the engine's own model, loss and batching."""

from __future__ import annotations

import numpy as np

from engine import datasets
from engine.layers import Dense, Input
from engine.model import Sequential
from engine.optimizers.base import Optimizer
from engine.surfaces.surface import Surface
from engine.training import Trainer
from engine.wording import Wording

SAMPLES = 200
NOISE = 0.5


class LinReg(Surface):
    """Mean squared error of one linear unit ``y = w·x + b`` on the ``linear`` dataset (N samples):

        f(w, b) = (1/N) Σᵢ (w xᵢ + b − yᵢ)²
        ∇f      = (2/N) Σᵢ rᵢ · (xᵢ, 1),   rᵢ = w xᵢ + b − yᵢ

    The drawn surface is this full-data loss; its minimum is the least-squares line. A walk
    (``trainer``) is the engine's real training: a ``Sequential`` of one ``Dense(1)`` whose two
    parameters are (w, b), compiled with ``'mse'``, fitted by ``Trainer`` at batch size B — so each
    update uses the gradient of *its own* batch, shuffled every epoch as ``fit`` does: B = N is
    batch gradient descent (one smooth step per epoch), B = 1 is SGD (noisy), B = 32 mini-batch.
    """

    name = "linreg"
    box = (-1.5, 4.0, -2.5, 3.0)
    start = (-1.0, -2.0)
    learning_rate = 0.1
    steps = 150

    def __init__(self, samples: int = SAMPLES, noise: float = NOISE, seed: int = 0):
        data = datasets.get("linear", n_samples=samples, noise=noise, seed=seed)
        self.x = np.asarray(data.x, dtype=np.float64)  # (N, 1)
        self.y = np.asarray(data.y, dtype=np.float64)  # (N,)
        self.samples, self.noise, self.seed = len(self.x), float(noise), seed
        xs = self.x[:, 0]
        design = np.column_stack([xs, np.ones_like(xs)])
        self._minimum = np.linalg.lstsq(design, self.y, rcond=None)[0]

    @property
    def formula(self) -> str:
        return Wording("{formula} over {samples} samples of {model} + noise", formula="f(w, b) = mean((w·x + b − y)²)",
                       samples=self.samples, model="y = 1.5x + 0.5")

    def params(self) -> dict:
        return {"samples": self.samples, "noise": self.noise, "seed": self.seed}

    @property
    def minima(self) -> np.ndarray:
        return self._minimum[None, :]

    def value(self, w, b):
        w, b = np.asarray(w, dtype=np.float64), np.asarray(b, dtype=np.float64)
        r = w[..., None] * self.x[:, 0] + b[..., None] - self.y
        return np.mean(r * r, axis=-1)

    def gradient(self, theta):
        r = theta[0] * self.x[:, 0] + theta[1] - self.y
        return np.array([2.0 * np.mean(r * self.x[:, 0]), 2.0 * np.mean(r)], dtype=np.float64)

    def trainer(self, optimizer: Optimizer, start, batch_size: int, epochs: int) -> Trainer:
        """The engine's ``fit`` loop for ``y = w·x + b`` from ``start = (w, b)``; ``model.params`` is
        the live ``(w, b)`` vector the optimizer updates."""
        model = Sequential([Input(shape=(1,)), Dense(1)])
        model.compile(loss="mse", optimizer=optimizer)
        model.build(1, seed=self.seed)
        model.set_weights([np.array([[start[0]]], dtype=np.float64), np.array([start[1]], dtype=np.float64)])
        return Trainer(model, self.x, self.y, batch_size=batch_size, epochs=epochs, shuffle=True, seed=self.seed)
