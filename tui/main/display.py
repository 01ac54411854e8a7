"""``Display``: what the main view shows of its run — the counters, the loss and metric plots, early stopping's marks.

The worker's reports fill the series (``Training``); a 10 Hz timer draws what changed, the plots at
a rate bounded by their own cost (``PLOT_SHARE``).
"""

from __future__ import annotations

import math
import os
import time

from engine import StopWatch, Wording, batch_mode, optimizers
from tui import i18n, why
from tui.colors import BATCH, TRAIN, VALIDATION
from tui.main import totals
from tui.main.schedule_curve import lr_curve, lr_summary
from tui.main.totals import Totals
from tui.widgets.counters import Counts
from tui.widgets.loss_plot import Curve
from tui.widgets.status import metric_label

REDRAW_INTERVAL = 0.1
"""Seconds between two looks for new data: counters update at this rate, plots at most at it."""

LR_MARK_COLOR = (229, 192, 123)
"""A learning-rate change made mid-run: a vertical line at that point of the loss plot's x axis."""

BEST_MARK_COLOR = (152, 195, 121)
"""The best epoch of the monitored quantity (early stopping's): a green line."""

STOP_MARK_COLOR = (224, 108, 117)
"""Where early stopping stopped the run (on), or where it would have (off: dimmer)."""
WOULD_STOP_MARK_COLOR = (150, 90, 96)


PLOT_SHARE = 0.1
"""At most this fraction of the UI thread goes to plot rebuilds: after a rebuild costing c seconds
the next waits ≥ c / PLOT_SHARE (every millisecond there is taken from the training thread, the GIL)."""


