"""``DiagnosticsRecorder``: the diagnostics of every epoch of a run, at a cost bounded by the run's own.

Per update it compares two counters. Before the last update of an epoch it copies the
parameters θ₋, so the epoch's ``update_ratio`` is that one update's, ‖θ - θ₋‖₂ / ‖θ₋‖₂ (θ the
parameters after it). At an epoch's end it asks the optimizer for its step sizes (its
``effective_learning_rate`` accessor) and copies them, the gradient, θ (and θ₋) and the
velocity into a row of a block, and keeps the scalars (step, learning rate, bias corrections).
Every K epochs the block is reduced at once — a handful of NumPy calls for K epochs:

    grad_norm, weight_norm, velocity_norm    ‖·‖₂ of the block's rows (one batched matmul)
    update_ratio                             ‖θ - θ₋‖₂ / ‖θ₋‖₂, the differences taken in the block
    effective_lr {min, median, max}          one partition of the block's step-size rows

With one update per epoch (batch gradient descent, where every update ends an epoch) θ₋ is
the θ of the row above, so the parameters are copied once per epoch, not three times. The
``Diagnostics`` objects are made from the columns when ``entries`` is read. At the end of the
run (a ``finished`` or ``diverged`` event) the last entry is the detailed one: per layer, with
the saturation probe (one forward pass over at most ``saturation.PROBE_SAMPLES`` training
samples). ``python -m tools.bench_diagnostics`` prints what recording costs a run.
"""

from __future__ import annotations

import numpy as np

from engine import saturation as saturation_module
from engine.callbacks import Callback
from engine.diagnostics import Diagnostics, Spread, current_learning_rate, diagnose, flatten, layer_sizes, ratio
from engine.saturation import Saturation

BLOCK_EPOCHS = 64
BLOCK_VALUES = 1 << 15
"""K = min(BLOCK_EPOCHS, BLOCK_VALUES // P) epochs (at least one) are reduced together: the block's
six (K, P) slots stay within about a megabyte."""

SLOTS = EFFECTIVE, GRADS, PARAMS, VELOCITY, UPDATE, BEFORE = range(6)
"""The vectors kept per epoch: the optimizer's step sizes, the last batch's gradient, θ, the velocity,
θ - θ₋ (filled by the reduction) and θ₋ (a slot only when an epoch has several updates)."""


