"""``Race``: K contestants trained in lockstep on the same data, initial weights and batch order.

Lockstep. The race runs epoch by epoch; all contestants finish epoch e before any starts e+1,
and one shuffled order (``default_rng([seed, 1]).permutation(n)``, drawn once per epoch, as a
solo ``Trainer`` draws it) is shared by all. ``step()`` advances every contestant that still
has work in the current epoch by one of *its own* iterations. When batch sizes differ, a
contestant with fewer iterations per epoch (B = N: one) waits, untouched, while the others
finish the epoch; its ``StepEvent`` is then ``None``.

Cost. Contestants with the same architecture, loss and batch size form a ``Heat`` (the training
core's step, which a solo ``Trainer`` runs as a heat of one): one ``Stack`` whose forward and
backward passes are one batched matmul per layer for all of them; only the optimizer updates run
one by one, each on its own contiguous row.

Two cores. A race long enough to pay for it whose contestants share their batch size
(``engine.race.partnering``) hands half of them to a second process that runs ahead in bursts
(``engine.race.partner``); ``run`` and ``run_epoch`` step in bursts, ``step`` in bursts of one.

Exactness. Each contestant's history, status and weights are those of a solo ``Trainer`` with
its config (bit for bit; ``tests/engine/test_race.py`` proves it for every optimizer), in one
process or two (``tests/engine/test_race_partner.py``).
"""

from __future__ import annotations

import os
import sys
import time
import weakref
from collections.abc import Callable, Sequence

import numpy as np

from engine import budget, checks, run_length
from engine.experiment import footprint, load_dataset
from engine.core.event import StepEvent
from engine.race.contestant import Contestant, RaceEvent, TargetHit
from engine.race.fields import Entry
from engine.race.heats import by_formula, check_entries, line_up
from engine.race import partnering
from engine.race.partner import Partner

BURST_SECONDS = 0.02
"""About how long ``run(should_stop)``'s bursts last with a second process (at least ``BURST_STEPS``
steps): ``should_stop`` is checked between them."""

BURST_STEPS = 64

TARGET_FRACTION = 0.5
"""Default target: half of each contestant's initial loss (its loss on the training set before
any update). A contestant reaches the target when an epoch's training ``loss`` is ≤ it."""


