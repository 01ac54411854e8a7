"""A surface view's frame as pixels: the shaded surface (kept while the size holds), paths and marks over it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from tui.widgets.heatmap import shade
from tui.widgets.pixels import Mark, draw_polyline

START_MARK = "○"
MINIMUM_MARK = "★"
HEAD_MARK = "●"
MARK_COLOR = (255, 255, 255)
HEAD_BACKGROUND = (16, 16, 24)
"""A walker's head ● sits on a dark cell, so it shows over its own path's colour."""


@dataclass(frozen=True)
class Plane:
    """The part of the (x, y) plane shown on a ``width × height`` pixel image (y up, row 0 at the top)."""

    box: tuple[float, float, float, float]
    width: int
    height: int

    def to_pixels(self, points: np.ndarray) -> np.ndarray:
        """``(n, 2)`` plane points → ``(n, 2)`` float pixel coordinates ``(column, row)``."""
        x0, x1, y0, y1 = self.box
        p = np.asarray(points, dtype=np.float64).reshape(-1, 2)
        with np.errstate(all="ignore"):
            return np.column_stack([(p[:, 0] - x0) / (x1 - x0) * (self.width - 1),
                                    (y1 - p[:, 1]) / (y1 - y0) * (self.height - 1)])

    def mark(self, point, char: str, color, background=None) -> Mark | None:
        """A mark at a plane point, or ``None`` when it is off the image or not finite."""
        (col, row), = self.to_pixels(point)
        if not (np.isfinite(col) and np.isfinite(row)):
            return None
        col, row = int(round(col)), int(round(row))
        if 0 <= col < self.width and 0 <= row < self.height:
            return Mark(col, row, char, tuple(color), background=background)
        return None

    def samples(self) -> tuple[np.ndarray, np.ndarray]:
        """The plane coordinates of every pixel's centre: ``xs (width,)``, ``ys (height,)`` (top row first)."""
        x0, x1, y0, y1 = self.box
        return np.linspace(x0, x1, self.width), np.linspace(y1, y0, self.height)


def surface_background(surface, plane: Plane) -> np.ndarray:
    """The surface's loss at every pixel, shaded, ``(height, width, 3)`` uint8."""
    xs, ys = plane.samples()
    with np.errstate(all="ignore"):
        values = surface.value(xs[None, :], ys[:, None])
    return shade(values, log=surface.log_shading)


def grid_background(grid: np.ndarray, plane: Plane, *, log: bool = False) -> np.ndarray:
    """A coarse loss grid (rows = second direction, first row at its lowest value) spread over the
    image by bilinear interpolation, then shaded."""
    rows, cols = grid.shape
    gx = np.linspace(0, cols - 1, plane.width)
    gy = np.linspace(rows - 1, 0, plane.height)  # top pixel row = the grid's last (highest β) row
    x0 = np.clip(np.floor(gx).astype(int), 0, cols - 2)
    y0 = np.clip(np.floor(gy).astype(int), 0, rows - 2)
    tx, ty = (gx - x0)[None, :], (gy - y0)[:, None]
    g = np.asarray(grid, dtype=np.float64)
    top = g[y0][:, x0] * (1 - tx) + g[y0][:, x0 + 1] * tx
    bottom = g[y0 + 1][:, x0] * (1 - tx) + g[y0 + 1][:, x0 + 1] * tx
    return shade(top * (1 - ty) + bottom * ty, log=log)


def compose(background: np.ndarray, plane: Plane, paths: list[tuple[np.ndarray, tuple[int, int, int]]],
            *, start=None, minima=()) -> tuple[np.ndarray, list[Mark]]:
    """The frame: a copy of ``background`` with each path drawn in its colour, a ``●`` at each
    path's head, ``○`` at the start and ``★`` at each minimum.

    Args:
        paths: ``[(points (n, 2) in plane coordinates, rgb)]``.
    """
    pixels = background.copy()
    marks = []
    for points, color in paths:
        if len(points):
            draw_polyline(pixels, plane.to_pixels(points), color)
    for m in minima:
        marks.append(plane.mark(m, MINIMUM_MARK, MARK_COLOR))
    if start is not None:
        marks.append(plane.mark(start, START_MARK, MARK_COLOR))
    for points, color in paths:
        if len(points):
            marks.append(plane.mark(points[-1], HEAD_MARK, color, HEAD_BACKGROUND))
    return pixels, [m for m in marks if m is not None]
