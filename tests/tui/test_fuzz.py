"""Seeded random keys and resizes through the real app: no exception, no hang, whatever is typed.

The suite runs a short version (``FUZZ_KEYS`` keys over four sessions). A long one, by hand:

    DESCEND_FUZZ_KEYS=20000 python -m pytest -q tests/tui/test_fuzz.py

A failure names the seed, the session and the last keys delivered; rerun with
``DESCEND_FUZZ_SEED=<seed>`` to replay the same keys (the interleaving with the training thread
and the app's own timers can still differ from run to run, so a rare failure may need a few tries).
"""

from __future__ import annotations

import asyncio
import os
import random
from dataclasses import dataclass, field

import pytest
from textual import events
from textual.worker import Worker, WorkerState

from engine import ExperimentConfig
from tests.tui.conftest import SMALL, make
from tui.app import DescendApp
from tui.race.screen import RaceScreen
from tui.surface.screen import SurfaceScreen
from tui.widgets.help_screen import HelpScreen
from tui.widgets.size_guard import SizeGuard

FUZZ_KEYS = int(os.environ.get("DESCEND_FUZZ_KEYS", "320"))
"""Keys typed in all, over the sessions below."""

FUZZ_SEED = int(os.environ.get("DESCEND_FUZZ_SEED", "20261130"))

HANG_SECONDS = 20.0
"""The app must take in a burst of keys within this (it takes milliseconds; this only catches a freeze)."""

REFRESH = 0.05
"""Seconds after a burst of keys: the app redraws (its timers run) before the next burst."""

QUIT_KEYS = ("q", "ctrl+c", "ctrl+q")
"""Keys that end the app (q only where it is not typed into a field): the session starts a new one."""


def binding_keys() -> list[str]:
    """Every key bound in the main view, the race and surface views, help and the size note."""
    keys = {key.strip() for screen in (DescendApp, RaceScreen, SurfaceScreen, HelpScreen, SizeGuard)
            for binding in screen.BINDINGS for key in binding.key.split(",")}
    return sorted(keys - set(QUIT_KEYS))


NAVIGATION = ["tab", "shift+tab", "up", "down", "left", "right", "enter", "escape", "backspace",
              "home", "end", "pageup", "pagedown"]
TEXT = [*"abcdefghijklmnoprstuvwxyz0123456789", "comma", "full_stop", "minus", "backspace"]
CHARACTERS = {"space": " ", "comma": ",", "full_stop": ".", "minus": "-", "plus": "+", "equals_sign": "=",
              "question_mark": "?", "left_square_bracket": "[", "right_square_bracket": "]", "enter": "\r",
              "tab": "\t", "escape": "\x1b", "backspace": "\x7f"}
"""The character a terminal sends with each named key (letters and digits are themselves)."""

PHRASES = [["ctrl+p", *"reset", "enter"], ["ctrl+p", "r", "enter", "escape"], ["ctrl+p", *"adam", "enter"],
           ["ctrl+p", *"compare", "enter", "escape"], ["ctrl+p", *"batch", "down", "enter"],
           ["ctrl+p", *"help", "enter", "escape"], ["ctrl+p", "escape", "escape"], ["c", "escape", "c"],
           ["question_mark", "escape", "escape"], ["tab", *"100000,100000", "enter"], ["tab", "0", "enter"]]
"""What a fast typist does: the palette picked and left at once, views opened and closed, fields filled."""


def random_keys(rng: random.Random, n: int) -> list[str]:
    """``n`` keys: bindings, navigation, text, the palette, typed phrases; a quit key now and then."""
    keys: list[str] = []
    bindings = binding_keys()
    while len(keys) < n:
        kind = rng.random()
        if kind < 0.004:
            keys.append(rng.choice(QUIT_KEYS))
        elif kind < 0.03:
            keys.extend(rng.choice(PHRASES))
        elif kind < 0.05:
            keys.append("ctrl+p")
        elif kind < 0.45:
            keys.append(rng.choice(bindings))
        elif kind < 0.70:
            keys.append(rng.choice(NAVIGATION))
        else:
            keys.append(rng.choice(TEXT))
    return keys[:n]


def key_event(key: str) -> events.Key:
    character = CHARACTERS.get(key, key if len(key) == 1 else None)
    return events.Key(key, character)


@dataclass
class Session:
    """One fuzz session: its seed, terminal size, keys and what happened."""

    seed: int
    size: tuple[int, int]
    config: ExperimentConfig
    keys: list[str]
    resize: bool = False
    delivered: int = 0
    restarts: int = 0
    worker_errors: list[str] = field(default_factory=list)

    def where(self) -> str:
        tail = self.keys[max(0, self.delivered - 40):self.delivered]
        return (f"seed {self.seed}, size {self.size[0]}x{self.size[1]}{', resizing' if self.resize else ''}, "
                f"after {self.delivered} of {len(self.keys)} keys; the last ones: {' '.join(tail)}")


