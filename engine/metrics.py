"""Metrics reported beside the loss, each averaged over the samples of an epoch as Keras does."""

from __future__ import annotations

import math

import numpy as np

from engine.registry import unknown_name_message


class Metric:
    """A per-sample quantity averaged over every sample seen (Keras's ``MeanMetricWrapper``).

    ``batch_total(y_true, y_pred)`` returns ``(Σ values, count)`` for one batch;
    ``result(total, count)`` turns the epoch's sums into the reported number.
    """

    name = "metric"
    direction = "up"
    """Which way is better, as Keras's ``_direction``: ``"up"`` (accuracies) or ``"down"`` (errors)."""

    def batch_total(self, y_true: np.ndarray, y_pred: np.ndarray) -> tuple[float, int]:
        raise NotImplementedError

    def result(self, total: float, count: int) -> float:
        return total / count if count else float("nan")

    def __call__(self, y_true, y_pred) -> float:
        """The metric on one set of predictions."""
        return self.result(*self.batch_total(y_true, y_pred))


class BinaryAccuracy(Metric):
    """Fraction with ``y_true == (y_pred > 0.5)`` (one output unit).

    As in Keras, the label is compared as a number: a label of -1 (hinge's encoding)
    or a soft label such as 0.9 never counts as a hit.
    """

    name = "binary_accuracy"

    @staticmethod
    def hits(y_true, y_pred) -> np.ndarray:
        """Elementwise ``y_true == [y_pred > 0.5]`` (works on stacked predictions too)."""
        return y_true == (y_pred > 0.5)

    def batch_total(self, y_true, y_pred):
        hits = self.hits(y_true, y_pred)
        return float(np.count_nonzero(hits)), hits.size


class CategoricalAccuracy(Metric):
    """Fraction with ``argmax y_pred == argmax y_true`` (one-hot targets)."""

    name = "categorical_accuracy"

    def batch_total(self, y_true, y_pred):
        hits = np.argmax(y_pred, axis=-1) == np.argmax(y_true, axis=-1)
        return float(np.count_nonzero(hits)), hits.size


class SparseCategoricalAccuracy(Metric):
    """Fraction with ``argmax y_pred == y_true`` (integer targets)."""

    name = "sparse_categorical_accuracy"

    def batch_total(self, y_true, y_pred):
        hits = np.argmax(y_pred, axis=-1) == np.reshape(y_true, -1)
        return float(np.count_nonzero(hits)), hits.size


class MeanAbsoluteError(Metric):
    """Mean of ``|y_pred - y_true|`` over every element."""

    name = "mean_absolute_error"
    direction = "down"

    def batch_total(self, y_true, y_pred):
        return float(np.sum(np.abs(y_pred - y_true))), y_pred.size


class RootMeanSquaredError(Metric):
    """``√(mean of (y_pred - y_true)²)`` over every element seen."""

    name = "root_mean_squared_error"
    direction = "down"

    def batch_total(self, y_true, y_pred):
        return float(np.sum(np.square(y_pred - y_true))), y_pred.size

    def result(self, total, count):
        return math.sqrt(total / count) if count else float("nan")


ALL = {cls.name: cls for cls in (BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
                                  MeanAbsoluteError, RootMeanSquaredError)}
ALIASES = {"mae": "mean_absolute_error", "rmse": "root_mean_squared_error"}


def names() -> list[str]:
    return ["accuracy", *ALL]


def get(name: str, *, output_units: int, sparse_targets: bool) -> tuple[str, Metric]:
    """``(history key, metric)`` for a name; ``"accuracy"`` resolves as Keras does:
    binary for one output unit, sparse categorical for integer targets, else categorical."""
    key = name.lower() if isinstance(name, str) else name
    if key in ("accuracy", "acc"):
        if output_units == 1:
            return name, BinaryAccuracy()
        return name, SparseCategoricalAccuracy() if sparse_targets else CategoricalAccuracy()
    canonical = ALIASES.get(key, key)
    if canonical in ALL:
        return name, ALL[canonical]()
    raise ValueError(unknown_name_message("metric", name, names()))
