"""``RacePlot``: the race view's status line, loss curves, target line and learning-rate marks, drawn.

Every contestant's epoch loss (and batch losses), redrawn at most ``1 / REDRAW_INTERVAL`` times a second and
only after new data (the leaderboard redraws itself as each report sets its standings)."""

from __future__ import annotations

import numpy as np
from rich.cells import cell_len
from rich.markup import escape
from rich.text import Text

from engine import race
from tui import i18n
from tui.colors import BATCH
from tui.race.panel import FIELD_LABELS
from tui.race.track import X_LABELS
from tui.report import X_AXES
from tui.widgets.counters import count, speed_text
from tui.widgets.loss_plot import Curve
from tui.widgets.fields import words
from tui.widgets.status import state_markup

REDRAW_INTERVAL = 0.1
"""Seconds between redraws of plot and status line (only when new data arrived)."""

SHARED_MARK_COLOR = (220, 223, 228)
"""A learning-rate change several contestants made at the same x (one made alone is in its colour)."""


def subtitle(axis: str, notes: str, room: int) -> str:
    """The plot's subtitle in ``room`` cells: the x axis and how to change it, then ``notes`` (what the grey line
    and the marks are); where that is too long the axis is said without its key, then without the notes — never
    cut mid-word (the field panel open at 80 columns left "grey:  …" in Korean)."""
    full, short = i18n.t("race.plot.x", axis=axis), i18n.t("race.plot.x_short", axis=axis)
    return next((text for text in (full + notes, short + notes, full) if cell_len(text) <= room), short)