async def take_in(app, pilot, keys: list[str], rng: random.Random) -> None:
    """Deliver ``keys`` to ``app``: at once (a fast typist, keys queued before the app reacts) or one by one,
    each handled before the next is typed.

    Never waits for the process to go idle (as ``pilot.press`` and ``pilot.pause()`` do, up to a second a key
    while the worker trains): the keys are what is tested, and the worker trains on meanwhile.
    """
    if rng.random() < 0.6:
        for key in keys:
            app.post_message(key_event(key))
    else:
        for key in keys:
            app.post_message(key_event(key))
            await drain(app)
    await drain(app)
    if app.return_code is None:
        await pilot.pause(REFRESH)
    else:  # a quit key: as in a real run, the keys queued before it are handled, then the app ends
        await until(lambda: not app.is_running, "did not end after quitting")


async def drain(app) -> None:
    """Wait until the app has handled every message posted to it so far (or has ended)."""
    drained = asyncio.Event()
    app.call_later(drained.set)  # behind every key posted so far in the app's queue
    await until(lambda: drained.is_set() or not app.is_running, "took no keys")


async def until(condition, failure: str) -> None:
    """Wait for ``condition()``; a freeze (``HANG_SECONDS`` without it) fails the test."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + HANG_SECONDS
    while not condition():
        if loop.time() > deadline:
            raise TimeoutError(f"the app {failure} for {HANG_SECONDS:g} s")
        await asyncio.sleep(0.005)


async def fuzz(session: Session, folder: str) -> None:
    """Type the session's keys into fresh apps (a new one after each quit), resizing now and then.

    What the share keys save (setups, histories, screenshots) goes to ``folder``.
    """
    rng = random.Random(session.seed)

    def watch(message) -> None:
        if isinstance(message, Worker.StateChanged) and message.state == WorkerState.ERROR:
            session.worker_errors.append(f"{message.worker.name}: {message.worker.error!r}")

    while session.delivered < len(session.keys):
        app = make(session.config)
        app.share_folder = folder
        async with app.run_test(size=session.size, message_hook=watch) as pilot:
            app.speed = 300  # paced: the keys, not the training, are what is tested ('+' may lift it)
            while session.delivered < len(session.keys) and app.return_code is None:
                if session.resize and rng.random() < 0.25:
                    await pilot.resize_terminal(rng.randint(20, 250), rng.randint(10, 80))
                burst = session.keys[session.delivered:session.delivered + rng.randint(1, 40)]
                await take_in(app, pilot, burst, rng)
                session.delivered += len(burst)
                assert not session.worker_errors, session.worker_errors
        assert app.return_code in (None, 0), f"exit status {app.return_code}"
        session.restarts += 1


TRAINING = ExperimentConfig(samples=200, epochs=300)
"""1,500 updates: at the pace set (300 a second) the main view trains through the session's resizes."""

SESSIONS = [((60, 20), SMALL, False), ((80, 24), SMALL, False), ((200, 60), SMALL, False), ((100, 30), TRAINING, True)]


@pytest.mark.parametrize("index", range(len(SESSIONS)),
                         ids=[f"{w}x{h}{'-resizing' if r else ''}" for (w, h), _, r in SESSIONS])
async def test_random_keys_never_crash_or_hang(index, tmp_path):
    size, config, resize = SESSIONS[index]
    seed = FUZZ_SEED + index
    keys = random_keys(random.Random(seed), FUZZ_KEYS // len(SESSIONS))
    session = Session(seed + 1, size, config, keys, resize=resize)
    try:
        await fuzz(session, str(tmp_path))
    except BaseException as exc:
        raise AssertionError(f"{type(exc).__name__}: {exc}\n  at {session.where()}\n"
                             f"  replay: DESCEND_FUZZ_SEED={FUZZ_SEED} DESCEND_FUZZ_KEYS={FUZZ_KEYS} "
                             f"python -m pytest tests/tui/test_fuzz.py") from exc


async def test_keys_typed_right_after_q_do_not_break_the_exit():
    for keys in (["q", "c"], ["q", "s"], ["q", "question_mark"], ["q", "space", "c"], ["c", "q", "escape", "c"]):
        app = make()
        async with app.run_test(size=(80, 24)):
            for key in keys:  # q then c used to open the race view while the app closed: NoMatches, exit 1
                app.post_message(key_event(key))
            await until(lambda: not app.is_running, f"did not end after {keys}")
        assert app.return_code == 0, keys


@pytest.mark.parametrize("view", [[], ["c"]], ids=["main", "race"])
async def test_quitting_while_training_flat_out_returns(view):
    app = make(ExperimentConfig(samples=200, epochs=100_000, batch_size=1))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*view, "space")
        await pilot.pause(0.2)
        app.post_message(key_event("q"))
        await until(lambda: not app.is_running, "did not end after q while training")
    assert app.return_code == 0
