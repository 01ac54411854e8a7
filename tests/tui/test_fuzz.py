"""Seeded random keys and resizes through the real app: no exception, no hang, whatever is typed.

The suite types ``FUZZ_KEYS`` keys over three sessions (60x20, 200x60, and 80x24 resized between 20x10 and 250x80
while it trains), each one app from start to quit. A longer run, by hand:

    DESCEND_FUZZ_KEYS=20000 python -m pytest -q tests/tui/test_fuzz.py

A failure names the seed, the session and the last keys delivered; rerun with ``DESCEND_FUZZ_SEED=<seed>`` to
replay the same keys (the interleaving with the training thread and the app's own timers can still differ from
run to run, so a rare failure may need a few tries).

What a key costs is what the app does with it, plus what the harness adds: keys arrive in bursts, each burst
ends with one wait for the app and its widgets to take every key and one redraw — no idle waits (they last
up to a second while the worker trains), no fixed pauses. A cheap check follows every burst, a full one ends
every session.
"""

from __future__ import annotations

import asyncio
import os
import random
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import pytest
from textual import events
from textual.app import App
from textual.geometry import Size
from textual.worker import Worker, WorkerState

from engine import ExperimentConfig
from tests.tui.conftest import SMALL, make, post_keys, screen_text
from tests.tui.fuzz_keys import session_keys
from tui.race.screen import RaceScreen
from tui.run_control import RunControl
from tui.textual_private import LazySelect
from tui.widgets.size_guard import SizeGuard, fits

FUZZ_KEYS = int(os.environ.get("DESCEND_FUZZ_KEYS", "2000"))
"""Keys typed in all, over the sessions below."""

FUZZ_SEED = int(os.environ.get("DESCEND_FUZZ_SEED", "20261130"))

HANG_SECONDS = 60.0
"""The app must take in a burst of keys within this (it takes milliseconds, a second on a loaded machine; this
only catches a freeze)."""

BURST = 100
"""The most keys typed at once (a burst's length is drawn from 1 to this)."""


@dataclass
class Session:
    """One fuzz session: its seed, terminal size, keys and what happened."""

    seed: int
    size: tuple[int, int]
    config: ExperimentConfig
    keys: list[str]
    resize: bool = False
    delivered: int = 0
    apps: int = 0
    resizes: int = 0
    resized_training: int = 0
    worker_errors: list[str] = field(default_factory=list)

    def where(self) -> str:
        tail = self.keys[max(0, self.delivered - 40):self.delivered]
        return (f"seed {self.seed}, size {self.size[0]}x{self.size[1]}{', resizing' if self.resize else ''}, "
                f"after {self.delivered} of {len(self.keys)} keys; the last ones: {' '.join(tail)}")


async def take_in(app, pilot, keys: list[str], rng: random.Random) -> None:
    """Deliver ``keys`` to ``app``: mostly at once (a fast typist: keys queued before the app reacts), now and
    then one by one, each handled and drawn before the next is typed; then one redraw."""
    one_by_one = len(keys) <= 6 and rng.random() < 0.3
    for key in keys:
        post_keys(app, key)
        if one_by_one and app.is_running:
            await drain(app, pilot)
    await drain(app, pilot)


async def drain(app, pilot) -> None:
    """Wait until the app has handled every message posted to it so far, and its screen's widgets theirs, then
    draw the screen once (or until the app has ended)."""
    drained = asyncio.Event()
    app.call_later(drained.set)  # behind every key posted so far in the app's queue
    await until(lambda: drained.is_set() or not app.is_running, "took no keys")
    if app.return_code is None:
        await pilot.pause(0)  # the screen's widgets take what the keys sent them (or time out); one redraw
    else:  # a quit key: as in a real run, the keys queued before it are handled, then the app ends
        await until(lambda: not app.is_running, "did not end after quitting")


async def until(condition, failure: str) -> None:
    """Wait for ``condition()``; a freeze (``HANG_SECONDS`` without it) fails the test."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + HANG_SECONDS
    while not condition():
        if loop.time() > deadline:
            raise TimeoutError(f"the app {failure} for {HANG_SECONDS:g} s")
        await asyncio.sleep(0.005)


def resize(app, size: Size) -> None:
    """The terminal becomes ``size`` (as ``pilot.resize_terminal`` does, without its wait for the process to idle):
    the app takes it in with the keys that follow."""
    app.post_message(events.Resize(size, size))


@asynccontextmanager
async def halted_on_failure(app):
    """A failure leaves the app without its quit: stop every view's training worker, or the test's event loop
    would wait for ever on a thread training 100,000 epochs (``python -m tui`` ends its process instead); and
    let the app end before ``run_test`` takes it down, which, with keys still queued, raises an error of its
    own (``ScreenStackError``) in place of the failure."""
    try:
        yield
    except BaseException:
        for view in (app, *app.screen_stack):
            if isinstance(view, RunControl):
                view.halt()
        app.exit(return_code=1)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + 5
        while app.is_running and loop.time() < deadline:
            await asyncio.sleep(0.01)
        raise


def check(app, session: Session) -> None:
    """After each burst: no worker failed; a running app shows a view; a terminal too small shows the size note."""
    assert not session.worker_errors, session.worker_errors
    if app.return_code is None:
        assert app.screen_stack, "no screen while running"
        assert fits(app.size) or any(isinstance(s, SizeGuard) for s in app.screen_stack), \
            f"{app.size.width}x{app.size.height} is too small, and no size note says so"


async def fuzz(session: Session, folder: str) -> None:
    """Type the session's keys into the app (a fresh one if a key quit it early), resizing now and then; at the
    end the app has quit with status 0. What the share keys save (setups, histories, screenshots) goes to
    ``folder``."""
    rng = random.Random(session.seed)

    def watch(message) -> None:
        if isinstance(message, Worker.StateChanged) and message.state == WorkerState.ERROR:
            session.worker_errors.append(f"{message.worker.name}: {message.worker.error!r}")

    while session.delivered < len(session.keys):
        app = make(session.config)
        app.share_folder = folder
        session.apps += 1
        async with app.run_test(size=session.size, message_hook=watch) as pilot, halted_on_failure(app):
            app.speed = 300  # paced: the keys, not the training, are what is tested ('+' may lift it)
            if session.resize:
                await take_in(app, pilot, ["space"], rng)  # it trains through the first resize at least
            while session.delivered < len(session.keys) and app.return_code is None:
                if session.resize and (session.resizes == 0 or rng.random() < 0.15):
                    session.resized_training += any(getattr(view, "status", None) == "running"
                                                    for view in (app, *app.screen_stack))
                    resize(app, Size(rng.randint(20, 250), rng.randint(10, 80)))
                    session.resizes += 1
                burst = session.keys[session.delivered:session.delivered + rng.randint(1, BURST)]
                await take_in(app, pilot, burst, rng)
                session.delivered += len(burst)
                check(app, session)
            if app.return_code is None:  # the keys ended with the app running (q typed into a field): ctrl+c
                assert screen_text(app)
                await take_in(app, pilot, ["ctrl+c"], rng)
        assert app.return_code == 0, f"exit status {app.return_code}"
    assert not session.worker_errors, session.worker_errors


TRAINING = ExperimentConfig(samples=200, epochs=300)
"""1,500 updates: at the pace set (300 a second) the main view trains through the session's resizes."""

