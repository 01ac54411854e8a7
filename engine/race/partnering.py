"""Whether a race steps half its contestants in a second process (``engine.race.partner``): when it can, and
when it pays.

A race decides at its first step, by its ``processes``:

    1       never
    2       whenever it can: a fork is safe here (``possible``: one thread), two contestants or more, one batch
            size (the partner counts every member's batches as its first source's), training data of at
            most ``PARTNER_DATA_BYTES``
    None    as 2, and only when it pays: at least ``PARTNER_STEPS`` steps, small networks
            (``PARTNER_PARAMETER_BYTES``), and a core to spare (``spare_core``)

``step`` alone takes one only when ``processes`` is 2: it gains nothing from it, a round trip each step.
"""

from __future__ import annotations

import os

import numpy as np

from engine.race.partner import possible

PARTNER_STEPS = 3000
"""Fewest steps a race needs for a second process to pay for its start (``processes=None``)."""

PARTNER_DATA_BYTES = 64 * 2**20
"""Most training data (``x``) a race may have to take a second process (``processes=None``)."""

PARTNER_PARAMETER_BYTES = 8 * 2**20
"""Most bytes all contestants' parameters together may take for a second process (``processes=None``):
the partner holds copies of its half's weights, gradients and optimizer state on both sides, beyond
the memory budget's estimate (``engine.budget``), so only small networks get one."""


def wanted(contestants: list, heats: list, x: np.ndarray, epochs: int, processes: int | None, auto: bool) -> bool:
    """Whether a race of ``contestants`` in ``heats`` on training data ``x``, ``epochs`` long, not yet started,
    takes a second process now (the module's rules); ``auto``: asked by ``run`` or ``run_epoch``, not ``step``."""
    if processes == 1 or len(contestants) < 2 or not possible() or not (auto or processes == 2):
        return False
    ipe = {c.iterations_per_epoch for c in contestants}
    if len(ipe) > 1 or len({c.batch_size for c in contestants}) > 1 or x.nbytes > PARTNER_DATA_BYTES:
        return False
    return processes is not None or (epochs * ipe.pop() >= PARTNER_STEPS and spare_core() and
                                     sum(h.stack.params.nbytes for h in heats) <= PARTNER_PARAMETER_BYTES)


def spare_core() -> bool:
    """Whether a second core looks free: the last minute's load average is below the cores this
    process may run on, less the one it uses (on a busy machine two processes only wait on each other)."""
    return os.getloadavg()[0] < len(os.sched_getaffinity(0)) - 1
