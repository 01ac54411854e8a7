"""Batching, the lecture's way: batch gradient descent, SGD and mini-batch; iterations per epoch.

With N training samples and batch size B, Keras's ``fit`` cuts each (shuffled) epoch into

    iterations per epoch  I = ⌈N / B⌉
    batch sizes           B, B, …, B, N − (I − 1)·B     (the last one may be smaller)

and makes one update per batch. The three regimes the lecture names:

    B ≥ N        batch gradient descent   one update per epoch, from the exact full gradient
    B = 1 < N    stochastic gradient descent   N noisy updates per epoch, one sample each
    otherwise    mini-batch               usually a power of two; Keras's default B = 32

(2000 samples, B = 200 → 10 iterations per epoch.) ``FULL_BATCH`` (``"full"``) asks for B = N.
A B larger than the training set is batch gradient descent too: Keras then runs one batch of N.

``validation_split`` holds out the *last* fraction before any shuffling, as Keras does:
the first ⌊n·(1 − split)⌋ samples train, the rest validate.
"""

from __future__ import annotations

import math

from engine import checks
from engine.checks import ConfigError
from engine.wording import Wording

KERAS_DEFAULT_BATCH = 32
"""Keras's default ``batch_size`` for ``fit``."""

FULL_BATCH = "full"
"""``batch_size`` value meaning batch gradient descent: B = number of training samples."""

FULL_BATCH_WORDS = (FULL_BATCH, "n", "all")
"""What a user may type for ``FULL_BATCH``."""

# The regime names batch_mode() returns (the why panel explains each).
BATCH_GD = "batch gradient descent"
SGD = "stochastic gradient descent"
MINI_BATCH = "mini-batch"
SHORT_NAMES = {BATCH_GD: "batch GD", SGD: "SGD", MINI_BATCH: "mini-batch"}
"""Each regime's name where space is short (menus, plot legends)."""


def check_batch_size(value) -> int | str:
    """A config's ``batch_size``: ``FULL_BATCH`` or a whole number ≥ 1, else ``ConfigError``."""
    if value == FULL_BATCH:
        return value
    return checks.whole_number("batch size", value, minimum=1)


def parse_batch_size(text: str) -> int | str:
    """``"full"`` (or ``"n"``, ``"all"``) → ``FULL_BATCH``; ``"64"`` → 64; else a one-line ``ConfigError``."""
    text = text.strip().lower()
    if text in FULL_BATCH_WORDS:
        return FULL_BATCH
    try:
        value = int(text)
    except ValueError:
        bounds = Wording("{bounds} or {word}", bounds=checks.whole_bounds(1), word=repr(FULL_BATCH))
        raise ConfigError(checks.must_be("batch size", bounds, text)) from None
    return check_batch_size(value)


def fit_batch_size(batch_size) -> int:
    """``fit``'s ``batch_size`` argument: ``None`` → Keras's 32, else a whole number ≥ 1 (``ValueError``)."""
    if batch_size is None:
        return KERAS_DEFAULT_BATCH
    return checks.whole_number("batch_size", batch_size, minimum=1, error=ValueError)


def resolve(batch_size: int | str, train_size: int) -> int:
    """The B a run uses: ``FULL_BATCH`` → ``train_size``, a number as it is."""
    return train_size if batch_size == FULL_BATCH else int(batch_size)


def iterations_per_epoch(train_size: int, batch_size: int) -> int:
    """``⌈N / B⌉`` — updates per epoch (2000 samples, B = 200 → 10)."""
    return -(-train_size // batch_size)


def last_batch_size(train_size: int, batch_size: int) -> int:
    """``N − (⌈N/B⌉ − 1)·B`` — the size of each epoch's last batch (B when B divides N; N when B ≥ N)."""
    return train_size - (iterations_per_epoch(train_size, batch_size) - 1) * batch_size


def batch_mode(batch_size: int | str, train_size: int) -> str:
    """The lecture's name for B on N training samples: ``BATCH_GD`` (B ≥ N), ``SGD`` (B = 1), ``MINI_BATCH``.

    B ≥ N is batch gradient descent even when B was typed as a number (64 on 50 samples
    makes one update per epoch from all 50).
    """
    if batch_size == FULL_BATCH or batch_size >= train_size:
        return BATCH_GD
    if batch_size == 1:
        return SGD
    return MINI_BATCH


def check_validation_split(value) -> float:
    """A fraction in ``[0, 1)``, else ``ConfigError``."""
    return checks.number("validation split", value, low=0.0, high=1.0, high_open=True)


def validation_split_index(n: int, validation_split: float) -> int:
    """Keras's split point: the first ``⌊n · (1 − split)⌋`` samples train, the rest validate.

    ``ValueError`` unless the split is in [0, 1), or if either part would be empty (a ``ConfigError``, one line:
    a setup's size can be refused before anything is made, as ``engine.budget`` refuses it).
    """
    checks.number("validation_split", validation_split, low=0.0, high=1.0, high_open=True, error=ValueError)
    split_at = int(math.floor(n * (1.0 - validation_split)))
    if validation_split and (split_at == 0 or split_at == n):
        raise ConfigError(Wording("validation_split={split} leaves {train} of {n} samples for training; "
                                  "both parts must be non-empty", split=validation_split, train=split_at, n=n))
    return split_at


def train_size(n: int, validation_split: float) -> int:
    """How many of ``n`` samples train: ``n`` with no split, else ``validation_split_index``."""
    return validation_split_index(n, validation_split) if validation_split else n


def choices(train_size: int | None = None) -> list[tuple[str, int | str]]:
    """Menu entries ``(label, batch_size)`` in numeric order of B: SGD (1), mini-batches of 2…1024, and
    batch GD (B = N) where N falls among them (last when N is not known).

    Given the training set's size, each entry is labelled with ``batch_mode``'s name for it
    (64 on 50 samples is "batch GD 64"), so the menu and the why panel never disagree.
    """
    entries: list[tuple[str, int | str]] = []
    for b in [1, *(2 ** k for k in range(1, 11))]:
        mode = batch_mode(b, train_size if train_size is not None else b + 1)
        if mode == SGD:
            label = "SGD (B = 1)"
        elif mode == BATCH_GD:
            label = Wording("batch GD {size} (B ≥ N = {n})", size=b, n=train_size)
        else:
            label = Wording("mini-batch {size}", size=b)
        entries.append((Wording("{entry} (Keras)", entry=label) if b == KERAS_DEFAULT_BATCH else label, b))
    at = len(entries) if train_size is None else sum(1 for _, b in entries if b < train_size)
    entries.insert(at, (Wording("batch GD (B = N)"), FULL_BATCH))
    return entries
