"""``Race``: K contestants trained in lockstep on the same data, initial weights and batch order.

Lockstep. The race runs epoch by epoch; all contestants finish epoch e before any starts e+1,
and one shuffled order (``default_rng([seed, 1]).permutation(n)``, drawn once per epoch, as a
solo ``Trainer`` draws it) is shared by all. ``step()`` advances every contestant that still
has work in the current epoch by one of *its own* iterations. When batch sizes differ, a
contestant with fewer iterations per epoch (B = N: one) waits, untouched, while the others
finish the epoch; its ``ContestantStep`` is then ``None``.

Cost. Contestants with the same architecture, loss and batch size form a heat: one ``Stack``
whose forward and backward passes are one batched matmul per layer for all of them; only the
optimizer updates run one by one, each on its own contiguous row.

Exactness. Each contestant's history, status and weights are those of a solo ``Trainer`` with
its config (bit for bit; ``tests/engine/test_race.py`` proves it for every optimizer).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence

import numpy as np

from engine.config import ConfigError
from engine.experiment import build, load_dataset
from engine.race.contestant import Contestant, ContestantStep, RaceEvent, TargetHit
from engine.race.fields import SHARED, Entry
from engine.race.stacked import Stack, broadcasts, loss_and_gradient, metric_totals

TARGET_FRACTION = 0.5
"""Default target: half of each contestant's initial loss (its loss on the training set before
any update). A contestant reaches the target when an epoch's training ``loss`` is ≤ it."""


class _Heat:
    """Contestants that share architecture, loss and batch size, computed as one ``Stack``.

    Its members move in lockstep (same batches, same counts), so the per-step counters are the
    heat's; the members' running metric totals are rows of ``(K,)`` vectors (the float64
    additions a solo ``Trainer`` makes, one ufunc for all rows).
    """

    def __init__(self, members: list[Contestant], trainer):
        self.members = members
        self.stack = Stack([m.experiment.model for m in members])
        self.loss = members[0].loss
        self.metrics = trainer.metrics
        self.y, self.validation = trainer.y, trainer.validation
        self.batch_size, self.n = trainer.batch_size, trainer.n
        self.iterations_per_epoch = trainer.iterations_per_epoch
        self.batches = [(lo, min(lo + self.batch_size, self.n), min(self.batch_size, self.n - lo))
                        for lo in range(0, self.n, self.batch_size)]  # (lo, hi, size) per iteration
        self._bind()
        self.iteration = 0
        self.ys = self.y
        self._reset_totals()

    def _bind(self) -> None:
        for row, m in enumerate(self.members):
            m._bind(self, row)
        # per member, what its optimizer updates: the row as one flat array, or array by array
        self.updates = [(m, m.optimizer, m._opt_grads, m._opt_params) for m in self.members]
        # per batch size, a (K, size, …) buffer for y repeated per row when the loss takes all rows
        # at once: the same elementwise maths as broadcasting y, without broadcasting in every ufunc
        k = len(self.members)
        self.y_rows = {} if not broadcasts(self.loss) or k == 1 else \
            {size: np.empty((k, size, *self.y.shape[1:]), dtype=self.y.dtype) for _, _, size in self.batches}

    def _reset_totals(self) -> None:
        for m in self.members:
            m._loss_total = 0.0
        self.metric_totals = [np.zeros(len(self.members)) for _ in self.metrics]
        self.metric_count = 0  # the same for every row

    def initial_losses(self, x: np.ndarray) -> list[float]:
        y_pred = self.stack.forward(x, buffered=False)[-1][1]
        return [float(self.loss(self.y, y_pred[r])) for r in range(len(self.members))]

    def step(self, xs: np.ndarray, order: np.ndarray | None, steps: list) -> None:
        """One iteration for every member (``Trainer._step`` for K); puts each one's
        ``ContestantStep`` at ``steps[m.index]``."""
        clock = time.perf_counter
        started = clock()
        members = self.members
        if self.iteration == 0:
            if order is not None:
                self.ys = self.y[order]
            for m in members:
                m.history.status = "running"
        lo, hi, size = self.batches[self.iteration]
        xb, yb = xs[lo:hi], self.ys[lo:hi]
        stack = self.stack
        cache = stack.forward(xb)
        y_pred = cache[-1][1]
        y_rows = self.y_rows.get(size)
        if y_rows is not None:
            np.copyto(y_rows, yb)
        loss_row, d_out = loss_and_gradient(self.loss, yb, y_pred, y_rows)
        stack.backward(xb, cache, d_out)
        losses = loss_row.tolist()
        mark = clock()
        share = (mark - started) / len(members)
        for (m, opt, flat_grads, flat_params), loss in zip(self.updates, losses):
            if loss - loss == 0.0:  # finite: update (a non-finite loss skips it, as train_step does)
                opt.apply(flat_grads, flat_params)  # clipnorm per variable via opt.variable_slices
            now = clock()
            m.seconds += share + (now - mark)
            mark = now
        self.iteration = iteration = self.iteration + 1
        sums = np.add.reduce(stack.params, axis=1).tolist()  # ndarray.sum without its wrapper
        # the loss, then the weights' sum, finite (Trainer._step's test) for every row at once:
        # a sum of finite values is finite unless it overflows, and then each row is checked
        check = sum(losses) + sum(sums)
        finite = [True] * len(members) if check - check == 0.0 else \
            [loss - loss == 0.0 and w - w == 0.0 for loss, w in zip(losses, sums)]
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
                m._loss_total += loss * size
            else:
                status = m.history.status = "diverged"
                m.history.diverged_at = (epoch, iteration)
                diverged = True
            steps[m.index] = ContestantStep(m.index, m.label, epoch, iteration, ipe, step, seen, size, loss,
                                            None, status, m.seconds, False)
        if iteration == ipe:
            self._end_epoch([steps[m.index] for m in members])
        if diverged or self.iteration == 0:
            self._drop([m for m in members if m.status == "diverged"])

    def _end_epoch(self, records: list[ContestantStep]) -> None:
        """Epoch logs (loss, metrics, validation) for every member still running, as ``Trainer._end_epoch``."""
        y_pred = None
        if self.validation is not None:
            vx, vy = self.validation
            y_pred = self.stack.forward(vx, buffered=False)[-1][1]
        metric_totals = [t.tolist() for t in self.metric_totals]
        for row, (m, record) in enumerate(zip(self.members, records)):
            if m.status == "diverged":
                continue
            logs = {"loss": m._loss_total / self.n}
            for (key, metric), totals in zip(self.metrics, metric_totals):
                logs[key] = metric.result(totals[row], self.metric_count)
            if y_pred is not None:
                logs["val_loss"] = float(self.loss(vy, y_pred[row]))
                for key, metric in self.metrics:
                    logs["val_" + key] = metric(vy, y_pred[row])
            logs = dict(sorted(logs.items()))  # as Trainer hands them on
            m.history.append(m.epoch, logs)
            m.epoch += 1
            m.iteration = 0
            if not all(math.isfinite(v) for v in logs.values() if isinstance(v, float)):
                m.history.status = "diverged"
                m.history.diverged_at = (m.epoch, self.iterations_per_epoch)
            elif m.epoch >= m.history.params["epochs"]:
                m.history.status = "finished"
            record.epoch_logs, record.status = logs, m.history.status
        self.iteration = 0
        self._reset_totals()

    def _drop(self, leaving: list[Contestant]) -> None:
        """Freeze ``leaving`` (keeping their last weights) and take them out of the stack."""
        leaving = [m for m in leaving if m in self.members]
        if not leaving:
            return
        for m in leaving:
            m._frozen = m.get_weights()
        keep = [r for r, m in enumerate(self.members) if m not in leaving]
        self.members = [self.members[r] for r in keep]
        self.metric_totals = [totals[keep] for totals in self.metric_totals]
        if self.members:
            self.stack.keep(keep)
            self._bind()


