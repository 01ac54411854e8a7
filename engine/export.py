"""History export: every update and every epoch of a run (or of each race contestant) to CSV or JSON.

``Recorder`` collects, per run, one row per update (step, epoch, iteration, examples seen,
batch size, batch loss before the update) and the logs of every finished epoch; a run keeps at most
``BLOCK`` losses in memory, the older ones in an unlinked temporary file. ``write(path,
…)`` picks the format from the extension and writes atomically: the text goes to a temporary
file in the same folder which then replaces ``path`` (``os.replace``), so an export interrupted
at any point leaves the previous file as it was.

CSV is one table, one row per update; the epoch columns (``loss``, ``accuracy``, ``val_loss``…)
are filled on the row that ended the epoch and empty elsewhere. JSON holds the same numbers
column-wise: ``{"runs": [{"label", "status", "diverged_at", "iterations": {column: [...]},
"epochs": {"epoch": [...], "loss": [...], ...}}], ...}`` (NaN and ±inf as ``null``).
Both are written as they are made, a block of updates at a time (JSON's columns by
``jsonout.dump_json_chunks``), so an export's memory stays bounded however long the run.
"""

from __future__ import annotations

import os
import tempfile
from array import array
from collections.abc import Iterable
from itertools import islice

from engine.jsonout import Streamed, dump_json_chunks
from engine.wording import Wording

_UMASK = os.umask(0o022)
os.umask(_UMASK)  # read once, at import: os.umask only sets, and setting it from a worker thread would race

ITERATION_COLUMNS = ("step", "epoch", "iteration", "examples_seen", "batch_size", "batch_loss")
"""Per-update columns, in order; ``batch_loss`` is the loss of the batch before its update."""

FORMATS = (".csv", ".json")


class ExportError(ValueError):
    """An export that cannot be written; one line."""


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


class Recorder:
    """The records of a run (one ``RunRecord``) or a race (one per contestant, in race order)."""

    def __init__(self, runs: Iterable[RunRecord], *, config: dict | None = None, field: str | None = None):
        self.runs = list(runs)
        self.config = config
        """The (base) config as plain data, written into JSON exports."""
        self.field = field
        """The race's field, ``None`` for a single run."""

    @classmethod
    def of_trainer(cls, trainer, config: dict | None = None) -> "Recorder":
        return cls([RunRecord("run", iterations_per_epoch=trainer.iterations_per_epoch,
                              batch_size=trainer.batch_size, n=trainer.n)], config=config)

    @classmethod
    def of_race(cls, race, field: str, config: dict | None = None) -> "Recorder":
        return cls([RunRecord(c.label, iterations_per_epoch=c.iterations_per_epoch, batch_size=c.batch_size,
                              n=c.experiment.train_size) for c in race.contestants], config=config, field=field)

    def add(self, event, run: int = 0) -> None:
        """Record one update of run ``run`` (a ``StepEvent``-like object)."""
        self.runs[run].add(event)

    def add_race(self, race_event) -> None:
        """Record a race step: ``race_event.steps`` holds each contestant's update or ``None``."""
        for run, step in zip(self.runs, race_event.steps):
            if step is not None:
                run.add(step)

    def snapshot(self) -> "Recorder":
        """A copy to write while another thread may still be recording: each run's epochs are copied
        before its losses, so every epoch row copied has its update (the losses may run a little ahead). The
        copy shares the file of spilled losses and copies only the in-memory block."""
        copies = []
        for r in self.runs:
            c = RunRecord(r.label, iterations_per_epoch=r.iterations_per_epoch, batch_size=r.batch_size, n=r.n,
                          block=r.block)
            c.epoch_rows, c.epoch_logs = list(r.epoch_rows), list(r.epoch_logs)
            c.epoch_rows, c.epoch_logs = c.epoch_rows[:len(c.epoch_logs)], c.epoch_logs[:len(c.epoch_rows)]
            spilled, block = r._tail  # the file only grows: its first ``spilled`` losses are shared, not copied
            c._losses = array("d", block)
            c._tail, c._file = (spilled, c._losses), r._file
            c.status, c.diverged_at = r.status, r.diverged_at
            copies.append(c)
        return Recorder(copies, config=self.config, field=self.field)

    def finish(self, run: int, status: str, diverged_at) -> None:
        """Set how run ``run`` ended (``"finished"``, ``"diverged"``…) and where it diverged."""
        self.runs[run].status = status
        self.runs[run].diverged_at = tuple(diverged_at) if diverged_at else None

    # -- formats ---------------------------------------------------------------------------
    def csv_lines(self) -> Iterable[str]:
        """The CSV text, line by line (a ``run`` column first when there are several runs)."""
        keys = []
        for r in self.runs:
            keys += [k for k in r.epoch_keys() if k not in keys]
        race = len(self.runs) > 1 or self.field is not None
        yield ",".join((["run"] if race else []) + list(ITERATION_COLUMNS) + keys) + "\n"
        for r in self.runs:
            ends = dict(zip(r.epoch_rows, r.epoch_logs))
            for start, stop in r.chunks():  # a block at a time: the text of a long run is never all in memory
                table = r.columns(start, stop)
                columns = [table[name] for name in ITERATION_COLUMNS]
                for j in range(stop - start):
                    row = [_csv_text(r.label)] if race else []
                    row += [str(col[j]) for col in columns[:-1]] + [repr(columns[-1][j])]
                    logs = ends.get(start + j)
                    row += [repr(logs[k]) if logs and k in logs else "" for k in keys]
                    yield ",".join(row) + "\n"

    def json_chunks(self) -> Iterable[str]:
        """The JSON text, piece by piece: each run's columns a block at a time, never the whole table in memory."""
        data = {"config": self.config, "field": self.field, "columns": list(ITERATION_COLUMNS),
                "runs": [r.to_dict() for r in self.runs]}
        yield from dump_json_chunks(data, indent=1)
        yield "\n"

    def write(self, path: str | os.PathLike) -> None:
        """Write to ``path`` as CSV or JSON (by its extension), atomically."""
        kind = os.path.splitext(os.fspath(path))[1].lower()
        if kind not in FORMATS:
            raise ExportError(Wording("export file must end in .csv or .json, got {value}",
                                      value=repr(os.fspath(path))))
        atomic_write(path, self.csv_lines() if kind == ".csv" else self.json_chunks())


