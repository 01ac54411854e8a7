"""Diagnostics: what the optimizer carries and how its last update moved the weights, per layer.

Everything is read from state that training keeps anyway — the parameters, the last batch's
gradient, the optimizer's own slots through its public accessors (``effective_learning_rate``,
``velocity``, ``bias_corrections``); no update rule is written a second time here. With θ the
parameters, g the last batch's gradient (before clipping) and θ₋ the parameters before the
last update:

    grad_norm      ‖g‖₂
    weight_norm    ‖θ‖₂
    update_ratio   ‖θ - θ₋‖₂ / ‖θ₋‖₂                     (None without θ₋; inf if θ₋ = 0)
    effective_lr   min / median / max over the parameters of the optimizer's step size:
                     SGD, momentum, Nesterov   lr
                     Adagrad                   lr / √(a + ε)
                     RMSprop                   lr / √(v + ε)         (centered: v - ḡ²)
                     Adadelta                  lr · √(d + ε) / √(a + ε)
                     Adam, AdamW               lr · √(1 - β₂ᵗ) / (√v + ε)   (multiplies m̂)
                     Nadam                     lr / (√v̂ + ε),  v̂ = v / (1 - β₂ᵗ)
    velocity_norm  ‖m‖₂ of the momentum the optimizer carries (None without one)

The same quantities per layer (its kernel and bias together), and for the whole model.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import numpy as np

from engine.saturation import Saturation


@dataclass(slots=True)
class Spread:
    """Minimum, median and maximum of a set of values."""

    min: float
    median: float
    max: float


@dataclass(slots=True)
class LayerDiagnostics:
    """One layer's numbers (kernel and bias together)."""

    name: str
    """``dense_1`` … in model order."""
    parameters: int
    grad_norm: float
    weight_norm: float
    update_ratio: float | None
    effective_lr: Spread | None
    velocity_norm: float | None


@dataclass(slots=True)
class Diagnostics:
    """The whole model's numbers after an update, and each layer's (see the module docstring).
    Read-only (not frozen only because a frozen dataclass costs microseconds to build)."""

    step: int
    """Optimizer updates so far."""
    learning_rate: float
    grad_norm: float
    weight_norm: float
    update_ratio: float | None
    effective_lr: Spread | None
    velocity_norm: float | None
    bias_corrections: tuple[float, float] | None
    """Adam's (1 - β₁ᵗ, 1 - β₂ᵗ) at the last update (Nadam's: see its docstring); else None."""
    layers: tuple[LayerDiagnostics, ...]
    epoch: int | None = None
    """The 1-based epoch these were taken at the end of (None: mid-epoch)."""
    saturation: Saturation | None = None
    """The saturation probe at that moment (None: not probed, or a loss that does not clip)."""

    @property
    def saturated(self) -> bool:
        return self.saturation is not None and self.saturation.saturated

    def to_dict(self) -> dict:
        """Plain data: ``epoch``, ``step``, ``learning_rate``, ``grad_norm``, ``weight_norm``,
        ``update_ratio``, ``effective_lr`` ``{min, median, max}``, ``velocity_norm``,
        ``bias_corrections``, ``saturation``, ``saturated`` (None when not probed) and ``layers``
        (the same per layer; empty when only the whole model's numbers were taken)."""
        data = asdict(self)
        data["saturation"] = None if self.saturation is None else self.saturation.to_dict()
        data["saturated"] = None if self.saturation is None else self.saturation.saturated
        return {"epoch": data.pop("epoch"), **data}


def layer_sizes(model) -> list[tuple[str, int]]:
    """``(name, parameter count)`` per layer of a built ``Sequential``, in the flat buffer's order."""
    sizes = []
    for index, layer in enumerate(model.layers, 1):
        size = layer.kernel.size + (layer.bias.size if layer.bias is not None else 0)
        sizes.append((f"{layer.name}_{index}", int(size)))
    return sizes


def current_learning_rate(optimizer) -> float:
    """The learning rate of the optimizer's next update (a schedule's value at its step)."""
    return float(optimizer.learning_rate)


def flatten(arrays: list[np.ndarray] | None) -> np.ndarray | None:
    """One flat vector of ``arrays`` (a view when there is one array), or ``None``."""
    if arrays is None:
        return None
    return arrays[0].reshape(-1) if len(arrays) == 1 else np.concatenate([a.reshape(-1) for a in arrays])


