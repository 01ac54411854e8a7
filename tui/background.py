"""``Builds``: a view's new experiment or race made in a daemon thread, so a big setup never freezes the screen.

A lecture-sized setup builds in milliseconds and is built at once (``is_quick``). Near the memory
budget a build takes seconds (25.9 M samples: ~9 s of CPU; a race of 200,000: ~2 s), so it runs in a
daemon thread that a view's exclusive worker awaits:

- the newest request wins: an older build's result is dropped;
- a build starts once the one before it has ended, so one setup at a time is being made in memory;
- a worker awaiting a build is cancelled at once (quitting, leaving the view), and the daemon
  thread cannot keep the process alive; the engine's refusal (``ConfigError``) reaches the awaiter.
"""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from engine import ConfigError, ExperimentConfig, Wording, budget, footprint, text_of

T = TypeVar("T")

QUICK_BYTES = 8 * 2 ** 20
"""A setup the engine estimates under this many bytes is built on the UI thread: about 1 ms of CPU a MiB
for an experiment, 2.5 for a race (measured: 8 MiB of moons ≈ 9 ms), well under a frame or two. A larger
one is built in the background."""

QUICK_CSV_BYTES = 2 ** 20
"""A CSV file up to this size is loaded on the UI thread (its estimate is the loading itself)."""


def is_quick(configs: list[ExperimentConfig]) -> bool:
    """Whether the experiment (one config) or race (its contestants' configs) builds in a few milliseconds.
    A setup the engine refuses before allocating anything (over the budget, a loss that does not fit the
    data) is refused at once: quick too."""
    dataset = configs[0].dataset
    if dataset.lower().endswith(".csv"):
        try:
            return os.path.getsize(dataset) <= QUICK_CSV_BYTES
        except OSError:
            return True
    try:
        needs = footprint(configs)
        budget.check(needs)
    except ConfigError:
        return True
    return needs.total <= QUICK_BYTES


def refusal(exc: BaseException) -> str:
    """The one line a refused build shows."""
    if isinstance(exc, MemoryError):
        return Wording("not enough memory to build this setup (make it smaller)")
    return text_of(exc)


THREAD_NAME = "descend-build"
"""The name of a build's daemon thread (``python -m tui`` ends at once if one is left: ``end_if_still_running``)."""


class BuildThread:
    """``build()`` run in a daemon thread; ``result`` is its outcome on the event loop, ``ended`` is set when
    the thread is done (whether or not anyone still waits for the result)."""

    def __init__(self, build: Callable[[], Any]) -> None:
        self._loop = asyncio.get_running_loop()
        self.result: asyncio.Future = self._loop.create_future()
        self.ended = asyncio.Event()
        threading.Thread(target=self._run, args=(build,), name=THREAD_NAME, daemon=True).start()

    def _run(self, build: Callable[[], Any]) -> None:
        try:
            outcome, failed = build(), False
        except BaseException as exc:  # handed to the awaiting worker, which decides
            outcome, failed = exc, True
        try:
            self._loop.call_soon_threadsafe(self._settle, outcome, failed)
        except RuntimeError:
            pass  # the event loop has closed: the app has quit, nobody waits

    def _settle(self, outcome, failed: bool) -> None:
        if not self.result.done():  # a cancelled wait: the result is dropped
            (self.result.set_exception if failed else self.result.set_result)(outcome)
        self.ended.set()


class Builds:
    """One view's builds: each ``request()`` supersedes the ones before; ``run`` builds in the background."""

    def __init__(self) -> None:
        self.latest = 0
        """The newest request's number."""
        self._thread: BuildThread | None = None

    def request(self) -> int:
        """A new request (older ones' results will be dropped)."""
        self.latest += 1
        return self.latest

    async def run(self, request: int, build: Callable[[], T]) -> T | None:
        """``build()`` in a daemon thread once the thread before it has ended: its result, or ``None`` if a
        newer request came meanwhile. What ``build`` raises is raised here (for the newest request only)."""
        if self._thread is not None:
            await self._thread.ended.wait()
        if request != self.latest:
            return None
        self._thread = thread = BuildThread(build)
        try:
            result = await thread.result
        except Exception:
            if request != self.latest:
                return None
            raise
        return result if request == self.latest else None


class Background:
    """Mixin for a view that builds in the background: its ``builds``, made on first use."""

    _builds: Builds | None = None

    @property
    def builds(self) -> Builds:
        if self._builds is None:
            self._builds = Builds()
        return self._builds
