"""Saturation: a run that is not NaN but stuck, its outputs pinned at the cross-entropy clip.

The probability losses clip what they take the log of, ``p = clip(ŷ, ε, 1 - ε)`` with
ε = 1e-7, and pass no gradient where the clip is active. With ``q`` the probability a sample's
output gives its *true* class:

    pinned   q ≤ ε  or  q ≥ 1 - ε        the clip is active: the sample's gradient is exactly 0
    wrong    q ≤ ε                       pinned on the wrong side: it costs -ln ε ≈ 16.12

A run is **saturated** when at least 99 % of the probed samples are pinned (so at least 99 %
of the gradient is gone) and at least 1 % are pinned wrong (so at least 0.01 · 16.12 ≈ 0.16 of
the loss is out of reach of any update). Moons with binary cross-entropy and SGD at lr 1e3:
every output is 0 or 1, half of them wrong, loss 8.05 = ½ · 16.12, accuracy 0.5, gradient 0.
A confident healthy classifier (all pinned, none wrong) is not saturated.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.losses import EPSILON

PINNED_AT_LEAST = 0.99
"""Fraction of pinned samples from which the gradient counts as vanished."""
WRONG_AT_LEAST = 0.01
"""Fraction of samples pinned on the wrong side from which the loss counts as stuck."""
PROBE_SAMPLES = 256
"""At most this many training samples are probed (evenly strided): one bounded forward pass."""
CLIPPING_LOSSES = ("binary_crossentropy", "categorical_crossentropy", "sparse_categorical_crossentropy")
"""The losses that clip probabilities at ε (unless ``from_logits``)."""

DETAIL = "saturated: outputs pinned at the 1e-7 clip"
"""The run state's detail for a saturated run, as the CLI and the app show it."""


@dataclass(frozen=True, slots=True)
class Saturation:
    """What the probe found: fractions of the probed samples pinned at the clip and pinned wrong."""

    pinned: float
    wrong: float
    samples: int

    @property
    def saturated(self) -> bool:
        return self.pinned >= PINNED_AT_LEAST and self.wrong >= WRONG_AT_LEAST

    def to_dict(self) -> dict:
        """``{"pinned", "wrong", "samples", "saturated"}``."""
        return {"pinned": self.pinned, "wrong": self.wrong, "samples": self.samples, "saturated": self.saturated}

    @property
    def detail(self) -> str | None:
        """``DETAIL`` when saturated, else ``None``."""
        return DETAIL if self.saturated else None


def clips(loss) -> bool:
    """Whether ``loss`` clips probabilities at ε (so its outputs can be pinned)."""
    return loss.name in CLIPPING_LOSSES and not getattr(loss, "from_logits", False)


def true_class_probability(loss, y_true: np.ndarray, y_pred: np.ndarray) -> np.ndarray:
    """``q`` per sample (per output unit for binary cross-entropy), as the loss sees it.

    Args:
        y_true: targets as ``loss.prepare`` aligns them — (N, D) 0/1, (N, K) one-hot or (N,) integers.
        y_pred: (N, D) sigmoid or (N, K) softmax outputs.
    """
    if loss.name == "binary_crossentropy":
        return np.where(y_true > 0.5, y_pred, 1.0 - y_pred).ravel()
    r = y_pred / y_pred.sum(axis=-1, keepdims=True)  # the categorical losses normalise first
    if loss.name == "categorical_crossentropy":
        return r[np.arange(len(r)), np.argmax(y_true, axis=-1)]
    return r[np.arange(len(r)), np.asarray(y_true).reshape(len(r))]


def check(loss, y_true: np.ndarray, y_pred: np.ndarray) -> Saturation | None:
    """The saturation of outputs ``y_pred`` against ``y_true``; ``None`` for a loss that does not clip."""
    if not clips(loss) or len(y_pred) == 0:
        return None
    with np.errstate(all="ignore"):
        q = true_class_probability(loss, y_true, y_pred)
    wrong = q <= EPSILON
    pinned = wrong | (q >= 1.0 - EPSILON)
    n = q.size
    return Saturation(np.count_nonzero(pinned) / n, np.count_nonzero(wrong) / n, n)


def probe_rows(x: np.ndarray, y_true: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """At most ``PROBE_SAMPLES`` rows of ``(x, y_true)``, every ⌈n / PROBE_SAMPLES⌉-th from the
    first, as contiguous copies (take them once; probe them every epoch)."""
    stride = -(-len(x) // PROBE_SAMPLES)
    return np.ascontiguousarray(x[::stride]), np.ascontiguousarray(y_true[::stride])


def probe(loss, predict, x: np.ndarray, y_true: np.ndarray) -> Saturation | None:
    """``check`` on ``predict``'s outputs for the probe rows of ``(x, y_true)`` (``probe_rows``).

    ``predict`` maps features (n, features) to outputs (n, units), e.g. ``model.predict``.
    """
    if not clips(loss):
        return None
    x, y_true = probe_rows(x, y_true)
    return check(loss, y_true, predict(x))
