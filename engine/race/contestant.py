"""A race's contestants: their live state (``Contestant``) and what each step reports about them."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from engine.history import History
from engine.race.fields import Entry

if TYPE_CHECKING:
    from engine.race.race import _Heat


@dataclass(frozen=True, slots=True)
class TargetHit:
    """When a contestant first reached its target loss (at the end of an epoch)."""

    epoch: int
    step: int
    examples_seen: int
    seconds: float


@dataclass(slots=True)
class ContestantStep:
    """One contestant's update in a race step (a ``StepEvent`` plus who and how long); read-only.

    Not ``frozen``: a frozen dataclass of 13 fields costs ~5 µs to create, K of them per step.
    """

    index: int
    label: str
    epoch: int
    """1-based epoch this iteration belongs to."""
    iteration: int
    """1-based iteration within the epoch."""
    iterations_per_epoch: int
    step: int
    """This contestant's update count, 1-based."""
    examples_seen: int
    batch_size: int
    loss: float
    """Batch loss before the update."""
    epoch_logs: dict[str, float] | None
    """Set on the contestant's last iteration of an epoch: ``loss``, metric, ``val_*``."""
    status: str
    """``"running"``, ``"finished"`` or ``"diverged"``."""
    seconds: float
    """This contestant's training time so far: its heat's forward, loss and backward passes split
    evenly among the heat's members, plus its own optimizer updates (race bookkeeping excluded)."""
    reached_target: bool
    """True on the step where the contestant first reached its target loss."""


@dataclass(slots=True)
class RaceEvent:
    """One ``Race.step()``: per contestant (same order as ``race.contestants``) its update or ``None``; read-only."""

    epoch: int
    """1-based race epoch being run."""
    steps: tuple[ContestantStep | None, ...]
    """``None`` for a contestant that did not move: diverged, finished, or (fewer iterations per
    epoch) waiting for the others to finish the epoch."""
    epoch_done: bool
    """This step finished the epoch for every contestant still running."""
    done: bool


class Contestant:
    """One contestant's live state. Read-only for callers, except ``optimizer``'s hyperparameters
    (``race.contestants[k].optimizer.learning_rate = …`` applies from its next step).

    Attributes: ``index``, ``label``, ``config`` (its solo run's ``ExperimentConfig``),
    ``settings`` (optimizer name and hyperparameters, loss, batch size), ``history`` (a Keras
    ``History``, with ``status`` and ``diverged_at``), ``epoch`` (completed epochs),
    ``iteration``, ``iterations_per_epoch``, ``batch_size``, ``step``, ``examples_seen``,
    ``seconds``, ``initial_loss``, ``target_loss``, ``reached`` (``TargetHit`` or ``None``),
    ``optimizer``, ``loss``, ``metric`` (its history key).
    """

    def __init__(self, index: int, entry: Entry, experiment, trainer):
        self.index, self.label, self.config = index, entry.label, entry.config
        self.experiment = experiment
        self.optimizer = experiment.model.optimizer
        self.loss = experiment.model.loss
        self.metric = experiment.metric
        self.batch_size = trainer.batch_size
        self.iterations_per_epoch = trainer.iterations_per_epoch
        self.settings = {"optimizer": self.optimizer.name, **self.optimizer.hyperparameters(),
                         "loss": self.loss.name, "batch_size": self.batch_size}
        self.history = History()
        self.history.params = {"epochs": trainer.epochs, "steps": trainer.iterations_per_epoch}
        self.epoch = self.iteration = self.step = self.examples_seen = 0
        self.seconds = 0.0
        self.initial_loss = math.nan
        self.target_loss = math.nan
        self.reached: TargetHit | None = None
        self._heat: "_Heat | None" = None
        self._row = 0
        self._frozen: list[np.ndarray] | None = None

    @property
    def status(self) -> str:
        return self.history.status

    @property
    def diverged_at(self) -> tuple[int, int] | None:
        return self.history.diverged_at

    @property
    def active(self) -> bool:
        return self.history.status not in ("finished", "diverged")

    def get_weights(self) -> list[np.ndarray]:
        """Copies of the current arrays, Keras order (as ``Sequential.get_weights``)."""
        if self._frozen is not None:
            return [w.copy() for w in self._frozen]
        return [v.copy() for v in self._heat.stack.param_views[self._row]]

    def predict(self, x) -> np.ndarray:
        """The contestant's outputs ``(N, units)`` for features ``x`` (e.g. a decision-boundary grid)."""
        x = np.asarray(x, dtype=np.float64).reshape(len(x), -1)
        model = self.experiment.model
        if self._frozen is not None:
            model.set_weights(self._frozen)
            return model.predict(x)
        with np.errstate(all="ignore"):
            return self._heat.stack.forward(x, row=self._row, buffered=False)[-1][1]

    def _bind(self, heat: "_Heat", row: int) -> None:
        self._heat, self._row = heat, row
        stack = heat.stack
        self._opt_params, self._opt_grads = [stack.params[row]], [stack.grads[row]]  # one flat array
        self._param_views, self._grad_views = stack.param_views[row], stack.grad_views[row]  # per array

    def __repr__(self) -> str:
        return f"Contestant({self.label!r}, status={self.status!r}, epoch={self.epoch})"
