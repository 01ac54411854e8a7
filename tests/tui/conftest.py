"""Helpers for the app's Pilot tests: a small config, the rendered screen as text, waiting for the worker."""

from __future__ import annotations

import asyncio
import functools
import inspect
import re
import threading
import time
import unicodedata
from pathlib import Path

import numpy as np
import pytest
from textual import events
from textual.keys import KEY_NAME_REPLACEMENTS, REPLACED_KEYS, Keys, key_to_character
from textual.widgets import Input

from engine import ExperimentConfig
from tui import i18n
from tui.textual_private import screen_lines
from tui.textual_private_pilot import pilot_waits_on_busy_widgets_only

pilot_waits_on_busy_widgets_only()  # Pilot's waits skip idle widgets: the same wait, ~8 ms of CPU less a key

SMALL = ExperimentConfig(samples=200, epochs=3)
"""Few samples and epochs: a whole run takes milliseconds."""

PACE = 30
"""Steps per second for a long run while keys are pressed: a worker training flat out keeps the
process busy, and Pilot waits up to a second after every key for it to go idle."""


SIZES_AND_LANGUAGES = [((80, 24), "en"), ((80, 24), "ko"), ((120, 40), "en"), ((120, 40), "ko")]
"""Issue 11's matrix for a new key: the smallest usable layout and a roomy one, in English and Korean."""


@pytest.fixture(autouse=True)
def english():
    """Every test starts and ends in English: the language is process-wide (an app made in Korean, or K, sets
    it), and a test without an app (a map's caption, a counter line, a help row) reads it. Which tests share a
    process, and in what order, is up to xdist."""
    i18n.set_language("en")
    yield
    i18n.set_language("en")


def screen_text(app) -> str:
    """What the terminal shows, whitespace removed (compare with ``squash``), after the app's title (as a
    screenshot's window bar shows it): the text of the screen's composed lines, menus and modal screens over
    what is under them included — the text an SVG export holds, at a third to a fifth of its cost."""
    return squash(app.title + "".join(screen_lines(app.screen)))


