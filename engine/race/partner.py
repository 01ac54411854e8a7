"""``Partner``: part of a race's contestants stepped in a second process, so a long race uses two cores.

Why. A race of K contestants costs a solo run's step plus each contestant's share of the stacked
passes and its own optimizer update (6 optimizers, 2-16-16-1, B = 32: about 2.1 solo steps). The
contestants are independent given the batch order, which is deterministic (the seed), so half of
them can run in another process. Asking it for each step would cost a pipe round trip (15–17 µs)
against the ≈ 55 µs it saves, so it runs ahead instead.

How. The partner process is a fork of the race's process before its first step: it keeps the race
with only its own contestants in its heats (the same data, initial weights and batch orders, nothing
built again) and steps it in *bursts*:
``("run", n)`` makes up to n steps and sends back compact per-step results in blocks as it goes
(each moving contestant's batch loss, status, epoch logs, seconds; a diverging one's frozen
weights), then its live state (weights, gradients, optimizers) at the burst's end. The parent steps
its own contestants meanwhile and takes the partner's results step by step (``step``: a heat's
bookkeeping, fed by the partner). Between bursts both processes stand at the same step and the
parent's copies of the partner's contestants hold their state, so whatever is read or changed
between two bursts (weights, an optimizer's hyperparameters, the race's length) is exact: a
change is sent before the next burst starts. Results are bit for bit those of one process.

Lifetime. The process is forked (only from a process with one thread: forking a threaded one is
unsafe), ignores ctrl+c (the parent decides), dies with its parent (``PR_SET_PDEATHSIG``, and end
of file on its pipe) and ends with ``close``. An exception in it is raised again by the parent.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import traceback
from collections import deque

from engine.core.event import StepEvent
from engine.core.stack import Stack

BLOCK = 32
"""Steps per message from the partner while it runs ahead."""

QUIET_BLOCK = 256
"""Steps per message in a quiet burst (most are a bare ``None``)."""


def possible() -> bool:
    """Whether a partner process can be forked safely here: Linux-like ``fork``, one thread."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


class Partner:
    """The parent's side of the partner process: a heat whose members are stepped over there.

    Args:
        race: the race, not yet started; the partner process is forked from it.
        members: the contestants it steps (parent-side objects; their ``history``, counters,
            ``optimizer`` state and weights are kept up to date from the partner's results).
        source: the race's first heat (``race.heats[0]``): its data and batch size (``batch_size``, ``n``,
            ``iterations_per_epoch``).
    """

    def __init__(self, race, members: list, source):
        self.all = list(members)
        self.members = list(members)
        self.iterations_per_epoch = source.iterations_per_epoch
        self.batches = [min(source.batch_size, source.n - lo) for lo in range(0, source.n, source.batch_size)]
        self.rows = list(range(len(members)))
        """Each member's place in the partner's results (``members[i]`` is ``all[rows[i]]``)."""
        self.iteration = self.step_count = self.examples_seen = 0
        """The members' counters, the same for all that still run (as a heat's)."""
        self._sent = [m.optimizer.get_config() for m in members]
        self._pending: deque = deque()
        """The partner's per-step results received and not yet taken, oldest first."""
        self._bursting = False
        """A burst has begun and not been settled: the partner is stepping, deaf to messages."""
        ctx = multiprocessing.get_context("fork")
        self._conn, child = ctx.Pipe()
        self.process = ctx.Process(target=serve, args=(child, self._conn, race, [m.index for m in members], os.getpid()),
                                   name="descend race partner", daemon=True)
        self.process.start()  # the fork: over there the members stay bound to their heats' stacks
        child.close()
        for m in members:  # here, a one-row stack each (their outputs may differ: a loss race) holding the
            m.attach(Stack.of([m.model]), 0)  # partner's weights and gradients as of the last burst's end

    # -- bursts ---------------------------------------------------------------------------------
    def begin(self, n: int, quiet: bool = False) -> None:
        """Start a burst of up to ``n`` steps over there, after sending any change made since the last one.
        ``quiet``: no one reads this burst's events, so only the steps that end an epoch or change a
        status come with the members' results (the others leave their ``StepEvent`` out)."""
        changes = []
        for row, m in enumerate(self.all):
            config = m.optimizer.get_config()
            if config != self._sent[row]:
                changes.append((row, {k: v for k, v in config.items() if self._sent[row].get(k) != v}))
                self._sent[row] = config
        if changes:
            self._conn.send(("set", changes))
        self._conn.send(("run", n, quiet))
        self._bursting = True

    def settle(self) -> None:
        """End the burst: take the partner's state (weights, gradients, optimizers) at its last step."""
        while True:
            message = self._receive()
            if message[0] == "end":
                break
            self._pending.extend(message[1])
        self._bursting = False
        if self._pending:
            raise RuntimeError(f"the race's partner process made {len(self._pending)} steps the race did not take")
        state = message[1]
        for m in self.members:
            m.iteration, m.step, m.examples_seen = self.iteration, self.step_count, self.examples_seen
        for row, (params, grads, optimizer, seconds, status) in enumerate(state):
            m = self.all[row]
            if params is not None:
                m.params[...] = params  # its row of its own stack (a view)
                m.grads[...] = grads
            m.optimizer.__dict__.update(optimizer)
            m.seconds, m.history.status = seconds, status
            self._sent[row] = m.optimizer.get_config()

    def set_epochs(self, epochs: int) -> None:
        """The race's new length, for the partner's race too (between bursts)."""
        self._conn.send(("epochs", epochs))

    def close(self) -> None:
        """End the partner process (idempotent): asked between bursts, killed in the middle of one."""
        if self.process is None:
            return
        if self._bursting:
            self.process.kill()
        else:
            try:
                self._conn.send(("close",))
            except OSError:
                pass
        self._conn.close()
        self.process.join(timeout=1)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.process = None

    def _receive(self):
        try:
            message = self._conn.recv()
        except EOFError:
            raise RuntimeError("the race's partner process ended unexpectedly") from None
        if message[0] == "error":
            _, error, text = message
            if isinstance(error, BaseException):
                error.add_note(f"in the race's partner process:\n{text}")
                raise error
            raise RuntimeError(f"in the race's partner process: {text}")
        return message

    # -- one step, as ``Heat.step`` reports it ---------------------------------------------------
    def step(self, xs, order, events: list) -> None:
        """Put each member's ``StepEvent`` for this race step at ``events[m.index]``, from the partner's results."""
        pending = self._pending
        while not pending:
            message = self._receive()
            if message[0] == "end":
                raise RuntimeError("the race's partner process ended its burst before the race did")
            pending.extend(message[1])
        record = pending.popleft()
        size = self.batches[self.iteration]
        self.iteration = iteration = self.iteration + 1
        self.step_count = step = self.step_count + 1
        self.examples_seen = seen = self.examples_seen + size
        ipe = self.iterations_per_epoch
        if iteration == ipe:
            self.iteration = 0
        if record is not None:
            self._report(record, iteration, step, seen, size, events)

    def _report(self, record: list, iteration: int, step: int, seen: int, size: int, events: list) -> None:
        """The members' state and ``StepEvent``s after a step, from the partner's ``record`` of it."""
        epoch, ipe = self.members[0].epoch + 1, self.iterations_per_epoch
        left = False
        for m, row in zip(self.members, self.rows):
            loss, status, logs, seconds, diverged = record[row]
            m.iteration, m.step, m.examples_seen, m.seconds = iteration, step, seen, seconds
            if logs is not None:
                m.history.append(m.epoch, logs)
                m.epoch += 1
                m.iteration = 0
            m.history.status = status
            if diverged is not None:
                m.history.diverged_at, weights = diverged
                m.freeze(weights)
                left = True
            events[m.index] = StepEvent(epoch, iteration, ipe, step, seen, size, loss, logs, status,
                                        m.index, m.label, seconds)
        if left:
            self.rows = [row for m, row in zip(self.members, self.rows) if m.status != "diverged"]
            self.members = [m for m in self.members if m.status != "diverged"]


