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


Axis = tuple[float, float, list[float], list[str]]
"""An axis laid out: its limits (lo, hi), the tick positions between them and their labels."""


def linear_axis(lo: float, hi: float, fmt, target: int = 5, rows: int | None = None) -> Axis:
    """A linear axis over at least [lo, hi]: ticks at multiples of a 1-2-5 step, about ``target`` of them
    (fewer if they would share a row of ``rows``), and the limits widened to the ticks just outside
    [lo, hi], so every point lies between two labelled ticks (0.514 under an axis labelled 0.6 to 0.8
    read as off the plot). Labelled by fmt(tick, step)."""
    for tried in range(max(target, 2), 1, -1):
        step = nice_step(lo, hi, tried)
        a, b = math.floor(lo / step + 1e-9) * step, math.ceil(hi / step - 1e-9) * step
        a, b = a if math.isfinite(a) else lo, b if math.isfinite(b) else hi  # a step past the largest float
        ticks = [i * step for i in range(math.ceil(a / step - 1e-9), math.floor(b / step + 1e-9) + 1)]
        if apart(ticks, a, b, rows):
            break
    return a, b, ticks, [fmt(t, step) for t in ticks]


def log_axis(lo: float, hi: float, rows: int | None = None) -> Axis:
    """A log10 axis over at least [lo, hi] (log10 positions): ticks labelled in values, the limits widened
    to the ticks just outside [lo, hi] (as ``linear_axis``'s).

    Of these tick sets: 1, 2 and 5 x 10^k when the range spans under 2 decades; powers of ten, every
    one, 2nd, 5th, 10th, 20th ... decade; linear 1-2-5 values when it spans under one; the one that
    gives 2 to 8 ticks, each a row or more from the next on an axis of ``rows`` rows (plotext writes
    one label a row and drops the others: a tick left out reads as a skipped decade, 1e150 1e50),
    with a tick at both ends, and the tightest; the first of equals. With ``rows`` None, only the
    count is held. Positions are chosen before values are computed, so a range reaching past the
    largest float (lo, hi up to ~309) never overflows; no limit is widened past it or to 0.
    """
    options = ([decade_axis(lo, hi, 1, (1, 2, 5))] if hi - lo < 2 else []) + \
        [decade_axis(lo, hi, stride) for stride in (1, 2, 5, 10, 20, 50, 100, 200, 500)] + \
        ([values_axis(lo, hi, target) for target in (5, 4, 3, 2)] if hi - lo < 1 else [])
    fits = [(not labelled_ends(axis), axis[1] - axis[0], i) for i, axis in enumerate(options)
            if 2 <= len(axis[2]) <= 8 and apart(axis[2], axis[0], axis[1], rows)]
    axis = options[min(fits)[2]] if fits else None  # both ends labelled, then the tightest, then the first
    if axis is None:  # too few rows for two ticks: one tick inside [lo, hi]
        inside = next(ticks for _, _, ticks, _ in options if any(lo - 1e-9 <= t <= hi + 1e-9 for t in ticks))
        first = next(t for t in inside if lo - 1e-9 <= t <= hi + 1e-9)
        axis = lo, hi, [first], [fmt_value(pow10(first))]
    a, b, positions, _ = axis
    return a, b, positions, [fmt_value(round_value(p)) for p in positions]


def decade_axis(lo: float, hi: float, stride: int, mantissas: tuple[int, ...] = (1,)) -> Axis:
    """Ticks at log10(m x 10^d) for each m of ``mantissas`` and each d a multiple of ``stride``, over [lo, hi]
    widened to the ticks just outside it."""
    positions = [d + math.log10(m) for d in range(math.floor(lo) - stride, math.ceil(hi) + stride + 1)
                 if d % stride == 0 for m in mantissas]
    return widened(lo, hi, [p for p in positions if p <= MAX_LOG10 and pow10(p) > 0])


def values_axis(lo: float, hi: float, target: int) -> Axis:
    """Ticks at multiples of a 1-2-5 step of the values 10^lo .. 10^hi (a range under a decade), as log10 positions."""
    _, _, values, _ = linear_axis(pow10(lo), pow10(hi), fmt_y, target)
    return widened(lo, hi, [math.log10(v) for v in values if v > 0])


def widened(lo: float, hi: float, positions: list[float]) -> Axis:
    """[lo, hi] widened to the nearest of ``positions`` (ascending) at or outside each end, and the positions
    between; an end with no position beyond it stays."""
    a = max((p for p in positions if p <= lo + 1e-9), default=lo)
    b = min((p for p in positions if p >= hi - 1e-9), default=hi)
    return min(a, lo), max(b, hi), [p for p in positions if a - 1e-9 <= p <= b + 1e-9], []  # labelled by log_axis


def labelled_ends(axis: Axis) -> bool:
    """Whether both limits of ``axis`` are ticks (not so where a tick beyond would pass the largest float)."""
    lo, hi, positions, _ = axis
    return abs(positions[0] - lo) < 1e-9 and abs(positions[-1] - hi) < 1e-9


def apart(positions: list[float], lo: float, hi: float, rows: int | None) -> bool:
    """Whether ``positions`` (ascending) fall on different rows of an axis of ``rows`` rows over [lo, hi]:
    each gap at least a row, (hi - lo) / (rows - 1)."""
    if rows is None:
        return True
    gaps = np.diff(positions)
    row = (hi / 2 - lo / 2) / (rows - 1) if rows > 1 else math.inf  # half a row: finite up to ±1.8e308
    return rows > 1 and bool(gaps.size == 0 or gaps.min() / 2 >= row * (1 - 1e-9))


def round_value(position: float) -> float:
    """The value at a log10 tick position, rounded to the 1-2-5 (or linear-step) value it was made from."""
    return float(f"{pow10(position):.12g}")


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