def _norms(values: np.ndarray, starts: np.ndarray) -> tuple[list[float], float]:
    """‖·‖₂ of each layer's part (starting at ``starts``) and of the whole, from one square."""
    parts = np.add.reduceat(np.square(values), starts).tolist()
    return [math.sqrt(p) for p in parts], math.sqrt(sum(parts))


def spread(values: np.ndarray, *, overwrite: bool = False) -> Spread:
    """Min, median (``np.median``'s: the mean of the two middle values when the count is even)
    and max of a 1-D array, by one partition (of the array itself with ``overwrite``)."""
    n = values.size
    k = n // 2
    work = values if overwrite else values.copy()
    if n % 2:
        work.partition((0, k, n - 1))
        middle = float(work[k])
    else:
        work.partition((0, k - 1, k, n - 1))
        middle = float((work[k - 1] + work[k]) / 2)
    return Spread(float(work[0]), middle, float(work[n - 1]))


def _spreads(values: np.ndarray, starts: np.ndarray, ends: list[int]) -> tuple[list[Spread], Spread]:
    return [spread(values[a:b]) for a, b in zip(starts.tolist(), ends)], spread(values)


def ratio(update: float, weight: float) -> float:
    """``update / weight``, with 0/0 = 0 and x/0 = inf."""
    if weight == 0.0:
        return 0.0 if update == 0.0 else math.inf
    return update / weight


def _norm(values: np.ndarray) -> float:
    return math.sqrt(float(np.dot(values, values)))


def diagnose(optimizer, params: np.ndarray, grads: np.ndarray, sizes: list[tuple[str, int]],
             previous: np.ndarray | None = None, *, epoch: int | None = None,
             saturation: Saturation | None = None, per_layer: bool = True) -> Diagnostics:
    """The diagnostics of one model's state.

    Args:
        optimizer: the optimizer updating ``params`` (its state arrays cover ``params`` in order).
        params: (P,) the flat parameters now.  grads: (P,) the last batch's gradient.
        sizes: ``(name, count)`` per layer, summing to P (see ``layer_sizes``).
        previous: (P,) the parameters before the last update, for ``update_ratio``.
        epoch, saturation: stored as given.
        per_layer: False → the whole model's numbers only (``layers`` empty; cheaper).
    """
    params, grads = params.reshape(-1), grads.reshape(-1)
    effective = flatten(optimizer.effective_learning_rate())
    velocity = flatten(optimizer.velocity())
    if previous is not None:
        previous = previous.reshape(-1)
        update = params - previous
    layers = ()
    if per_layer:
        ends = np.cumsum([size for _, size in sizes]).tolist()
        starts = np.array([0, *ends[:-1]])
        none = [None] * len(sizes)
        grad_norms, grad_norm = _norms(grads, starts)
        weight_norms, weight_norm = _norms(params, starts)
        update_ratios, update_ratio = none, None
        if previous is not None:
            update_norms, update_norm = _norms(update, starts)
            before_norms, before_norm = _norms(previous, starts)
            update_ratios = [ratio(u, w) for u, w in zip(update_norms, before_norms)]
            update_ratio = ratio(update_norm, before_norm)
        spreads, effective_spread = (none, None) if effective is None else _spreads(effective, starts, ends)
        velocity_norms, velocity_norm = (none, None) if velocity is None else _norms(velocity, starts)
        layers = tuple(LayerDiagnostics(name, size, *row) for (name, size), row in
                       zip(sizes, zip(grad_norms, weight_norms, update_ratios, spreads, velocity_norms)))
    else:
        grad_norm, weight_norm = _norm(grads), _norm(params)
        update_ratio = None if previous is None else ratio(_norm(update), _norm(previous))
        # a fresh array (the accessor computes it): partitioned in place
        effective_spread = None if effective is None else spread(effective, overwrite=True)
        velocity_norm = None if velocity is None else _norm(velocity)
    return Diagnostics(
        step=int(optimizer.iterations), learning_rate=current_learning_rate(optimizer),
        grad_norm=grad_norm, weight_norm=weight_norm, update_ratio=update_ratio, effective_lr=effective_spread,
        velocity_norm=velocity_norm, bias_corrections=optimizer.bias_corrections(),
        layers=layers, epoch=epoch, saturation=saturation)


def diagnose_model(model, previous: np.ndarray | None = None) -> Diagnostics:
    """``diagnose`` for a built, compiled ``Sequential`` (its flat ``params`` and ``grads``)."""
    return diagnose(model.optimizer, model.params, model.grads, layer_sizes(model), previous)
