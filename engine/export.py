"""History export: every update and every epoch of a run (or of each race contestant) to CSV or JSON.

``Recorder`` collects, per run (a ``RunRecord``, ``engine.run_record``), one row per update (step, epoch,
iteration, examples seen, batch size, batch loss before the update) and the logs of every finished epoch;
a run keeps at most ``BLOCK`` losses in memory, the older ones in an unlinked temporary file. ``write(path,
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
from collections.abc import Iterable

from engine.jsonout import dump_json_chunks
from engine.run_record import ITERATION_COLUMNS, RunRecord
from engine.wording import Wording

_UMASK = os.umask(0o022)
os.umask(_UMASK)  # read once, at import: os.umask only sets, and setting it from a worker thread would race

FORMATS = (".csv", ".json")


class ExportError(ValueError):
    """An export that cannot be written; one line."""


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
        copy shares the file of spilled losses and copies only the in-memory block (``RunRecord.snapshot``)."""
        return Recorder([r.snapshot() for r in self.runs], config=self.config, field=self.field)

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

