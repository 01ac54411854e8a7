"""``load_csv``: a numeric CSV file with a header row becomes a ``Dataset``."""

from __future__ import annotations

import csv
import math
import os
from pathlib import Path

import numpy as np

from engine.datasets.dataset import Dataset, DatasetError
from engine.datasets.sampling import MAX_CLASSES
from engine.registry import unknown_name_message


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
    header, rows = _read_rows(path)
    where = path.name
    if len(header) < 2:
        raise DatasetError(f"{where}: needs at least 2 columns (features and a target), "
                           f"found {len(header)}")
    for j, column in enumerate(header):
        if not column:
            raise DatasetError(f"{where}: column {j + 1} of the header has no name")
        if header.index(column) != j:
            raise DatasetError(f"{where}: the header names column {column!r} twice")
    if all(_is_number(column) for column in header):
        raise DatasetError(f"{where}: the first row should be column names, "
                           f"found only numbers ({', '.join(header)})")
    if target is None:
        target_index = len(header) - 1
    elif target in header:
        target_index = header.index(target)
    else:
        raise DatasetError(f"{where}: " + unknown_name_message("target column", target, header))
    if not rows:
        raise DatasetError(f"{where} has a header but no data rows")

    values = np.empty((len(rows), len(header)))
    for i, (row_number, row) in enumerate(rows):
        if len(row) != len(header):
            raise DatasetError(f"{where}: row {row_number} has {len(row)} values "
                               f"but the header has {len(header)} columns")
        for j, cell in enumerate(row):
            values[i, j] = _number(cell, f"{where}: row {row_number}, column {header[j]!r}")

    y = values[:, target_index]
    x = np.delete(values, target_index, axis=1)
    features = tuple(c for j, c in enumerate(header) if j != target_index)
    params = {"path": str(path), "target": header[target_index]}
    distinct = np.unique(y)
    if len(distinct) == 1:
        raise DatasetError(f"{where}: target column {header[target_index]!r} is constant "
                           f"(every row is {distinct[0]:g}); there is nothing to learn")
    if len(distinct) <= MAX_CLASSES and np.all(distinct == np.round(distinct)):
        labels = np.searchsorted(distinct, y)
        task = "binary" if len(distinct) == 2 else "multiclass"
        return Dataset(path.stem, x, labels, task, n_classes=len(distinct),
                       feature_names=features, target_name=header[target_index],
                       label_values=tuple(float(v) for v in distinct), params=params)
    return Dataset(path.stem, x, y, "regression", feature_names=features,
                   target_name=header[target_index], params=params)


def _read_rows(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The stripped header cells, and each non-blank data row with its spreadsheet row number."""
    if not path.exists():
        raise DatasetError(f"no such file: {str(path)!r}")
    if path.is_dir():
        raise DatasetError(f"{str(path)!r} is a directory, not a CSV file")
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            lines = [(n, row) for n, row in enumerate(csv.reader(handle), start=1)
                     if any(cell.strip() for cell in row)]
    except UnicodeDecodeError:
        raise DatasetError(f"{path.name} is not UTF-8 text") from None
    except csv.Error as exc:
        raise DatasetError(f"{path.name} is not valid CSV ({exc})") from None
    except OSError as exc:
        raise DatasetError(f"{path.name} cannot be read ({exc.strerror or exc})") from None
    if not lines:
        raise DatasetError(f"{path.name} is empty")
    (_, header), rows = lines[0], lines[1:]
    return [cell.strip() for cell in header], rows


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _number(cell: str, where: str) -> float:
    """``float(cell)``, or a one-line error saying where the cell is and what is wrong with it."""
    if not cell.strip():
        raise DatasetError(f"{where} is empty")
    try:
        value = float(cell)
    except ValueError:
        raise DatasetError(f"{where}: {cell.strip()!r} is not a number") from None
    if not math.isfinite(value):
        raise DatasetError(f"{where}: {cell.strip()!r} is not a finite number")
    return value
