"""``RunTable``: one line per walker — colour, optimizer, learning rate, step, point, f, |∇f|, status."""

from __future__ import annotations

import math

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from engine import surfaces
from tui import i18n

ROOMY = 110
"""From this many columns numbers get 3 significant digits instead of 2."""
WIDE = 140
"""From this many columns the status is written out in full on each line (else in a word, and the
selected walker's in full under the box)."""

def full_status(walk: surfaces.Descent, state: str) -> str:
    """A walker's status in full: how its walk ended (reached, diverged, stopped), or, while it goes on, the
    view's ``state`` — ``ready`` before the first step, ``paused · step 3``, ``running · step 40``."""
    if walk.status != "running" or state == "running":
        return i18n.message(walk.status_text())
    if state == "ready":
        return i18n.message("ready")
    return i18n.t("surface.paused", step=walk.step_count)


def short_status(walk: surfaces.Descent) -> str:
    """A walker's status in a word: ``✓ step 42``, ``✗ diverged 7``, ``■ stopped``, ``…``."""
    return "…" if walk.status == "running" else i18n.t(f"surface.status.{walk.status}", step=walk.ended_at)


def number(value: float, digits: int = 3) -> str:
    """A short readable number: ``0.1``, ``-0.00094``, ``4.5e-07``."""
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    return f"{value:.{digits}g}"


def header(digits: int, label_width: int) -> Text:
    """The column names over ``row``'s columns."""
    t = i18n.t
    return Text(f"       {pad(t('surface.head.optimizer'), label_width)}{'lr':<8}{pad(t('surface.head.step'), 6)}"
                f"{pad(t('surface.head.point'), 2 * digits + 18)}{'f':<{digits + 8}}{'|∇f|':<{digits + 8}}"
                f"{t('surface.head.status')}", style="dim")


def pad(text: str, cells: int) -> str:
    """``text`` padded with spaces to ``cells`` terminal cells (a Korean glyph takes two)."""
    return text + " " * max(cells - cell_len(text), 0)


def row(index: int, walk: surfaces.Descent, color: tuple[int, int, int], *, selected: bool, wide: bool, digits: int,
        label_width: int, divergence: float | None, state: str) -> Text:
    """One walker's line: its status in full when ``wide`` (``state``: the view's), in a word otherwise."""
    d = digits
    x, y = walk.point
    lr = float(walk.optimizer.learning_rate)
    text = Text()
    text.append("▶" if selected else " ", style="bold")
    text.append(" ━━ ", style=f"bold rgb({color[0]},{color[1]},{color[2]})")
    text.append(f"{index + 1} {pad(i18n.message(walk.label), label_width - 2)}", style="bold" if selected else "")
    over = divergence is not None and lr >= divergence
    text.append(f"{number(lr):<7}", style="bold red" if over else "")
    text.append("!" if over else " ", style="bold red")
    point = f"({number(x, d)}, {number(y, d)})"
    text.append(f"{walk.step_count:<6}{point:<{2 * d + 18}}{number(walk.losses[-1], d):<{d + 8}}"
                f"{number(walk.gradient_norm, d):<{d + 8}}")
    status = full_status(walk, state) if wide else short_status(walk)
    style = {"reached": "green", "diverged": "bold red", "stopped": "yellow"}.get(walk.status, "")
    text.append(status, style=style)
    return text


class RunTable(Static):
    """The walkers of a scene, one line each; the selected one marked ``▶``, its full status below the box."""

    def show(self, walks: list[surfaces.Descent], colors, selected: int, divergence: list[float | None],
             state: str) -> None:
        """Draw ``walks``; ``state`` is the view's (ready, running, paused, finished): a walk still going is
        described by it."""
        width = self.app.size.width
        wide, digits = width >= WIDE, 3 if width >= ROOMY else 2
        label_width = max(cell_len(i18n.message(w.label)) for w in walks) + 3
        lines = Text("\n").join([header(digits, label_width)] + [
            row(i, w, colors[i % len(colors)], selected=i == selected, wide=wide, digits=digits,
                label_width=label_width, divergence=divergence[i], state=state) for i, w in enumerate(walks)])
        self.update(lines)
        self.border_subtitle = ("" if wide or not walks else
                                f"{i18n.message(walks[selected].label)}: {full_status(walks[selected], state)}")
