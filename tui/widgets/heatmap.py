"""``shade``: a loss grid as RGB pixels — a dark-to-bright colour ramp with contour lines — for ``PixelCanvas``."""

from __future__ import annotations

import numpy as np

RAMP = np.array([
    (13, 8, 135), (84, 2, 163), (139, 10, 165), (185, 50, 137), (219, 92, 104),
    (244, 136, 73), (254, 188, 43), (240, 249, 33),
], dtype=np.float64)
"""Colour stops from low to high loss (plasma's, sampled): low is dark blue, high is yellow."""

TOP = 0.85
"""The highest loss takes the ramp's colour at this point (orange, not yellow): amber and green paths stay visible."""

DIM = 0.6
"""A pixel's colour at the low end is scaled by this, so the paths' bright colours stand out."""

CONTOUR_DARKEN = 0.7
"""A pixel on a contour line keeps this share of its colour."""

SHADES = 48
"""Colours the ramp is cut into: neighbouring cells of one shade merge into one terminal segment,
which keeps a frame cheap to build and to paint (a smooth ramp makes every cell its own segment)."""


def normalise(values: np.ndarray, log: bool = False) -> np.ndarray:
    """``values`` → [0, 1] (non-finite → 1): √((f − min)/(max − min)), or the same range in
    log10(f − min + ε), ε = 1e-3 of the range, when ``log`` (surfaces spanning decades, like
    Rosenbrock's). The square root spaces a bowl's contours evenly: for a quadratic, √f is a norm."""
    v = np.asarray(values, dtype=np.float64)
    finite = np.isfinite(v)
    if not finite.any():
        return np.ones_like(v)
    lo, hi = float(v[finite].min()), float(v[finite].max())
    if log:
        eps = 1e-3 * (hi - lo) if hi > lo else 1.0
        with np.errstate(all="ignore"):
            v = np.log10(np.where(finite, v, hi) - lo + eps)
        lo, hi = float(v.min()), float(v.max())
    t = np.clip((v - lo) / (hi - lo), 0.0, 1.0) if hi > lo else np.zeros_like(v)
    return np.where(finite, t if log else np.sqrt(t), 1.0)


def shade(values: np.ndarray, *, log: bool = False, levels: int = 10) -> np.ndarray:
    """``(H, W)`` losses → ``(H, W, 3)`` uint8: the colour ramp, with ``levels`` contour lines at
    equal steps of the (log-)normalised loss drawn darker.

    Args:
        values: the loss at each pixel (row 0 at the top).
        log: shade log(f − f_min + ε) instead of f.
        levels: contour lines (0: none).
    """
    t = normalise(values, log)
    q = np.round(t * SHADES) / SHADES
    stops = np.linspace(0.0, 1.0 / TOP, len(RAMP))
    rgb = np.stack([np.interp(q, stops, RAMP[:, c]) for c in range(3)], axis=-1)
    rgb *= (DIM + (1 - DIM) * q)[..., None]
    if levels:
        band = np.minimum(np.floor(t * levels), levels - 1).astype(np.int64)
        edge = np.zeros(t.shape, dtype=bool)
        edge[:, 1:] |= band[:, 1:] != band[:, :-1]
        edge[1:, :] |= band[1:, :] != band[:-1, :]
        rgb[edge] *= CONTOUR_DARKEN
    return rgb.astype(np.uint8)
