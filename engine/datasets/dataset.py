"""The ``Dataset`` record every generator and the CSV loader return."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

TASKS = ("regression", "binary", "multiclass")


class DatasetError(ValueError):
    """A dataset could not be built or loaded; the message is one line saying why."""


@dataclass(frozen=True, eq=False)
class Dataset:
    """Samples ``x`` with targets ``y`` and what kind of problem they pose.

    Attributes:
        name: the registry name (``"moons"``) or, for a CSV, the file's stem.
        x: ``(N, F)`` float64 features, read-only.
        y: ``(N,)`` float64 targets for ``"regression"``; ``(N,)`` int64 class
            labels ``0..K-1`` for ``"binary"`` (K = 2) and ``"multiclass"`` (K ≥ 3).
        task: one of ``"regression"``, ``"binary"``, ``"multiclass"``.
        n_classes: 0 for regression, else K.
        feature_names: one name per column of ``x``.
        target_name: the name of ``y``.
        label_values: for a CSV classification target, the original value of
            each label (label ``k`` was ``label_values[k]`` in the file); else ``()``.
        params: the arguments that produced it (``{"noise": 0.2, "seed": 0, ...}``
            for a generator, ``{"path": ..., "target": ...}`` for a CSV).
    """

    name: str
    x: np.ndarray
    y: np.ndarray
    task: str
    n_classes: int = 0
    feature_names: tuple[str, ...] = ()
    target_name: str = "y"
    label_values: tuple[float, ...] = ()
    params: dict = field(default_factory=dict)

    def __post_init__(self):
        x = np.array(self.x, dtype=np.float64)
        if x.ndim != 2:
            raise DatasetError(f"x must be 2-D (samples, features), got shape {x.shape}")
        if self.task not in TASKS:
            raise DatasetError(f"unknown task {self.task!r} (valid: {', '.join(TASKS)})")
        y = np.array(self.y, dtype=np.float64 if self.task == "regression" else np.int64)
        if y.shape != (len(x),):
            raise DatasetError(f"y must have shape ({len(x)},) to match x, got {y.shape}")
        expected = {"regression": 0, "binary": 2}.get(self.task, self.n_classes)
        if self.n_classes != expected or (self.task == "multiclass" and self.n_classes < 3):
            raise DatasetError(f"a {self.task} dataset cannot have n_classes={self.n_classes}")
        if self.n_classes and len(y) and (y.min() < 0 or y.max() >= self.n_classes):
            raise DatasetError(f"labels must lie in 0..{self.n_classes - 1}")
        names = tuple(self.feature_names) or tuple(f"x{j + 1}" for j in range(x.shape[1]))
        if len(names) != x.shape[1]:
            raise DatasetError(f"{len(names)} feature names for {x.shape[1]} features")
        x.flags.writeable = False
        y.flags.writeable = False
        object.__setattr__(self, "x", x)
        object.__setattr__(self, "y", y)
        object.__setattr__(self, "feature_names", names)
        object.__setattr__(self, "label_values", tuple(self.label_values))
        object.__setattr__(self, "params", dict(self.params))

    def __len__(self) -> int:
        return len(self.x)

    def __repr__(self) -> str:
        classes = f", n_classes={self.n_classes}" if self.n_classes else ""
        return (f"Dataset({self.name!r}, task={self.task!r}{classes}, "
                f"samples={len(self)}, features={self.n_features})")

    @property
    def n_features(self) -> int:
        """F, the number of columns of ``x``."""
        return self.x.shape[1]

    @property
    def is_classification(self) -> bool:
        """True for ``"binary"`` and ``"multiclass"``."""
        return self.task != "regression"

    def one_hot(self) -> np.ndarray:
        """``(N, K)`` float64 with ``out[i, y[i]] = 1`` and zeros elsewhere (K = n_classes)."""
        if not self.is_classification:
            raise DatasetError(f"{self.name} is a regression dataset; one_hot needs class labels")
        return np.eye(self.n_classes)[self.y]

    def class_counts(self) -> np.ndarray:
        """``(K,)`` int64: how many samples carry each label."""
        if not self.is_classification:
            raise DatasetError(f"{self.name} is a regression dataset; it has no classes")
        return np.bincount(self.y, minlength=self.n_classes)
