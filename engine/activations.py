"""Activation functions (Keras 3 formulas) with their derivatives, and the registry."""

from __future__ import annotations

import math

import numpy as np

from engine import registry
from engine.scalars import ONE, ZERO

_erf = np.frompyfunc(math.erf, 1, 1)


class Activation:
    """An elementwise (or, for softmax, row-wise) function ``a = f(z)``.

    ``forward(z)`` returns ``a``; ``backward(z, a, da)`` returns ``dz = da · f'(z)``
    (for softmax, the Jacobian-vector product). Arrays are ``(batch, units)``.
    """

    name = "activation"

    def forward(self, z: np.ndarray, out: np.ndarray | None = None) -> np.ndarray:
        """``f(z)``; may write into ``out`` (same shape) and return it, or return a new array.

        Given ``out``, the caller runs it under ``np.errstate(all="ignore")`` (the training core
        does): an overflow to ``inf`` there is the maths, not a warning."""
        raise NotImplementedError

    def backward(self, z: np.ndarray, a: np.ndarray, da: np.ndarray,
                 out: np.ndarray | None = None) -> np.ndarray:
        """``da ⊙ f'(z)``; may write into ``out`` and return it, or return a new array."""
        raise NotImplementedError

    def get_config(self) -> dict:
        return {"name": self.name}

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Linear(Activation):
    """``f(z) = z``."""

    name = "linear"

    def forward(self, z, out=None):
        return z

    def backward(self, z, a, da, out=None):
        return da


class ReLU(Activation):
    """``f(z) = max(z, 0)``; ``f'(z) = 1 if z > 0 else 0``."""

    name = "relu"

    def forward(self, z, out=None):
        return np.maximum(z, ZERO, out=out)

    def backward(self, z, a, da, out=None):
        # a = max(z, 0) ≥ 0, so sign(a) is the 0/1 mask [z > 0]
        out = np.sign(a, out=out)
        out *= da
        return out


class Sigmoid(Activation):
    """``f(z) = 1 / (1 + exp(-z))``; ``f'(z) = a (1 - a)``."""

    name = "sigmoid"

    def forward(self, z, out=None):
        # exp(-z) overflows to inf for z < -709 (then a = 0): silenced here, or — given ``out``,
        # the training core's buffers — by the core's own errstate(all="ignore"), which costs a
        # step as much as a few ufunc calls to enter
        if out is None:
            with np.errstate(over="ignore"):
                return self.forward(z, np.empty_like(z))
        out = np.negative(z, out=out)
        np.exp(out, out=out)
        np.add(out, ONE, out=out)
        return np.reciprocal(out, out=out)

    def backward(self, z, a, da, out=None):
        out = np.subtract(ONE, a, out=out)
        out *= a
        out *= da
        return out


class Tanh(Activation):
    """``f(z) = tanh z``; ``f'(z) = 1 - a²``."""

    name = "tanh"

    def forward(self, z, out=None):
        return np.tanh(z, out=out)

    def backward(self, z, a, da, out=None):
        out = np.multiply(a, a, out=out)
        np.subtract(ONE, out, out=out)
        out *= da
        return out


class Softmax(Activation):
    """``a_i = exp(z_i - max z) / Σ_j exp(z_j - max z)`` over the last axis.

    Backward: ``dz = a ⊙ (da - Σ_j da_j a_j)``.
    """

    name = "softmax"

    def forward(self, z, out=None):
        e = np.exp(z - z.max(axis=-1, keepdims=True))
        return e / e.sum(axis=-1, keepdims=True)

    def backward(self, z, a, da, out=None):
        return a * (da - (da * a).sum(axis=-1, keepdims=True))


class LeakyReLU(Activation):
    """``f(z) = z if z > 0 else negative_slope · z`` (Keras default slope 0.2)."""

    name = "leaky_relu"

    def __init__(self, negative_slope: float = 0.2):
        self.negative_slope = float(negative_slope)

    def forward(self, z, out=None):
        return np.where(z > 0, z, self.negative_slope * z)

    def backward(self, z, a, da, out=None):
        return np.where(z > 0, da, self.negative_slope * da)

    def get_config(self):
        return {"name": self.name, "negative_slope": self.negative_slope}


class ELU(Activation):
    """``f(z) = z if z > 0 else α (exp z - 1)`` (Keras default α = 1)."""

    name = "elu"

    def __init__(self, alpha: float = 1.0):
        self.alpha = float(alpha)

    def forward(self, z, out=None):
        with np.errstate(over="ignore"):
            return np.where(z > 0, z, self.alpha * np.expm1(np.minimum(z, 0.0)))

    def backward(self, z, a, da, out=None):
        return np.where(z > 0, da, da * (a + self.alpha))


class GELU(Activation):
    """Exact GELU (Keras default ``approximate=False``): ``f(z) = z Φ(z)``,
    ``Φ(z) = ½ (1 + erf(z / √2))``; ``f'(z) = Φ(z) + z φ(z)``."""

    name = "gelu"

    def forward(self, z, out=None):
        return 0.5 * z * (1.0 + _erf(z / math.sqrt(2.0)).astype(np.float64))

    def backward(self, z, a, da, out=None):
        cdf = 0.5 * (1.0 + _erf(z / math.sqrt(2.0)).astype(np.float64))
        pdf = np.exp(-0.5 * z * z) / math.sqrt(2.0 * math.pi)
        return da * (cdf + z * pdf)


class Softplus(Activation):
    """``f(z) = log(1 + exp z)``, computed stably; ``f'(z) = sigmoid(z)``."""

    name = "softplus"

    def forward(self, z, out=None):
        return np.logaddexp(0.0, z)

    def backward(self, z, a, da, out=None):
        with np.errstate(over="ignore"):
            return da / (1.0 + np.exp(-z))


class Exponential(Activation):
    """``f(z) = exp z``; ``f'(z) = a``."""

    name = "exponential"

    def forward(self, z, out=None):
        with np.errstate(over="ignore"):
            return np.exp(z)

    def backward(self, z, a, da, out=None):
        return da * a


ALL = {
    cls.name: cls
    for cls in (Linear, ReLU, Sigmoid, Tanh, Softmax, LeakyReLU, ELU, GELU, Softplus, Exponential)
}
ALIASES = {"none": "linear", "identity": "linear"}


def names() -> list[str]:
    """The canonical activation names, in registry order."""
    return list(ALL)


def get(identifier, **kwargs) -> Activation:
    """Keras's ``activations.get``: ``None`` → linear (as in Keras); an ``Activation`` as it is; a name,
    alias or class name, an ``Activation`` class, ``{"class_name": …, "config": {…}}`` or a
    ``get_config()`` dict → a new activation (kwargs to its constructor); else ``ValueError``."""
    return registry.get("activation", identifier, kwargs, base=Activation, table=ALL,
                        aliases=ALIASES, none=Linear)