@functools.cache
def readme_words() -> str:
    """The README with each run of white space one space: a sentence reads the same however the lines wrap."""
    return " ".join((Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8").split())


def reason_line(setting):
    """The line under ``setting``'s row (mounted with its first refusal)."""
    return setting.parent.children[setting.parent.children.index(setting) + 1]


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


async def settle(app, pilot) -> None:
    """Wait until training stopped and its last messages are handled."""
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def hold_steps(run, entered: threading.Event | None = None) -> threading.Event:
    """Hold ``run``'s steps (a ``Race`` or a ``Trainer``: its ``step``) until the returned Event is set, so a
    change made meanwhile surely comes while it trains, however loaded the machine (set it before the test ends).
    ``entered``, if given, is set as a step is entered (and held): the driving thread is then inside the run."""
    gate, step = threading.Event(), run.step

    def held():
        if entered is not None:
            entered.set()
        gate.wait(timeout=60)
        return step()
    run.step = held
    return gate


async def until(pilot, condition, bound: float = 30.0, why=None) -> None:
    """Let the app run (``pilot.pause()``) until ``condition()`` holds; fail after ``bound`` seconds (a generous
    bound: a loaded machine is slow, never this slow), saying ``why()`` too if given (what was found instead)."""
    deadline = time.monotonic() + bound
    while not condition():
        if time.monotonic() > deadline:
            found = f"; found: {why()}" if why is not None else ""
            raise AssertionError(f"not true within {bound} s: {inspect.getsource(condition).strip()}{found}")
        await pilot.pause(0.01)


async def resize(pilot, width: int, height: int) -> None:
    """The terminal becomes ``width`` × ``height`` and the screen has taken it in: Textual hands a resize to the
    screen after a 1/120 s timer, which ``pilot.resize_terminal``'s pause does not wait for (on a loaded machine
    a key pressed next met the old layout: tab focused the metric plot that 80 columns hide)."""
    await pilot.resize_terminal(width, height)
    await until(pilot, lambda: pilot.app.screen.outer_size == (width, height))  # laid out: its classes set too


async def footer_line(screen, pilot, awaited: str) -> str:
    """The screen's last line once it shows ``awaited`` (the footer composes after a refresh)."""
    await until(pilot, lambda: awaited in screen_lines(screen)[-1], why=lambda: screen_lines(screen)[-1])
    return screen_lines(screen)[-1]


async def assert_no_worker_thread() -> None:
    """After the app exited: joining the default executor leaves only the main thread, within a second."""
    loop = asyncio.get_running_loop()
    await asyncio.wait_for(loop.shutdown_default_executor(), timeout=1.0)  # joins the worker's thread
    assert [t for t in threading.enumerate() if t is not threading.main_thread()] == []


SENT = {"enter": "\r", "tab": "\t", "escape": "\x1b", "backspace": "\x7f"}
"""What a terminal sends for the named keys that type no character (for backspace Textual would guess ^H)."""

KEY_NAMES = frozenset(key.value for key in Keys)


def key_name(character: str) -> str:
    """Textual's name for a typed character: a letter or digit is itself, ``-`` is ``minus``, ``?`` is
    ``question_mark``, a blank is ``space``."""
    if character.isalnum():
        return character
    name = unicodedata.name(character).lower().replace("-", "_").replace(" ", "_")
    return KEY_NAME_REPLACEMENTS.get(name, name)


def key_event(key: str) -> events.Key:
    """The key a terminal sends for ``key``: a character typed (``"a"``, ``"-"``, ``" "``) or a key as Textual names
    it (``"enter"``, ``"ctrl+p"``, ``"minus"``, ``"question_mark"``), so a binding on that name meets it as it meets a
    key pressed, and a text field types its character. A name that is neither fails (``"abc"``: type text as
    ``post_keys(app, *"abc")``)."""
    if len(key) == 1:
        return events.Key(key_name(key), key)
    character = SENT.get(key) or key_to_character(REPLACED_KEYS.get(key, key))
    if character is None and key not in KEY_NAMES:
        raise ValueError(f"{key!r} is neither a character nor the name of a key (text: post_keys(app, *text))")
    return events.Key(key, character)


def post_keys(app, *keys: str) -> None:
    """Send ``keys`` (characters or key names, as ``key_event`` takes them) to ``app`` as a terminal does when they
    are typed faster than the app reacts: all queued at once, none waited for. While a worker trains flat out,
    ``pilot.press`` waits a second twice a key for the process to go idle (it never does); wait for what the keys
    do instead (``until``)."""
    for key in keys:
        app.post_message(key_event(key))


async def type_text(pilot, text: str, *then: str) -> None:
    """Type ``text`` as a fast typist does: its keys arrive together and the screen catches up once; then press
    ``then`` (e.g. ``"enter"``) and wait for idle. ``pilot.press`` waits for idle twice after each key (40 ms and a
    repaint a key), which made typing a field's value the costliest part of a settings test."""
    post_keys(pilot.app, *text)
    if then:
        await pilot.press(*then)
    else:
        await pilot.pause()


async def type_into(pilot, app, setting_id: str, text: str) -> None:
    """Focus the setting's field, clear it, type ``text`` (its keys at a fast typist's pace) and enter."""
    field = app.query_one(f"#{setting_id}").query_one(Input)
    field.focus()
    await pilot.pause()
    field.value = ""
    await type_text(pilot, text, "enter")
    await pilot.pause()


async def press_together(pilot, *keys: str) -> None:
    """Press ``keys`` (as ``key_event`` takes them: ``"down"``, ``"enter"``, ``"a"``) as they arrive from a terminal when held or typed
    quickly: all but the last posted together, the last pressed and waited for, so the screen catches up once.
    For a run of keys that only move a highlight (a menu's ``down``s before its ``enter``): ``pilot.press`` waits
    for idle twice after each key (40 ms and a repaint a key)."""
    *first, last = keys
    post_keys(pilot.app, *first)
    await pilot.press(last)


def receive(reports: list):
    """A driver's report callback that takes each report at once (as a view's handler does) and keeps it."""
    def report(r):
        r.received()
        reports.append(r)
    return report


def make(config: ExperimentConfig = SMALL, speed: float | None = None, lang: str = "en"):
    """The app ``python -m tui`` runs, on a small config, cursor blink off for stable screens, at max speed
    unless told (the default speed, 300/s, is tested on its own)."""
    from tui.app import make_app
    return make_app(config, cursor_blink=False, speed=speed, lang=lang)


def assert_points_between_ticks(plot) -> None:
    """Every point ``plot`` (a LossPlot) draws lies between its lowest and highest labelled y tick."""
    labels = [float(line.split("┤")[0]) for line in plot.render().plain.splitlines() if "┤" in line]
    ys = np.concatenate([np.asarray(c.ys, dtype=float) for c in plot.curves])
    ys = ys[np.isfinite(ys) & ((ys > 0) if plot.log_scale else True)]
    assert labels and min(labels) <= ys.min() and ys.max() <= max(labels), (labels, ys.min(), ys.max())

