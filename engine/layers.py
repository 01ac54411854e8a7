"""Layers: ``Input`` (declares the feature count) and ``Dense`` (``a = f(x W + b)``)."""

from __future__ import annotations

import math

import numpy as np

from engine import activations, checks


class Input:
    """Declares the shape of one sample, e.g. ``Input(shape=(2,))`` for two features."""

    def __init__(self, shape: tuple[int, ...], name: str | None = None):
        shape = tuple(shape)
        if len(shape) != 1 or not isinstance(shape[0], (int, np.integer)) or shape[0] < 1:
            raise ValueError(f"Input shape must be (features,) with features ≥ 1, got {shape!r}")
        self.shape = (int(shape[0]),)
        self.name = name or "input"

    def __repr__(self) -> str:
        return f"Input(shape={self.shape})"


class Dense:
    """A fully connected layer: ``z = x W + b``, ``a = activation(z)``.

    Shapes: ``x (batch, in)``, ``W (in, units)`` (Keras's kernel layout), ``b (units,)``.
    Kernels start glorot-uniform, ``W ~ U(-l, l)`` with ``l = √(6 / (in + units))``;
    biases start at zero. The arrays live in the model's flat parameter buffer: the
    layer holds views (``kernel``, ``bias``) set by ``Sequential.build``.
    """

    def __init__(self, units: int, activation: str | activations.Activation | None = None,
                 use_bias: bool = True, name: str | None = None):
        self.units = checks.whole_number("Dense units", units, minimum=1, error=ValueError)
        self.activation = activations.get(activation)
        self.use_bias = bool(use_bias)
        self.name = name or "dense"
        self.kernel: np.ndarray | None = None
        self.bias: np.ndarray | None = None

    def param_shapes(self, input_dim: int) -> list[tuple[int, ...]]:
        """Shapes of this layer's arrays, in Keras's order: kernel, then bias."""
        shapes = [(input_dim, self.units)]
        if self.use_bias:
            shapes.append((self.units,))
        return shapes

    def initialize(self, rng: np.random.Generator) -> None:
        """Glorot-uniform kernel, zero bias, written into the views in place."""
        fan_in, fan_out = self.kernel.shape
        limit = math.sqrt(6.0 / (fan_in + fan_out))
        self.kernel[...] = rng.uniform(-limit, limit, size=self.kernel.shape)
        if self.bias is not None:
            self.bias[...] = 0.0

    def get_config(self) -> dict:
        return {"units": self.units, "activation": self.activation.name, "use_bias": self.use_bias}

    def __repr__(self) -> str:
        return f"Dense({self.units}, activation={self.activation.name!r})"
