"""``python -m tools.bench_start``: CPU time to start the app and open each view, and to move the focus.

Prints numbers; no thresholds. Each case starts a fresh app (the small config the Pilot tests use) with
``run_test``, waits for it to settle, presses the view's key, and exits: what a Pilot test pays for an
app start, and most of what a person waits for at launch. CPU time of this process (``process_time``),
the median of ``ROUNDS`` starts after one to warm the imports; the garbage collector is set as the
test suite sets it (tests/conftest.py). Tab: CPU per focus move through the main view's panels and fields;
a key typed in a field (a digit, then backspace); a resize across the layout's breakpoints (80x24, 120x40, 60x20).
Each of these includes one ``pilot.pause()`` (~8 ms at 100x30: Pilot waits on every widget's queue).
Keys that open and close a screen (``KEYS``: the lessons menu, the palette, help, the language, the race view and
escape back) are measured at 120x40, each press and its closing press apart, in one app, with every frame they
draw (the screen's refresh timer runs after Pilot's pause: a short pause more takes those frames in).
"""

from __future__ import annotations

import asyncio
import gc
import statistics
import time

from engine import ExperimentConfig

SMALL = ExperimentConfig(samples=200, epochs=3)
"""The Pilot tests' small config (tests/tui/conftest.py): the start, not the training, is measured."""

ROUNDS = 10
"""Starts measured per case; the median is printed."""

CASES = [("main view 100x30", (100, 30), ()), ("main view 80x24", (80, 24), ()),
         ("race view (c) 100x30", (100, 30), ("c",)), ("surface view (s) 100x30", (100, 30), ("s",))]

KEYS = [("L", "lessons menu (L)"), ("ctrl+p", "palette (ctrl+p)"), ("question_mark", "help (?)"),
        ("K", "language (K)"), ("c", "race view (c)")]
"""Keys timed at ``KEYS_SIZE`` (``screen_keys``): each opens a screen (K: switches the language), and
``CLOSE`` closes it (K: back to English)."""

CLOSE = {"K": "K"}
"""A key's closing press where it is not escape."""

KEYS_SIZE = (120, 40)


async def start(size: tuple[int, int], keys: tuple[str, ...]) -> None:
    from tui.app import make_app
    app = make_app(SMALL, cursor_blink=False, speed=None)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()


async def tabs(presses: int = 24) -> list[float]:
    """CPU seconds per tab press in the main view at 100x30 (panels, then the control panel's fields)."""
    from tui.app import make_app
    app = make_app(SMALL, cursor_blink=False, speed=None)
    costs = []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
        for _ in range(presses):
            started = time.process_time()
            await pilot.press("tab")
            await pilot.pause()
            costs.append(time.process_time() - started)
    return costs


async def keys_and_resizes(presses: int = 24, resizes: int = 12) -> tuple[list[float], list[float]]:
    """CPU seconds per key typed in the epochs field, and per resize, in the main view (from 100x30)."""
    from tui.app import make_app
    app = make_app(SMALL, cursor_blink=False, speed=None)
    keys, sizes = [], []
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause(0.3)
        app.query_one("#set-epochs").input.focus()
        await pilot.pause()
        for i in range(presses):
            started = time.process_time()
            await pilot.press("1" if i % 2 == 0 else "backspace")
            await pilot.pause()
            keys.append(time.process_time() - started)
        for i in range(resizes):
            size = [(120, 40), (80, 24), (60, 20), (100, 30)][i % 4]
            started = time.process_time()
            await pilot.resize_terminal(*size)
            while app.screen.outer_size != size:  # Textual hands the size to the screen on a timer
                await asyncio.sleep(0.005)
            await pilot.pause()
            sizes.append(time.process_time() - started)
    return keys, sizes


async def screen_keys(rounds: int = ROUNDS) -> dict[str, tuple[list[float], list[float]]]:
    """CPU seconds per press of each of ``KEYS`` and of its closing press, in one main view at ``KEYS_SIZE``."""
    from tui.app import make_app
    app = make_app(SMALL, cursor_blink=False, speed=None)
    costs = {key: ([], []) for key, _ in KEYS}
    async with app.run_test(size=KEYS_SIZE) as pilot:
        await pilot.pause(0.3)
        for _ in range(rounds):
            for key, _ in KEYS:
                for press, spent in zip((key, CLOSE.get(key, "escape")), costs[key]):
                    started = time.process_time()
                    await pilot.press(press)
                    await pilot.pause()
                    await pilot.pause(0.05)  # the frames the screen's refresh timer draws after the pause
                    spent.append(time.process_time() - started)
    return costs


def cpu(size: tuple[int, int], keys: tuple[str, ...]) -> list[float]:
    costs = []
    for _ in range(ROUNDS):
        started = time.process_time()
        asyncio.run(start(size, keys))
        costs.append(time.process_time() - started)
    return costs


def main() -> None:
    gc.set_threshold(50_000, *gc.get_threshold()[1:])
    asyncio.run(start((100, 30), ()))  # imports, first-use caches
    gc.collect()
    gc.freeze()
    print(f"CPU per app start and exit, median of {ROUNDS} (min):")
    for name, size, keys in CASES:
        costs = cpu(size, keys)
        print(f"  {name:26} {statistics.median(costs) * 1e3:6.0f} ms  ({min(costs) * 1e3:.0f})")
    costs = asyncio.run(tabs())
    print(f"  tab in the main view       {statistics.median(costs) * 1e3:6.1f} ms a press (median of {len(costs)})")
    keys, sizes = asyncio.run(keys_and_resizes())
    print(f"  a key in a field           {statistics.median(keys) * 1e3:6.1f} ms a press (median of {len(keys)})")
    print(f"  resize across breakpoints  {statistics.median(sizes) * 1e3:6.1f} ms a resize (median of {len(sizes)};"
          " 100x30 → 120x40 → 80x24 → 60x20 …)")
    width, height = KEYS_SIZE
    for (key, name), (opens, closes) in zip(KEYS, asyncio.run(screen_keys()).values()):
        print(f"  {name:19} {width}x{height} {statistics.median(opens) * 1e3:6.1f} ms, {CLOSE.get(key, 'escape')} back"
              f" {statistics.median(closes) * 1e3:6.1f} ms (median of {len(opens)})")
    print("CPU time of this process; a shared machine inflates it less than wall time, but not to nothing.")


if __name__ == "__main__":
    main()