def serve(conn, parents_end, race, indices: list[int], parent: int) -> None:
    """The partner process: ``race`` (forked) stepped in bursts for the contestants at ``indices``
    only, as the parent asks on ``conn`` (see the module). ``parents_end``, the pipe's other end
    (forked too), is closed at once: the parent's end must be the last, so its death ends the pipe."""
    parents_end.close()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ctrl+c reaches the whole process group: the parent decides
    if not _die_with(parent):
        return
    try:
        race.keep_only(indices)
        while True:
            try:
                message = conn.recv()
            except EOFError:
                return
            kind = message[0]
            if kind == "run":
                _burst(conn, race, indices, *message[1:])
            elif kind == "set":
                for row, changes in message[1]:
                    optimizer = race.contestants[indices[row]].optimizer
                    for name, value in changes.items():
                        setattr(optimizer, name, value)
            elif kind == "epochs":  # for the contestants it steps (the others are the parent's)
                race.set_epochs(message[1])
            else:
                return
    except BaseException as exc:  # noqa: BLE001 — every failure goes back to the parent as the race's error
        text = traceback.format_exc()
        try:
            conn.send(("error", exc, text))
        except Exception:  # the exception does not pickle, or the parent is gone
            try:
                conn.send(("error", None, text))
            except OSError:
                pass


def _burst(conn, race, indices: list[int], n: int, quiet: bool) -> None:
    """Up to ``n`` steps of ``race``, their results sent in blocks, then its state (``Partner.settle``).
    ``quiet``: a step that ends no epoch and changes no status is sent as ``None``."""
    contestants = [race.contestants[i] for i in indices]
    block = []
    if all(c.done for c in contestants):  # the race's length changed, but none of these goes on
        n = 0
    for _ in range(n):
        event = race.step()
        if event is None:
            break
        steps = [event.steps[i] for i in indices]
        if quiet and not event.epoch_done and all(s is None or s.status == "running" for s in steps):
            block.append(None)
            if len(block) == QUIET_BLOCK:
                conn.send(("steps", block))
                block = []
            continue
        record = []
        for c, s in zip(contestants, steps):
            if s is None:
                record.append(None)
            else:
                diverged = (c.diverged_at, c.get_weights()) if s.status == "diverged" else None
                record.append((s.loss, s.status, s.epoch_logs, s.seconds, diverged))
        block.append(record)
        if len(block) == BLOCK:
            conn.send(("steps", block))
            block = []
    state = [(None, None) + rest if c.status == "diverged" else (c.params, c.grads) + rest
             for c in contestants for rest in [(vars(c.optimizer), c.seconds, c.status)]]
    if block:
        conn.send(("steps", block))
    conn.send(("end", state))


def _die_with(parent: int) -> bool:
    """Ask Linux to end this process when its parent ends; False if the parent has already ended."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    return os.getppid() == parent
