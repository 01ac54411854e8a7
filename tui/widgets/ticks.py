"""Axis limits and tick marks for the loss plots: 1-2-5 linear ticks, log10 ticks labelled in values,
and short labels (1e-3, 250k), all finite up to the largest float."""

from __future__ import annotations

import math
import sys

import numpy as np

MAX_LOG10 = math.log10(sys.float_info.max)
"""log10 of the largest float (308.25): no tick value is computed above it."""


def padded(lo: float, hi: float, pad_if_flat: float | None) -> tuple[float, float]:
    """Limits around [lo, hi]; a flat range is widened so the points sit mid-frame."""
    if hi > lo:
        return lo, hi
    pad = pad_if_flat if pad_if_flat is not None else (abs(lo) * 0.1 or 1.0)
    return lo - pad, hi + pad


def nice_step(lo: float, hi: float, target: int = 5) -> float:
    """The 1-2-5 x 10^k step whose tick count over [lo, hi] is closest to `target`.

    Finite for any finite lo < hi: the span is taken as hi/target - lo/target, which cannot
    overflow even when hi - lo would (-1e308 .. 1e308).
    """
    per_tick = hi / target - lo / target
    k = min(math.floor(math.log10(per_tick)), math.floor(MAX_LOG10))
    steps = [m * 10.0**k for m in (1, 2, 5, 10)]
    steps = [s for s in steps if math.isfinite(s)]
    return min(steps, key=lambda step: abs(hi / step - lo / step - target))


def linear_ticks(lo: float, hi: float, fmt, target: int = 5) -> tuple[list[float], list[str]]:
    """About `target` ticks at multiples of a 1-2-5 step inside [lo, hi], labelled by fmt(tick, step)."""
    step = nice_step(lo, hi, target)
    first = math.ceil(lo / step - 1e-9)
    ticks = [i * step for i in range(first, math.floor(hi / step + 1e-9) + 1)]
    return ticks, [fmt(t, step) for t in ticks]


def log_ticks(lo: float, hi: float, rows: int | None = None) -> tuple[list[float], list[str]]:
    """Ticks (as log10 positions) and labels (as values) for a log10 axis spanning [lo, hi].

    The first of these that gives 2 to 8 ticks, each a row or more from the next on an axis of ``rows``
    rows (plotext writes one label a row and drops the others: a tick left out reads as a skipped
    decade, 1e150 1e50): 1, 2 and 5 x 10^k when the range spans under 2 decades; powers of ten,
    every one, 2nd, 5th, 10th, 20th ... decade; linear 1-2-5 values. With ``rows`` None, only the
    count is held. Positions are chosen before values are computed, so a range reaching past the
    largest float (lo, hi up to ~309) never overflows.
    """
    options = ([decade_ticks(lo, hi, 1, (1, 2, 5))] if hi - lo < 2 else []) + \
        [decade_ticks(lo, hi, stride) for stride in (1, 2, 5, 10, 20, 50, 100, 200, 500)] + \
        [[v for v in linear_ticks(pow10(lo), pow10(hi), fmt_y, target)[0] if v > 0] for target in (5, 4, 3, 2)]
    fits = (values for values in options if 2 <= len(values) <= 8 and apart(values, lo, hi, rows))
    values = next(fits, None) or next(values[:1] for values in options if values)
    return [math.log10(v) for v in values], [fmt_value(v) for v in values]


def decade_ticks(lo: float, hi: float, stride: int, mantissas: tuple[int, ...] = (1,)) -> list[float]:
    """m x 10^d inside [lo, hi] (log10 positions) for each m of ``mantissas`` and each d a multiple of ``stride``."""
    candidates = [(d + math.log10(m), m, d) for d in range(math.floor(lo), math.ceil(hi) + 1) if d % stride == 0
                  for m in mantissas]
    return [m * 10.0**d for position, m, d in candidates if lo - 1e-9 <= position <= min(hi, MAX_LOG10) + 1e-9]


def apart(values: list[float], lo: float, hi: float, rows: int | None) -> bool:
    """Whether ``values`` (ascending) fall on different rows of a log10 axis of ``rows`` rows over [lo, hi]:
    each gap of log10 positions at least a row, (hi - lo) / (rows - 1)."""
    if rows is None:
        return True
    gaps = np.diff(np.log10(values))
    return rows > 1 and bool(gaps.size == 0 or gaps.min() * (rows - 1) >= (hi - lo) * (1 - 1e-9))


def pow10(x: float) -> float:
    """10**x, or the largest float where that would overflow."""
    return 10.0**x if x < MAX_LOG10 else sys.float_info.max


def fmt_value(v: float) -> str:
    """A short label: 0.01 ... 1000 as decimals, others as 1e-3, 2.5e6."""
    if v == 0:
        return "0"
    if 1e-2 <= abs(v) < 1e4:
        return f"{v:.6g}"
    mantissa, exponent = f"{v:.3e}".split("e")
    return f"{float(mantissa):g}e{int(exponent)}"


def fmt_y(v: float, step: float) -> str:
    return fmt_value(round(v / step) * step) if v else "0"


def fmt_x(v: float, step: float) -> str:
    """Steps read better as 250k, 1.5M than as 250000, 1500000."""
    v = round(v / step) * step
    for scale, suffix in ((1e9, "G"), (1e6, "M"), (1e3, "k")):
        if abs(v) >= scale and step >= scale / 100:
            return f"{v / scale:.4g}{suffix}"
    return f"{v:.6g}" if step < 1 else str(int(round(v)))
