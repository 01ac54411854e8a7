"""``DiagnosticsRecorder``: the diagnostics of every epoch of a run, at a cost bounded by the run's own.

Per update it compares two counters. Before the last update of an epoch it copies the
parameters (so the epoch's ``update_ratio`` is that update's). At an epoch's end it copies
four P-vectors into a block — the effective step sizes (the optimizer's accessor computes
them), the gradient, the parameters and their copy — and keeps the scalars (step, learning
rate, bias corrections, velocity norm). Blocks of K epochs are reduced together, so the
per-epoch cost is a few copies and one accessor call, not a dozen small reductions:

    grad_norm, weight_norm, update_ratio   row norms of the block (one square and one sum each)
    effective_lr {min, median, max}        one partition of the (K, P) block along its rows

At the end of the run (a ``finished`` or ``diverged`` event) the last entry is the detailed
one: per layer, with the saturation probe (one forward pass over at most
``saturation.PROBE_SAMPLES`` training samples). ``python -m tools.bench_diagnostics`` prints
what recording costs a run.
"""

from __future__ import annotations

import math

import numpy as np

from engine import saturation as saturation_module
from engine.callbacks import Callback
from engine.diagnostics import Diagnostics, Spread, current_learning_rate, diagnose, flatten, layer_sizes, ratio
from engine.saturation import Saturation

BLOCK_EPOCHS = 16
BLOCK_VALUES = 1 << 14
"""K = min(BLOCK_EPOCHS, BLOCK_VALUES // P) epochs (at least one) are reduced together: the four
(K, P) buffers stay small enough to live in the cache while they fill (a bigger block saves little
on the reduction and costs cache misses on every copy into it)."""


def _row_norms(rows: np.ndarray) -> list[float]:
    return np.sqrt(np.add.reduce(np.square(rows), axis=1)).tolist()


