"""Metrics reported beside the loss, each a (weighted) mean over the samples of an epoch as Keras's are."""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from engine.losses.base import mean_last
from engine.losses.reduction import squeeze_or_expand_to_same_rank, weights_array
from engine import registry
from engine.checks import unknown_name_message


def samplewise_total(values: np.ndarray, sample_weight=None) -> tuple[float, float]:
    """Keras's ``Mean.update_state`` on one batch (``reduce_to_samplewise_values``, mean):

        v_i = mean of values[i] over every axis but the first
        total = Σ_i w_i v_i,   count = Σ_i w_i        (no weights: Σ_i v_i and N)

    Weights of a higher rank than the batch axis are averaged per sample, as Keras does.
    """
    if sample_weight is not None:
        weights = weights_array(sample_weight)
        values, weights = squeeze_or_expand_to_same_rank(values, weights)
        if values.ndim > weights.ndim:
            values = values.mean(axis=tuple(range(weights.ndim, values.ndim)))
        try:
            weights = np.broadcast_to(weights, values.shape)
        except ValueError:
            raise ValueError(f"sample_weight of shape {weights.shape} does not fit metric values of shape "
                             f"{values.shape}") from None
        values = values * weights
        if weights.ndim > 1:
            weights = weights.mean(axis=tuple(range(1, weights.ndim)))
        per_sample = values if values.ndim < 2 else values.mean(axis=tuple(range(1, values.ndim)))
        return float(np.sum(per_sample)), float(np.sum(weights))
    per_sample = mean_last(values) if values.ndim == 2 else (
        values if values.ndim < 2 else values.mean(axis=tuple(range(1, values.ndim))))
    return float(np.sum(per_sample)), (values.shape[0] if values.ndim else 1)


class Metric:
    """A per-sample quantity averaged over every sample seen (Keras's ``MeanMetricWrapper``).

    ``values(y_true, y_pred)`` is the elementwise quantity (Keras's metric function, after
    its rank alignment); ``batch_total(y_true, y_pred, sample_weight)`` returns
    ``(Σ w_i v_i, Σ w_i)`` for one batch; ``result(total, count)`` turns the epoch's sums
    into the reported number (0 when nothing was counted, Keras's ``divide_no_nan``).
    """

    name = "metric"
    direction = "up"
    """Which way is better, as Keras's ``_direction``: ``"up"`` (accuracies) or ``"down"`` (errors)."""

    def values(self, y_true, y_pred) -> np.ndarray:
        raise NotImplementedError

    def batch_total(self, y_true, y_pred, sample_weight=None) -> tuple[float, float]:
        return samplewise_total(self.values(y_true, y_pred), sample_weight)

    def result(self, total: float, count: float) -> float:
        return total / count if count else 0.0

    def __call__(self, y_true, y_pred, sample_weight=None) -> float:
        """The metric on one set of predictions."""
        return self.result(*self.batch_total(y_true, y_pred, sample_weight))


def aligned(y_true, y_pred) -> tuple[np.ndarray, np.ndarray]:
    """Both as float64 arrays, ranks aligned as Keras's metric functions align them."""
    y_pred = np.asarray(y_pred, dtype=np.float64)
    y_true = np.asarray(y_true, dtype=np.float64)
    return squeeze_or_expand_to_same_rank(y_true, y_pred)


class BinaryAccuracy(Metric):
    """Per element ``y_true == (y_pred > 0.5)`` as 1/0 (one output unit).

    As in Keras, the label is compared as a number: a label of -1 (hinge's encoding)
    or a soft label such as 0.9 never counts as a hit.
    """

    name = "binary_accuracy"

    @staticmethod
    def hits(y_true, y_pred) -> np.ndarray:
        """Elementwise ``y_true == [y_pred > 0.5]`` (works on stacked predictions too)."""
        return y_true == (y_pred > 0.5)

    def values(self, y_true, y_pred):
        y_true, y_pred = aligned(y_true, y_pred)
        return self.hits(y_true, y_pred).astype(np.float64)


