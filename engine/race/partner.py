"""``Partner``: part of a race's contestants stepped in a second process, so a long race uses two cores.

Why. A race of K contestants costs a solo run's step plus each contestant's share of the stacked
passes and its own optimizer update (6 optimizers, 2-16-16-1, B = 32: about 2.1 solo steps). The
contestants are independent given the batch order, which is deterministic (the seed), so half of
them can run in another process. Asking it for each step would cost a pipe round trip (15–17 µs)
against the ≈ 55 µs it saves, so it runs ahead instead.

How. The partner process builds a ``Race`` of its contestants' entries (the same data, initial
weights and batch orders: every one follows from the configs) and steps it in *bursts*:
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
from engine.race.fields import Entry

BLOCK = 32
"""Steps per message from the partner while it runs ahead."""


def possible() -> bool:
    """Whether a partner process can be forked safely here: Linux-like ``fork``, one thread."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1


class Partner:
    """The parent's side of the partner process: a heat whose members are stepped over there.

    Args:
        members: the contestants it steps (parent-side objects; their ``history``, counters,
            ``optimizer`` state and weights are kept up to date from the partner's results).
        source: a ``Trainer`` of the same data and batch size (``batch_size``, ``n``,
            ``iterations_per_epoch``), as a ``Heat`` is given.
    """

    def __init__(self, members: list, source):
        self.all = list(members)
        self.members = list(members)
        self.iterations_per_epoch = source.iterations_per_epoch
        self.batches = [min(source.batch_size, source.n - lo) for lo in range(0, source.n, source.batch_size)]
        self.iteration = 0
        for row, m in enumerate(members):
            m.partner_row = row  # its place in the partner's race
        for m in members:  # a one-row stack each (their outputs may differ: a loss race), the partner's
            m._stack, m._row = Stack.of([m.model]), 0  # weights and gradients as of the last burst's end
        self._sent = [m.optimizer.get_config() for m in members]
        self._pending: deque = deque()
        """The partner's per-step results received and not yet taken, oldest first."""
        ctx = multiprocessing.get_context("fork")
        self._conn, child = ctx.Pipe()
        entries = [Entry(m.label, m.config) for m in members]
        self.process = ctx.Process(target=serve, args=(child, entries, os.getpid()),
                                   name="descend race partner", daemon=True)
        self.process.start()
        child.close()

    # -- bursts ---------------------------------------------------------------------------------
    def begin(self, n: int) -> None:
        """Start a burst of up to ``n`` steps over there, after sending any change made since the last one."""
        changes = []
        for row, m in enumerate(self.all):
            config = m.optimizer.get_config()
            if config != self._sent[row]:
                changes.append((row, {k: v for k, v in config.items() if self._sent[row].get(k) != v}))
                self._sent[row] = config
        if changes:
            self._conn.send(("set", changes))
        self._conn.send(("run", n))

    def settle(self) -> None:
        """End the burst: take the partner's state (weights, gradients, optimizers) at its last step."""
        while True:
            message = self._receive()
            if message[0] == "end":
                break
            self._pending.extend(message[1])
        if self._pending:
            raise RuntimeError(f"the race's partner process made {len(self._pending)} steps the race did not take")
        state = message[1]
        for row, (params, grads, optimizer) in enumerate(state):
            m = self.all[row]
            if params is not None:
                m._stack.params[0] = params
                m._stack.grads[0] = grads
            m.optimizer.__dict__.update(optimizer)
            self._sent[row] = m.optimizer.get_config()

    def set_epochs(self, epochs: int) -> None:
        """The race's new length, for the partner's race too (between bursts)."""
        self._conn.send(("epochs", epochs))

    def close(self) -> None:
        """End the partner process (idempotent)."""
        if self.process is None:
            return
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
        first = self.members[0]
        epoch, step, seen, ipe = first.epoch + 1, first.step + 1, first.examples_seen + size, self.iterations_per_epoch
        left = False
        for m in self.members:
            loss, status, logs, seconds, diverged = record[m.partner_row]
            m.iteration, m.step, m.examples_seen, m.seconds = iteration, step, seen, seconds
            if logs is not None:
                m.history.append(m.epoch, logs)
                m.epoch += 1
                m.iteration = 0
            m.history.status = status
            if diverged is not None:
                m.history.diverged_at, m._frozen = diverged
                left = True
            events[m.index] = StepEvent(epoch, iteration, ipe, step, seen, size, loss, logs, status,
                                        m.index, m.label, seconds)
        if iteration == ipe:
            self.iteration = 0
        if left:
            self.members = [m for m in self.members if m.status != "diverged"]


def serve(conn, entries: list, parent: int) -> None:
    """The partner process: a ``Race`` of ``entries`` stepped in bursts as the parent asks (see the module)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # ctrl+c reaches the whole process group: the parent decides
    _die_with(parent)
    try:
        from engine.race.race import Race

        race = Race(entries, processes=1)
        while True:
            try:
                message = conn.recv()
            except EOFError:
                return
            kind = message[0]
            if kind == "run":
                _burst(conn, race, message[1])
            elif kind == "set":
                for row, changes in message[1]:
                    optimizer = race.contestants[row].optimizer
                    for name, value in changes.items():
                        setattr(optimizer, name, value)
            elif kind == "epochs":
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


def _burst(conn, race, n: int) -> None:
    """Up to ``n`` steps of ``race``, their results sent in blocks, then its state (``Partner.settle``)."""
    contestants = race.contestants
    block = []
    for _ in range(n):
        event = race.step()
        if event is None:
            break
        record = []
        for c, s in zip(contestants, event.steps):
            if s is None:
                record.append(None)
            else:
                diverged = (c.diverged_at, c._frozen) if s.status == "diverged" else None
                record.append((s.loss, s.status, s.epoch_logs, s.seconds, diverged))
        block.append(record)
        if len(block) == BLOCK:
            conn.send(("steps", block))
            block = []
    state = [(None, None, vars(c.optimizer)) if c._frozen is not None else (c.params, c.grads, vars(c.optimizer))
             for c in contestants]
    if block:
        conn.send(("steps", block))
    conn.send(("end", state))


def _die_with(parent: int) -> None:
    """Ask Linux to end this process when its parent ends (and end now if it already has)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if os.getppid() != parent:
        os._exit(0)
