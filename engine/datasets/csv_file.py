"""``load_csv``: a numeric CSV file with a header row becomes a ``Dataset``; ``is_csv``: whether a name is one."""

from __future__ import annotations

import csv
import math
import os
from pathlib import Path

import numpy as np

from engine.datasets.dataset import Dataset, DatasetError
from engine.datasets.sampling import MAX_CLASSES
from engine.registry import unknown_name_message
from engine.wording import Wording, refusal_at


def is_csv(dataset: str) -> bool:
    """Whether the dataset ``dataset`` names is a CSV file (its path ends in ``.csv``, any case) rather than a
    generator."""
    return dataset.lower().endswith(".csv")


def load_csv(path: str | os.PathLike, target: str | None = None) -> Dataset:
    """Read ``path``: a header row of column names, then one row of numbers per sample.

    The ``target`` column (by name; the last column when None) becomes ``y`` and
    every other column a feature of ``x``. The task is inferred from the target:

        whole numbers only, and at most 20 distinct values  →  classification
            2 values → "binary", 3+ → "multiclass"; relabelled 0..K-1 in sorted
            order (the original values kept in ``label_values``)
        anything else                                        →  "regression"

    Rows are numbered as a spreadsheet numbers them: the header is row 1.
    Blank lines are skipped. The dataset is named after the file (``houses.csv`` → ``"houses"``).

    Returns:
        Dataset with x ``(N, F)`` float64, F = columns - 1.

    Raises:
        DatasetError (a ValueError) with a one-line message naming the file and what is wrong.
    """
    path = Path(path)
    where = path.name
    with _open(path) as handle:
        reader = csv.reader(handle)
        header_row, header = _header(reader, path)
        if len(header) < 2:
            raise DatasetError(Wording("{where}: needs at least 2 columns (features and a target), found {count}",
                                       where=where, count=len(header)))
        first_index: dict[str, int] = {}
        for j, column in enumerate(header):  # one pass, linear in the columns
            if not column:
                raise DatasetError(Wording("{where}: column {column} of the header has no name", where=where, column=j + 1))
            if first_index.setdefault(column, j) != j:
                raise DatasetError(Wording("{where}: the header names column {name} twice", where=where, name=repr(column)))
        most_rows, counted = _lines_after(path, header_row, MAX_CELLS // len(header))
        if most_rows * len(header) > MAX_CELLS:
            rows = Wording("{count} rows" if counted else "at least {count} rows", count=f"{most_rows:,}")
            raise DatasetError(Wording("{where}: {rows} × {columns} columns is more than the {cells} numbers a CSV may hold",
                                       where=where, rows=rows, columns=f"{len(header):,}", cells=f"{MAX_CELLS:,}"))
        if all(_is_number(column) for column in header):
            shown = ", ".join(header[:5]) + (", …" if len(header) > 5 else "")
            raise DatasetError(Wording("{where}: the first row should be column names, found only numbers ({shown})",
                                       where=where, shown=shown))
        if target is None:
            target_index = len(header) - 1
        elif target in first_index:
            target_index = first_index[target]
        else:
            raise DatasetError(refusal_at(where, unknown_name_message("target column", target, header)))
        values = _read_values(reader, header, np.empty((most_rows, len(header))), where)
    if not len(values):
        raise DatasetError(Wording("{where} has a header but no data rows", where=where))

    y = values[:, target_index]
    x = np.delete(values, target_index, axis=1)
    features = tuple(c for j, c in enumerate(header) if j != target_index)
    params = {"path": str(path), "target": header[target_index]}
    distinct = np.unique(y)
    if len(distinct) == 1:
        raise DatasetError(Wording("{where}: target column {name} is constant (every row is {value}); "
                                   "there is nothing to learn", where=where, name=repr(header[target_index]),
                                   value=f"{distinct[0]:g}"))
    if len(distinct) <= MAX_CLASSES and np.all(distinct == np.round(distinct)):
        labels = np.searchsorted(distinct, y)
        task = "binary" if len(distinct) == 2 else "multiclass"
        return Dataset(path.stem, x, labels, task, n_classes=len(distinct),
                       feature_names=features, target_name=header[target_index],
                       label_values=tuple(float(v) for v in distinct), params=params)
    return Dataset(path.stem, x, y, "regression", feature_names=features,
                   target_name=header[target_index], params=params)


MAX_CELLS = 1_000_000
"""The most numbers a CSV may hold (rows × columns). Python parses roughly a million cells a second,
so the largest accepted file loads in a second or two while the app waits for it, and its arrays
(8 bytes a number, a few copies) stay far below ``engine.budget.MEMORY_BUDGET``. A playground's
tables are thousands of rows by tens of columns (50,000 × 20 fits); a larger file — a million
columns, or more rows than that — is refused after reading its header and counting its lines."""


def _open(path: Path):
    if not path.exists():
        raise DatasetError(Wording("no such file: {path}", path=repr(str(path))))
    if path.is_dir():
        raise DatasetError(Wording("{path} is a directory, not a CSV file", path=repr(str(path))))
    try:
        return path.open(newline="", encoding="utf-8-sig")
    except OSError as exc:
        raise DatasetError(Wording("{where} cannot be read ({reason})", where=path.name, reason=exc.strerror or exc)) from None


def _rows(reader, path: Path):
    """``(row number, cells)`` of each non-blank row (the header is row 1, as in a spreadsheet), with
    reading errors as one line."""
    try:
        for row in reader:
            if any(cell.strip() for cell in row):
                yield reader.line_num, row
    except UnicodeDecodeError:
        raise DatasetError(Wording("{where} is not UTF-8 text", where=path.name)) from None
    except csv.Error as exc:
        raise DatasetError(Wording("{where} is not valid CSV ({reason})", where=path.name, reason=exc)) from None
    except OSError as exc:
        raise DatasetError(Wording("{where} cannot be read ({reason})", where=path.name, reason=exc.strerror or exc)) from None


def _header(reader, path: Path) -> tuple[int, list[str]]:
    """The first non-blank row's number and its stripped cells."""
    for number, row in _rows(reader, path):
        return number, [cell.strip() for cell in row]
    raise DatasetError(Wording("{where} is empty", where=path.name))


def _lines_after(path: Path, line: int, limit: int) -> tuple[int, bool]:
    """``(lines after line number line, whether all were counted)``: an upper bound on the data rows,
    counted in binary a megabyte at a time, stopping once there are more than ``limit``."""
    count = -line
    with path.open("rb") as handle:
        while count <= limit:
            chunk = handle.read(1 << 20)
            if not chunk:
                return max(count + 1, 0), True  # + a last line without a newline
            count += chunk.count(b"\n")
    return count, False


def _read_values(reader, header: list[str], values: np.ndarray, where: str) -> np.ndarray:
    """Each remaining non-blank row into the next row of ``values`` (as many rows as it has room for)."""
    n = 0
    for row_number, row in _rows(reader, Path(where)):
        if len(row) != len(header):
            raise DatasetError(Wording("{where}: row {row} has {count} values but the header has {columns} columns",
                                       where=where, row=row_number, count=len(row), columns=len(header)))
        try:
            values[n] = [float(cell) for cell in row]
        except ValueError:
            values[n] = [_number(cell, _cell(where, row_number, header[j])) for j, cell in enumerate(row)]
        if not np.isfinite(values[n]).all():
            j = int(np.argmin(np.isfinite(values[n])))
            _number(row[j], _cell(where, row_number, header[j]))
        n += 1
    return values[:n]


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _number(cell: str, where: str) -> float:
    """``float(cell)``, or a one-line error saying where the cell is and what is wrong with it."""
    if not cell.strip():
        raise DatasetError(Wording("{where} is empty", where=where))
    try:
        value = float(cell)
    except ValueError:
        raise DatasetError(Wording("{where}: {value} is not a number", where=where, value=repr(cell.strip()))) from None
    if not math.isfinite(value):
        raise DatasetError(Wording("{where}: {value} is not a finite number", where=where, value=repr(cell.strip())))
    return value


def _cell(where: str, row: int, column: str) -> Wording:
    """``"data.csv: row 3, column 'x'"``: where a cell is, as a message names it."""
    return Wording("{where}: row {row}, column {column}", where=where, row=row, column=repr(column))
