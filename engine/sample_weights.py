"""Per-sample weights for ``fit``/``evaluate``: Keras's ``class_weight`` → ``sample_weight`` and checks."""

from __future__ import annotations

import numpy as np

from engine.checks import ConfigError, parse_number
from engine.wording import Wording


def class_weight_to_sample_weights(y, class_weight) -> np.ndarray:
    """Keras 3's ``class_weight_to_sample_weights`` (data_adapter_utils.py): each sample's class
    (the label; argmax of a one-hot row; a (N, 1) column squeezed; rounded to an integer)
    looks up its weight, 1.0 for a class the dict does not name.

    Args:
        y: ``(N,)``, ``(N, 1)`` or one-hot ``(N, K)`` targets, before any loss alignment.
        class_weight: ``{class index: weight}``; keys must read as integers.
    Returns:
        ``(N,)`` float64 weights.
    """
    if not hasattr(class_weight, "items") or not hasattr(class_weight, "get"):
        raise ValueError("`class_weight` must be a dict-like mapping of class indices to weights. "
                         f"Received: class_weight={class_weight} of type {type(class_weight)}.")
    cleaned = {}
    for key, value in class_weight.items():
        try:
            cleaned[int(key)] = float(value)
        except (TypeError, ValueError):
            raise ValueError("`class_weight` must be a dictionary with integer keys representing class "
                             f"indices. Received an invalid key: {key!r} of type {type(key)}.") from None
    y = np.asarray(y, dtype=np.float64)
    if y.ndim > 1:
        y = np.argmax(y, axis=-1) if y.shape[-1] != 1 else y[..., 0]
    labels = np.round(y).astype(np.int32)
    return np.array([cleaned.get(int(label), 1.0) for label in labels], dtype=np.float64)


def check_sample_weight(sample_weight, n: int, what: str = "sample_weight") -> np.ndarray:
    """``sample_weight`` as float64 ``(n,)`` (a ``(n, 1)`` column is flattened), finite, or a one-line ``ValueError``."""
    try:
        weights = np.asarray(sample_weight, dtype=np.float64)
    except (TypeError, ValueError):
        raise ValueError(f"{what} must be numbers, got {sample_weight!r}") from None
    if weights.ndim == 2 and weights.shape[1] == 1:
        weights = weights[:, 0]
    if weights.shape != (n,):
        raise ValueError(f"{what} must hold one weight per sample ({n}), got shape {weights.shape}")
    if not np.all(np.isfinite(weights)):
        raise ValueError(f"{what} contains NaN or infinite values")
    return weights


def parse_class_weight(text: str) -> str | dict[int, float]:
    """``"balanced"`` or ``"0=1,1=3"`` (class index = weight ≥ 0) from user text; ``ConfigError`` otherwise."""
    text = text.strip()
    if text.lower() == "balanced":
        return "balanced"
    weights = {}
    for part in text.split(","):
        key, sep, value = part.partition("=")
        if not sep or not key.strip().isdigit():
            raise ConfigError(Wording("class weights look like 'balanced' or CLASS=WEIGHT,… (e.g. 0=1,1=3), "
                                      "got {value}", value=repr(text)))
        cls = int(key.strip())
        if cls in weights:
            raise ConfigError(Wording("class {cls} is weighted twice in {value}", cls=cls, value=repr(text)))
        weights[cls] = parse_number(Wording("the weight of class {cls}", cls=cls), value.strip(), low=0)
    return weights


def class_weight_text(spec) -> str | None:
    """The user text ``parse_class_weight`` reads back to ``spec`` (None stays None)."""
    if spec is None or isinstance(spec, str):
        return spec
    return ",".join(f"{k}={v:g}" for k, v in spec.items())


def balanced_class_weight(labels, n_classes: int) -> dict[int, float]:
    """scikit-learn's ``compute_class_weight("balanced")``: class c weighs n / (k · count_c), so
    every class carries the same total weight (k = ``n_classes`` present; a class absent from
    ``labels`` is left out)."""
    labels = np.asarray(labels).astype(np.int64).reshape(-1)
    counts = np.bincount(labels, minlength=n_classes)
    present = [c for c in range(n_classes) if counts[c]]
    n, k = len(labels), len(present)
    return {c: n / (k * counts[c]) for c in present}


def resolve_class_weight(spec, labels, n_classes: int, dataset: str = "the dataset") -> dict[int, float]:
    """``spec`` ("balanced" or a dict) as ``{class: weight}`` for training ``labels``; a class the
    dataset does not have is a ``ConfigError``."""
    if spec == "balanced":
        return balanced_class_weight(labels, n_classes)
    missing = sorted(c for c in spec if not 0 <= c < n_classes)
    if missing:
        raise ConfigError(Wording("class weight for class {cls}, but {dataset} has classes 0 to {last}", cls=missing[0],
                                  dataset=dataset, last=n_classes - 1))
    return dict(spec)
