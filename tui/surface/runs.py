"""``RunTable``: one line per walker — colour, optimizer, learning rate, step, point, f, |∇f|, status."""

from __future__ import annotations

import math

from rich.cells import cell_len
from rich.text import Text
from textual.widgets import Static

from engine import surfaces
from tui import i18n
from tui.widgets.counters import count
from tui.widgets.status import rich_style

ROOMY = 110
"""From this many columns numbers get 3 significant digits instead of 2."""
WIDE = 140
"""From this many columns the status is written out in full on each line (else in the longest form that fits
every line, and the selected walker's in full under the box)."""

def full_status(walk: surfaces.Descent, state: str) -> str:
    """A walker's status in full: how its walk ended (reached, diverged, stopped), or, while it goes on, the
    view's ``state`` — ``ready`` before the first step, ``paused · step 3``, ``running · step 40``."""
    if walk.status != "running" or state == "running":
        return i18n.message(walk.status_text())
    if state == "ready":
        return i18n.message("ready")
    return i18n.t("surface.paused", step=count(walk.step_count))


def short_statuses(walk: surfaces.Descent, state: str) -> list[str]:
    """A walker's status shorter, longest first: while it goes on, the view's ``state`` in a word (``ready``,
    ``paused``, ``running``); once ended, ``✓ step 42`` then ``✓ 42`` (``✗ diverged 7``, ``✗ 7``; ``■ stopped``, ``■``)."""
    if walk.status == "running":
        word = i18n.message(state if state in ("ready", "paused") else "running")
        return [word, word]
    words = i18n.t(f"surface.status.{walk.status}", step=count(walk.ended_at))
    mark = words.split()[0]
    return [words, mark if walk.status == "stopped" else f"{mark} {count(walk.ended_at)}"]


def fitting_statuses(walks: list[surfaces.Descent], state: str, room: int) -> list[str]:
    """Each walker's status in the same form, the longest in which every one fits in ``room`` cells: in full,
    in a word or two, or shortest (which the table crops if even that does not fit)."""
    forms = [[full_status(walk, state), *short_statuses(walk, state)] for walk in walks]
    level = next((k for k in range(3) if all(cell_len(f[k]) <= room for f in forms)), 2)
    return [f[level] for f in forms]


def number(value: float, digits: int = 3) -> str:
    """A short readable number: ``0.1``, ``-0.00094``, ``4.5e-07``."""
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    return f"{value:.{digits}g}"


LR_WIDTH = 8
"""The learning-rate column: the rate in at most 6 characters, a space, and ``!`` where it diverges."""


def header(digits: int, label_width: int, step_width: int = 6, values: int = 2, room: int | None = None,
           tight: tuple[int, int] | None = None) -> Text:
    """The column names over ``row``'s columns: the optimizer's over the walker's number and name (``1 sgd``).
    Where the status column is narrower than its name (60 columns), the name starts that much earlier, in the
    room the point column leaves after its own name, so it reads whole in ``room`` cells."""
    t = i18n.t
    lr_cells, point_cells = tight or (LR_WIDTH, point_width(digits))
    columns = (f"     {pad(t('surface.head.optimizer'), label_width)}{'lr':<{lr_cells}}"
               f"{pad(t('surface.head.step'), step_width)}{pad(t('surface.head.point'), point_cells)}"
               f"{value_columns('f', '|∇f|', digits, values)}")
    status = t("surface.head.status")
    if room is not None:
        over, spare = cell_len(columns) + cell_len(status) - room, len(columns) - len(columns.rstrip()) - 1
        columns = columns[:len(columns) - max(0, min(over, spare))]
    return Text(columns + status, style="dim")


def point_width(digits: int) -> int:
    """The point column: ``(x, y)``, each number at most ``digits + 6`` characters (``-4.5e-07``), and a space."""
    return 2 * (digits + 6) + 5


def value_columns(f: str, gradient_norm: str, digits: int, values: int) -> str:
    """The f and |∇f| columns (each number at most ``digits + 6`` characters, f two spaces after, |∇f| one), the
    first ``values`` of them: 2 both, 1 only f, 0 neither."""
    f_width, gradient_width = digits + 7, digits + 6
    return f"{f:<{f_width}}{gradient_norm:<{gradient_width}}"[:(0, f_width, f_width + gradient_width)[values]]