class Race:
    """Trains ``entries`` in lockstep; a step machine like ``Trainer``.

    Args:
        entries: ``Entry(label, config)`` per contestant (see ``engine.race.fields.entries``).
            Configs must share ``SHARED`` fields (data, network, epochs, split, seed); labels
            must be unique and no two contestants may have the same settings.
        target_loss: the loss each contestant races to; ``None`` → ``target_fraction`` of its
            own initial loss (so losses of different scales get comparable targets).

    ``step()`` → ``RaceEvent`` (``None`` when done); ``run_epoch()`` → the events finishing the
    current epoch; ``run(should_stop=None)`` → to the end or until ``should_stop()`` is true
    (checked between steps, so a worker thread can be stopped with a ``threading.Event``).
    Between any two calls the caller may pause, read every contestant, or change an
    optimizer's hyperparameters. Raises ``ConfigError`` (one line) for unusable entries.

    Attributes: ``contestants`` (``Contestant`` per entry, in order: live state, ``history``,
    ``get_weights()``, ``predict(x)``), ``config`` (the first entry's config: the shared
    settings), ``dataset``, ``n`` (training samples), ``epochs``, ``epoch`` (completed race
    epochs), ``race_step`` (``step()`` calls so far), ``seconds`` (wall time in ``step``),
    ``batch_order`` (this epoch's permutation), ``heats`` (the stacked groups), ``done``.
    """

    def __init__(self, entries: Sequence[Entry], *, target_loss: float | None = None,
                 target_fraction: float = TARGET_FRACTION):
        entries = list(entries)
        if not entries:
            raise ConfigError("a race needs at least one contestant")
        base = entries[0].config
        for e in entries:
            e.config.validate()
            for name in SHARED:
                if getattr(e.config, name) != getattr(base, name):
                    raise ConfigError(f"{e.label}: every contestant must share {name} "
                                      f"({getattr(e.config, name)!r} ≠ {getattr(base, name)!r})")
        labels = [e.label for e in entries]
        if len(set(labels)) != len(labels):
            raise ConfigError(f"duplicate contestant label {next(x for x in labels if labels.count(x) > 1)!r}")
        self.config = base
        self.dataset = load_dataset(base)
        self.contestants: list[Contestant] = []
        heats: dict[tuple, list] = {}
        for index, entry in enumerate(entries):
            try:
                experiment = build(entry.config, dataset=self.dataset)
                trainer = experiment.trainer()
            except ValueError as exc:
                message = str(exc)
                raise ConfigError(message if message.startswith(entry.label) else f"{entry.label}: {message}") from None
            c = Contestant(index, entry, experiment, trainer)
            for other in self.contestants:
                if other.settings == c.settings or (other.batch_size != c.batch_size and
                                                    min(other.batch_size, trainer.n) == min(c.batch_size, trainer.n)
                                                    and {**other.settings, "batch_size": 0} == {**c.settings, "batch_size": 0}):
                    raise ConfigError(f"{other.label} and {c.label} would be the same run: "
                                      "every contestant needs different settings")
            self.contestants.append(c)
            model = experiment.model
            key = (tuple((la.units, repr(la.activation.get_config()), la.use_bias) for la in model.layers),
                   repr(model.loss.get_config()), experiment.output.targets, trainer.batch_size)
            heats.setdefault(key, [[], trainer])[0].append(c)
        self.heats = [_Heat(members, trainer) for members, trainer in heats.values()]
        self._running = list(self.heats)  # the heats with members left
        self._epoch_start = True
        first = heats[next(iter(heats))][1]
        self.x, self.n, self.epochs = first.x, first.n, first.epochs
        self._rng = np.random.default_rng([base.seed, 1])
        self._xs, self._order = self.x, None
        self.epoch = 0
        self.race_step = 0
        self.seconds = 0.0
        self._done = False
        with np.errstate(all="ignore"):
            for heat in self.heats:
                for m, loss in zip(heat.members, heat.initial_losses(self.x)):
                    m.initial_loss = loss
                    m.target_loss = float(target_loss) if target_loss is not None else target_fraction * loss

    @property
    def done(self) -> bool:
        """Every contestant has finished or diverged."""
        return self._done

    @property
    def batch_order(self) -> np.ndarray | None:
        """This epoch's shared sample order (``None`` before the first step)."""
        return self._order

    def step(self) -> RaceEvent | None:
        """Advance each contestant with work left in this epoch by one of its iterations."""
        if self._done:
            return None
        started = time.perf_counter()
        with np.errstate(all="ignore"):
            event = self._step()
        self.seconds += time.perf_counter() - started
        return event

    def _step(self) -> RaceEvent:
        heats = self._running
        if self._epoch_start:  # every running heat is at the start of an epoch
            self._order = self._rng.permutation(self.n)
            self._xs = self.x[self._order]
            order = self._order
        else:
            order = None
        steps: list[ContestantStep | None] = [None] * len(self.contestants)
        epoch, xs = self.epoch, self._xs
        changed = False  # a heat ended its epoch or lost all its members
        for heat in heats:
            if heat.iteration < heat.iterations_per_epoch and heat.members[0].epoch == epoch:
                heat.step(xs, order, steps)
                changed = changed or heat.iteration == 0 or not heat.members
        self.race_step += 1
        epoch_done = False
        if changed:  # the race epoch, targets, who is left and whether the race is over
            for record in steps:
                if record is not None and record.epoch_logs is not None:
                    m = self.contestants[record.index]
                    if m.reached is None and record.epoch_logs["loss"] <= m.target_loss:
                        m.reached = TargetHit(m.epoch, m.step, m.examples_seen, m.seconds)
                        record.reached_target = True
            heats = self._running = [h for h in self.heats if h.members]
            epoch_done = all(h.iteration == 0 for h in heats)
            if epoch_done:
                self.epoch += 1
            # a heat's members finish together; diverged ones have left it
            self._done = all(h.members[0].status == "finished" for h in heats)
        self._epoch_start = epoch_done
        return RaceEvent(epoch + 1, tuple(steps), epoch_done, self._done)

    def run_epoch(self) -> list[RaceEvent]:
        """Finish the current race epoch (or run a whole one from its start)."""
        events = []
        while not self.done:
            event = self.step()
            events.append(event)
            if event.epoch_done:
                break
        return events

    def run(self, should_stop: Callable[[], bool] | None = None) -> list[Contestant]:
        """Run to the end (or until ``should_stop()``, checked every step); returns the contestants."""
        while not self.done and not (should_stop and should_stop()):
            self.step()
        return self.contestants
