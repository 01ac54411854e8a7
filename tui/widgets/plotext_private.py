"""Every private name of plotext and textual-plotext the app uses, in one place.

plotext 5.2–5.3 and textual-plotext 1.0 are what these are tested on (pinned from above in
pyproject.toml); a new release may move them, and this module is the one to mend.
"""

from __future__ import annotations

import plotext._utility as _utility


def colors_to_ansi(foreground, style, background) -> str:
    """plotext's escape sequence for one cell's colours (``plotext._utility.colors_to_ansi``)."""
    return _utility.colors_to_ansi(foreground, style, background)


ANSI_END: str = _utility.ansi_end
"""plotext's reset sequence (``plotext._utility.ansi_end``)."""

NO_COLOR: str = _utility.no_color
"""plotext's "no colour/style" value, the style of a data point's cell (``plotext._utility.no_color``)."""


def set_size(plt, width: int, height: int) -> None:
    """Size ``plt``'s figure as ``PlotextPlot.render`` does (textual-plotext issue 5): ``plotsize``
    alone is not seen by a figure built before."""
    plt._set_size(width, height)


def build_matrix(plt):
    """Lay out and draw ``plt``'s figure into its character matrix (``plt.build()`` minus the ANSI
    string) and return the matrix (``marker``, ``fullground``, ``style``, ``background`` rows)."""
    plt._set_sizes()
    plt._build_matrix()
    return plt.monitor.matrix


def theme_name(widget, textual_theme: str) -> str:
    """The plotext theme a ``PlotextPlot`` draws in under a Textual theme."""
    return widget._get_plotext_theme_name(textual_theme)
