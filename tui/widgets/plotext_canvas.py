"""plotext's character matrix as Textual ``Strip``s, without the ANSI string round trip.

textual-plotext renders a plot as ``Text.from_ansi(plt.build())``: plotext writes an escape
sequence per colour change of every cell into one string, and Rich parses it back. Both halves
are per-cell Python work (~12 ms at 120x40). plotext keeps the frame as four row-major
matrices (marker, foreground, style, background); turning runs of equal colours straight into
segments costs a fifth of that and draws the same cells.
"""

from __future__ import annotations

from itertools import groupby

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from tui.widgets.plotext_private import ANSI_END, build_matrix, colors_to_ansi

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


def build_strips(plt) -> list[Strip]:
    """Build ``plt``'s figure (as ``plt.build()`` does, minus the ANSI canvas) and return its rows, top first.

    Args:
        plt: a plotext figure (textual-plotext's ``Plot``) with its size and theme set.
    """
    return matrix_strips(build_matrix(plt))


def matrix_strips(matrix) -> list[Strip]:
    """One strip per row of a plotext ``matrix_class``, top row first, one segment per colour run."""
    strips = []
    for row in reversed(matrix.Rows):  # plotext's row 0 is the bottom
        markers = matrix.marker[row]
        segments = []
        start = 0
        for key, run in groupby(zip(matrix.fullground[row], matrix.style[row], matrix.background[row])):
            end = start + len(list(run))
            segments.append(Segment("".join(markers[start:end]), _style(key)))
            start = end
        strips.append(Strip(segments))
    return strips
