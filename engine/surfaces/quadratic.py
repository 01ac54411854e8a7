"""``quadratic``: the ill-conditioned bowl f = ½(x² + κy²), with its condition number and the
step sizes at which gradient descent and momentum diverge."""

from __future__ import annotations

import numpy as np

from engine.optimizers.base import check_positive
from engine.surfaces.surface import Surface


class Quadratic(Surface):
    """f(x, y) = ½(x² + κ y²);  ∇f = (x, κ y);  Hessian diag(1, κ).

    Eigenvalues λ ∈ {1, κ}: condition number λmax/λmin = max(κ, 1/κ). On a quadratic each
    eigen-direction evolves on its own, so the step sizes that diverge are known exactly:

        gradient descent   θ ← θ − α∇f           stable iff α < 2/λmax
        heavy ball (β)     v ← βv − α∇f; θ ← θ + v  stable iff α < 2(1 + β)/λmax
        Nesterov (β)       (Keras's nesterov=True)  stable iff α < 2(1 + β)/((1 + 2β) λmax)

    (Distill, "Why Momentum Really Works", 2017; the heavy-ball bound from the roots of
    z² − (1 + β − αλ) z + β, both inside the unit circle iff 0 < αλ < 2(1 + β).)
    """

    name = "quadratic"
    box = (-4.0, 4.0, -2.0, 2.0)
    start = (-3.5, 1.5)
    learning_rate = 0.1
    steps = 200

    def __init__(self, kappa: float = 10.0):
        self.kappa = check_positive("kappa", kappa)

    @property
    def formula(self) -> str:
        return f"f = ½(x² + κy²), κ = {self.kappa:g}"

    def params(self) -> dict:
        return {"kappa": self.kappa}

    @property
    def minima(self) -> np.ndarray:
        return np.zeros((1, 2))

    def value(self, x, y):
        return 0.5 * (x * x + self.kappa * (y * y))

    def gradient(self, theta):
        return np.array([theta[0], self.kappa * theta[1]], dtype=np.float64)

    @property
    def eigenvalues(self) -> tuple[float, float]:
        return (min(1.0, self.kappa), max(1.0, self.kappa))

    @property
    def condition_number(self) -> float:
        lo, hi = self.eigenvalues
        return hi / lo

    def divergence_learning_rate(self, optimizer) -> float | None:
        """The learning rate above which ``optimizer`` (an engine ``SGD``) diverges here;
        ``None`` for adaptive optimizers, whose step is not a fixed multiple of the gradient."""
        if getattr(optimizer, "momentum", None) is None or type(optimizer).__name__ != "SGD":
            return None
        beta, lam = optimizer.momentum, self.eigenvalues[1]
        if optimizer.nesterov and beta > 0:
            return 2.0 * (1.0 + beta) / ((1.0 + 2.0 * beta) * lam)
        return 2.0 * (1.0 + beta) / lam
