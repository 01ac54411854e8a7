"""``Background``: a view's new experiment or race built at once when quick, else in a daemon thread, so a big setup
never freezes the screen (``Background.build_setup``, the one path every view takes; ``Builds`` the threads).

A lecture-sized setup builds in milliseconds and is built at once (``is_quick``). Near the memory
budget a build takes seconds (25.9 M samples: ~9 s of CPU; a race of 200,000: ~2 s), so it runs in a
daemon thread that a view's exclusive worker awaits:

- the newest request wins: an older build's result is dropped;
- a build starts once the one before it has ended, so one setup at a time is being made in memory;
- a worker awaiting a build is cancelled at once (quitting, leaving the view), and the daemon
  thread cannot keep the process alive; the engine's refusal (``ConfigError``) reaches the awaiter;
- a refusal, at once or from the thread, is said in one line (``refusal``) in a notice, and the view shows it
  where it belongs (a panel's row, the race's field panel); the setup in place stays.
"""

from __future__ import annotations

import asyncio
import inspect
import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from engine import ConfigError, ExperimentConfig, Wording, budget, footprint, text_of
from tui import i18n

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
    if configs[0].reads_csv:
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


@dataclass(frozen=True)
class Judged:
    """A setup found too big to build at once (``is_quick``), to be built in the background: its config, the
    layout ``check_experiment`` judged it by (``None``: not judged yet) and a CSV file's rows, read for that
    judgement (the build takes them: a file read once)."""

    config: ExperimentConfig
    plan: object = None
    dataset: object = None


REFUSED = (ConfigError, MemoryError)
"""What a refused build raises: the engine's refusal, or the memory running out on the way."""

REFUSAL_SECONDS = 6
"""How long a refusal's notice shows, whoever refuses (a row that cannot parse its text, the app refusing a
setup, a race over the budget saying its size and the budget's, a run that took more epochs than asked): the
row keeps only its brief."""


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
    """Mixin for a view that builds its setups (the app, the race view): ``build_setup``, and its ``builds``.

    The host is a Textual node (``workers``, ``run_worker``, ``notify``)."""

    _builds: Builds | None = None

    @property
    def builds(self) -> Builds:
        if self._builds is None:
            self._builds = Builds()
        return self._builds

    async def build_setup(self, configs: Callable[[], list[ExperimentConfig]] | None, build: Callable[[], T], *,
                          group: str, description: str, waiting: Callable[[], Any], built: Callable[[T], Any],
                          refused: Callable[[str, bool], Any]) -> bool:
        """Make ``build()``'s setup (an experiment's session, a race's) and hand it to ``built``: at once if it is quick
        to build (judged on its ``configs()``: the experiment's, or its contestants'; ``None``: known not to be),
        else from a daemon thread awaited by a worker of ``group``, once ``waiting()`` has shown it coming. Each call supersedes the ones
        before: a build under way is dropped. A refusal (at once, or ``late``: from the thread) is shown by
        ``refused(reason, late)`` and a notice, and changes nothing else: refused at once, a build under way goes on.
        False if refused at once. ``waiting``, ``built`` and ``refused`` may be coroutine functions."""
        try:
            setup = build() if configs is not None and is_quick(configs()) else None
        except REFUSED as exc:
            await self._refused(refused, exc, late=False)
            return False
        request = self.builds.request()
        self.workers.cancel_group(self, group)
        if setup is not None:
            await finished(built(setup))
            return True
        await finished(waiting())
        self.run_worker(self._build_later(request, build, built, refused), group=group, exclusive=True,
                        description=description)
        return True

    async def _build_later(self, request: int, build: Callable[[], T], built: Callable[[T], Any],
                           refused: Callable[[str, bool], Any]) -> None:
        """Await ``build()`` in its thread; hand it on unless a newer request came meanwhile."""
        try:
            setup = await self.builds.run(request, build)
        except REFUSED as exc:
            await self._refused(refused, exc, late=True)
            return
        if setup is not None:
            await finished(built(setup))

    async def _refused(self, refused: Callable[[str, bool], Any], exc: BaseException, *, late: bool) -> None:
        reason = refusal(exc)
        await finished(refused(reason, late))
        self.notify_refusal(reason)

    def notify_refusal(self, reason: str) -> None:
        """The notice a refused setup (or setting) shows: its one line, in the app's language."""
        self.notify(i18n.message(reason), severity="error", timeout=REFUSAL_SECONDS, markup=False)


async def finished(outcome: Any) -> None:
    """Await ``outcome`` if a callback returned a coroutine (callbacks may be plain or coroutine functions)."""
    if inspect.isawaitable(outcome):
        await outcome
