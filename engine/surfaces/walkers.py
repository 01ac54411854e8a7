"""Who walks a surface by default: four optimizers, or on linreg the lecture's three batch sizes, and their labels."""

from __future__ import annotations

from engine import batching
from engine.batching import FULL_BATCH, KERAS_DEFAULT_BATCH
from engine.wording import Wording

DEFAULT_OPTIMIZERS = ("sgd", "momentum", "rmsprop", "adam")
"""Four walkers by default: plain SGD, momentum, and two adaptive ones."""

LINREG_BATCH_SIZES = (FULL_BATCH, KERAS_DEFAULT_BATCH, 1)
"""The lecture's batch picture: batch GD (B = N), mini-batch (Keras's default B = 32), SGD (B = 1)."""


def batch_label(optimizer_label: str, batch_size: int, samples: int, optimizer_count: int) -> str:
    """``batch GD (B=200)``, ``mini-batch (B=32)``, ``SGD (B=1)`` (prefixed by the optimizer when several)."""
    words = Wording("{mode} (B={size})", mode=batching.SHORT_NAMES[batching.batch_mode(batch_size, samples)],
                    size=batch_size)
    return words if optimizer_count == 1 else Wording("{optimizer} · {batch}", optimizer=optimizer_label, batch=words)
