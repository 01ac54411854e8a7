"""The memory and work a setup needs, estimated before anything is allocated, and the budget it must fit.

A setup too big for the machine must be refused with one line before NumPy tries to allocate it
(a ``MemoryError`` traceback in the CLI, a dead app). The estimate counts, in float64 (8 bytes):

    P  parameters   = Σ_l (u_{l-1}·u_l + u_l)          u_0 = F features, u_L = K outputs
    A  activations  = Σ_{l≥1} u_l                       values per sample per pass

    dataset      N·(F + 1 + T) + N·T + N_train·(F + T)  samples, labels, encoded targets (T columns),
                                                        the prepared targets, one epoch's shuffled copy
    parameters   2·P                                    weights and gradients (a race: twice, its
                                                        stack holds a copy of each model)
    optimizer    s·P                                    its slots and scratch, counted on a build
    activations  4·B·A (+ 4·b·A)                        z, a, dz, da per layer for a batch of B
                                                        (and for a last batch b ≠ B)
    validation   2·N_val·A                              z and a of one pass over the validation set
    initial      2·N_train·A (race only)                the initial-loss pass, made before any
                                                        optimizer state or batch buffer exists
    diagnostics  d(P) + t(P)                            the app's and the CLI's diagnostics recorder: what
                                                        it keeps, and one ``take()``'s temporaries (a
                                                        race: every recorder's d, one t;
                                                        ``diagnostics_recorder.recorder_values``)
    history      min(U, BLOCK)                          the export's batch losses kept in memory, U =
                                                        epochs·⌈N_train/B⌉ updates (older ones go to a
                                                        temporary file: ``engine.run_record.BLOCK``)

    peak = dataset + parameters + max(optimizer + activations + validation + diagnostics + history, initial)

and the work of the longest pass that cannot be interrupted (the app stops between steps):

    work = max(6·B·P, 2·N_val·P, 2·N_train·P (race))    floating-point operations

per contestant; a race adds its contestants up, the shared data counted once.

The estimate is within a few percent of what ``tracemalloc`` measures for a whole epoch recorded
as the app and the CLI record it (``tests/engine/test_budget.py``); Python objects and the dataset generators' temporaries add a
little, which the budget's margin absorbs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np

from engine import run_record
from engine.checks import ConfigError
from engine.wording import Wording

FLOAT = 8
"""Bytes per float64, the engine's only dtype."""

GiB = 2 ** 30


def machine_memory() -> int | None:
    """Physical memory in bytes, or ``None`` where the OS does not say."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (AttributeError, ValueError, OSError):
        return None


MEMORY_BUDGET: int = min(4 * GiB, (machine_memory() or 8 * GiB) // 2)
"""The most memory one setup (an experiment, or a race of all its contestants) may need: 4 GiB,
or half the machine's memory if that is less.

