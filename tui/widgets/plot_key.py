"""A plot's key on one line: a colour swatch and a label per curve, laid into the frame's top border.

The key sits on the frame, not on the canvas, so it never covers a curve and costs no row. When the
labels do not fit they are shortened (to 8, 5, then 3 characters, each as much longer as tells it from
the others), and when even that is too long the entries that fit are shown followed by ``…``.
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
    labels = [e.label for e in entries]
    for limit in SHORTENED:
        cells = _cells(entries, limit, labels)
        if len(cells) <= room:
            return cells
    cells: list[tuple[str, object | None]] = []
    for i in range(len(entries), 0, -1):  # as many entries as fit, then an ellipsis
        cells = _cells(entries[:i], SHORTENED[-1], labels) + [("…", None), (" ", None)]
        if len(cells) <= room:
            return cells
    return []


def shortened(labels: Sequence[str], limit: int | None, among: Sequence[str]) -> list[str]:
    """Each label cut to ``limit`` characters, the last one ``…`` (``None``: whole), except that a label keeps as
    many more as tell it from the others ``among`` (every curve's): adagrad and adam at 3 read ``adag…`` and
    ``adam``, not ``ad…`` twice."""
    if limit is None:
        return list(labels)
    cut = []
    for label in labels:
        keep = limit - 1
        while keep < len(label) - 1 and any(other != label and other[:keep] == label[:keep] for other in among):
            keep += 1
        cut.append(label if len(label) <= max(limit, keep + 1) else label[:keep] + "…")
    return cut


def _cells(entries: Sequence[KeyEntry], limit: int | None, among: Sequence[str]) -> list[tuple[str, object | None]]:
    cells: list[tuple[str, object | None]] = [(" ", None)]
    for i, (entry, label) in enumerate(zip(entries, shortened([e.label for e in entries], limit, among))):
        if i:
            cells += [(" ", None), (" ", None)]
        cells += [(SWATCHES.get(entry.style, "━"), entry.color), (" ", None)]
        for ch in label:  # a double-width character fills its cell and the next (left empty)
            cells += [(ch, None)] if cell_len(ch) == 1 else [(ch, None), ("", None)]
    cells.append((" ", None))
    return cells