class Display:
    """Mixed into ``DescendApp``: uses its ``session``, ``config``, ``status``, ``run_totals``, ``building``, the
    series the reports fill, and its widgets (``counters``, ``loss_plot``, ``metric_plot``, ``why_panel``, ``controls``)."""

    _on_the_way: tuple = (None, None)

    @property
    def totals(self) -> Totals:
        """The lengths the counters show: the setup being built while one is (worked out once), else the run
        in place's."""
        if self.building is None:
            return self.run_totals
        if self._on_the_way[0] is not self.building:
            self._on_the_way = (self.building, totals.of_config(self.building))
        return self._on_the_way[1]

    def plan_coming(self, plan) -> None:
        """The setup being built (``building``) was judged on ``plan``, the layout ``check_experiment`` made
        (``python -m tui``): its lengths from that, not worked out again."""
        self._on_the_way = (self.building, totals.of_config(self.building, plan))

    def _counts(self) -> Counts:
        """The counters from what the view holds (the last report, its totals), never from the live trainer.
        While a new experiment is built they show it, not yet started; the run it replaces waits, paused."""
        whole = self.totals
        built = self.building is None
        last = self._last_event if built else None
        logs = self.last_logs if built else {}
        metric, note = whole.metric, self.building_note()
        key = "root_mean_squared_error" if metric == "root_mean_squared_error" else "accuracy"
        return Counts(
            state="building" if note else self.status,
            epoch=last.epoch if last else 0, epochs=whole.epochs,
            iteration=last.iteration if last else 0, iterations=whole.iterations,
            step=last.step if last else 0, examples=last.examples_seen if last else 0,
            last_batch=whole.last_batch, mode=whole.mode,
            steps_per_second=self.steps_per_second if built else 0.0, speed=self.speed,
            status_text=note or (self.status_text if self.status == "diverged" else self.status),
            loss=logs.get("loss"), val_loss=logs.get("val_loss"), metric=metric,
            metric_value=logs.get(key), val_metric_value=logs.get("val_" + key), detail=self.detail if built else None,
            logs_epoch=self.logs_epoch if built else None,
            batch_loss=last.loss if last else None,
            learning_rate=self.learning_rate if built else None,
            validation=(self.building or self.config).validation_split > 0,
        )

    _last_event = None

    def _show_counts(self) -> None:
        self.counters.counts = self._counts()

    def _show_experiment(self) -> None:
        """The why panel and counters for the current config (hyperparameters as last set), or for the setup
        being built while one is."""
        if self.building is not None:
            self._show_building(self.building)
            return
        exp, c = self.session.experiment, self.config
        optimizer = optimizers.get(c.optimizer, **c.optimizer_kwargs())
        params = ", ".join(f"{k}={v}" for k, v in optimizer.hyperparameters().items())
        summary = [Wording("optimizer {optimizer}", optimizer=f"{optimizer.name}({params})") if line.startswith("optimizer") else line
                   for line in exp.describe()]
        mode = batch_mode(exp.batch_size, exp.train_size)
        lesson = None if self.lesson is None else (self.lesson.text("title"), self.lesson.lines())
        self.why_panel.show([i18n.message(line) for line in summary], why.lines(c.loss, c.optimizer, mode, c.activation, self.status), lesson)
        self.why_panel.border_title = i18n.t("ui.lessons.card") if self.lesson else i18n.t("panel.why")
        total = exp.config.epochs * self.run_totals.iterations
        self.controls.show_schedule(lr_curve(exp.model.optimizer, total), lr_summary(exp.model.optimizer, total),
                                    exp.monitors)
        self.metric_plot.border_title = metric_label(exp.metric, short=False)
        self._show_counts()
        self._dirty = True

    def _show_building(self, c) -> None:
        """The why panel and counters while ``c``'s experiment is built: what is being made, and the why of its
        loss, optimizer, batch mode and activation (its summary lines come once it is built)."""
        if c.reads_csv:
            making = i18n.t("ui.build.file", file=os.path.basename(c.dataset))
        else:
            making = i18n.t("ui.build.samples", samples=f"{c.samples:,}", dataset=c.dataset)
        lesson = None if self.lesson is None else (self.lesson.text("title"), self.lesson.lines())
        whole = self.totals
        self.why_panel.show([], [making] + why.lines(c.loss, c.optimizer, whole.mode, c.activation, "ready"), lesson)
        self.metric_plot.border_title = metric_label(whole.metric, short=False)
        if whole.plan is not None:  # its schedule over its own length, its monitors
            optimizer, steps = whole.plan.model.optimizer, c.epochs * whole.iterations
            self.controls.show_schedule(lr_curve(optimizer, steps), lr_summary(optimizer, steps), whole.plan.monitors)
        self._show_counts()
        self._dirty = True  # the plots: not the run in place's curves (``_show_coming``)

    def watch_status(self, old: str, new: str) -> None:
        if self.is_mounted:
            self._show_counts()
            if "diverged" in (old, new):
                self._show_experiment()

    def _redraw(self) -> None:
        """Draw the counters and plots if new points arrived (called at 10 Hz; plots at an adaptive rate).

        A plot rebuild is ~5-15 ms of Python: it waits until ``last cost / PLOT_SHARE`` has
        passed, so drawing never takes more than a tenth of the UI thread, however big the
        terminal or slow the machine.
        """
        self._redraw_inside()
        if not self._dirty and not self._metric_unseen():
            return
        now = time.perf_counter()
        if self.status == "running" and now < self._plot_due:
            self._show_counts()
            return  # the plots catch up at the next due tick; the data waits in the Series
        self._dirty = False
        self._show_counts()
        if self.building is not None:
            self._show_coming()
            return
        started = time.perf_counter()
        plot = self.loss_plot
        plot.border_subtitle = self.stop_note()  # (again after a setup on its way was refused)
        n = plot.max_points
        bx, by = self.batch_loss.points(n)
        tx, ty = self.train_loss.points(n)
        vx, vy = self.val_loss.points(n)
        # Loss and metric share the x axis, from epoch 0 (before training) to the end of the epoch in
        # progress: the metric's first point is off the frame's edge, and the range changes once an epoch.
        x_range = (0.0, float(max(math.ceil(bx[-1]) if len(bx) else 0, tx[-1] if len(tx) else 0, 1)))
        curves = [Curve("batch", bx, by, BATCH, style="scatter"),
                  Curve("train", tx, ty, TRAIN),
                  Curve("validation", vx, vy, VALIDATION)]
        plot.show([c for c in curves if len(c.xs)], title="", x_label="epoch", y_label="loss", x_range=x_range,
                  marks=[(x, LR_MARK_COLOR) for x in self.lr_changes] + self.stop_marks())
        cost = plot.build_seconds
        m = self.metric_plot
        if m.display and (len(self.train_metric), m.size, x_range) != self._metric_drawn:
            self._metric_drawn = (len(self.train_metric), m.size, x_range)
            k = m.max_points
            metric_curves = [Curve("train", *self.train_metric.points(k), TRAIN),
                             Curve("validation", *self.val_metric.points(k), VALIDATION)]
            m.show([c for c in metric_curves if len(c.xs)], title="", x_label="epoch", y_label="",
                   x_range=x_range)
            cost += m.build_seconds
        # The builds run at the next paint; the last ones' cost predicts these.
        self._plot_due = now + max(REDRAW_INTERVAL, (time.perf_counter() - started + cost) / PLOT_SHARE)
        self.frames_drawn += 1

    def _metric_unseen(self) -> bool:
        """Whether the metric plot shows at a size it was not drawn at: a resize showed it (it is hidden while
        narrow), and a finished run sends nothing new that would draw it."""
        m = self.metric_plot
        return m.display and self.building is None and self._metric_drawn[1:2] != (m.size,)

    def _show_coming(self) -> None:
        """The plots while a new setup is built: empty, the loss plot titled with what is coming. The run in place
        waits (paused) under the new setup's words, so its curves are not shown as the new one's; they are
        drawn again if the build is refused."""
        self.loss_plot.show_coming(self.building_note(), "epoch")
        if self.metric_plot.display:
            self.metric_plot.show([], title="", x_label="epoch", y_label="")
        self._metric_drawn = ()  # drawn again once a run is in place

    def stop_marks(self) -> list[tuple[float, tuple[int, int, int]]]:
        """The best epoch and where early stopping stopped (or would have, when it is off), as x = epochs;
        none for a diverged run (its "best" is only the first of its exploding losses)."""
        watch, marks = self.stop_watch, []
        if self.status == "diverged":
            return marks
        if watch.best_epoch is not None:
            marks.append((watch.best_epoch + 1.0, BEST_MARK_COLOR))
        if watch.stopped_epoch is not None:
            on = self.config.early_stopping is not None
            marks.append((watch.stopped_epoch + 1.0, STOP_MARK_COLOR if on else WOULD_STOP_MARK_COLOR))
        return marks

    def stop_note(self) -> str:
        """The loss plot's subtitle: ``best epoch 12 · stopped early at 15`` when early stopping is on;
        off, ``best epoch 12`` until it would have stopped, then early stopping's ``patience 5 would stop at 15,
        keep 12`` (its best is then frozen: the run goes on and may dip lower later). Nothing for
        a diverged run."""
        watch = self.stop_watch
        if watch.best_epoch is None or self.status == "diverged":
            return ""
        if watch.stopped_epoch is None:
            return i18n.t("plot.best", epoch=watch.best_epoch + 1)
        if self.config.early_stopping is None:
            return i18n.t("plot.would_stop", patience=self.patience, best=watch.best_epoch + 1,
                          epoch=watch.stopped_epoch + 1)
        return i18n.t("plot.best", epoch=watch.best_epoch + 1) + i18n.t("plot.stopped", epoch=watch.stopped_epoch + 1)

    def _watch_again(self) -> None:
        """A fresh StopWatch for the current monitor and patience, over the epochs so far."""
        self.stop_watch = StopWatch(self.config.monitor, self.patience)
        for epoch, logs in enumerate(self.epoch_logs):
            self.stop_watch.observe(epoch, logs)
        self.loss_plot.border_subtitle = self.stop_note()
        self._dirty = True

    def action_toggle_log(self) -> None:
        """Switch the loss plot's y axis between linear and log scale."""
        self.loss_plot.log_scale = not self.loss_plot.log_scale
        self._dirty = True
