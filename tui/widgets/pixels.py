"""``PixelCanvas``: an RGB pixel array drawn with half-block cells, two pixels per cell, plus marks.

A terminal cell shows ``▀`` with its foreground the top pixel and its background the bottom
one, so an ``(H, W, 3)`` uint8 image needs ``W`` columns and ``⌈H/2⌉`` rows. A row becomes one
``Segment`` per run of equal cells (a heatmap's flat areas merge), and the Rich ``Style`` of each
(top, bottom) colour pair is made once and kept, so a frame costs a few NumPy calls per row plus
one dictionary look-up per run.

Marks put a character on a cell (``●`` for a path's head, ``★`` for a minimum): its colour on the
mean of the cell's two pixels, so the mark reads over any shading.

Drawing helpers, also used headless: ``draw_polyline`` rasterises a path into the image
(vectorised: every segment sampled at one point per pixel step) and ``half_block_strips`` turns an
image and its marks into ``Strip``s.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from rich.color import Color
from rich.segment import Segment
from rich.style import Style
from textual.geometry import Size
from textual.strip import Strip
from textual.widget import Widget

UPPER_HALF = "▀"
STYLE_CACHE_LIMIT = 1 << 16
"""Colour-pair styles kept between frames; past it the cache starts afresh (a smooth heatmap
has many pairs, but one frame has at most W·H/2)."""


@dataclass(frozen=True)
class Mark:
    """A character drawn on the cell holding pixel ``(x, y)`` (column, row of the image)."""

    x: int
    y: int
    char: str
    color: tuple[int, int, int]
    bold: bool = True
    background: tuple[int, int, int] | None = None
    """The cell's background; ``None``: the mean of its two pixels."""


_pair_styles: dict[int, Style] = {}
_mark_styles: dict[tuple, Style] = {}


def _rgb(packed: int) -> Color:
    return Color.from_rgb(packed >> 16, (packed >> 8) & 255, packed & 255)


def _pair_style(key: int) -> Style:
    """The style of a cell whose top pixel is ``key >> 24`` and bottom pixel ``key & 0xFFFFFF``."""
    style = _pair_styles.get(key)
    if style is None:
        if len(_pair_styles) >= STYLE_CACHE_LIMIT:
            _pair_styles.clear()
        style = _pair_styles[key] = Style(color=_rgb(key >> 24), bgcolor=_rgb(key & 0xFFFFFF))
    return style


def _mark_style(color: tuple[int, int, int], background: tuple[int, int, int], bold: bool) -> Style:
    key = (color, background, bold)
    style = _mark_styles.get(key)
    if style is None:
        if len(_mark_styles) >= STYLE_CACHE_LIMIT:
            _mark_styles.clear()
        style = _mark_styles[key] = Style(color=Color.from_rgb(*color), bgcolor=Color.from_rgb(*background),
                                          bold=bold)
    return style


def pack(pixels: np.ndarray) -> np.ndarray:
    """``(H, W, 3)`` uint8 → ``(H, W)`` int64 ``0xRRGGBB``."""
    p = pixels.astype(np.int64)
    return (p[..., 0] << 16) | (p[..., 1] << 8) | p[..., 2]


