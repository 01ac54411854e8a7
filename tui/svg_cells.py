"""SVG screenshots whose braille plot cells stay in their terminal cells in every SVG renderer.

Rich writes a run of same-styled cells as one ``<text x=… textLength=…>`` element and relies on
``textLength`` to fit it to its cells. Braille (the plots' curves) is missing from most monospace
fonts, so a renderer falls back to a proportional font, and one that ignores ``textLength`` (librsvg,
``rsvg-convert``) lays the run out at that font's wider advance: curves ran past the plot's right
frame and out of their panel. Here every braille character of a run gets its own ``<text>`` at its
own cell, so nothing can drift; the other characters of the run stay together.
"""

from __future__ import annotations

import html
import re

TEXT = re.compile(r'<text (?P<before>[^>]*?)x="(?P<x>[-\d.]+)"(?P<between>[^>]*?)textLength="(?P<length>[\d.]+)"'
                  r'(?P<after>[^>]*)>(?P<text>[^<]*)</text>')
"""One text element as ``rich.console.Console.export_svg`` writes it."""

BRAILLE = re.compile("([\u2800-\u28ff])")


def _escape(text: str) -> str:
    """Rich's SVG escaping of cell text (``html.escape``, spaces as ``&#160;``, which unescapes to U+00A0)."""
    return html.escape(text).replace(" ", "&#160;").replace("\xa0", "&#160;")


def _pin(match: re.Match) -> str:
    text = html.unescape(match["text"])
    if not BRAILLE.search(text) or len(text) == 1:
        return match[0]
    cell = float(match["length"]) / len(text)
    x = float(match["x"])
    out = []
    for piece in filter(None, BRAILLE.split(text)):
        out.append(f'<text {match["before"]}x="{round(x, 2):g}"{match["between"]}textLength="{round(cell * len(piece), 2):g}"'
                   f'{match["after"]}>{_escape(piece)}</text>')
        x += cell * len(piece)
    return "".join(out)


def pin_braille(svg: str) -> str:
    """``svg`` (a Rich/Textual screenshot) with each braille character in a text element of its own, at its cell."""
    return TEXT.sub(_pin, svg)
