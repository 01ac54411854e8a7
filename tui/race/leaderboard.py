"""``Leaderboard``: the race's contestants ranked as the engine's report ranks them, one row each."""

from __future__ import annotations

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget

from engine import Wording
from tui import i18n
from tui.colors import RGB, rich_color
from tui.race.session import Standing, Standings
from tui.widgets.counters import NOT_KNOWN
from tui.widgets.status import metric_label, rich_style


GAP = 2
"""Blank columns between two columns of the table."""


def number(value: float | None) -> str:
    """A loss or rmse in at most 6 characters ("—" for none)."""
    if value is None:
        return NOT_KNOWN
    if value != value or abs(value) == float("inf"):
        return str(value)
    return f"{value:.4f}" if abs(value) < 10 else f"{value:.3g}"


def metric_text(value: float | None, metric: str) -> str:
    if value is None:
        return NOT_KNOWN
    return f"{value:.1%}" if metric.endswith("accuracy") else number(value)


def going(s: Standing, race_status: str) -> tuple[str, str | Wording]:
    """A contestant's state and its words: how it ended (finished, diverged …) or, while it goes on, the race's
    state — ``ready`` before its first step, ``paused`` while the race is (with its finding, if any)."""
    if s.status != "running":
        return s.status, s.status_text
    if s.step == 0:
        return "ready", "ready"
    if race_status == "running":
        return "running", s.status_text
    return "paused", Wording("{state} · {detail}", state="paused", detail=s.detail) if s.detail else "paused"


