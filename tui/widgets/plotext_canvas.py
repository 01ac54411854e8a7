"""plotext's character matrix as Textual ``Strip``s, with a braille data layer and a key row laid on top.

textual-plotext renders a plot as ``Text.from_ansi(plt.build())``: plotext writes an escape
sequence per colour change of every cell into one string, and Rich parses it back. Both halves
are per-cell Python work (~12 ms at 120x40). plotext keeps the frame as four row-major
matrices (marker, foreground, style, background); turning runs of equal colours straight into
segments costs a fifth of that and draws the same cells.

plotext draws the frame (axes, ticks, labels, vertical marks); the curves are drawn by
``tui.widgets.braille`` into the canvas cells afterwards, as plotext would have drawn them, and the
key goes on the frame's top border (``tui.widgets.plot_key``).
"""

from __future__ import annotations

from itertools import groupby

import numpy as np
from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from tui.widgets.braille import BRAILLE
from tui.widgets.plot_key import KeyEntry, key_cells
from tui.widgets.plotext_private import ANSI_END, NO_COLOR, colors_to_ansi

_styles: dict[tuple, Style] = {}
"""Rich style of each (foreground, style, background) triple seen so far: a theme's handful."""


def _hashable(color):
    return tuple(color) if isinstance(color, list) else color


def _style(key: tuple) -> Style:
    """The Rich style Rich's ANSI decoder gives plotext's escape codes for ``key`` (so cells match)."""
    try:
        return _styles[key]
    except TypeError:  # an rgb colour given as a list
        key = tuple(map(_hashable, key))
        if key in _styles:
            return _styles[key]
    except KeyError:
        pass
    ansi = colors_to_ansi(*key) + "x" + ANSI_END
    spans = Text.from_ansi(ansi).spans
    style = spans[0].style if spans else Style.null()
    style = _styles[key] = Style.parse(style) if isinstance(style, str) else style
    return style


FILLER = "\u200b"
"""Follows each double-width character (손실) of a label given to plotext, which puts one character in
each cell: the cell it takes is emptied once the frame is built (``drop_fillers``), as the key's second
cell is, so the row keeps its width."""


def wide_text(text: str) -> str:
    """``text`` for plotext: each double-width character followed by a ``FILLER``."""
    return "".join(ch + FILLER if cell_len(ch) == 2 else ch for ch in text)


def drop_fillers(matrix) -> None:
    """Empty the cells ``wide_text``'s fillers took (in the label rows; none elsewhere)."""
    for row in matrix.marker:
        if FILLER in row:
            row[:] = ["" if marker == FILLER else marker for marker in row]


def matrix_strips(matrix) -> list[Strip]:
    """One strip per row of a plotext ``matrix_class``, top row first, one segment per colour run."""
    return [row_strip(matrix.marker[row], matrix.fullground[row], matrix.style[row], matrix.background[row])
            for row in reversed(matrix.Rows)]  # plotext's row 0 is the bottom


def row_strip(markers, fullground, style, background) -> Strip:
    """One row of cells as a strip, one segment per run of equal colours."""
    segments = []
    start = 0
    for key, run in groupby(zip(fullground, style, background)):
        end = start + len(list(run))
        segments.append(Segment("".join(markers[start:end]), _style(key)))
        start = end
    return Strip(segments)


def add_key(matrix, entries: list[KeyEntry]) -> str:
    """Write the key into the frame's top border (the row above the canvas), left-aligned over the canvas;
    returns the key as written (``" ━ train  ━ validation "``, shortened to fit; "" if there is no border)."""
    cols, row = matrix.Cols_canvas, matrix.Rows_canvas.stop
    if not 0 <= row < matrix.rows:  # no top border at this size
        return ""
    cells = key_cells(entries, len(cols) - 2)
    for i, (char, color) in enumerate(cells):
        col = cols.start + 1 + i
        matrix.marker[row][col] = char
        if color is not None:
            matrix.fullground[row][col] = color
            matrix.style[row][col] = NO_COLOR
    return "".join(char for char, _ in cells)


def with_data(strips: list[Strip], matrix, codes: np.ndarray, owner: np.ndarray, colors: list) -> list[Strip]:
    """``strips`` (the frame, built from ``matrix``) with the braille cells of ``tui.widgets.braille.rasterise``
    laid on its canvas: a cell a curve reached shows its dots in the curve's colour, as plotext's
    ``insert_element`` writes a data point; other cells keep the frame's.

    Args:
        codes, owner: shape (canvas rows, canvas columns), row 0 at the bottom.
        colors: the colour of each curve ``owner`` indexes.
    """
    strips = list(strips)
    cols, rows = matrix.Cols_canvas, matrix.Rows_canvas
    for r in np.flatnonzero((owner >= 0).any(axis=1)):
        row = rows.start + int(r)
        markers, fullground, style = list(matrix.marker[row]), list(matrix.fullground[row]), list(matrix.style[row])
        lit = np.flatnonzero(owner[r] >= 0)
        for col, char, curve in zip((lit + cols.start).tolist(), BRAILLE[codes[r, lit]], owner[r, lit].tolist()):
            markers[col] = char
            fullground[col] = colors[curve]
            style[col] = NO_COLOR
        strips[matrix.rows - 1 - row] = row_strip(markers, fullground, style, matrix.background[row])
    return strips
