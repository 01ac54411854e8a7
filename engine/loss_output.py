"""``output_for``: the output layer and the labels' encoding a loss picks on a dataset, as a Keras user would.

Each loss names the last layer's activation it needs (``loss.output``) and the targets it reads
(``loss.targets``):

    "binary"   binary cross-entropy (sigmoid), hinge (linear)      → 1 unit, labels 0/1 (two classes only)
    "one_hot"  categorical cross-entropy, KL divergence (softmax)  → K units, one-hot labels
    "integer"  sparse categorical cross-entropy (softmax)          → K units, integer labels
    "real"     mse, mae, huber, log_cosh (linear)                  → 1 unit, real targets (K units and
                                                                     one-hot targets on K classes)
    "counts"   poisson (softplus)                                  → 1 unit, count targets ≥ 0
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine import losses
from engine.checks import ConfigError
from engine.wording import Wording

_TARGET_WORDS = {
    "real": "real targets",
    "binary": "labels 0/1",
    "one_hot": "one-hot labels",
    "integer": "integer labels",
    "counts": "count targets",
}


@dataclass
class Output:
    """How the loss shapes the last layer and the labels."""

    units: int
    activation: str
    targets: str

    def describe(self, loss_name: str) -> str:
        return Wording("{loss} → {units} {activation} unit, {targets}" if self.units == 1 else
                       "{loss} → {units} {activation} units, {targets}", loss=loss_name, units=self.units,
                       activation=self.activation, targets=_TARGET_WORDS[self.targets])


def output_for(loss: losses.Loss, dataset) -> Output:
    """The output layer and label encoding ``loss`` needs on ``dataset``; ``ConfigError`` if they don't fit."""
    task, k, name = dataset.task, dataset.n_classes, dataset.name
    kind = loss.targets
    if kind == "real":
        units = k if task == "multiclass" else 1
        return Output(units, loss.output, "one_hot" if task == "multiclass" else "real")
    if task == "regression" and kind != "counts":
        raise ConfigError(Wording("{loss} needs class labels, but {dataset} is a regression dataset "
                                  "(use mean_squared_error, mean_absolute_error, huber or log_cosh)",
                                  loss=loss.name, dataset=repr(name)))
    if kind == "binary":
        if task != "binary":
            raise ConfigError(Wording("{loss} needs two classes, but {dataset} has {classes} "
                                      "(use categorical_crossentropy or sparse_categorical_crossentropy)",
                                      loss=loss.name, dataset=repr(name), classes=k))
        return Output(1, loss.output, "binary")
    if kind in ("one_hot", "integer"):
        return Output(k, loss.output, kind)
    if kind == "counts":
        if task == "multiclass":
            raise ConfigError(Wording("{loss} needs counts, but {dataset} has {classes} classes",
                                      loss=loss.name, dataset=repr(name), classes=k))
        if np.min(dataset.y) < 0:
            raise ConfigError(Wording("{loss} needs non-negative targets, but {dataset} has negative ones",
                                      loss=loss.name, dataset=repr(name)))
        return Output(1, loss.output, "counts")
    raise ConfigError(f"{loss.name}: unsupported target kind {kind!r}")


def encode_targets(dataset, output: Output) -> np.ndarray:
    """``dataset``'s labels as ``output`` reads them: ``(N, K)`` one-hot, ``(N,)`` integers, or ``(N,)`` reals."""
    if output.targets == "one_hot":
        return np.eye(dataset.n_classes)[np.asarray(dataset.y, dtype=np.int64)]
    if output.targets == "integer":
        return np.asarray(dataset.y, dtype=np.int64)
    return np.asarray(dataset.y, dtype=np.float64)