class Leaderboard(Widget):
    """Rank, colour swatch + label, learning rate, loss, best val loss, metric, steps to target, status.

    At least ``WIDE`` columns wide: also updates, examples seen and seconds; narrower than all the columns
    need, some are left out (``LEFT_OUT``).
    """

    WIDE = 120

    LEFT_OUT = ("best_val", "lr", "metric", "to_target", "rank")
    """The columns left out, first to last, where the board is too narrow for them all (80 columns with the
    field panel open): the contestant, its loss and its state always show."""

    STATUS_WIDTH = 14
    """The status column's width at least, where the board has the room (longer words fold onto more lines)."""

    standings: reactive[Standings] = reactive(Standings, always_update=True)
    """Every contestant's standing and the engine's ranking of them, as the last report had them. Set
    without comparing: a snapshot holds arrays, whose == has no single truth value (a ValueError crashed
    the race view when two reports compared field by field)."""

    race_status: reactive[str] = reactive("ready")
    """The race's own state (ready, running, paused, finished): a contestant still going is described by it
    (``paused`` while the race is paused, not the engine's ``running``)."""

    def watch_standings(self) -> None:
        self.fit()

    def watch_race_status(self) -> None:
        self.fit()

    def on_resize(self) -> None:
        """At another width the table may fold otherwise (and gains or loses the wide columns): the layout that
        resized the board measured its height with the columns of its old width (test_race_view: without this, at
        130 columns a diverged contestant's words were cut)."""
        self.fit()

    _fitted: tuple | None = None
    """The table's ``shape`` when its height was last measured against the height the view gave it."""

    def fit(self) -> None:
        """Redraw the table; lay the view out again only if its height changes (a line-up of another size, a
        contestant's words folding onto a second line). A report changes numbers, rarely the table's shape: its
        height is measured (~10 ms: Rich lays the table out) only when its shape changed, and the view laid out
        (~20 ms more) only when its height did; every report used to cost both."""
        self.refresh()  # (also forgets the height measured for the table before)
        width = self.content_region.width
        if not self.is_mounted or not width:
            self._fitted = None
            self.refresh(layout=True)
            return
        shape = self.shape(width)
        if shape == self._fitted:
            return
        self._fitted = shape
        if self.get_content_height(self.size, self.app.size, width) != self.content_region.height:
            self.refresh(layout=True)

    def shape(self, width: int) -> tuple:
        """What the table's height follows from: its width, each column's widest cell (a row of numbers is one
        line, whatever its digits) and the words of the cells that may wrap (the status)."""
        columns = self.render().columns
        return width, tuple((max(cell_len(str(cell)) for cell in (column.header, *column.cells)),
                             None if column.no_wrap else tuple(str(cell) for cell in column.cells))
                            for column in columns)

    @property
    def order(self) -> list[str]:
        """Labels in leaderboard order."""
        return [s.label for s in self.standings.ranked()]

    contestant_colors: tuple[RGB, ...] = ()
    """Per contestant (race order), its swatch's colour: the race session's, set with each line-up."""

    coming: reactive[tuple[tuple[str, RGB], ...] | None] = reactive(None, layout=True)
    """The line-up being built, as (label, colour) per contestant: listed instead of the standings (the race in
    place, which it replaces), each ``building…``, no numbers yet. ``None``: none is being built."""

    def render(self) -> Table:
        wide = self.content_region.width >= self.WIDE
        standings = self.standings.ranked()
        theme = self.app.theme_variables
        metric = standings[0].metric if standings else "accuracy"
        t = i18n.t
        columns = {"rank": "#", "contestant": t("race.board.contestant"), "lr": "lr", "loss": "loss",
                   "best_val": t("race.board.best_val"), "metric": metric_label(metric),
                   "to_target": t("race.board.steps_to_target" if wide else "race.board.to_target")}
        if wide:
            columns.update({name: t(f"race.board.{name}") for name in ("updates", "examples", "seconds")})
        rows: list[tuple[dict, str]] = []
        if self.coming is not None:
            building = Text(t("race.board.building"), style=rich_style("building", theme))
            for label, color in self.coming:
                swatch = Text.assemble(("■ ", rich_color(color)), label)
                rows.append(({"rank": "", "contestant": swatch, **{k: NOT_KNOWN for k in list(columns)[2:]},
                              "status": building}, ""))
        for rank, s in enumerate(standings if self.coming is None else [], 1):
            swatch = Text.assemble(("■ ", rich_color(self.contestant_colors[s.index])), s.label)
            loss = Text(number(s.loss)) if s.loss is not None else Text(number(s.batch_loss), style="dim")
            row = {"rank": str(rank), "contestant": swatch,
                   "lr": t("race.board.scheduled") if s.learning_rate is None else f"{s.learning_rate:g}",
                   "loss": loss, "best_val": number(s.best_val_loss), "metric": metric_text(s.metric_value, s.metric),
                   "to_target": NOT_KNOWN if s.steps_to_target is None else f"{s.steps_to_target:,}"}
            if wide:
                row.update(updates=f"{s.step:,}", examples=f"{s.examples_seen:,}", seconds=f"{s.seconds:.3f}")
            state, words = going(s, self.race_status)
            row["status"] = Text(i18n.message(words), style=rich_style(state, theme))
            rows.append((row, "dim" if s.status == "diverged" else ""))
        shown, status_width, name_room = self.columns_shown(columns, [row for row, _ in rows])
        table = Table(box=None, padding=(0, GAP, 0, 0), expand=False, pad_edge=False, header_style="bold underline")
        for key in shown:
            table.add_column(columns[key], justify="left" if key == "contestant" else "right", no_wrap=True,
                             width=1 if key == "rank" else None, max_width=name_room if key == "contestant" else None)
        table.add_column(t("race.board.status"), overflow="fold", min_width=status_width)
        for row, style in rows:
            table.add_row(*(row[key] for key in shown), row["status"], style=style)
        return table

    def columns_shown(self, columns: dict[str, str], rows: list[dict]) -> tuple[list[str], int, int | None]:
        """The columns before the status that fit the board's width, leaving out ``LEFT_OUT`` in its order where
        they would not all fit (the contestant and its loss always stay), the status's width: ``STATUS_WIDTH``,
        or what is left when that is less (its words fold), and the contestant's most cells (``None``: any).
        Where the status would still not fit (60 columns beside the field panel, a lesson's ``momentum lr=0.001``),
        the names are cut (…) to leave it its line, rather than the state be lost or fold the board taller.

        The room kept for the status is what its widest cell (or header) needs, ``STATUS_WIDTH`` at most: a race
        ``paused`` or ``ready`` keeps its columns where 14 cells for a status of 6 would leave best val out."""
        width = self.content_region.width or 10**6
        cells = {key: max(cell_len(str(cell)) for cell in (header, *(row[key] for row in rows)))
                 for key, header in {**columns, "status": i18n.t("race.board.status")}.items()}
        cells["rank"] = 1
        status = min(self.STATUS_WIDTH, cells.pop("status"))
        shown = list(columns)
        left_out = iter(self.LEFT_OUT)
        while (room := width - sum(cells[key] + GAP for key in shown)) < status:
            key = next(left_out, None)
            if key is None:
                break
            shown.remove(key)
        if room >= status:
            return shown, max(1, min(self.STATUS_WIDTH, room)), None
        return shown, status, max(1, cells["contestant"] - (status - room))
