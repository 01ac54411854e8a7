"""The ``Optimizer`` base class: Keras 3's ``apply`` (clipping, weight decay, step count)."""

from __future__ import annotations

import inspect
import math

import numpy as np

from engine import checks
from engine.optimizers import schedules
from engine.registry import unknown_name_message
from engine.wording import Wording


def check_positive(name: str, value, *, allow_zero: bool = False) -> float:
    """``float(value)``, or ``ValueError`` if it is not a finite number > 0 (≥ 0 with allow_zero)."""
    return checks.number(name, _as_number(value), low=0, low_open=not allow_zero)


def check_unit(name: str, value, *, closed: bool = False) -> float:
    """``float(value)`` in [0, 1) (or [0, 1] when ``closed``), else ``ValueError``."""
    return checks.number(name, _as_number(value), low=0, high=1, high_open=not closed)


def check_flag(name: str, value) -> bool:
    """``value`` if it is a bool, else ``ValueError`` (``"false"`` must not read as True)."""
    return checks.flag(name, value)


def _as_number(value):
    """A 0-d array or NumPy scalar as a Python float; anything else as it is (the check judges it)."""
    if isinstance(value, (np.ndarray, np.generic)) and np.ndim(value) == 0 and not isinstance(value, np.bool_):
        return float(value)
    return value