class RacePlot:
    """Mixin for the race view: what its redraw timer draws.

    The host provides ``session``, ``base``, ``building``, ``race``, ``tracks``, ``status``, ``race_epoch``,
    ``race_epochs``, ``race_iteration``, ``steps_per_second``,
    ``x_axis``, ``show_batches``, ``lr_changes`` (contestant, its x on each of ``X_AXES``), ``_dirty`` and
    the widgets ``_head``, ``_plot``, ``_board`` and ``_inside``.
    """

    def _head_text(self) -> str:
        """The status line, in the app's language: state, what races, epoch, pace, speed, the target."""
        s, t = self.session, i18n.t
        state = state_markup("building", self.building_note()) if self.building else \
            state_markup(self.status, i18n.message(self.status))
        field, target_loss, targets = s.field, s.target_loss, set(s.targets)
        if self.building_line_up is not None:  # a line-up being built: its field, its target (its losses to come)
            field, _, target_loss = self.building_line_up
            targets = set()
        if target_loss is not None:  # the setup's own target
            target = short = t("race.target.set", loss=f"{target_loss:.4g}")
        elif len(targets) == 1:
            loss = f"{targets.pop():.4g}"
            target = t("race.target.shared", loss=loss, fraction=f"{race.TARGET_FRACTION:g}")
            short = t("race.target.set", loss=loss)
        else:
            target = short = t("race.target.own", fraction=f"{race.TARGET_FRACTION:g}")
        # while a line-up is built, its own length and no epoch yet (not the race it replaces)
        epoch, epochs = (0, self.base.epochs) if self.building else (self.race_epoch, self.race_epochs)
        at = bare = t('counters.epoch', epoch=count(epoch), epochs=count(epochs))
        if self.race_iteration is not None and not self.building:  # a long epoch moves: its iterations count
            epoch, iteration, iterations, name = self.race_iteration
            at = t('counters.epoch', epoch=count(epoch), epochs=count(epochs)) + " · " + ("" if name is None else
                f"{escape(name)}: ") + t('counters.iteration', iteration=count(iteration), iterations=count(iterations))
        head = f"{state} · [b]{words(FIELD_LABELS[field])}[/b] · {at}"
        rate, speed = t("counters.rate", rate=f"{self.steps_per_second:,.0f}"), t("counters.speed", speed=speed_text(self.app.speed))
        # One line, never cut mid-way (it ended in a bare "target loss ≤" at 80 columns, and in Korean at 60): as the
        # width shrinks, steps/s goes first, then the target's "(0.5×initial)", the speed, what races (the field
        # panel and the board say it), the target.
        lines = [" · ".join(parts) for parts in ((head, rate, speed, target), (head, speed, target), (head, speed, short),
                                                  (head, short), (state, at, short), (state, at), (state, bare))]
        width = self._head.content_region.width or 10**6
        return next((line for line in lines if Text.from_markup(line).cell_len <= width), lines[-1])

    def _redraw(self) -> None:
        """Draw the status line and plot if new points arrived (at ≤ 10 Hz)."""
        self._inside.redraw()
        if not self._dirty:
            return
        self._dirty = False
        self._head.update(self._head_text(), layout=False)  # one line, as wide as the view: its size stays
        plot, axis = self._plot, self.x_axis
        if self.building:  # not the race in place's curves under the line-up coming: what is coming, in the plot
            plot.show_coming(self.building_note(), X_LABELS[axis])
            return
        curves, marks = self._show_curves()
        # the key on the frame names the grey line; said here only where the key has no room for it
        target_note = i18n.t("race.plot.target") if any(cv.label == "target" for cv in curves) and \
            not plot.key_names("target") else ""
        lr_note = i18n.t("race.plot.lr_changed") if marks else ""
        plot.border_subtitle = subtitle(words(X_LABELS[axis]), target_note + lr_note, plot.outer_size.width - 6)

    def _show_curves(self) -> tuple[list[Curve], list[tuple[float, tuple[int, int, int]]]]:
        """Hand the plot every contestant's curves (and the target line, the marks): drawn at its next render.
        Also as the view mounts, so its first frame is the race's (an empty frame has no x ticks: a row more
        inside it, read 6 then 5 at 80x24)."""
        plot, axis = self._plot, self.x_axis
        n = plot.max_points
        curves: list[Curve] = []
        standings = {s.index: s for s in self._board.standings.rows}
        for index, (name, track) in enumerate(zip(self.session.labels, self.tracks)):
            color = self.session.colors[index]
            if self.show_batches:
                bx, by = track.batch_loss[axis].points(n)
                curves.append(Curve("", bx, by, color, style="scatter"))
            x, y = track.epoch_loss[axis].points(n)
            if len(x) < 2 and not self.show_batches:  # no epoch ended yet (a long one): its updates' batch losses
                bx, by = track.batch_loss[axis].points(n)
                if len(bx):
                    curves.append(Curve("", bx, by, color, style="scatter"))
            standing = standings.get(index)
            label = name + (" ✗" if standing is not None and standing.status == "diverged" else "")
            curves.append(Curve(label, x, y, color))
        targets = set(self.session.targets)
        xs = [cv.xs for cv in curves if len(cv.xs)]
        if len(targets) == 1 and xs:
            lo, hi = min(float(x.min()) for x in xs), max(float(x.max()) for x in xs)
            if hi > lo:
                t = targets.pop()
                curves.append(Curve("target", np.array([lo, hi]), np.array([t, t]), BATCH, style="reference"))
        right = max((float(x.max()) for x in xs), default=0.0)
        marks = self.lr_marks()
        plot.show([cv for cv in curves if len(cv.xs)], x_label=X_LABELS[axis], y_label="loss",
                  x_range=(0.0, right if right > 0 else 1.0), marks=marks)  # from the start: never a negative epoch
        return curves, marks

    def lr_marks(self) -> list[tuple[float, tuple[int, int, int]]]:
        """The learning-rate changes on the current x axis: a line in the contestant's colour, or
        one ``SHARED_MARK_COLOR`` line where several contestants' changes fall on the same x."""
        column = X_AXES.index(self.x_axis)
        at: dict[float, list[int]] = {}
        for k, xs in self.lr_changes:
            at.setdefault(xs[column], []).append(k)
        return [(x, self.session.colors[ks[0]] if len(set(ks)) == 1 else SHARED_MARK_COLOR) for x, ks in at.items()]

    def watch_status(self, status: str) -> None:
        self._board.race_status = status  # a contestant still going is paused when the race is
        self._dirty = True

    def watch_x_axis(self) -> None:
        self._dirty = True

    def watch_show_batches(self) -> None:
        self._dirty = True

    def on_resize(self) -> None:
        """The status line fits its width again (a finished race gets no other redraw)."""
        self._dirty = True

    def show_speed(self) -> None:
        """The app's speed changed: the status line says so at the next redraw."""
        self._dirty = True

    def redraw_soon(self) -> None:
        """Draw again at the next tick, no new data needed (the plot's width changed: its key and subtitle)."""
        self._dirty = True