Why 4 GiB: the lecture's setups need kilobytes to a few megabytes, and setups a hundred times
larger than any lesson (a million samples, two hidden layers of 1024) stay under 1 GiB — yet
4 GiB leaves the rest of a laptop or a shared SSH box to the app, its plots, the OS and other
users. Half the memory on a small machine keeps any accepted setup out of swap. A fixed number
(rather than "what is free now") gives the same answer on every run of the same machine."""

WORK_BUDGET = 1e11
"""The most floating-point operations one uninterruptible pass may take (a training step, or the
validation pass at an epoch's end): about half a minute at a few GFLOP/s. Training stops, pauses
and redraws only between passes, so a longer pass would freeze the app that long."""


@dataclass(frozen=True)
class Footprint:
    """Estimated bytes per part of a setup, and the work of its longest pass."""

    dataset: int
    parameters: int
    optimizer: int
    activations: int
    validation: int
    initial: int
    """A race's initial-loss pass, made before any optimizer state or batch buffer exists."""
    work: float
    diagnostics: int = 0
    """What the diagnostics recorders the app and the CLI keep (one per run or contestant) hold, plus
    the temporaries of one recorder's ``take()``."""
    passing: int = 0
    """Of ``diagnostics``, the largest ``take()``'s temporaries (counted once in a race: one at a time)."""
    history: int = 0
    """The batch losses the history export keeps in memory (at most ``engine.run_record.BLOCK`` a run)."""

    @property
    def evaluation(self) -> int:
        """Bytes of the larger forward pass over many samples (validation, or a race's initial loss)."""
        return max(self.validation, self.initial)

    @property
    def total(self) -> int:
        """Bytes at the peak: the epoch's last step and its validation pass (everything but the initial
        pass alive), or a race's initial-loss pass (before any optimizer state or recorder) if that is larger."""
        training = self.optimizer + self.activations + self.validation + self.diagnostics + self.history
        return self.dataset + self.parameters + max(training, self.initial)

    def parts(self, most: int = 2) -> str:
        """The ``most`` largest parts, ``"optimizer state 372.5 GiB, parameters 149.0 GiB"``."""
        named = {"dataset": self.dataset, "parameters": self.parameters, "optimizer state": self.optimizer,
                 "activations": self.activations, "evaluation passes": self.evaluation,
                 "diagnostics": self.diagnostics, "history": self.history}
        largest = sorted(named.items(), key=lambda kv: -kv[1])[:most]
        text = None
        for k, v in reversed(largest):  # a Wording of Wordings, so each part's name can be put in other words
            text = Wording("{part} {size}, {more}" if text else "{part} {size}", part=k, size=show_bytes(v),
                           **({"more": text} if text else {}))
        return text or ""


class BudgetError(ConfigError):
    """A setup larger than the memory or work budget (one line, fit for a user)."""


def show_bytes(n: float) -> str:
    """``"512 B"``, ``"3.4 MiB"``, ``"80.0 GiB"``."""
    for unit, size in (("TiB", 2 ** 40), ("GiB", GiB), ("MiB", 2 ** 20), ("KiB", 2 ** 10)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{int(n)} B"


def network_sizes(features: int, hidden, outputs: int) -> tuple[int, int]:
    """``(P, A)``: parameters and activation values per sample of ``features → hidden… → outputs``."""
    units = [int(features), *map(int, hidden), int(outputs)]
    parameters = sum(a * b + b for a, b in zip(units, units[1:]))
    return parameters, sum(units[1:])


def optimizer_arrays(optimizer) -> int:
    """How many parameter-sized arrays ``optimizer`` keeps (slots and scratch), counted on a tiny build.

    A fresh optimizer of its class is built on one small array and its float arrays are
    counted, so a new optimizer's state is counted without anyone listing it by hand (every
    class builds all its slots whatever its settings, so the count is the class's); clipping
    adds one buffer for the clipped gradients.
    """
    clipped = any(x is not None for x in (optimizer.clipnorm, optimizer.clipvalue, optimizer.global_clipnorm))
    count = _STATE_ARRAYS.get(type(optimizer))
    if count is None:
        fresh = type(optimizer)(**optimizer.get_config())
        probe = np.zeros(3)
        fresh.build([probe])
        count = _STATE_ARRAYS[type(optimizer)] = sum(_arrays_in(value, probe.size) for value in vars(fresh).values())
    return count + int(clipped)


_STATE_ARRAYS: dict[type, int] = {}
"""``optimizer_arrays`` per optimizer class, counted once (``fit`` asks on every call)."""


def _arrays_in(value, size: int) -> int:
    if isinstance(value, np.ndarray):
        return int(value.size == size)
    if isinstance(value, (list, tuple)):
        return sum(_arrays_in(v, size) for v in value)
    return 0


def estimate(*, samples: int, features: int, outputs: int, target_columns: int, hidden, train_size: int,
             batch_size: int, optimizer_arrays: int, race: bool = False,
             diagnostics_values: tuple[int, int] = (0, 0), updates: int = 0) -> Footprint:
    """One contestant's footprint (see the module docstring); ``total`` adds up a race's.

    Args:
        samples: N, all samples (training and validation).
        features: F.
        outputs: K, units of the output layer.
        target_columns: T, columns of the encoded targets (K for one-hot, else 1).
        hidden: the hidden layer sizes.
        train_size: N_train (N_val = N − N_train).
        batch_size: B, already resolved (``"full"`` → N_train).
        optimizer_arrays: ``optimizer_arrays(optimizer)``.
        race: one of a race's contestants (its model is also copied into the race's stack, and its
            initial loss is a forward pass over the training set).
        diagnostics_values: ``(held, passing)`` float64 values of its diagnostics recorder
            (``diagnostics_recorder.recorder_values``; zeros: none recorded).
        updates: U, the updates of the whole run (epochs · iterations per epoch) its history export
            records; at most ``engine.run_record.BLOCK`` of their losses stay in memory (zero: none recorded).
    """
    n, f, t = int(samples), int(features), int(target_columns)
    p, a = network_sizes(f, hidden, outputs)
    b = max(1, min(int(batch_size), train_size))
    last = train_size - (-(-train_size // b) - 1) * b
    n_val, initial = n - train_size, train_size if race else 0
    return Footprint(
        dataset=FLOAT * (n * (f + 1 + t) + n * t + train_size * (f + t)),
        parameters=FLOAT * 2 * p * (2 if race else 1),
        optimizer=FLOAT * p * int(optimizer_arrays),
        activations=FLOAT * 4 * a * (b + (last if last != b else 0)),
        validation=FLOAT * 2 * n_val * a,
        initial=FLOAT * 2 * initial * a,
        work=max(6.0 * b * p, 2.0 * max(n_val, initial) * p),
        diagnostics=FLOAT * sum(diagnostics_values),
        passing=FLOAT * diagnostics_values[1],
        history=FLOAT * min(int(updates), run_record.BLOCK),
    )


def total(footprints: list[Footprint]) -> Footprint:
    """A race's footprint: the contestants' parts added up, the data (shared) counted once."""
    return Footprint(
        dataset=max(fp.dataset for fp in footprints),
        parameters=sum(fp.parameters for fp in footprints),
        optimizer=sum(fp.optimizer for fp in footprints),
        activations=sum(fp.activations for fp in footprints),
        validation=sum(fp.validation for fp in footprints),
        initial=sum(fp.initial for fp in footprints),
        work=sum(fp.work for fp in footprints),
        diagnostics=sum(fp.diagnostics - fp.passing for fp in footprints) + max(fp.passing for fp in footprints),
        passing=max(fp.passing for fp in footprints),
        history=sum(fp.history for fp in footprints),
    )


def check_model(units: list[int], features: int, optimizer=None, *, samples: int = 0, train_size: int = 0,
                batch_size: int = 1, target_columns: int = 1) -> Footprint:
    """``check`` for a model built through the Python API (``Sequential``), before its arrays exist.

    Args:
        units: the ``Dense`` layers' sizes, the output layer last.
        features: inputs per sample.
        optimizer: the compiled optimizer (its state is counted), or ``None``.
        samples, train_size, batch_size, target_columns: as in ``estimate``, when ``fit`` is about to
            train on data (zero samples: the model's own arrays only).

    Raises ``BudgetError`` with ``check``'s one line, saying "this model". Only memory is
    checked: the work budget keeps the app and the CLI responsive between steps, and a script
    may well want one long step.
    """
    arrays = 0 if optimizer is None else optimizer_arrays(optimizer)
    return check(estimate(samples=samples, features=features, outputs=units[-1], target_columns=target_columns,
                          hidden=units[:-1], train_size=train_size, batch_size=batch_size,
                          optimizer_arrays=arrays), "this model", work=False)


def check(footprint: Footprint, what: str = "this setup", work: bool = True) -> Footprint:
    """``footprint`` if it fits ``MEMORY_BUDGET`` and (with ``work``) ``WORK_BUDGET``, else a one-line
    ``BudgetError``."""
    if footprint.total > MEMORY_BUDGET:
        raise BudgetError(Wording("{what} needs about {need} of memory ({parts}, …), more than the {budget} budget: "
                                  "use fewer samples, smaller layers or a smaller batch", what=what,
                                  need=show_bytes(footprint.total), parts=footprint.parts(),
                                  budget=show_bytes(MEMORY_BUDGET)))
    if work and footprint.work > WORK_BUDGET:
        raise BudgetError(Wording("{what} needs about {work} floating-point operations in one step or validation pass, "
                                  "more than the {budget} budget (training pauses and stops only between passes): "
                                  "use smaller layers, a smaller batch or fewer samples", what=what,
                                  work=f"{footprint.work:.1e}", budget=f"{WORK_BUDGET:.0e}"))
    return footprint
