"""``Surface``: a loss f(x, y) over the plane with its analytic gradient, minima and a view box."""

from __future__ import annotations

import numpy as np


class Surface:
    """A 2-D loss surface for watching optimizers walk.

    Subclasses give the maths (``value`` vectorised, ``gradient`` at one point) and the facts a
    picture needs: ``formula`` (one line), ``minima`` (every global minimum, ``(m, 2)``; empty
    when f is unbounded below), ``box`` ``(x_min, x_max, y_min, y_max)`` to draw, a default
    ``start``, ``learning_rate`` and ``steps``, and ``log_shading`` (shade log(f − f*) when f
    spans decades, as Rosenbrock's valley does).
    """

    name = "surface"
    formula = ""
    box: tuple[float, float, float, float] = (-5.0, 5.0, -5.0, 5.0)
    start: tuple[float, float] = (0.0, 0.0)
    learning_rate = 0.01
    steps = 200
    log_shading = False

    @property
    def minima(self) -> np.ndarray:
        """Every global minimum, ``(m, 2)``."""
        return np.empty((0, 2))

    @property
    def minimum(self) -> np.ndarray | None:
        """The global minimum (the first, if several), ``(2,)``; ``None`` if f has none."""
        minima = self.minima
        return minima[0] if len(minima) else None

    @property
    def minimum_value(self) -> float | None:
        """f at the global minimum; ``None`` if f has none."""
        m = self.minimum
        return None if m is None else float(self.value(m[0], m[1]))

    def params(self) -> dict:
        """The surface's own settings (e.g. ``{"kappa": 10.0}``), for ``get(name, **params)``."""
        return {}

    def value(self, x, y):
        """f at ``(x, y)``, elementwise over arrays of one shape."""
        raise NotImplementedError

    def gradient(self, theta: np.ndarray) -> np.ndarray:
        """∇f at ``theta = (x, y)``, a new float64 ``(2,)`` array."""
        raise NotImplementedError

    def loss(self, theta: np.ndarray) -> float:
        """f at one point ``(2,)``."""
        return float(self.value(theta[0], theta[1]))

    def grid(self, columns: int, rows: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(xs (columns,), ys (rows,), f (rows, columns))`` over ``box``, ys from ``y_max`` down (as drawn)."""
        x0, x1, y0, y1 = self.box
        xs = np.linspace(x0, x1, columns)
        ys = np.linspace(y1, y0, rows)
        with np.errstate(all="ignore"):
            return xs, ys, self.value(xs[None, :], ys[:, None])

    def describe(self) -> str:
        return f"{self.name}: {self.formula}"


def refine(surface: Surface, guess, iterations: int = 50) -> np.ndarray:
    """Newton's method on ∇f = 0 from ``guess``, the Hessian by central differences of the
    analytic gradient: where a minimum has no closed form (the dip's global one), it is
    computed, not typed in.
    """
    theta = np.array(guess, dtype=np.float64)
    h = 1e-5
    for _ in range(iterations):
        g = surface.gradient(theta)
        hessian = np.empty((2, 2))
        for i in range(2):
            e = np.zeros(2)
            e[i] = h
            hessian[:, i] = (surface.gradient(theta + e) - surface.gradient(theta - e)) / (2 * h)
        step = np.linalg.solve(hessian, g)
        theta = theta - step
        if np.max(np.abs(step)) < 1e-15:
            break
    return theta
