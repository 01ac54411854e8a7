"""Suite-wide settings: one BLAS thread, the garbage collector tuned for a test process that starts ~150 Textual
apps, bytecode cached.

NumPy's OpenBLAS splits a matrix product over every core from a few hundred rows up (the over-fitting
lesson's 160 × 64 layers), and its threads spin while they wait. On two cores shared by three xdist
workers that spinning is pure loss: the over-fitting lesson's 200 full-batch steps took 0.70 s of CPU
with the default threads and 0.10 s with one (the engine tests 13.0 → 10.0 s). ``OPENBLAS_NUM_THREADS``
is set here, before anything imports NumPy (the xdist workers inherit it, as do the CLI tests'
subprocesses), unless the environment already sets it. A product summing over a thousand rows or more
(a weight gradient of a big batch) may differ from a threaded one in its last bits, its sum split
otherwise; the tests compare runs made in one process with each other, and references within tolerances.

A Textual app allocates a great many short-lived objects (segments, strips, styles, messages), so with
the default thresholds the collector runs a full pass over every live object (the imported modules of
numpy, Textual, Rich, the engine) again and again: about a third of the Pilot tests' CPU time. After
collection the imported objects are frozen (never scanned again) and the youngest generation is
collected every 50,000 allocations instead of 700. What the tests check is unchanged: cycles are
still collected, only less often. After the last test, one collection, then a freeze again: pytest's check for
exceptions raised in finalizers (its unraisableexception plugin) then makes its five full collections over what
its own cleanup leaves, not five times over everything the tests left alive (0.15-0.3 s of CPU each in a
worker after a quarter of the suite). Its hook still catches what our collection finalizes, and reports it.

Bytecode is cached even where PYTHONDONTWRITEBYTECODE is set (as on the team's machines): every xdist worker
imports every test module, and pytest rewrites each one's asserts before compiling it (≈ 2 s CPU a process for
the suite's ~2,300 asserts, plus ≈ 0.3 s compiling engine/ and tui/); with the variable set, each worker of
each run redid all of it. The caches are the usual ``__pycache__`` folders (git ignores them), checked
against each source file's size and time as Python always does; the app outside the suite is unaffected.
"""

from __future__ import annotations

import gc
import os
import sys

sys.dont_write_bytecode = False  # before any test module or engine/tui module is imported: see below
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before anything imports NumPy

GEN0_THRESHOLD = 50_000
"""Allocations between two collections of the youngest generation (Python's default: 700)."""


def pytest_configure(config) -> None:
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(GEN0_THRESHOLD, gen1, gen2)


def pytest_collection_finish(session) -> None:
    gc.collect()
    gc.freeze()


def pytest_unconfigure(config) -> None:
    gc.collect()  # before the cleanup that holds pytest's five collections: see above
    gc.freeze()