def half_block_strips(pixels: np.ndarray, marks: Iterable[Mark] = ()) -> list[Strip]:
    """One ``Strip`` per pair of pixel rows, top first; marks drawn over their cells.

    Args:
        pixels: ``(H, W, 3)`` uint8; an odd last row is paired with itself.
        marks: characters to draw; marks outside the image are skipped.

    Returns:
        ``⌈H/2⌉`` strips, each ``W`` cells wide.
    """
    h, w = pixels.shape[:2]
    if h == 0 or w == 0:
        return []
    packed = pack(pixels)
    if h % 2:
        packed = np.vstack([packed, packed[-1:]])
    keys = (packed[0::2] << 24) | packed[1::2]  # (rows, W): top << 24 | bottom
    by_cell: dict[tuple[int, int], Mark] = {}
    for mark in marks:
        if 0 <= mark.x < w and 0 <= mark.y < h:
            by_cell[(mark.y // 2, mark.x)] = mark
    changes = keys[:, 1:] != keys[:, :-1]
    strips = []
    for row in range(len(keys)):
        line = keys[row]
        starts = [0, *(np.flatnonzero(changes[row]) + 1).tolist(), w]
        values = line[starts[:-1]].tolist()
        segments = [Segment(UPPER_HALF * (b - a), _pair_style(v)) for a, b, v in zip(starts, starts[1:], values)]
        row_marks = [(x, m) for (r, x), m in by_cell.items() if r == row]
        if row_marks:
            segments = _with_marks(segments, line, sorted(row_marks, key=lambda item: item[0]))
        strips.append(Strip(segments, w))
    return strips


def _with_marks(segments: list[Segment], line: np.ndarray, marks: list[tuple[int, Mark]]) -> list[Segment]:
    """``segments`` (one row) with each marked cell replaced by its mark."""
    cells = Strip(segments)
    out: list[Segment] = []
    start = 0
    for x, mark in marks:
        if x < start:
            continue
        out.extend(cells.crop(start, x))
        key = int(line[x])
        top, bottom = key >> 24, key & 0xFFFFFF
        background = mark.background or tuple(((top >> s & 255) + (bottom >> s & 255)) // 2 for s in (16, 8, 0))
        out.append(Segment(mark.char[:1] or " ", _mark_style(mark.color, background, mark.bold)))
        start = x + 1
    out.extend(cells.crop(start, len(line)))
    return out


def draw_polyline(pixels: np.ndarray, points: np.ndarray, color: Sequence[int]) -> None:
    """Draw straight lines through ``points`` into ``pixels`` (in place), clipped to the image.

    Args:
        pixels: ``(H, W, 3)`` uint8.
        points: ``(n, 2)`` float pixel coordinates ``(x, y)``, x to the right, y down;
            non-finite points break the line.
        color: ``(r, g, b)``.
    """
    points = np.asarray(points, dtype=np.float64)
    if len(points) == 0:
        return
    h, w = pixels.shape[:2]
    if len(points) == 1:
        a, b = points, points
    else:
        a, b = points[:-1], points[1:]
    ok = np.isfinite(a).all(axis=1) & np.isfinite(b).all(axis=1)
    a, b = clip_segments(a[ok], b[ok], (-1.0, -1.0, float(w), float(h)))
    steps = np.ceil(np.abs(b - a).max(axis=1)).astype(np.int64) + 1
    if len(steps) == 0:
        return
    t = np.arange(int(steps.sum())) - np.repeat(np.cumsum(steps) - steps, steps)
    t = t / np.repeat(np.maximum(steps - 1, 1), steps)
    xy = np.repeat(a, steps, axis=0) + (np.repeat(b - a, steps, axis=0) * t[:, None])
    xs, ys = np.rint(xy[:, 0]).astype(np.int64), np.rint(xy[:, 1]).astype(np.int64)
    inside = (xs >= 0) & (xs < w) & (ys >= 0) & (ys < h)
    pixels[ys[inside], xs[inside]] = color


def clip_segments(a: np.ndarray, b: np.ndarray, box: tuple[float, float, float, float]) -> tuple[np.ndarray, np.ndarray]:
    """The parts of segments ``a[i] → b[i]`` inside ``box = (x0, y0, x1, y1)`` (Liang–Barsky, vectorised).

    For ``p(t) = a + t (b − a)``, each edge bounds ``t``: where ``d = b − a`` points out of the
    box, ``t ≤ (edge − a)/d``; where it points in, ``t ≥``. A segment is kept if
    ``max(t_in) ≤ min(t_out)`` within ``[0, 1]``. Segments wholly outside are dropped.
    """
    d = b - a
    lo, hi = np.zeros(len(a)), np.ones(len(a))
    keep = np.ones(len(a), dtype=bool)
    for axis, (low, high) in enumerate(((box[0], box[2]), (box[1], box[3]))):
        da, pa = d[:, axis], a[:, axis]
        flat = da == 0
        keep &= ~flat | ((pa >= low) & (pa <= high))
        with np.errstate(divide="ignore", invalid="ignore"):
            t1, t2 = (low - pa) / da, (high - pa) / da
        enter, leave = np.where(flat, 0.0, np.minimum(t1, t2)), np.where(flat, 1.0, np.maximum(t1, t2))
        lo, hi = np.maximum(lo, enter), np.minimum(hi, leave)
    keep &= lo <= hi
    a, d, lo, hi = a[keep], d[keep], lo[keep], hi[keep]
    return a + d * lo[:, None], a + d * hi[:, None]


class PixelCanvas(Widget):
    """Shows an RGB image at two pixels per cell; ``show()`` hands it a new frame.

    The caller draws at ``pixel_size`` (the content width, twice the content height) and calls
    ``show`` with the image and its marks; a frame of another size is drawn cropped or padded.
    """

    DEFAULT_CSS = """
    PixelCanvas { width: 1fr; height: 1fr; }
    """

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None):
        super().__init__(name=name, id=id, classes=classes)
        self._strips: list[Strip] = []

    @property
    def pixel_size(self) -> tuple[int, int]:
        """``(width, height)`` in pixels the canvas shows now (0s before the first layout)."""
        size = self.content_size
        return size.width, 2 * size.height

    def show(self, pixels: np.ndarray, marks: Iterable[Mark] = ()) -> None:
        """Draw ``pixels`` (``(H, W, 3)`` uint8) with ``marks`` from the next repaint on."""
        self._strips = half_block_strips(pixels, marks)
        self.refresh()

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return container.width

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return container.height

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        if y < len(self._strips):
            return self._strips[y].crop_extend(0, width, self.rich_style)
        return Strip.blank(width, self.rich_style)
