"""Braille rasteriser: polylines and dots drawn into braille cells with NumPy, dot for dot as plotext draws them.

A braille cell is 2 dots wide and 4 high, so a canvas of ``width x height`` cells is a grid of
``2 width x 4 height`` dots. plotext draws a curve in Python, one point at a time (``get_matrix_data``,
``get_line``, ``hd_group``); this module does the same arithmetic on whole arrays:

    pixel(v)  = floor(round(0.5 + (bins - 1) (v - lo) / (hi - lo), 8))      bins = 2 width or 4 height
    segment (x0, y0) -> (x1, y1):  a = max(|x1 - x0|, |y1 - y0|) + 1 points
              (trunc(x0 + k (x1 - x0) / (a - 1)), trunc(y0 + k (y1 - y0) / (a - 1))),  k = 0 … a - 1
    cell      = (x // 2, y // 4);  dot = (x mod 2, y mod 4)
    character = chr(0x2800 + sum of the dots' bits)       (the Unicode braille block)

Rows count up from the bottom (plotext's row 0 is the bottom row). A cell drawn by several curves
shows the last curve's dots only, in its colour, as plotext's ``insert_element`` leaves it.
"""

from __future__ import annotations

import math

import numpy as np

DOT_BITS = np.array([[0x40, 0x80],   # bottom row of dots: 7, 8
                     [0x04, 0x20],   # 3, 6
                     [0x02, 0x10],   # 2, 5
                     [0x01, 0x08]],  # top row: 1, 4
                    dtype=np.uint8)
"""Bit of the dot at (row from the bottom, column) of a cell in the Unicode braille pattern."""

BRAILLE = np.array([" "] + [chr(0x2800 + code) for code in range(1, 256)], dtype=object)
"""The character of each 8-bit dot pattern (the empty pattern is a space, as plotext leaves it)."""

LIMIT = 2.0**52
"""Dot coordinates are clipped to ±LIMIT: a point that far off the canvas is drawn as if it were there
(plotext would use Python's unbounded ints; only the off-canvas part of its segment can differ)."""


def pixels(values: np.ndarray, lo: float, hi: float, bins: int) -> np.ndarray:
    """Dot coordinates of ``values`` on an axis of ``bins`` dots spanning [lo, hi] (plotext's
    ``get_matrix_data``): ``floor(round(0.5 + (bins - 1) (v - lo) / (hi - lo), 8))``.

    Args:
        values: float64, shape (n,).
    Returns:
        int64, shape (n,); values outside [lo, hi] land outside [0, bins).
    """
    change = 0.5 + (bins - 1) * (np.asarray(values, dtype=np.float64) - lo) / (hi - lo)
    change = np.clip(change, -LIMIT, LIMIT)  # far outside the canvas either way; stays an int64
    out = np.floor(change)
    # round(·, 8) only matters within 1e-8 of an integer: redo those few in Python, as plotext does.
    near = np.flatnonzero(np.abs(change - np.rint(change)) < 1e-8)
    for i in near:
        out[i] = math.floor(round(float(change[i]), 8))
    return out.astype(np.int64)