def check_path(path: str | os.PathLike) -> None:
    """``ExportError`` (one line) unless ``path`` ends in .csv/.json and its folder exists —
    checked before a run starts, so a typo does not cost the run."""
    text = os.fspath(path)
    if os.path.splitext(text)[1].lower() not in FORMATS:
        raise ExportError(Wording("export file must end in .csv or .json, got {value}", value=repr(text)))
    folder = os.path.dirname(os.path.abspath(text))
    if not os.path.isdir(folder):
        raise ExportError(Wording("cannot write {path}: no folder {folder}", path=repr(text), folder=repr(folder)))


def atomic_write(path: str | os.PathLike, chunks: Iterable[str]) -> None:
    """Write the text ``chunks`` to ``path`` so that readers see the old file or the whole new one.

    The chunks go to a temporary file beside ``path``, flushed to disk, then ``os.replace``d over
    it, with the permissions ``open(path, "w")`` would give (the old file's, or 0666 less the umask).
    If anything fails or interrupts the writing (even ``KeyboardInterrupt``), the temporary file is
    removed and ``path`` is untouched.
    """
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise ExportError(Wording("cannot write {path}: {reason}", path=repr(path),
                                      reason=exc.strerror or exc)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            for chunk in chunks:
                f.write(chunk)
            f.flush()
            os.fsync(f.fileno())
        # mkstemp makes the file private (0600); give it the mode open() would: the old file's, or 0666 − umask
        os.chmod(tmp, os.stat(path).st_mode & 0o7777 if os.path.exists(path) else 0o666 & ~_UMASK)
        os.replace(tmp, path)
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise ExportError(Wording("cannot write {path}: {reason}", path=repr(path),
                                      reason=exc.strerror or exc)) from None
        raise


def _csv_text(text: str) -> str:
    if any(ch in text for ch in ',"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text

