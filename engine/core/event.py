"""``StepEvent``: what one optimizer update of one network reports, solo or in a race."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class StepEvent:
    """One optimizer update: where it stood in the run and the batch loss before it.

    A solo ``Trainer`` returns one per ``step()``; a ``Race`` step carries one per contestant
    that moved (``RaceEvent.steps``). Treat it as read-only (not frozen only because a frozen
    dataclass costs microseconds per step to build, K of them per race step).
    """

    epoch: int
    """1-based epoch this iteration belongs to."""
    iteration: int
    """1-based iteration within the epoch."""
    iterations_per_epoch: int
    step: int
    """This network's update count, 1-based."""
    examples_seen: int
    batch_size: int
    """Samples in this batch (the last batch of an epoch may be smaller)."""
    loss: float
    """Batch loss before the update."""
    epoch_logs: dict[str, float] | None = None
    """Set on the last iteration of an epoch: that epoch's ``loss``, metrics, ``val_*``."""
    status: str = "running"
    """``"running"``, ``"finished"`` (last step of the run) or ``"diverged"``."""
    index: int = 0
    """Which network: the contestant's place in the race (0 for a solo run)."""
    label: str = ""
    """The contestant's label (``""`` for a solo run)."""
    seconds: float = 0.0
    """This network's training time so far: its share of the batched forward, loss and backward
    passes plus its own optimizer updates (bookkeeping excluded)."""