def line_pixels(px: np.ndarray, py: np.ndarray, width: int, height: int) -> tuple[np.ndarray, np.ndarray]:
    """The dots of the polyline through (px, py) (plotext's ``get_lines``), kept to those that can
    fall on a ``width x height`` dot grid (a segment reaching far outside costs only its visible part).

    Args:
        px, py: int64 dot coordinates, shape (n,).
    Returns:
        (xs, ys): int64 dot coordinates, possibly repeated and possibly outside the grid.
    """
    if px.size < 2:
        return px, py
    x0, y0 = px[:-1].astype(np.float64), py[:-1].astype(np.float64)
    dx, dy = np.diff(px).astype(np.float64), np.diff(py).astype(np.float64)
    a = np.maximum(np.abs(dx), np.abs(dy)) + 1
    steps = np.maximum(a - 1, 1)  # a == 1 (both ends on one dot): no dots of its own, any slope will do
    sx, sy = dx / steps, dy / steps
    # Each segment leaves out its own end point (the next one starts there; x0 + (a-1) s may round
    # below x1), and the polyline's last point is added at the end, as ``get_lines`` does.
    k_lo, k_hi = np.zeros_like(a), a - 2
    inside = px.min() >= 0 and px.max() < width and py.min() >= 0 and py.max() < height
    for v0, s, bins in () if inside else ((x0, sx, width), (y0, sy, height)):
        # Keep k where -1 < v0 + k s < bins (trunc lands in [0, bins)), widened by one step for rounding.
        with np.errstate(divide="ignore", invalid="ignore"):
            k_a, k_b = (-1 - v0) / s, (bins - v0) / s
        first = np.where(s > 0, k_a, np.where(s < 0, k_b, np.where((v0 > -1) & (v0 < bins), 0.0, np.inf)))
        last = np.where(s > 0, k_b, np.where(s < 0, k_a, np.where((v0 > -1) & (v0 < bins), np.inf, -np.inf)))
        k_lo = np.maximum(k_lo, np.floor(first) - 1)
        k_hi = np.minimum(k_hi, np.ceil(last) + 1)
    count = np.maximum(k_hi - k_lo + 1, 0).astype(np.int64)
    total = int(count.sum())
    seg = np.repeat(np.arange(count.size), count)
    k = np.arange(total) - np.repeat(np.cumsum(count) - count, count) + np.repeat(k_lo, count).astype(np.int64)
    xs = np.trunc(x0[seg] + k * sx[seg]).astype(np.int64)
    ys = np.trunc(y0[seg] + k * sy[seg]).astype(np.int64)
    return np.concatenate((xs, px[-1:])), np.concatenate((ys, py[-1:]))


def dot_cells(xs: np.ndarray, ys: np.ndarray, width: int, height: int) -> np.ndarray:
    """The dot pattern of each cell of a ``width x height`` cell canvas lit by the dots (xs, ys).

    Returns:
        uint8, shape (height, width), row 0 at the bottom; 0 where no dot fell.
    """
    keep = (xs >= 0) & (xs < 2 * width) & (ys >= 0) & (ys < 4 * height)
    grid = np.zeros((4 * height, 2 * width), dtype=np.uint8)
    grid[ys[keep], xs[keep]] = 1
    dots = grid.reshape(height, 4, width, 2)
    codes = np.zeros((height, width), dtype=np.uint8)
    for row in range(4):
        for col in range(2):
            codes |= dots[:, row, :, col] * DOT_BITS[row, col]
    return codes


def rasterise(curves, xlim: tuple[float, float], ylim: tuple[float, float], width: int,
              height: int) -> tuple[np.ndarray, np.ndarray]:
    """Draw curves, in order, on a ``width x height`` braille canvas.

    Args:
        curves: ``(xs, ys, joined)`` per curve: float64 arrays of shape (n,) in data units, and
            whether consecutive points are joined by lines (False: dots only).
        xlim, ylim: the data values at the canvas's left/right and bottom/top dot centres.
    Returns:
        (codes, owner): uint8 dot patterns and int16 index of the curve each cell shows (-1: none),
        both of shape (height, width), row 0 at the bottom.
    """
    codes = np.zeros((height, width), dtype=np.uint8)
    owner = np.full((height, width), -1, dtype=np.int16)
    if width <= 0 or height <= 0:
        return codes, owner
    for i, (xs, ys, joined) in enumerate(curves):
        if len(xs) == 0:
            continue
        px = pixels(xs, *xlim, 2 * width)
        py = pixels(ys, *ylim, 4 * height)
        if joined:
            px, py = line_pixels(px, py, 2 * width, 4 * height)
        cells = dot_cells(px, py, width, height)
        lit = cells != 0
        codes[lit] = cells[lit]
        owner[lit] = i
    return codes, owner
