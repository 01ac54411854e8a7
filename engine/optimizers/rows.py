"""``RowUpdate``: optimizers of one formula updating their rows of a ``(K, P)`` block as one — a
race whose contestants run the same maths (learning rates, schedules) pays one optimizer's
NumPy calls per step, not K."""

from __future__ import annotations

import operator

import numpy as np

from engine.optimizers.base import Optimizer

_ROW_CLASSES: dict[type, type] = {}


def _rows_class(cls: type[Optimizer]) -> type[Optimizer]:
    """``cls`` whose ``learning_rate`` is a plain attribute (``cls``'s property holds a float or a schedule)."""
    rows = _ROW_CLASSES.get(cls)
    if rows is None:
        rows = _ROW_CLASSES[cls] = type(f"{cls.__name__}Rows", (cls,), {"learning_rate": None})
    return rows


class RowUpdate:
    """Optimizers with one ``formula_key()`` and one iteration count, stepping the rows ``params[r]``
    of a ``(K, P)`` block from ``grads[r]`` as one call of their class's ``update_step``.

    That call runs on a stand-in of the first optimizer whose learning rate is the ``(K, 1)``
    column of each one's current rate (a schedule's too) and whose state and scratch are ``(K, P)``
    blocks. Row ``r`` of each block *is* ``optimizers[r]``'s own state from then on (its lists hold
    the row), so reading one optimizer — ``velocity()``, a diagnostic — reads its row, and updating
    it alone (``apply``) goes on from the same numbers.

    Bit for bit each row's own update: every operation of the maths is elementwise, and each row of
    a column broadcast is the number it stands for (Adam's ``α = lr · √(1 - β₂ᵗ) / (1 - β₁ᵗ)`` is
    the same expression with ``lr`` a column). ``tests/engine/test_race.py`` checks every class.
    """

    def __init__(self, optimizers: list[Optimizer], grads: np.ndarray, params: np.ndarray):
        first = optimizers[0]
        self.optimizers = optimizers
        self._read = operator.attrgetter(*first.formula, "clipnorm", "clipvalue", "global_clipnorm", "weight_decay")
        self._values = self._read(first)
        """What ``formula_key()`` reads, as every member must still have it for the rows to step as one."""
        self.grads, self.params = grads, params
        stand_in = _rows_class(type(first)).__new__(_rows_class(type(first)))
        stand_in.__dict__.update(first.__dict__)
        for name in first.slots:
            block = np.stack([getattr(o, name)[0] for o in optimizers])
            for row, o in enumerate(optimizers):
                setattr(o, name, [block[row]])
            setattr(stand_in, name, [block])
        scratch = np.empty((2, *params.shape))
        for row, o in enumerate(optimizers):
            o.scratch = [(scratch[0, row], scratch[1, row])]
        stand_in.scratch = [(scratch[0], scratch[1])]
        self.rates = np.empty((len(optimizers), 1))
        stand_in.learning_rate = self.rates
        self.stand_in = stand_in

    @classmethod
    def possible(cls, optimizers: list[Optimizer]) -> bool:
        """Whether ``optimizers`` (built, two or more) can step as one: one formula, one iteration count."""
        key = optimizers[0].formula_key()
        return (len(optimizers) > 1 and key is not None and all(o.built for o in optimizers)
                and all(o.formula_key() == key and o.iterations == optimizers[0].iterations for o in optimizers))

    def current(self) -> bool:
        """Whether the members still share the formula (a hyperparameter other than the learning
        rate can change between two steps, as for a lone optimizer)."""
        read, values = self._read, self._values
        for o in self.optimizers:
            if read(o) != values:
                return False
        return True

    def apply(self) -> None:
        """One update of every row: ``apply`` of each optimizer, as one."""
        optimizers = self.optimizers
        self.rates[:, 0] = [o.learning_rate for o in optimizers]
        stand_in = self.stand_in
        stand_in.iterations = optimizers[0].iterations
        stand_in.update_step(self.grads, self.params, 0)
        for o in optimizers:
            o.iterations += 1
