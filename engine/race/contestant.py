"""A race's contestants (``Contestant``: a training ``Run`` with a label, config and target) and
what each race step reports (``RaceEvent``: one ``StepEvent`` per contestant that moved)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from engine.core.event import StepEvent
from engine.core.heat import Run
from engine.race.fields import Entry


@dataclass(frozen=True, slots=True)
class TargetHit:
    """When a contestant first reached its target loss (at the end of an epoch)."""

    epoch: int
    step: int
    examples_seen: int
    seconds: float


@dataclass(slots=True)
class RaceEvent:
    """One ``Race.step()``: per contestant (same order as ``race.contestants``) its update or ``None``; read-only."""

    epoch: int
    """1-based race epoch being run."""
    steps: tuple[StepEvent | None, ...]
    """``None`` for a contestant that did not move: diverged, finished, or (fewer iterations per
    epoch) waiting for the others to finish the epoch."""
    epoch_done: bool
    """This step finished the epoch for every contestant still running."""
    done: bool


class Contestant(Run):
    """One contestant's live state: a ``Run`` (counters, ``history``, ``optimizer``,
    ``get_weights()``, ``predict(x)``) plus ``config`` (its solo run's ``ExperimentConfig``),
    ``experiment``, ``settings`` (optimizer name and hyperparameters, loss, batch size),
    ``metric`` (its history key), ``initial_loss``, ``target_loss`` and ``reached``
    (``TargetHit`` or ``None``). Read-only for callers, except ``optimizer``'s hyperparameters.
    """

    def __init__(self, index: int, entry: Entry, experiment, trainer):
        super().__init__(experiment.model, trainer, index, entry.label)
        self.config = entry.config
        self.experiment = experiment
        self.metric = experiment.metric
        self.settings = {"optimizer": self.optimizer.name, **self.optimizer.hyperparameters(),
                         "loss": self.loss.name, "batch_size": self.batch_size}
        self.initial_loss = math.nan
        self.target_loss = math.nan
        self.reached: TargetHit | None = None

    def __repr__(self) -> str:
        return f"Contestant({self.label!r}, status={self.status!r}, epoch={self.epoch})"
