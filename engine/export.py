"""History export: every update and every epoch of a run (or of each race contestant) to CSV or JSON.

``Recorder`` collects, per run, one row per update (step, epoch, iteration, examples seen,
batch size, batch loss before the update) and the logs of every finished epoch. ``write(path,
…)`` picks the format from the extension and writes atomically: the text goes to a temporary
file in the same folder which then replaces ``path`` (``os.replace``), so an export interrupted
at any point leaves the previous file as it was.

CSV is one table, one row per update; the epoch columns (``loss``, ``accuracy``, ``val_loss``…)
are filled on the row that ended the epoch and empty elsewhere. JSON holds the same numbers
column-wise: ``{"runs": [{"label", "status", "diverged_at", "iterations": {column: [...]},
"epochs": {"epoch": [...], "loss": [...], ...}}], ...}`` (NaN and ±inf as ``null``).
"""

from __future__ import annotations

import os
import tempfile
from array import array
from collections.abc import Iterable

from engine.jsonout import dump_json

_UMASK = os.umask(0o022)
os.umask(_UMASK)  # read once, at import: os.umask only sets, and setting it from a worker thread would race

ITERATION_COLUMNS = ("step", "epoch", "iteration", "examples_seen", "batch_size", "batch_loss")
"""Per-update columns, in order; ``batch_loss`` is the loss of the batch before its update."""

FORMATS = (".csv", ".json")


class ExportError(ValueError):
    """An export that cannot be written; one line."""


class RunRecord:
    """One run's batch losses (8 bytes an update) and its epochs' logs.

    Only the loss is stored per update: a run's updates are numbered 1, 2, … without gaps, so
    the step, epoch, iteration, examples seen and batch size of update ``k`` follow from the
    run's ``iterations_per_epoch``, ``batch_size`` and training-set size ``n`` (Keras's ``fit``
    batching: ⌈n/B⌉ iterations, the last batch n − (⌈n/B⌉ − 1)·B).
    """

    def __init__(self, label: str, *, iterations_per_epoch: int, batch_size: int, n: int):
        self.label = label
        self.iterations_per_epoch = iterations_per_epoch
        self.batch_size = batch_size
        self.n = n
        self.losses = array("d")
        self.epoch_rows: list[int] = []
        """Index (into ``losses``) of the update that ended each epoch."""
        self.epoch_logs: list[dict[str, float]] = []
        self.status = "ready"
        self.diverged_at: tuple[int, int] | None = None

    def __len__(self) -> int:
        return len(self.losses)

    def add(self, event) -> None:
        """Record one update (a ``StepEvent``: ``loss``, ``epoch_logs`` on an epoch's last update, ``status``)."""
        self.losses.append(event.loss)
        if event.epoch_logs is not None:
            self.epoch_rows.append(len(self.losses) - 1)
            self.epoch_logs.append(event.epoch_logs)
        self.status = event.status
        if event.status == "diverged":
            self.diverged_at = (event.epoch, event.iteration)

    def extend(self, losses, epochs=()) -> None:
        """Record the next updates from their batch losses, and the epochs they ended as ``(epoch, logs)``
        pairs (1-based epochs; an epoch ends on its last iteration, so its row follows from the numbering)."""
        self.losses.extend(float(v) for v in losses)
        for epoch, logs in epochs:
            self.epoch_rows.append(epoch * self.iterations_per_epoch - 1)
            self.epoch_logs.append(logs)

    def columns(self) -> dict[str, list]:
        """The per-update columns of ``ITERATION_COLUMNS``, derived from the update index."""
        ipe, b = self.iterations_per_epoch, self.batch_size
        last = self.n - (ipe - 1) * b
        step = list(range(1, len(self) + 1))
        epoch = [(k - 1) // ipe + 1 for k in step]
        iteration = [(k - 1) % ipe + 1 for k in step]
        size = [last if i == ipe else b for i in iteration]
        seen = [(e - 1) * self.n + (i - 1) * b + s for e, i, s in zip(epoch, iteration, size)]
        return {"step": step, "epoch": epoch, "iteration": iteration, "examples_seen": seen,
                "batch_size": size, "batch_loss": list(self.losses)}

    def epoch_keys(self) -> list[str]:
        keys = []
        for logs in self.epoch_logs:
            keys += [k for k in logs if k not in keys]
        return keys

    def to_dict(self) -> dict:
        epochs = {"epoch": [i // self.iterations_per_epoch + 1 for i in self.epoch_rows]}
        for key in self.epoch_keys():
            epochs[key] = [logs.get(key) for logs in self.epoch_logs]
        return {"label": self.label, "status": self.status,
                "diverged_at": list(self.diverged_at) if self.diverged_at else None,
                "iterations_per_epoch": self.iterations_per_epoch, "batch_size": self.batch_size,
                "train_samples": self.n, "iterations": self.columns(), "epochs": epochs}


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
        before its losses, so every epoch row copied has its update (the losses may run a little ahead)."""
        copies = []
        for r in self.runs:
            c = RunRecord(r.label, iterations_per_epoch=r.iterations_per_epoch, batch_size=r.batch_size, n=r.n)
            c.epoch_rows, c.epoch_logs = list(r.epoch_rows), list(r.epoch_logs)
            c.epoch_rows, c.epoch_logs = c.epoch_rows[:len(c.epoch_logs)], c.epoch_logs[:len(c.epoch_rows)]
            c.losses = array("d", r.losses)
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
            table = r.columns()
            columns = [table[name] for name in ITERATION_COLUMNS]
            for i in range(len(r)):
                row = [_csv_text(r.label)] if race else []
                row += [str(col[i]) for col in columns[:-1]] + [repr(columns[-1][i])]
                logs = ends.get(i)
                row += [repr(logs[k]) if logs and k in logs else "" for k in keys]
                yield ",".join(row) + "\n"

    def json_text(self) -> str:
        data = {"config": self.config, "field": self.field, "columns": list(ITERATION_COLUMNS),
                "runs": [r.to_dict() for r in self.runs]}
        return dump_json(data, indent=1) + "\n"

    def write(self, path: str | os.PathLike) -> None:
        """Write to ``path`` as CSV or JSON (by its extension), atomically."""
        kind = os.path.splitext(os.fspath(path))[1].lower()
        if kind not in FORMATS:
            raise ExportError(f"export file must end in .csv or .json, got {os.fspath(path)!r}")
        atomic_write(path, self.csv_lines() if kind == ".csv" else [self.json_text()])


def check_path(path: str | os.PathLike) -> None:
    """``ExportError`` (one line) unless ``path`` ends in .csv/.json and its folder exists —
    checked before a run starts, so a typo does not cost the run."""
    text = os.fspath(path)
    if os.path.splitext(text)[1].lower() not in FORMATS:
        raise ExportError(f"export file must end in .csv or .json, got {text!r}")
    folder = os.path.dirname(os.path.abspath(text))
    if not os.path.isdir(folder):
        raise ExportError(f"cannot write {text!r}: no folder {folder!r}")


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
        raise ExportError(f"cannot write {path!r}: {exc.strerror or exc}") from None
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
            raise ExportError(f"cannot write {path!r}: {exc.strerror or exc}") from None
        raise


def _csv_text(text: str) -> str:
    if any(ch in text for ch in ',"\n'):
        return '"' + text.replace('"', '""') + '"'
    return text