class Race:
    """Trains ``entries`` in lockstep; a step machine like ``Trainer``.

    Args:
        entries: ``Entry(label, config)`` per contestant (see ``engine.race.fields.entries``).
            Configs must share ``SHARED`` fields (data, network, epochs, split, seed); labels
            must be unique and no two contestants may have the same settings.
        target_loss: the loss each contestant races to; ``None`` → ``target_fraction`` of its
            own initial loss (so losses of different scales get comparable targets).
        processes: 1 → one process; 2 → half the contestants step in a second process whenever
            one can be used (``engine.race.partnering``: a fork from a process with one thread, every
            contestant with the same batch size, the race not started); ``None`` (default) → 2 for a
            race of at least ``partnering.PARTNER_STEPS`` steps of small networks while a core is spare,
            else 1. The environment variable ``DESCEND_RACE_PROCESSES`` (1 or 2) overrides ``None``.

    ``step()`` → ``RaceEvent`` (``None`` when done); ``run_epoch()`` → the events finishing the
    current epoch; ``run(should_stop=None)`` → to the end or until ``should_stop()`` is true
    (checked between steps, or with a second process between bursts of about ``BURST_SECONDS``,
    so a worker thread can be stopped with a ``threading.Event``).
    Between any two calls the caller may pause, read every contestant, or change an
    optimizer's hyperparameters. Raises ``ConfigError`` (one line) for unusable entries.
    ``close()`` ends a second process (it also ends with the race, and with this process). An
    exception in the middle of a burst (an error in either process, ctrl+c) ends the second
    process and the race with it: the two halves then stand at different steps.

    Attributes: ``contestants`` (``Contestant`` per entry, in order: live state, ``history``,
    ``get_weights()``, ``predict(x)``), ``config`` (the first entry's config: the shared
    settings), ``dataset``, ``x`` (training features), ``targets`` and ``validation_data`` (per
    contestant, as its loss prepared them), ``n`` (training samples), ``epochs``, ``epoch`` (completed race
    epochs), ``race_step`` (``step()`` calls so far), ``seconds`` (wall time in ``step``),
    ``batch_order`` (this epoch's permutation), ``heats`` (the stacked groups, and the ``partner``
    that steps the second process's half, ``None`` in one process), ``done``.
    """

    def __init__(self, entries: Sequence[Entry], *, target_loss: float | None = None,
                 target_fraction: float = TARGET_FRACTION, processes: int | None = None):
        entries = list(entries)
        self.config = base = check_entries(entries)
        self.dataset = load_dataset(base) if base.reads_csv else None  # a CSV loader checks its file itself
        budget.check(footprint([e.config for e in entries], self.dataset), "this race")
        self.dataset = self.dataset or load_dataset(base)
        self.contestants, self.heats = line_up(entries, self.dataset)
        heat_of = {m.index: heat for heat in self.heats for m in heat.members}
        self.targets = tuple(heat_of[c.index].y for c in self.contestants)
        """Per contestant (race order), its training targets ``y`` as its loss prepared them (one-hot, …)."""
        self.validation_data = tuple(heat_of[c.index].validation for c in self.contestants)
        """Per contestant, its validation data ``(x, y)`` (``(x, y, sample_weight)`` with class weights), or None."""
        self.partner: Partner | None = None
        """The second process's side of the race, once it steps part of it (``engine.race.partner``)."""
        self._processes = processes if processes is not None else int(os.environ.get("DESCEND_RACE_PROCESSES", 0)) or None
        self._running = list(self.heats)  # the heats with members left
        self._epoch_start = True
        self.x, self.n, self.epochs = self.heats[0].x, self.heats[0].n, base.epochs
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

    def extend(self, epochs: int) -> None:
        """Race ``epochs`` more epochs: every contestant that has not diverged goes on as a solo
        ``Trainer.extend`` does (Keras's ``fit(initial_epoch=…)``), over the same stream of batch orders,
        so a race of E epochs extended by F is bit for bit one race of E + F. ``ValueError`` if every
        contestant has diverged (there is nothing to continue: reset it)."""
        checks.whole_number("epochs", epochs, minimum=1, error=ValueError)
        if all(c.status == "diverged" for c in self.contestants):
            raise ValueError("every contestant has diverged: reset the race")
        self.set_epochs(self.epochs + int(epochs))

    def set_epochs(self, epochs: int) -> int:
        """Make the race ``epochs`` epochs long, between any two steps (``engine.run_length``): more
        continue it; fewer than it has started end it at the end of the race epoch in progress.
        Returns the length it now has (``self.epochs``)."""
        checks.whole_number("epochs", epochs, minimum=1, error=ValueError)
        self.epochs = max(int(epochs), self.epoch + (0 if self._epoch_start else 1))
        for c in self.contestants:
            run_length.set_length(c, self.epochs)
        if self.partner is not None:
            self.partner.set_epochs(self.epochs)
        self._done = all(c.done for c in self.contestants)
        return self.epochs

    def step(self) -> RaceEvent | None:
        """Advance each contestant with work left in this epoch by one of its iterations."""
        if self._done:
            return None
        if self._partnered(auto=False):
            return self._burst(1, [])[0]
        return self._step_timed()

    def _step_timed(self) -> RaceEvent:
        started = time.perf_counter()
        with np.errstate(all="ignore"):
            event = self._step()
        self.seconds += time.perf_counter() - started
        return event

    def _step(self) -> RaceEvent:
        heats = self._running
        if self._epoch_start:  # every running heat is at the start of an epoch
            self._order = self._rng.permutation(self.n)
            self._xs = self.x.take(self._order, axis=0)  # x[order], a tenth of the cost
            order = self._order
        else:
            order = None
        steps: list[StepEvent | None] = [None] * len(self.contestants)
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
        if self._done:
            return events
        if self._partnered():  # every heat has the same iterations per epoch: it ends in n steps
            heat = self._running[0]
            return self._burst(heat.iterations_per_epoch - heat.iteration, events)
        while not self._done:
            event = self._step_timed()
            events.append(event)
            if event.epoch_done:
                break
        return events

    def run(self, should_stop: Callable[[], bool] | None = None) -> list[Contestant]:
        """Run to the end (or until ``should_stop()``, checked every step or between bursts); returns the contestants."""
        if self._done or (should_stop and should_stop()):
            return self.contestants
        if not self._partnered():  # decided once: a race goes on in the processes it started in
            while not self._done and not (should_stop and should_stop()):
                self._step_timed()
        elif should_stop is None:
            self._burst(sys.maxsize, None)  # one burst to the end
        else:
            while not self._done and not should_stop():
                per_step = self.seconds / self.race_step if self.race_step else 1e-4
                self._burst(max(BURST_STEPS, int(BURST_SECONDS / max(per_step, 1e-9))), None)
        return self.contestants

    def close(self) -> None:
        """End the second process, if there is one (the race can no longer step then)."""
        if self.partner is not None:
            self.partner.close()

    # -- two processes (engine.race.partner) ---------------------------------------------------------
    def _partnered(self, auto: bool = True) -> bool:
        """Whether a second process steps part of the race, starting it at the race's first step if it
        should (``auto``: when the race is long enough, else only if ``processes=2`` asks for it:
        ``step`` alone gains nothing from it, a round trip each step)."""
        if self.partner is not None:
            return True
        if self.race_step or not partnering.wanted(self.contestants, self.heats, self.x, self.epochs, self._processes,
                                                   auto):
            return False
        theirs = by_formula(self.contestants)[::2]  # every other one: the two halves cost about the same
        self.partner = Partner(self, theirs, self.heats[0])  # one batch size: any heat's batches are all's
        weakref.finalize(self, self.partner.close)
        self.keep_only([c.index for c in self.contestants if c not in theirs])
        self.heats = self._running = self.heats + [self.partner]
        return True

    def keep_only(self, indices: list[int]) -> None:
        """Before the first step: step only the contestants at ``indices`` (a ``Partner`` steps the others,
        or, in the partner process, the parent does), in this process: the others leave their heats'
        stacks (``Heat.keep``), and a heat left with none goes."""
        wanted = set(indices)
        keep = [c for c in self.contestants if c.index in wanted]
        for heat in self.heats:
            heat.keep(keep)
        self.heats = [heat for heat in self.heats if heat.members]
        self._running = list(self.heats)
        self._processes = 1

    def _burst(self, n: int, events: list | None) -> list | None:
        """``n`` steps (fewer if the race ends) with the second process running ahead; ``events``
        collects their ``RaceEvent``s if given. Between bursts both processes stand at one step."""
        partner = self.partner
        if partner.process is None:
            raise RuntimeError("this race's second process has ended: the race cannot step")
        partner.begin(n, quiet=events is None)
        try:
            for _ in range(n):
                if self._done:
                    break
                event = self._step_timed()
                if events is not None:
                    events.append(event)
            partner.settle()
        except BaseException:
            partner.close()  # mid-burst the two processes stand at different steps: the race ends here
            raise
        return events

