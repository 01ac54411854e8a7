"""How long a run is, changed while it runs: more epochs continue it, as Keras's ``fit(initial_epoch=…)`` does;
fewer end it at the end of the epoch in progress.

Keras continues a fitted model with ``model.fit(x, y, epochs=E + F, initial_epoch=E)``: the same weights,
the same optimizer state and iteration count, the epochs numbered on from E + 1. A run here is a step
machine, so the same thing is one number — the epoch at which it ends, ``history.params["epochs"]``, read
by the training core at the end of every epoch (``epoch ≥ params["epochs"]`` → finished). Setting it before
that point is one run of the new length, bit for bit.

Fewer epochs than the run has already started cannot undo them: an epoch in progress is finished (its loss
is an average over all its batches), so the run ends at ``max(epochs, epoch in progress)``.
"""

from __future__ import annotations

from engine import checks


def epoch_in_progress(run) -> int:
    """The epochs the run has completed, plus the one it is in the middle of (``run.iteration > 0``)."""
    return run.epoch + (1 if run.iteration else 0)


def set_length(run, epochs: int) -> int:
    """End ``run`` (a ``Run``: ``epoch``, ``iteration``, ``history``) after ``epochs`` epochs — or, if it is
    already further, after the epoch in progress. A finished run given more epochs is ready to go on; a
    diverged run keeps its status. Returns the length it now has. Raises ``ValueError`` for ``epochs`` < 1."""
    checks.whole_number("epochs", epochs, minimum=1, error=ValueError)
    length = max(int(epochs), epoch_in_progress(run))
    history = run.history
    history.params["epochs"] = length
    if history.status == "diverged":
        return length
    if run.epoch >= length:  # at an epoch's end, nothing left to run
        history.status = "finished"
    elif history.status == "finished":
        history.status = "ready"
    return length
