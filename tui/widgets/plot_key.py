"""A plot's key on one line: a colour swatch and a label per curve, laid into the frame's top border.

The key sits on the frame, not on the canvas, so it never covers a curve and costs no row. When the
labels do not fit they are shortened (to 8, 5, then 3 characters), and when even that is too long
the entries that fit are shown followed by ``…``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.cells import cell_len

SWATCHES = {"line": "━", "scatter": "⠪", "dots": "⠪"}
"""The swatch drawn for each curve style: a bar for a line, a speckle for unjoined points."""

SHORTENED = (None, 8, 5, 3)
"""Label lengths tried in turn until the key fits."""


@dataclass(frozen=True)
class KeyEntry:
    """One curve in the key."""

    label: str
    color: object
    style: str = "line"


def key_cells(entries: Sequence[KeyEntry], room: int) -> list[tuple[str, object | None]]:
    """The key as ``(character, colour)`` cells, at most ``room`` of them; colour None for label text.

    Laid out as `` ━ train  ━ validation `` (a space at each end, two between entries); a double-width
    character (손실) takes two cells, the second an empty string, so the row keeps its width.
    """
    entries = [e for e in entries if e.label]
    if not entries or room < 5:
        return []
    for limit in SHORTENED:
        cells = _cells(entries, limit)
        if len(cells) <= room:
            return cells
    cells: list[tuple[str, object | None]] = []
    for i in range(len(entries), 0, -1):  # as many entries as fit, then an ellipsis
        cells = _cells(entries[:i], SHORTENED[-1]) + [("…", None), (" ", None)]
        if len(cells) <= room:
            return cells
    return []


def _cells(entries: Sequence[KeyEntry], limit: int | None) -> list[tuple[str, object | None]]:
    cells: list[tuple[str, object | None]] = [(" ", None)]
    for i, entry in enumerate(entries):
        if i:
            cells += [(" ", None), (" ", None)]
        label = entry.label if limit is None or len(entry.label) <= limit else entry.label[:limit - 1] + "…"
        cells += [(SWATCHES.get(entry.style, "━"), entry.color), (" ", None)]
        for ch in label:  # a double-width character fills its cell and the next (left empty)
            cells += [(ch, None)] if cell_len(ch) == 1 else [(ch, None), ("", None)]
    cells.append((" ", None))
    return cells