class Optimizer:
    """Updates a list of float64 arrays in place from a list of gradient arrays.

    ``apply(grads, variables)`` follows Keras 3's ``BaseOptimizer.apply``:

        1. clip the gradients (at most one of):
             clipnorm          g ← g · c / max(‖g‖₂, c)          per array
             global_clipnorm   g ← g · c · min(1/‖G‖₂, 1/c)      G = all arrays together
             clipvalue         g ← clip(g, -c, c)
        2. decoupled weight decay (if weight_decay is not None):  θ ← θ - θ · wd · lr
        3. ``update_step(g, θ, index)`` for every array — the maths of the subclass;
        4. ``iterations += 1``.

    State (moments, accumulators) is created once, lazily, by ``build`` on the first
    ``apply``; later calls must pass arrays of the same shapes in the same order.
    Hyperparameters are plain attributes, read afresh on every ``apply``: assigning
    ``opt.learning_rate = 0.1`` takes effect from the next one.
    """

    name = "optimizer"
    formula: tuple[str, ...] | None = None
    """The hyperparameters besides the learning rate that ``update_step``'s maths reads; optimizers
    of one class with equal values update their rows of a race as one (``engine.optimizers.rows``:
    ``update_step`` then gets ``(K, P)`` blocks and reads ``self.learning_rate`` as a ``(K, 1)``
    column, so its maths must use it as an operand, never as a Python number).
    ``None``: this class's updates always run one optimizer at a time."""
    slots: tuple[str, ...] = ()
    """The names of the state lists ``build`` creates (one array per variable), besides ``scratch``."""

    def __init__(
        self,
        learning_rate: float = 0.001,
        weight_decay: float | None = None,
        clipnorm: float | None = None,
        clipvalue: float | None = None,
        global_clipnorm: float | None = None,
        name: str | None = None,
        **unknown,
    ):
        if unknown:
            raise ValueError(unknown_name_message(Wording("{name} argument", name=name or self.name), next(iter(unknown)),
                                                  self.argument_names()))
        self._learning_rate: float | schedules.LearningRateSchedule = 0.0
        self.iterations = 0
        self.learning_rate = learning_rate
        self.weight_decay = None if weight_decay is None else check_positive("weight_decay", weight_decay, allow_zero=True)
        self.clipnorm = None if clipnorm is None else check_positive("clipnorm", clipnorm)
        self.clipvalue = None if clipvalue is None else check_positive("clipvalue", clipvalue)
        self.global_clipnorm = None if global_clipnorm is None else check_positive("global_clipnorm", global_clipnorm)
        if sum(x is not None for x in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError(Wording("only one of clipnorm, clipvalue and global_clipnorm can be set"))
        if name is not None:
            if not isinstance(name, str) or not name:
                raise ValueError(f"name must be a non-empty string, got {name!r}")
            self.name = name
        self.built = False
        self.variable_slices: list[slice] | None = None
        """Set when one flat array stands for several Keras variables (the model's parameter
        buffer): the slice of each, so ``clipnorm`` clips every variable on its own."""
        self._clipped: list[np.ndarray] | None = None

    @property
    def learning_rate(self) -> float:
        """The rate of the next update: the number, or the schedule at ``iterations`` (as Keras's
        ``_get_current_learning_rate``, so the first update uses ``schedule(0)``)."""
        lr = self._learning_rate
        return lr if type(lr) is float else lr(self.iterations)

    @learning_rate.setter
    def learning_rate(self, value) -> None:
        """A number > 0 or a ``LearningRateSchedule`` (or its serialized dict); as in Keras, a
        number cannot replace a schedule the optimizer was given."""
        if isinstance(value, dict):
            value = schedules.deserialize(value)
        if isinstance(value, schedules.LearningRateSchedule):
            self._learning_rate = value
            return
        if isinstance(self._learning_rate, schedules.LearningRateSchedule):
            raise TypeError("This optimizer was created with a `LearningRateSchedule` object as its "
                            "`learning_rate` constructor argument, hence its learning rate is not settable.")
        self._learning_rate = check_positive("learning_rate", value)

    @property
    def schedule(self) -> schedules.LearningRateSchedule | None:
        """The learning-rate schedule, or ``None`` when the rate is a plain number."""
        lr = self._learning_rate
        return lr if isinstance(lr, schedules.LearningRateSchedule) else None

    @classmethod
    def argument_names(cls) -> list[str]:
        """Every keyword the constructor takes: the optimizer's own, then the base's."""
        names = []
        for klass in (cls, Optimizer):
            for p in inspect.signature(klass.__init__).parameters.values():
                if p.kind is p.POSITIONAL_OR_KEYWORD and p.name != "self" and p.name not in names:
                    names.append(p.name)
        return names

    # -- state -----------------------------------------------------------------
    def build(self, variables: list[np.ndarray]) -> None:
        """Create the state for ``variables`` (once). Subclasses call super, then add theirs.

        The base keeps two scratch arrays per variable, ``self.scratch[i] = (s, t)``, for
        in-place arithmetic; their contents mean nothing between calls.
        """
        if self.built:
            return
        for v in variables:
            if not isinstance(v, np.ndarray) or v.dtype != np.float64:
                raise ValueError(f"optimizers update float64 NumPy arrays in place, got {type(v).__name__}"
                                 f"{'' if not isinstance(v, np.ndarray) else ' of ' + str(v.dtype)}")
        self.scratch = [(np.empty_like(v), np.empty_like(v)) for v in variables]
        self.built = True

    @staticmethod
    def zeros_like(variables: list[np.ndarray], fill: float = 0.0) -> list[np.ndarray]:
        """One float64 state array per variable, filled with ``fill``."""
        return [np.full(np.shape(v), fill, dtype=np.float64) for v in variables]

    def formula_key(self) -> tuple | None:
        """``(class, *formula values)``: optimizers with equal keys differ at most in their learning
        rates and step as one (``engine.optimizers.rows``); ``None`` when this one steps alone (no
        ``formula``, or clipping or weight decay set: ``apply``'s own steps)."""
        if self.formula is None or not (self.clipnorm is None and self.clipvalue is None and
                                        self.global_clipnorm is None and self.weight_decay is None):
            return None
        return (type(self), *[getattr(self, name) for name in self.formula])

    # -- the step ---------------------------------------------------------------
    def apply(self, grads: list[np.ndarray], variables: list[np.ndarray]) -> None:
        """One update of every array in ``variables`` (in place) from ``grads`` (left untouched)."""
        if len(grads) != len(variables):
            raise ValueError(f"got {len(grads)} gradients for {len(variables)} variables")
        if not self.built:
            self.build(variables)
        if not (self.clipnorm is None and self.clipvalue is None and self.global_clipnorm is None):
            grads = self._clip_gradients(grads)
        if self.weight_decay is not None:
            self._apply_weight_decay(variables)
        self.update_all(grads, variables)
        self.iterations += 1

    def update_all(self, grads: list[np.ndarray], variables: list[np.ndarray]) -> None:
        """``update_step`` on every pair (Keras's ``_backend_update_step``; Nadam adds to it)."""
        if len(grads) == 1:  # a model's one flat array (the training hot path)
            self.update_step(grads[0], variables[0], 0)
            return
        for index, (g, v) in enumerate(zip(grads, variables)):
            self.update_step(g, v, index)

    def update_step(self, gradient: np.ndarray, variable: np.ndarray, index: int) -> None:
        """Update ``variable`` in place; ``index`` selects its state arrays."""
        raise NotImplementedError

    def _apply_weight_decay(self, variables: list[np.ndarray]) -> None:
        wd, lr = self.weight_decay, self.learning_rate  # Keras: the schedule at iterations, as the update
        for v, (s, _) in zip(variables, self.scratch):
            np.multiply(v, wd, out=s)  # Keras: variable - variable * wd * lr
            s *= lr
            v -= s

    def _clip_gradients(self, grads: list[np.ndarray]) -> list[np.ndarray]:
        if self._clipped is None:
            self._clipped = [np.empty_like(s) for s, _ in self.scratch]
        out = self._clipped
        if self.clipnorm is not None:
            c = self.clipnorm
            pairs = zip(grads, out)
            if len(grads) == 1 and self.variable_slices:  # one flat array, clipped variable by variable
                pairs = ((grads[0][s], out[0][s]) for s in self.variable_slices)
            for g, o in pairs:
                norm = math.sqrt(float(np.sum(np.square(g, out=o))))
                np.multiply(g, c, out=o)
                o /= c if norm <= c else norm  # max(‖g‖, c), NaN propagating
        elif self.global_clipnorm is not None:
            c = self.global_clipnorm
            norm = math.sqrt(sum(float(np.sum(np.square(g, out=o))) for g, o in zip(grads, out)))
            inverse = 1.0 / norm if norm != 0 else math.inf
            scale = c * float(np.minimum(inverse, 1.0 / c)) + (norm - norm)  # NaN if norm is not finite
            for g, o in zip(grads, out):
                np.multiply(g, scale, out=o)
        else:
            for g, o in zip(grads, out):
                np.clip(g, -self.clipvalue, self.clipvalue, out=o)
        return out

    # -- what the optimizer carries (read by engine.diagnostics) ------------------
    def effective_learning_rate(self) -> list[np.ndarray] | None:
        """Per parameter, the step size its state gives now: the factor the update multiplies
        its gradient estimate by (g for SGD and Adagrad/RMSprop/Adadelta, m̂ for the Adams),
        as new arrays the caller may overwrite.

        Plain and momentum SGD: ``lr`` everywhere. Adaptive optimizers override this with their
        own formula, next to their update. ``None`` before the state is built (no update yet).
        """
        if not self.built:
            return None
        return [np.full(s.shape, float(self.learning_rate)) for s, _ in self.scratch]

    def velocity(self) -> list[np.ndarray] | None:
        """The momentum the optimizer carries (its state arrays, not copies), or ``None`` if it has none."""
        return None

    def bias_corrections(self) -> tuple[float, float] | None:
        """The bias-correction factors of the last update (the Adams), or ``None``."""
        return None

    # -- description ------------------------------------------------------------
    def hyperparameters(self) -> dict[str, float | bool]:
        """The tunable hyperparameters and their current values (config minus bookkeeping);
        ``learning_rate`` is the schedule itself when there is one."""
        skip = {"name", "weight_decay", "clipnorm", "clipvalue", "global_clipnorm"}
        values = {k: v for k, v in self.get_config().items() if k not in skip}
        return {**values, "learning_rate": self._learning_rate}

    def get_config(self) -> dict:
        """Everything ``optimizers.get(config)`` needs to rebuild this optimizer (without state).

        A schedule is stored serialized, ``{"class_name": …, "config": {…}}``, as Keras does."""
        lr = self._learning_rate
        return {
            "name": self.name,
            "learning_rate": lr if type(lr) is float else schedules.serialize(lr),
            "weight_decay": self.weight_decay,
            "clipnorm": self.clipnorm,
            "clipvalue": self.clipvalue,
            "global_clipnorm": self.global_clipnorm,
        }

    @classmethod
    def from_config(cls, config: dict) -> "Optimizer":
        return cls(**config)

    def __repr__(self) -> str:
        args = ", ".join(f"{k}={v!r}" for k, v in self.hyperparameters().items())
        return f"{type(self).__name__}({args})"