def pad(text: str, cells: int) -> str:
    """``text`` padded with spaces to ``cells`` terminal cells (a Korean glyph takes two)."""
    return text + " " * max(cells - cell_len(text), 0)


def row(index: int, walk: surfaces.Descent, color: tuple[int, int, int], *, selected: bool, digits: int,
        label_width: int, divergence: float | None, step_width: int = 6, values: int = 2,
        tight: tuple[int, int] | None = None) -> Text:
    """One walker's line up to its status (``RunTable.show`` adds it: as much of it as fits); ``values``: 2
    shows f and |∇f|, 1 only f, 0 neither (long labels on a narrow terminal leave the status room); ``tight``:
    the learning rate's and the point's columns as wide as the rates and points shown need (default: room for
    any, ``LR_WIDTH`` and ``point_width``)."""
    lr_cells, point_cells = tight or (LR_WIDTH, point_width(digits))
    d = digits
    x, y = walk.point
    lr = float(walk.optimizer.learning_rate)
    text = Text()
    text.append("▶" if selected else " ", style="bold")
    text.append(" ━━ ", style=f"bold rgb({color[0]},{color[1]},{color[2]})")
    text.append(f"{index + 1} {pad(i18n.message(walk.label), label_width - 2)}", style="bold" if selected else "")
    over = divergence is not None and lr >= divergence
    text.append(f"{number(lr):<{lr_cells - 1}}", style="bold red" if over else "")
    text.append("!" if over else " ", style="bold red")
    point = f"({number(x, d)}, {number(y, d)})"
    shown = value_columns(number(walk.losses[-1], d), number(walk.gradient_norm, d), d, values)
    text.append(f"{count(walk.step_count):<{step_width}}{point:<{point_cells}}{shown}")
    return text


class RunTable(Static):
    """The walkers of a scene, one line each; the selected one marked ``▶``, its full status below the box."""

    def show(self, walks: list[surfaces.Descent], colors, selected: int, divergence: list[float | None],
             state: str) -> None:
        """Draw ``walks``; ``state`` is the view's (ready, running, paused, finished): a walk still going is
        described by it."""
        width = self.app.size.width
        wide, digits = width >= WIDE, 3 if width >= ROOMY else 2
        room = self.content_size.width or width - 4  # before its first layout: the border and padding
        label_width = max(max(cell_len(i18n.message(w.label)) for w in walks) + 3,  # "1 ", the name, a space
                          cell_len(i18n.t("surface.head.optimizer")) + 1)
        step_width = max(5, *(len(count(w.step_count)) + 1 for w in walks))  # "step" / "스텝" and a space
        shortest = max(cell_len(short_statuses(w, state)[-1]) for w in walks)
        def layouts():
            """``(values, tight)``: |∇f|, then f, then the rate's and point's spare room give way to the status (room
            for any rate and point, unless even without f and |∇f| that leaves the status none: 60 columns, the batch
            picture's long labels, every status read "…")."""
            yield from ((2, None), (1, None), (0, None))
            yield 0, (max(3, *(len(number(float(w.optimizer.learning_rate))) + 2 for w in walks)),
                      max(cell_len(i18n.t("surface.head.point")),
                          *(len(f"({number(w.point[0], digits)}, {number(w.point[1], digits)})") for w in walks)) + 1)

        for values, tight in layouts():
            rows = [row(i, w, colors[i % len(colors)], selected=i == selected, digits=digits, label_width=label_width,
                        divergence=divergence[i], step_width=step_width, values=values, tight=tight)
                    for i, w in enumerate(walks)]
            if wide or room - max(r.cell_len for r in rows) >= shortest:
                break
        if wide:
            statuses = [full_status(w, state) for w in walks]
        else:
            statuses = fitting_statuses(walks, state, room - max((r.cell_len for r in rows), default=0))
        for line, walk, status in zip(rows, walks, statuses):
            line.append(status, style=rich_style(walk.status, self.app.theme_variables) if walk.status != "running" else "")
        lines = Text("\n").join([header(digits, label_width, step_width, values, room, tight), *rows])
        self.update(lines)
        self.border_subtitle = ("" if wide or not walks else
                                f"{i18n.message(walks[selected].label)}: {full_status(walks[selected], state)}")
