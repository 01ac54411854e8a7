"""``Heat``: networks of one architecture, loss and batch size trained in lockstep — the one
training step that a solo ``fit`` (a heat of one) and a race (a heat per group) both run."""

from __future__ import annotations

import math
import time

import numpy as np

from engine.core.event import StepEvent
from engine.core.run import Run
from engine.core.stack import Stack, broadcasts, metric_totals
from engine.optimizers.rows import RowUpdate


class Heat:
    """Runs that share architecture, loss and batch size, computed as one ``Stack``.

    Args:
        runs: the members, each with its ``index`` into the caller's list of events.
        stack: their networks, row ``r`` for ``runs[r]`` (a solo run: its model's own ``stack``).
        source: the training data and schedule, as a ``Trainer`` holds them: ``x``, ``y`` (prepared),
            ``validation``, ``metrics``, ``batch_size``, ``n``, ``iterations_per_epoch`` and
            optionally ``sample_weight``.

    One ``step`` is Keras's ``train_step`` for every member plus ``fit``'s bookkeeping: the batch
    loss before the update (each sample's loss weighted by ``source.sample_weight`` if it has
    one), the update (skipped on a non-finite loss), the divergence check (non-finite loss or
    weights), the batch-size-weighted epoch loss and metric totals, and at an epoch's end the
    logs (``loss``, metrics, ``val_*``) sorted by name, appended to the history.
    Members move in lockstep (same batches, same counts), so the per-step counters are the
    heat's; running metric totals are rows of ``(K,)`` vectors (the float64 additions a lone run
    makes, one ufunc for all rows). A member that diverges is frozen and leaves the stack.
    """

    def __init__(self, runs: list[Run], stack: Stack, source):
        self.members = runs
        self.stack = stack
        self.loss = runs[0].loss
        self.metrics = source.metrics
        self.x, self.y, self.validation = source.x, source.y, source.validation
        self.sample_weight = getattr(source, "sample_weight", None)
        """``(N,)`` per-sample loss weights of the training data (``class_weight`` or ``sample_weight``), or None."""
        self.ws = self.sample_weight
        self.batch_size, self.n = source.batch_size, source.n
        self.iterations_per_epoch = source.iterations_per_epoch
        self.batches = [(lo, min(lo + self.batch_size, self.n), min(self.batch_size, self.n - lo))
                        for lo in range(0, self.n, self.batch_size)]  # (lo, hi, size) per iteration
        self._bind()
        self.iteration = 0
        self.ys = self.y
        self._reset_totals()

    def _bind(self) -> None:
        stack = self.stack
        for row, m in enumerate(self.members):
            m.attach(stack, row)
        # per member, what its optimizer updates: its row as one flat array (clipnorm per variable
        # via optimizer.variable_slices)
        self.updates = [(m, m.optimizer, [stack.grads[r]], [stack.params[r]]) for r, m in enumerate(self.members)]
        # per batch size, a (K, size, …) buffer for y repeated per row when the loss takes all rows
        # at once: the same elementwise maths as broadcasting y, without broadcasting in every ufunc
        k = len(self.members)
        self.y_rows = {} if not broadcasts(self.loss) or k == 1 else \
            {size: np.empty((k, size, *self.y.shape[1:]), dtype=self.y.dtype) for _, _, size in self.batches}
        self.groups: list[tuple[int, int, RowUpdate]] = []
        """``(start, stop, RowUpdate)``: runs of rows whose optimizers step as one (``_group``)."""
        self._regroup = k > 1  # after the next step's updates, when every optimizer is built

    def _reset_totals(self) -> None:
        for m in self.members:
            m.loss_total = 0.0
        self.metric_totals = [np.zeros(len(self.members)) for _ in self.metrics]
        self.metric_count = 0  # the same for every row

    def initial_losses(self, x: np.ndarray) -> list[float]:
        """Each member's loss on the training set ``x`` before any update."""
        y_pred = self.stack.forward(x, buffered=False)[-1][1]
        return [float(self.loss(self.y, y_pred[r])) for r in range(len(self.members))]

    def step(self, xs: np.ndarray, order: np.ndarray | None, events: list) -> None:
        """One iteration for every member on batch ``xs[lo:hi]`` of this epoch's order; puts each
        one's ``StepEvent`` at ``events[m.index]``. ``order`` (the epoch's permutation, given on
        its first iteration, ``None`` to keep the previous one) reorders the targets as ``xs``."""
        clock = time.perf_counter
        started = clock()
        members = self.members
        if self.iteration == 0:
            if order is not None:
                self.ys = self.y.take(order, axis=0)  # y[order] without fancy indexing's cost
                if self.sample_weight is not None:
                    self.ws = self.sample_weight.take(order)
            for m in members:
                m.history.status = "running"
        lo, hi, size = self.batches[self.iteration]
        xb, yb = xs[lo:hi], self.ys[lo:hi]
        y_rows = self.y_rows.get(size)
        if y_rows is not None:
            np.copyto(y_rows, yb)
        stack = self.stack
        wb = None if self.ws is None else self.ws[lo:hi]
        losses, y_pred = stack.gradients(xb, yb, self.loss, y_rows, wb)
        mark = clock()
        share = (mark - started) / len(members)
        if self.groups:
            self._update_grouped(losses, share, mark)
        else:  # each optimizer its own row (``_update_rows``, inline: the solo run's path)
            for (m, opt, flat_grads, flat_params), loss in zip(self.updates, losses):
                if loss - loss == 0.0:  # finite: update (a non-finite loss skips it)
                    opt.apply(flat_grads, flat_params)
                now = clock()
                m.seconds += share + (now - mark)
                mark = now
        if self._regroup:
            self._group()
        self.iteration = iteration = self.iteration + 1
        # the losses and the weights finite (fit's divergence test) for every row at once: Σθ² finite
        # means every θ finite and under 1.4e154, so each row's Σθ is finite too (Σθ² is one BLAS
        # dot, half an add.reduce); if it is not, each row's loss and Σθ are checked
        check = sum(losses) + float(np.vdot(stack.params, stack.params))
        if check - check == 0.0:
            finite = [True] * len(members)
        else:
            sums = np.add.reduce(stack.params, axis=1).tolist()
            finite = [loss - loss == 0.0 and w - w == 0.0 for loss, w in zip(losses, sums)]
        for (_, metric), totals in zip(self.metrics, self.metric_totals):
            batch_totals, count = metric_totals(metric, yb, y_pred, y_rows)
            totals += batch_totals  # rows that diverge here leave before the totals are read
        if self.metrics:
            self.metric_count += count
        first = members[0]
        epoch, step, seen, ipe = first.epoch + 1, first.step + 1, first.examples_seen + size, self.iterations_per_epoch
        diverged = False
        for m, loss, ok in zip(members, losses, finite):
            m.iteration, m.step, m.examples_seen = iteration, step, seen
            if ok:
                status = "running"
                m.loss_total += loss * size
            else:
                status = m.history.status = "diverged"
                m.history.diverged_at = (epoch, iteration)
                diverged = True
            events[m.index] = StepEvent(epoch, iteration, ipe, step, seen, size, loss, None, status,
                                        m.index, m.label, m.seconds)
        if iteration == ipe:
            self._end_epoch([events[m.index] for m in members])
        if diverged or self.iteration == 0:
            self._drop([m for m in members if m.status == "diverged"])

    def _update_rows(self, start: int, stop: int, losses: list[float], share: float, mark: float) -> float:
        """Each optimizer of rows ``start:stop`` updates its own row (a non-finite loss skips it);
        each member is charged ``share`` of the batched passes plus its own update. Returns the clock."""
        clock = time.perf_counter
        for (m, opt, flat_grads, flat_params), loss in zip(self.updates[start:stop], losses[start:stop]):
            if loss - loss == 0.0:  # finite: update (a non-finite loss skips it)
                opt.apply(flat_grads, flat_params)
            now = clock()
            m.seconds += share + (now - mark)
            mark = now
        return mark

    def _update_grouped(self, losses: list[float], share: float, mark: float) -> None:
        """``_update_rows``, each group of rows stepping as one while it still can (every loss in it
        finite, its formula unchanged; otherwise its rows step one by one and the groups are redrawn)."""
        row = 0
        for start, stop, group in self.groups:
            mark = self._update_rows(row, start, losses, share, mark)
            if group.current() and all(loss - loss == 0.0 for loss in losses[start:stop]):
                group.apply()
                now = time.perf_counter()
                each = share + (now - mark) / (stop - start)
                for m in self.members[start:stop]:
                    m.seconds += each
                mark = now
            else:
                mark = self._update_rows(start, stop, losses, share, mark)
                self._regroup = True
            row = stop
        self._update_rows(row, len(self.members), losses, share, mark)

    def _group(self) -> None:
        """Draw the groups: runs of two or more consecutive rows whose optimizers share a formula
        and an iteration count (``RowUpdate.possible``) step as one from the next step on. Redrawn
        after the first step, at every epoch's end, when a member leaves, and when a group breaks."""
        self._regroup = False
        self.groups = []
        optimizers = [m.optimizer for m in self.members]
        start = 0
        for stop in range(1, len(optimizers) + 1):
            if stop == len(optimizers) or not RowUpdate.possible([optimizers[start], optimizers[stop]]):
                if stop - start > 1:
                    self.groups.append((start, stop, RowUpdate(optimizers[start:stop], self.stack.grads[start:stop],
                                                                self.stack.params[start:stop])))
                start = stop

    def _end_epoch(self, events: list[StepEvent]) -> None:
        """Epoch logs for every member still running: the epoch ``loss`` (Σ batch loss × batch
        size / N), metrics, ``val_loss`` and ``val_*`` on the validation data after the epoch."""
        y_pred = None
        if self.validation is not None:
            vx, vy, *vw = self.validation
            vw = vw[0] if vw else None
            y_pred = self.stack.forward(vx, buffered=False)[-1][1]
        metric_totals = [t.tolist() for t in self.metric_totals]
        for row, (m, event) in enumerate(zip(self.members, events)):
            if m.status == "diverged":
                continue
            logs = {"loss": m.loss_total / self.n}
            for (key, metric), totals in zip(self.metrics, metric_totals):
                logs[key] = metric.result(totals[row], self.metric_count)
            if y_pred is not None:
                logs["val_loss"] = float(self.loss(vy, y_pred[row], sample_weight=vw))
                for key, metric in self.metrics:
                    logs["val_" + key] = metric(vy, y_pred[row])
            logs = dict(sorted(logs.items()))  # Keras hands callbacks and History the logs sorted by name
            m.history.append(m.epoch, logs)
            m.epoch += 1
            m.iteration = 0
            if not all(math.isfinite(v) for v in logs.values() if isinstance(v, float)):
                m.history.status = "diverged"
                m.history.diverged_at = (m.epoch, self.iterations_per_epoch)
            elif m.epoch >= m.history.params["epochs"]:
                m.history.status = "finished"
            event.epoch_logs, event.status = logs, m.history.status
        self.iteration = 0
        self._reset_totals()
        self._regroup = len(self.members) > 1

    def _drop(self, leaving: list[Run]) -> None:
        """Freeze ``leaving`` (keeping their last weights) and take them out of the stack."""
        leaving = [m for m in leaving if m in self.members]
        if not leaving:
            return
        for m in leaving:
            m.freeze(m.get_weights())
        self.keep([m for m in self.members if m not in leaving])

    def keep(self, members: list[Run]) -> None:
        """Step only ``members`` (some of this heat's, in its order) from now on: the others leave the
        stack, their rows dropped (``_drop``: frozen, diverged; ``Race.keep_only``: stepped elsewhere)."""
        rows = [r for r, m in enumerate(self.members) if m in members]
        if len(rows) == len(self.members):
            return  # all stay, bound to this stack as they were
        self.members = [self.members[r] for r in rows]
        self.metric_totals = [totals[rows] for totals in self.metric_totals]
        if self.members:
            self.stack.keep(rows)
            self._bind()
