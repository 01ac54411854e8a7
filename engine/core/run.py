"""``Run``: one network's training state in a ``Heat`` (``engine.core.heat``) — its counters, history and
optimizer, and its weights, gradients and predictions read from its row of the heat's stack."""

from __future__ import annotations

import numpy as np

from engine.core.stack import Stack
from engine.core.standing import RunStatus
from engine.history import History


class Run(RunStatus):
    """One network's training state in a heat. Read-only for callers, except ``optimizer``'s
    hyperparameters (``run.optimizer.learning_rate = …`` applies from its next step).

    Attributes: ``index``, ``label``, ``model`` (the ``Sequential`` it trains: for a solo run the
    model itself, whose arrays are the heat's row; in a race a template holding the initial
    weights), ``optimizer``, ``loss``, ``history`` (Keras's ``History``, with ``status`` and
    ``diverged_at``), ``epoch`` (completed epochs), ``iteration`` (completed iterations in the
    current epoch), ``iterations_per_epoch``, ``batch_size``, ``step`` (updates so far),
    ``examples_seen``, ``seconds`` (its share of the heat's compute plus its own updates),
    ``status``, ``diverged_at``, ``done``, ``loss_total`` (its heat's running sum for the epoch loss).
    """

    def __init__(self, model, source, index: int = 0, label: str = ""):
        self.index, self.label, self.model = index, label, model
        self.optimizer = model.optimizer
        self.loss = model.loss
        self.batch_size = source.batch_size
        self.iterations_per_epoch = source.iterations_per_epoch
        self.history = History()
        self.history.params = {"epochs": source.epochs, "steps": source.iterations_per_epoch}
        self.epoch = self.iteration = self.step = self.examples_seen = 0
        self.seconds = 0.0
        self._stack: Stack | None = None
        self._row = 0
        self._frozen: list[np.ndarray] | None = None
        self.loss_total = 0.0
        """This epoch's Σ batch loss × batch size so far (its heat adds each step's; the epoch loss is it / N)."""

    def attach(self, stack: Stack, row: int) -> None:
        """Read weights, gradients and predictions from row ``row`` of ``stack`` (whoever computes it)."""
        self._stack, self._row = stack, row

    def freeze(self, weights: list[np.ndarray]) -> None:
        """Keep ``weights`` (Keras order) as its last: it has left the computation (diverged)."""
        self._frozen = weights

    @property
    def active(self) -> bool:
        """Neither finished nor diverged."""
        return not self.done

    @property
    def params(self) -> np.ndarray:
        """The live flat parameters: its row of the stack (once frozen, a flat copy of the frozen weights)."""
        if self._frozen is not None:
            return np.concatenate([w.reshape(-1) for w in self._frozen])
        return self._stack.params[self._row]

    @property
    def grads(self) -> np.ndarray:
        """The last batch's flat gradient: its row of the stack (once frozen, NaN: it left the stack)."""
        if self._frozen is not None:
            return np.full(sum(w.size for w in self._frozen), np.nan)
        return self._stack.grads[self._row]

    def get_weights(self) -> list[np.ndarray]:
        """Copies of the current arrays, Keras order (as ``Sequential.get_weights``)."""
        if self._frozen is not None:
            return [w.copy() for w in self._frozen]
        return [v.copy() for v in self._stack.param_views[self._row]]

    def predict(self, x) -> np.ndarray:
        """The network's outputs ``(N, units)`` for features ``x`` (e.g. a decision-boundary grid)."""
        x = np.asarray(x, dtype=np.float64).reshape(len(x), -1)
        if self._frozen is not None:
            self.model.set_weights(self._frozen)
            return self.model.predict(x)
        with np.errstate(all="ignore"):
            return self._stack.forward(x, row=self._row, buffered=False)[-1][1]
