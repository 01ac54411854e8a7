"""``RunRecord``: one run's history as an export writes it — its batch losses (8 bytes an update, the older
ones in an unlinked temporary file) and its epochs' logs, every other per-update column derived."""

from __future__ import annotations

import os
import tempfile
from array import array
from collections.abc import Iterable
from itertools import islice

from engine.jsonout import Streamed

ITERATION_COLUMNS = ("step", "epoch", "iteration", "examples_seen", "batch_size", "batch_loss")
"""Per-update columns, in order; ``batch_loss`` is the loss of the batch before its update."""

BLOCK = 1 << 16
"""Batch losses a run keeps in memory (8 bytes each: 512 KiB); older ones go, a block at a time, to an
unlinked temporary file, read back on export. A 100000-epoch run at B = 1 (20 M updates, 160 MB of
losses) holds one block, so the history never grows the app's memory (``engine.budget`` counts it)."""


class RunRecord:
    """One run's batch losses (8 bytes an update) and its epochs' logs.

    Only the loss is stored per update: a run's updates are numbered 1, 2, … without gaps, so
    the step, epoch, iteration, examples seen and batch size of update ``k`` follow from the
    run's ``iterations_per_epoch``, ``batch_size`` and training-set size ``n`` (Keras's ``fit``
    batching: ⌈n/B⌉ iterations, the last batch n − (⌈n/B⌉ − 1)·B). The newest at most ``block``
    losses are in memory; the ones before them in a temporary file (``spilled`` of them).
    """

    def __init__(self, label: str, *, iterations_per_epoch: int, batch_size: int, n: int, block: int = BLOCK):
        self.label = label
        self.iterations_per_epoch = iterations_per_epoch
        self.batch_size = batch_size
        self.n = n
        self.block = block
        self._losses = array("d")
        """The newest losses (fewer than ``block``); the recording thread appends to it."""
        self._tail = (0, self._losses)
        """``(spilled, losses)`` swapped as one value, so a ``snapshot`` from another thread never sees a
        block both in the file and in memory."""
        self._file = None
        """The unlinked temporary file of the spilled losses (``None`` until the first block is full)."""
        self.epoch_rows: list[int] = []
        """Index (into the losses) of the update that ended each epoch."""
        self.epoch_logs: list[dict[str, float]] = []
        self.status = "ready"
        self.diverged_at: tuple[int, int] | None = None

    def __len__(self) -> int:
        spilled, losses = self._tail
        return spilled + len(losses)

    def add(self, event) -> None:
        """Record one update (a ``StepEvent``: ``loss``, ``epoch_logs`` on an epoch's last update, ``status``)."""
        losses = self._losses
        losses.append(event.loss)
        if event.epoch_logs is not None:
            self.epoch_rows.append(len(self) - 1)
            self.epoch_logs.append(event.epoch_logs)
        self.status = status = event.status
        if status == "diverged":
            self.diverged_at = (event.epoch, event.iteration)
        if len(losses) >= self.block:
            self._spill()

    def extend(self, losses, epochs=()) -> None:
        """Record the next updates from their batch losses, and the epochs they ended as ``(epoch, logs)``
        pairs (1-based epochs; an epoch ends on its last iteration, so its row follows from the numbering)."""
        values = iter(losses)
        while True:
            room = self.block - len(self._losses)
            self._losses.extend(map(float, islice(values, room)))
            if len(self._losses) < self.block:
                break
            self._spill()
        for epoch, logs in epochs:
            self.epoch_rows.append(epoch * self.iterations_per_epoch - 1)
            self.epoch_logs.append(logs)

    def _spill(self) -> None:
        """Move the in-memory block to the end of the file, then start a new block."""
        if self._file is None:
            self._file = tempfile.TemporaryFile()
        spilled, full = self._tail
        full.tofile(self._file)
        self._file.flush()  # readers use os.pread on the descriptor, past Python's buffer
        self._losses = array("d")
        self._tail = (spilled + len(full), self._losses)

    def snapshot(self) -> "RunRecord":
        """A copy to write while another thread may still be recording (``Recorder.snapshot``): the epochs
        copied before the losses, so every epoch row copied has its update; the file of spilled losses
        shared (it only grows), the in-memory block copied."""
        c = RunRecord(self.label, iterations_per_epoch=self.iterations_per_epoch, batch_size=self.batch_size,
                      n=self.n, block=self.block)
        c.epoch_rows, c.epoch_logs = list(self.epoch_rows), list(self.epoch_logs)
        c.epoch_rows, c.epoch_logs = c.epoch_rows[:len(c.epoch_logs)], c.epoch_logs[:len(c.epoch_rows)]
        spilled, block = self._tail  # the file only grows: its first ``spilled`` losses are shared, not copied
        c._losses = array("d", block)
        c._tail, c._file = (spilled, c._losses), self._file
        c.status, c.diverged_at = self.status, self.diverged_at
        return c

    def losses(self, start: int = 0, stop: int | None = None) -> array:
        """Batch losses ``start`` to ``stop`` (0-based update indices), from the file and the block."""
        spilled, block = self._tail
        stop = len(self) if stop is None else min(stop, spilled + len(block))
        out = array("d")
        if start < min(stop, spilled):
            data = os.pread(self._file.fileno(), (min(stop, spilled) - start) * out.itemsize, start * out.itemsize)
            out.frombytes(data)
        if stop > spilled:
            out.extend(block[max(start - spilled, 0):stop - spilled])
        return out

    def chunks(self, size: int | None = None) -> Iterable[tuple[int, int]]:
        """``(start, stop)`` of consecutive update ranges of at most ``size`` (the run's ``block``), covering
        every update."""
        total, size = len(self), size or self.block
        return ((i, min(i + size, total)) for i in range(0, total, size))

    def columns(self, start: int = 0, stop: int | None = None) -> dict[str, list]:
        """The per-update columns of ``ITERATION_COLUMNS`` of updates ``start`` to ``stop`` (0-based; all by
        default), derived from the update index."""
        return {name: self.column(name, start, stop) for name in ITERATION_COLUMNS}

    def column(self, name: str, start: int = 0, stop: int | None = None) -> list:
        """One of ``ITERATION_COLUMNS`` for updates ``start`` to ``stop``: with k the 0-based update index,
        I = ``iterations_per_epoch`` and B the batch size,

            step k + 1 · epoch ⌊k/I⌋ + 1 · iteration k mod I + 1 · batch size b_k (B, or the last batch's
            n − (I − 1)·B on an epoch's last iteration) · examples seen ⌊k/I⌋·n + (k mod I)·B + b_k
        """
        if name == "batch_loss":
            return self.losses(start, stop).tolist()
        ipe, b = self.iterations_per_epoch, self.batch_size
        last = self.n - (ipe - 1) * b
        k = range(start, len(self) if stop is None else min(stop, len(self)))
        if name == "step":
            return list(range(k.start + 1, k.stop + 1))
        if name == "epoch":
            return [i // ipe + 1 for i in k]
        if name == "iteration":
            return [i % ipe + 1 for i in k]
        if name == "batch_size":
            return [last if i % ipe == ipe - 1 else b for i in k]
        if name == "examples_seen":
            return [i // ipe * self.n + i % ipe * b + (last if i % ipe == ipe - 1 else b) for i in k]
        raise ValueError(f"no column {name!r}; the columns are {', '.join(ITERATION_COLUMNS)}")

    def epoch_keys(self) -> list[str]:
        keys = []
        for logs in self.epoch_logs:
            keys += [k for k in logs if k not in keys]
        return keys

    def to_dict(self) -> dict:
        """The run as JSON data; each per-update column a ``Streamed`` list, read a block at a time as it is
        written (``dump_json_chunks``)."""
        epochs = {"epoch": [i // self.iterations_per_epoch + 1 for i in self.epoch_rows]}
        for key in self.epoch_keys():
            epochs[key] = [logs.get(key) for logs in self.epoch_logs]
        return {"label": self.label, "status": self.status,
                "diverged_at": list(self.diverged_at) if self.diverged_at else None,
                "iterations_per_epoch": self.iterations_per_epoch, "batch_size": self.batch_size,
                "train_samples": self.n,
                "iterations": {name: Streamed(lambda name=name: (self.column(name, *span) for span in self.chunks()))
                               for name in ITERATION_COLUMNS},
                "epochs": epochs}