class DiagnosticsRecorder(Callback):
    """One ``Diagnostics`` per epoch of one run (see the module docstring).

    Feed it every update's event (``observe``; as a ``Callback`` of ``fit`` that happens in
    ``on_train_batch_end``). ``entries`` — one per epoch, the last one detailed once the run
    has ended; ``take()`` — the detailed numbers at any moment (the app calls it at its own
    bounded rate); ``saturation`` — the last probe's finding.

    Args:
        network: what is trained — a compiled, built ``Sequential``, or a training ``Run`` (a
            race's contestant): its ``optimizer``, ``loss``, live ``params`` and ``grads`` (read
            afresh at every use: a race replaces its rows when a contestant leaves), ``predict``.
        x, y: the training features and targets (as ``loss.prepare`` aligned them).
        iterations_per_epoch: updates per epoch (with one, the first copy is made at once).
        per_epoch: False → only the detailed entry at the end of the run (nothing per epoch).
    """

    def __init__(self, network, x: np.ndarray, y: np.ndarray, *, iterations_per_epoch: int,
                 per_epoch: bool = True):
        self.network = network
        self.optimizer, self.loss = network.optimizer, network.loss
        self.sizes = layer_sizes(getattr(network, "model", network))
        self.probe_x, self.probe_y = saturation_module.probe_rows(x, y)
        self.iterations_per_epoch = iterations_per_epoch
        self.per_epoch = per_epoch
        self.before = np.empty(self.params.size)
        self.saturation: Saturation | None = None
        """The last probe's finding (``None`` before one, or for a loss that does not clip)."""
        size = sum(count for _, count in self.sizes)
        self._block = np.empty((4, max(1, min(BLOCK_EPOCHS, BLOCK_VALUES // size)), size))
        self._pending: list[tuple] = []
        self._entries: list[Diagnostics] = []
        if iterations_per_epoch == 1:
            np.copyto(self.before, self.params)

    @property
    def params(self) -> np.ndarray:
        return self.network.params.reshape(-1)

    @property
    def grads(self) -> np.ndarray:
        return self.network.grads.reshape(-1)

    @property
    def entries(self) -> list[Diagnostics]:
        """One ``Diagnostics`` per epoch so far (``epoch`` 1, 2, …)."""
        self._reduce()
        return self._entries

    @property
    def latest(self) -> Diagnostics | None:
        entries = self.entries
        return entries[-1] if entries else None

    @property
    def saturated(self) -> bool:
        return self.saturation is not None and self.saturation.saturated

    def observe(self, event) -> None:
        """After an update (``event``: its ``iteration``, ``epoch``, ``epoch_logs``, ``status``)."""
        ended = event.status != "running"
        if ended:
            self._reduce()
            self._entries.append(self.take(event.epoch))
        elif event.epoch_logs is not None and self.per_epoch:
            self._stash(event.epoch)
        if (event.epoch_logs is not None and self.iterations_per_epoch == 1) or \
                event.iteration == self.iterations_per_epoch - 1:
            np.copyto(self.before, self.params)  # the next update ends an epoch

    def mark(self) -> None:
        """Copy the parameters now, as the "before" of the next update (call it before a step
        whose ``take`` should show that one update's ``update_ratio``)."""
        np.copyto(self.before, self.params)

    def take(self, epoch: int | None = None) -> Diagnostics:
        """The detailed diagnostics now, with the saturation probe (``update_ratio`` against
        the parameters before the last update of the last completed epoch)."""
        with np.errstate(all="ignore"):
            probe = None
            if saturation_module.clips(self.loss):
                probe = self.saturation = saturation_module.check(
                    self.loss, self.probe_y, self.network.predict(self.probe_x))
            return diagnose(self.optimizer, self.params, self.grads, self.sizes, self.before,
                            epoch=epoch, saturation=probe)

    def on_train_batch_end(self, batch, logs) -> None:
        self.observe(logs)

    # -- the blocks ---------------------------------------------------------------------
    def _stash(self, epoch: int) -> None:
        optimizer = self.optimizer
        rows = self._block[:, len(self._pending)]
        with np.errstate(all="ignore"):
            effective = optimizer.effective_learning_rate()
            velocity = optimizer.velocity()
            velocity_norm = None if velocity is None else math.sqrt(sum(float(np.vdot(v, v)) for v in velocity))
        if effective is None:
            rows[0].fill(math.nan)
        else:
            np.copyto(rows[0], flatten(effective))
        np.copyto(rows[1], self.grads)
        np.copyto(rows[2], self.params)
        np.copyto(rows[3], self.before)
        self._pending.append((epoch, int(optimizer.iterations), current_learning_rate(optimizer),
                              optimizer.bias_corrections(), velocity_norm, effective is not None))
        if len(self._pending) == self._block.shape[1]:
            self._reduce()

    def _reduce(self) -> None:
        n = len(self._pending)
        if not n:
            return
        effective, grads, params, before = self._block[:, :n]
        size = params.shape[1]
        k = size // 2
        with np.errstate(all="ignore"):
            grad_norms, weight_norms = _row_norms(grads), _row_norms(params)
            update_norms, before_norms = _row_norms(params - before), _row_norms(before)
            kth = (0, k, size - 1) if size % 2 else (0, k - 1, k, size - 1)
            ordered = np.partition(effective, kth, axis=1)
            middle = ordered[:, k] if size % 2 else (ordered[:, k - 1] + ordered[:, k]) / 2
        lows, middles, highs = ordered[:, 0].tolist(), middle.tolist(), ordered[:, -1].tolist()
        for row, (epoch, step, lr, corrections, velocity_norm, has_effective) in enumerate(self._pending):
            self._entries.append(Diagnostics(
                step=step, learning_rate=lr, grad_norm=grad_norms[row], weight_norm=weight_norms[row],
                update_ratio=ratio(update_norms[row], before_norms[row]),
                effective_lr=Spread(lows[row], middles[row], highs[row]) if has_effective else None,
                velocity_norm=velocity_norm, bias_corrections=corrections, layers=(), epoch=epoch))
        self._pending.clear()


def describe(entry: Diagnostics) -> str:
    """One line: ``learning_rate: 0.001 · grad_norm: 0.2748 · update_ratio: 0.003018 ·
    effective_lr (min/median/max): 0.01155 / 0.1309 / 2209``."""
    parts = [f"learning_rate: {entry.learning_rate:.4g}", f"grad_norm: {entry.grad_norm:.4g}"]
    if entry.update_ratio is not None:
        parts.append(f"update_ratio: {entry.update_ratio:.4g}")
    if entry.effective_lr is not None:
        e = entry.effective_lr
        parts.append(f"effective_lr (min/median/max): {e.min:.4g} / {e.median:.4g} / {e.max:.4g}")
    if entry.velocity_norm is not None:
        parts.append(f"velocity_norm: {entry.velocity_norm:.4g}")
    if entry.bias_corrections is not None:
        parts.append("bias_corrections: {:.4g}, {:.4g}".format(*entry.bias_corrections))
    return " · ".join(parts)


class DiagnosticsPrinter(Callback):
    """Prints each epoch's diagnostics under Keras's epoch line (put it after ``ProgressPrinter``)."""

    def __init__(self, recorder: DiagnosticsRecorder, stream=None):
        self.recorder = recorder
        self.stream = stream

    def on_epoch_end(self, epoch, logs) -> None:
        latest = self.recorder.latest
        if latest is not None and latest.epoch == epoch + 1:
            print(f"          {describe(latest)}", file=self.stream)