def block_epochs(parameters: int) -> int:
    """K: how many epochs a block holds for a network of ``parameters`` (at least one)."""
    return max(1, min(BLOCK_EPOCHS, BLOCK_VALUES // max(1, parameters)))


TAKE_VALUES = 3
"""Parameter-sized temporaries of one ``take()`` at most (step sizes, θ - θ₋, a square or a partition's
copy), measured with ``tracemalloc`` for every optimizer."""


def recorder_values(parameters: int, iterations_per_epoch: int, per_epoch: bool = True) -> tuple[int, int]:
    """``(held, passing)``: float64 values a ``DiagnosticsRecorder`` of a network of P ``parameters``
    keeps all along, and those one ``take()`` adds for a moment:

        held      S · (K + 1) · P + P   the block of pending epochs (S = 6 slots, 5 with one update
                                        an epoch; none without ``per_epoch``) and θ₋
        passing   TAKE_VALUES · P       one ``take()``'s temporaries (one recorder at a time)

    ``engine.budget`` counts them: the app and the CLI record every run (each contestant of a race).
    """
    p = int(parameters)
    slots = len(SLOTS) - (per_epoch and iterations_per_epoch == 1)
    block = slots * (block_epochs(p) + 1) * p if per_epoch else 0
    return block + p, TAKE_VALUES * p


def _flat(arrays: list[np.ndarray]) -> np.ndarray:
    """``diagnostics.flatten`` without a call when there is one flat array (the model's buffer)."""
    return arrays[0] if len(arrays) == 1 and arrays[0].ndim == 1 else flatten(arrays)


def _spreads(rows: np.ndarray) -> tuple[list[float], list[float], list[float]]:
    """Min, median (``np.median``'s: the mean of the two middle values when the count is even) and max
    of each row of ``rows`` (n, P), by one partition of the rows in place."""
    size = rows.shape[1]
    k = size // 2
    rows.partition((0, k, size - 1) if size % 2 else (0, k - 1, k, size - 1), axis=1)
    middle = rows[:, k] if size % 2 else (rows[:, k - 1] + rows[:, k]) / 2
    return rows[:, 0].tolist(), middle.tolist(), rows[:, -1].tolist()


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
        self.saturation: Saturation | None = None
        """The last probe's finding (``None`` before one, or for a loss that does not clip)."""
        size = sum(count for _, count in self.sizes)
        self._chained = iterations_per_epoch == 1 and per_epoch
        rows = block_epochs(size) + 1 if per_epoch else 0
        self._block = np.zeros((len(SLOTS) - self._chained, rows, size))
        """``[slot, r]``: the r-th pending epoch's vectors (r ≥ 1). ``[PARAMS, 0]``: θ of the epoch
        before the first pending one, each chained epoch's θ₋ being the θ of the row above. No rows
        without ``per_epoch``: only the final entry is taken, from ``_before``."""
        self._before = np.empty(size)
        self._marked_at = -1
        """The optimizer's step count at the last ``mark``."""
        self._rows = [tuple(self._block[slot, r] for slot in SLOTS[:len(self._block)]) for r in range(len(self._block[0]))]
        """Per block row, its vectors' views (``SLOTS`` order), made once."""
        self._pending: list[tuple] = []
        """Per pending epoch: epoch, step, learning rate, bias corrections, has step sizes, has a velocity."""
        self._columns: list[tuple] = []
        """Per reduced block: its pending scalars and its norms, not yet made into entries."""
        self._entries: list[Diagnostics] = []
        self._before_at = iterations_per_epoch - 1
        if iterations_per_epoch == 1:
            self._after_update()

    @property
    def params(self) -> np.ndarray:
        return self.network.params.reshape(-1)

    @property
    def grads(self) -> np.ndarray:
        return self.network.grads.reshape(-1)

    @property
    def before(self) -> np.ndarray:
        """θ₋, what ``take``'s ``update_ratio`` compares with: ``mark``'s copy when it was made just
        before the last update; else the parameters before the last update of the last completed
        epoch (with one update per epoch: those after the last epoch kept, chained)."""
        if self._chained and self._marked_at != self.optimizer.iterations - 1:
            return self._block[PARAMS, len(self._pending)]
        return self._before

    def _after_update(self) -> None:
        """With one update per epoch: θ now is the next update's θ₋."""
        (self._block[PARAMS, len(self._pending)] if self._chained else self._before)[...] = self.network.params

    @property
    def entries(self) -> list[Diagnostics]:
        """One ``Diagnostics`` per epoch so far (``epoch`` 1, 2, …)."""
        self._reduce()
        if self._columns:
            self._make_entries()
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
        if event.epoch_logs is None and event.status == "running":
            if event.iteration == self._before_at:
                self._before[...] = self.network.params  # the next update ends an epoch
            return
        with np.errstate(all="ignore"):
            self._epoch_end(event)

    def on_train_batch_end(self, batch, logs) -> None:
        """``observe``, inside ``fit``'s own ``np.errstate(all="ignore")``."""
        if logs.status != "running":
            self._epoch_end(logs)
        elif logs.epoch_logs is not None:
            if self.per_epoch:
                self._stash(logs.epoch)
            elif self._before_at == 0:
                self._before[...] = self.network.params
        elif logs.iteration == self._before_at:
            self._before[...] = self.network.params

    def mark(self) -> None:
        """Copy the parameters now, as the "before" of the next update (call it before a step
        whose ``take`` should show that one update's ``update_ratio``)."""
        self._before[...] = self.network.params
        self._marked_at = self.optimizer.iterations

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

    # -- the blocks (float errors ignored by the caller) -------------------------------------
    def _epoch_end(self, event) -> None:
        if event.status != "running":
            self.entries.append(self.take(event.epoch))
            if self._before_at == 0:
                self._after_update()  # (a run extended later goes on from here)
            return
        if self.per_epoch:
            self._stash(event.epoch)
        elif self._before_at == 0:
            np.copyto(self._before, self.params)

    def _stash(self, epoch: int) -> None:
        """Keep this epoch's scalars and vectors (with one update per epoch, θ becomes the next θ₋)."""
        optimizer, pending, network = self.optimizer, self._pending, self.network
        rows = self._rows[len(pending) + 1]
        effective = optimizer.effective_learning_rate()
        if effective is not None:
            rows[EFFECTIVE][...] = _flat(effective)
        velocity = optimizer.velocity()
        if velocity is not None:
            rows[VELOCITY][...] = _flat(velocity)
        rows[GRADS][...] = network.grads  # (flat)
        rows[PARAMS][...] = network.params
        if not self._chained:
            rows[BEFORE][...] = self._before
        pending.append((epoch, optimizer.iterations, current_learning_rate(optimizer), optimizer.bias_corrections(),
                        effective is not None, velocity is not None))
        if len(pending) + 1 == len(self._rows):
            self._reduce()

    def _reduce(self) -> None:
        """The pending epochs' vectors to norms, every row of the block at once."""
        n = len(self._pending)
        if not n:
            return
        block = self._block[:, :n + 1]
        params = block[PARAMS]
        before = params[:-1] if self._chained else block[BEFORE, 1:]
        with np.errstate(all="ignore"):
            np.subtract(params[1:], before, out=block[UPDATE, 1:])
            vectors = block[GRADS:]  # (slots, n + 1, P): ‖·‖² of every vector but the step sizes
            squares = np.matmul(vectors[..., None, :], vectors[..., :, None])[..., 0, 0].T
            norms = np.sqrt(squares[1:]).tolist()  # (indexed by slot - GRADS)
            before_norms = np.sqrt(squares[:-1, PARAMS - GRADS] if self._chained else squares[1:, BEFORE - GRADS])
            spreads = _spreads(block[EFFECTIVE, 1:])
        if self._chained:
            params[0] = params[n]
        self._columns.append((self._pending, norms, before_norms.tolist(), zip(*spreads)))
        self._pending = []

    def _make_entries(self) -> None:
        g, w, v, u = GRADS - GRADS, PARAMS - GRADS, VELOCITY - GRADS, UPDATE - GRADS
        for pending, norms, before_norms, spreads in self._columns:
            for (epoch, step, lr, corrections, has_effective, has_velocity), row, before_norm, spread in \
                    zip(pending, norms, before_norms, spreads):
                self._entries.append(Diagnostics(  # (positional: step, learning_rate, … in field order)
                    int(step), lr, row[g], row[w], ratio(row[u], before_norm),
                    Spread(*spread) if has_effective else None, row[v] if has_velocity else None,
                    corrections, (), epoch))
        self._columns.clear()


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