class CategoricalAccuracy(Metric):
    """Per sample ``argmax y_pred == argmax y_true`` (one-hot targets)."""

    name = "categorical_accuracy"

    def values(self, y_true, y_pred):
        return (np.argmax(y_pred, axis=-1) == np.argmax(y_true, axis=-1)).astype(np.float64)


class SparseCategoricalAccuracy(Metric):
    """Per sample ``argmax y_pred == y_true`` (integer targets, shape ``(N,)`` or ``(N, 1)``)."""

    name = "sparse_categorical_accuracy"

    def values(self, y_true, y_pred):
        return (np.argmax(y_pred, axis=-1) == np.reshape(y_true, -1)).astype(np.float64)


class MeanAbsoluteError(Metric):
    """Per sample the mean of ``|y_pred - y_true|`` over the last axis."""

    name = "mean_absolute_error"
    direction = "down"

    def values(self, y_true, y_pred):
        y_true, y_pred = aligned(y_true, y_pred)
        return np.abs(y_pred - y_true)


class RootMeanSquaredError(Metric):
    """``√(weighted mean over samples of the per-sample mean of (y_pred - y_true)²)``."""

    name = "root_mean_squared_error"
    direction = "down"

    def values(self, y_true, y_pred):
        y_true, y_pred = aligned(y_true, y_pred)
        return np.square(y_pred - y_true)

    def result(self, total, count):
        return math.sqrt(total / count) if count else 0.0


ALL = {cls.name: cls for cls in (BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy,
                                  MeanAbsoluteError, RootMeanSquaredError)}
ALIASES = {"mae": "mean_absolute_error", "rmse": "root_mean_squared_error"}


def names() -> list[str]:
    return ["accuracy", *ALL]


def is_accuracy(identifier) -> bool:
    """Whether ``identifier`` is the name ``"accuracy"`` (or ``"acc"``), which the model's output resolves."""
    return isinstance(identifier, str) and identifier.lower().strip() in ("accuracy", "acc")


def get(identifier, *, output_units: int | None = None, sparse_targets: bool = False) -> Metric | None:
    """Keras's ``metrics.get``: ``None`` → ``None``; a ``Metric`` as it is; a name, alias or class name,
    a ``Metric`` class or ``{"class_name": …, "config": {…}}`` → a new metric; else ``ValueError``.

    ``"accuracy"`` (or ``"acc"``, also as a config's name) is resolved as Keras's ``compile`` does —
    binary for one output unit, sparse categorical for integer targets, else categorical — so it
    needs ``output_units``.
    """
    if isinstance(identifier, Mapping):
        name, config = registry.config_parts("metric", identifier, names())
        if is_accuracy(name):
            registry.construct(BinaryAccuracy, config, name)  # as the accuracies do: refuses any argument
            identifier = name
    if is_accuracy(identifier):
        if output_units is None:
            raise ValueError("'accuracy' is binary, categorical or sparse categorical accuracy depending on the "
                             "model's output: pass output_units (and sparse_targets)")
        if output_units == 1:
            return BinaryAccuracy()
        return SparseCategoricalAccuracy() if sparse_targets else CategoricalAccuracy()
    return registry.get("metric", identifier, {}, base=Metric, table=ALL, aliases=ALIASES,
                        listed=names())


def compiled(identifier, *, output_units: int, sparse_targets: bool) -> tuple[str, Metric]:
    """``(history key, metric)`` as ``compile(metrics=[…])`` uses it: the key is the name as given
    (``"acc"`` logs as ``acc``), or the metric's own name for an instance."""
    metric = get(identifier, output_units=output_units, sparse_targets=sparse_targets)
    if metric is None:
        raise ValueError(unknown_name_message("metric", identifier, names()))
    return (identifier if isinstance(identifier, str) else metric.name), metric
