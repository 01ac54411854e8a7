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

ITERATION_COLUMNS = ("step", "epoch", "iteration", "examples_seen", "batch_size", "batch_loss")
"""Per-update columns, in order; ``batch_loss`` is the loss of the batch before its update."""

FORMATS = (".csv", ".json")


class ExportError(ValueError):
    """An export that cannot be written; one line."""


class RunRecord:
    """One run's updates (compact columns: 8 bytes a value) and its epochs' logs."""

    def __init__(self, label: str):
        self.label = label
        self.columns = {name: array("d") for name in ITERATION_COLUMNS}
        self.epoch_rows: list[int] = []
        """Index (into the update columns) of the update that ended each epoch."""
        self.epoch_logs: list[dict[str, float]] = []
        self.status = "ready"
        self.diverged_at: tuple[int, int] | None = None

    def __len__(self) -> int:
        return len(self.columns["step"])

    def add(self, event) -> None:
        """Record one update: anything with ``step, epoch, iteration, examples_seen, batch_size,
        loss`` and ``epoch_logs`` (set on an epoch's last update), such as a ``StepEvent``."""
        c = self.columns
        c["step"].append(event.step)
        c["epoch"].append(event.epoch)
        c["iteration"].append(event.iteration)
        c["examples_seen"].append(event.examples_seen)
        c["batch_size"].append(event.batch_size)
        c["batch_loss"].append(event.loss)
        if event.epoch_logs is not None:
            self.epoch_rows.append(len(self) - 1)
            self.epoch_logs.append(dict(event.epoch_logs))
        status = getattr(event, "status", None)
        if status:
            self.status = status

    def epoch_keys(self) -> list[str]:
        keys = []
        for logs in self.epoch_logs:
            keys += [k for k in logs if k not in keys]
        return keys

    def to_dict(self) -> dict:
        whole = ("step", "epoch", "iteration", "examples_seen", "batch_size")
        iterations = {name: [int(v) if name in whole else v for v in col] for name, col in self.columns.items()}
        epochs = {"epoch": [int(self.columns["epoch"][i]) for i in self.epoch_rows]}
        for key in self.epoch_keys():
            epochs[key] = [logs.get(key) for logs in self.epoch_logs]
        return {"label": self.label, "status": self.status,
                "diverged_at": list(self.diverged_at) if self.diverged_at else None,
                "iterations": iterations, "epochs": epochs}


class Recorder:
    """The records of a run (one ``RunRecord``) or a race (one per contestant, in race order)."""

    def __init__(self, labels: Iterable[str] = ("run",), *, config: dict | None = None, field: str | None = None):
        self.runs = [RunRecord(label) for label in labels]
        self.config = config
        """The (base) config as plain data, written into JSON exports."""
        self.field = field
        """The race's field, ``None`` for a single run."""

    def add(self, event, run: int = 0) -> None:
        """Record one update of run ``run`` (a ``StepEvent``-like object)."""
        self.runs[run].add(event)

    def add_race(self, race_event) -> None:
        """Record a race step: ``race_event.steps`` holds each contestant's update or ``None``."""
        for run, step in zip(self.runs, race_event.steps):
            if step is not None:
                run.add(step)

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
            columns = [r.columns[name] for name in ITERATION_COLUMNS]
            for i in range(len(r)):
                row = [_csv_text(r.label)] if race else []
                row += [str(int(col[i])) for col in columns[:-1]] + [repr(columns[-1][i])]
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
    it. If anything fails or interrupts the writing (even ``KeyboardInterrupt``), the temporary
    file is removed and ``path`` is untouched.
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