SESSIONS = [((60, 20), SMALL, False, 8), ((200, 60), SMALL, False, 5), ((80, 24), TRAINING, True, 8)]
"""The smallest usable terminal, a large one, and the size the app is tested at, resized while it trains; the
last number is each one's share of the keys (a large screen costs more to draw)."""


@pytest.mark.parametrize("index", range(len(SESSIONS)),
                         ids=[f"{w}x{h}{'-resizing' if r else ''}" for (w, h), _, r, _ in SESSIONS])
async def test_random_keys_never_crash_or_hang(index, tmp_path):
    size, config, resizing, share = SESSIONS[index]
    seed = FUZZ_SEED + index
    n = -(-FUZZ_KEYS * share // sum(s[-1] for s in SESSIONS))  # rounded up: FUZZ_KEYS at least, in all
    keys = session_keys(random.Random(seed), n, index, len(SESSIONS))
    session = Session(seed + 1, size, config, keys, resize=resizing)
    try:
        await fuzz(session, str(tmp_path))
    except BaseException as exc:
        raise AssertionError(f"{type(exc).__name__}: {exc}\n  at {session.where()}\n"
                             f"  replay: DESCEND_FUZZ_SEED={FUZZ_SEED} DESCEND_FUZZ_KEYS={FUZZ_KEYS} "
                             f"python -m pytest tests/tui/test_fuzz.py") from exc
    assert session.delivered == len(keys) and (session.resized_training > 0) == resizing


class OneMenu(App):
    def compose(self):
        yield LazySelect([(f"entry {i}", i) for i in range(30)], value=3)


async def test_a_page_key_reaching_a_menu_as_it_opens_does_nothing():
    """Found by the random keys: pagedown reaching a menu's list mounted but not laid out yet (no lines to page
    by) raised ``KeyError`` in Textual's ``OptionList``; once laid out, the page keys page."""
    app = OneMenu()
    async with app.run_test(size=(40, 20)) as pilot:
        menu = app.query_one(LazySelect)
        menu.focus()
        await menu.build_overlay()
        overlay = menu.overlay
        highlighted = overlay.highlighted  # the value's entry
        assert not overlay.scrollable_content_region and highlighted is not None
        overlay.action_page_down()
        overlay.action_page_up()
        assert overlay.highlighted == highlighted
        menu.expanded = True
        await pilot.pause()
        await pilot.press("pagedown")
        assert overlay.highlighted > highlighted


async def test_keys_typed_right_after_q_do_not_break_the_exit():
    # once quitting, no key acts: the keys after q each meet the app as the first one did (one app for them all)
    for keys in (["q", "c", "s", "question_mark", "space", "c", "L"], ["c", "q", "escape", "c"]):
        app = make()
        async with app.run_test(size=(80, 24)):
            post_keys(app, *keys)  # q then c used to open the race view while the app closed: NoMatches, exit 1
            await until(lambda: not app.is_running, f"did not end after {keys}")
        assert app.return_code == 0, keys


@pytest.mark.parametrize("race", [False, True], ids=["main", "race"])
async def test_quitting_while_training_flat_out_returns(race):
    app = make(ExperimentConfig(samples=200, epochs=100_000, batch_size=1))
    async with app.run_test(size=(80, 24)), halted_on_failure(app):
        if race:
            post_keys(app, "c")
            await until(lambda: isinstance(app.screen, RaceScreen) and app.screen.tracks, "opened no race view")
            view = app.screen
            post_keys(app, "space")
            await until(lambda: view.tracks[0].updates > 0 and view.race.race_step > 100, "raced nothing")
        else:
            post_keys(app, "space")
            await until(lambda: app.status == "running" and app.trainer.step_count > 100, "trained nothing")
        post_keys(app, "q")  # flat out at B = 1: reports arrive as fast as they are drawn
        await until(lambda: not app.is_running, "did not end after q while training")
    assert app.return_code == 0
