"""Suite-wide settings: the garbage collector tuned for a test process that starts ~150 Textual apps.

A Textual app allocates a great many short-lived objects (segments, strips, styles, messages), so with
the default thresholds the collector runs a full pass over every live object (the imported modules of
numpy, Textual, Rich, the engine) again and again: about a third of the Pilot tests' CPU time. After
collection the imported objects are frozen (never scanned again) and the youngest generation is
collected every 50,000 allocations instead of 700. What the tests check is unchanged: cycles are
still collected, only less often.
"""

from __future__ import annotations

import gc

GEN0_THRESHOLD = 50_000
"""Allocations between two collections of the youngest generation (Python's default: 700)."""


def pytest_configure(config) -> None:
    _, gen1, gen2 = gc.get_threshold()
    gc.set_threshold(GEN0_THRESHOLD, gen1, gen2)


def pytest_collection_finish(session) -> None:
    gc.collect()
    gc.freeze()
