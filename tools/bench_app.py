"""``python -m tools.bench_app``: training speed inside the running app vs headless, launch-to-first-frame,
and key → visible change while training and while a big experiment (25.9 M samples) is built.

Prints numbers; no thresholds (targets: app ≥ 70% of headless steps/s, first frame ≤ 1 s, key →
visible change p95 ≤ 50 ms at 100x30).
The plot's redraw cost and memory are measured by ``python -m tools.bench``.

The machine may be shared: headless and in-app runs alternate (A/B in the same minute) and the
medians are printed, with the UI thread's CPU share during the run, which noise disturbs less.
Each round runs twice in the app: started as soon as ``run_test`` yields (the original protocol:
Textual's start-up work — footer recomposes, layout — overlaps the first ~0.3 s of the run), and
started after the screen settled, as when a person presses space.
"""

from __future__ import annotations

import asyncio
import re
import statistics
import time

from engine import ExperimentConfig, build_experiment

EPOCHS = 200
"""The default experiment, run longer so the timing is not dominated by start-up."""

ROUNDS = 3
"""Headless/in-app pairs measured; the medians are reported."""


def headless(config: ExperimentConfig) -> float:
    trainer = build_experiment(config).trainer()
    started = time.perf_counter()
    while trainer.step() is not None:
        pass
    return trainer.step_count / (time.perf_counter() - started)


SETTLE = 0.5
"""Seconds the app is left to settle before a "settled" run starts."""


async def in_app(config: ExperimentConfig, size=(120, 40), settle: float = 0.0) -> tuple[float, float, int, float]:
    """Steps/s in the app, launch-to-first-frame seconds, plot frames, UI thread CPU / wall time."""
    from tui.app import make_app
    started = time.perf_counter()
    app = make_app(config, cursor_blink=False, speed=None)  # flat out: the app starts paced (300/s) by default
    async with app.run_test(size=size) as pilot:
        first_frame = time.perf_counter() - started
        if settle:
            await pilot.pause(settle)
        run_started, ui_cpu = time.perf_counter(), time.thread_time()  # the UI runs in this thread
        app.action_toggle_run()
        await app.workers.wait_for_complete()
        elapsed = time.perf_counter() - run_started
        ui_share = (time.thread_time() - ui_cpu) / elapsed
        await pilot.pause()
        steps = app.trainer.step_count
        frames = app.frames_drawn
    return steps / elapsed, first_frame, frames, ui_share


PRESSES = 60
"""Key presses timed by ``key_latency``."""


class KeyTimer:
    """Times a key press to the terminal write that shows its effect: ``-`` and ``+`` in turn, so the counters'
    ``speed max`` becomes the next speed down (``speed 300/s``) and back. The key is posted as the terminal
    driver posts it; the time stops at the first write carrying the new text."""

    def __init__(self, app) -> None:
        from tui.textual_private import on_terminal_write

        self.app = app
        self.latencies: list[float] = []
        self._waiting: list = []  # [(expected text, pressed at, done event)]
        self._presses = 0
        on_terminal_write(app, self._seen)

    def _seen(self, data: str) -> None:
        if self._waiting and self._waiting[0][0] in re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", data):
            text, pressed_at, done = self._waiting.pop()
            self.latencies.append(time.perf_counter() - pressed_at)
            done.set()

    async def press(self, timeout: float) -> None:
        """Press the next key and wait until its effect is shown (at most ``timeout`` seconds: then ∞)."""
        from textual import events

        from tui.driver import SPEEDS
        from tui.widgets.counters import speed_text

        minus = self._presses % 2 == 0
        self._presses += 1
        text = f"speed {speed_text(SPEEDS[-2])}" if minus else "speed max"
        done = asyncio.Event()
        self._waiting.append((text, time.perf_counter(), done))
        self.app.post_message(events.Key("minus", "-") if minus else events.Key("plus", "+"))
        try:
            await asyncio.wait_for(done.wait(), timeout=timeout)
        except TimeoutError:
            self._waiting.clear()
            self.latencies.append(float("inf"))


async def key_latency(config: ExperimentConfig, size=(100, 30), presses: int = PRESSES) -> list[float]:
    """Seconds from a key press to the terminal write that shows its effect, while training flat out
    (``KeyTimer``'s keys)."""
    import random

    from tui.app import make_app

    app = make_app(config, cursor_blink=False)
    rng = random.Random(0)
    async with app.run_test(size=size) as pilot:
        keys = KeyTimer(app)
        app.speed = None  # flat out (the app may start paced)
        app.action_toggle_run()
        await asyncio.sleep(1.0)  # training, plots drawing
        for _ in range(presses):
            await keys.press(timeout=2.0)
            await asyncio.sleep(rng.uniform(0.05, 0.25))  # not in step with the redraw timer
        app.action_toggle_run()
        await app.workers.wait_for_complete()
        await pilot.pause()
    return keys.latencies


BIG_SAMPLES = 25_900_000
"""Samples of the structural change ``build_key_latency`` makes: moons this large come close to the memory budget."""


async def build_key_latency(samples: int = BIG_SAMPLES, size=(100, 30)) -> tuple[list[float], float]:
    """Seconds from a key press to the terminal write that shows its effect while the app builds an
    experiment of ``samples`` samples, and the build's seconds.

    The change is made as a committed field makes it (``apply_setting`` run by the app's message loop);
    then ``KeyTimer``'s keys are pressed until the new experiment is in place. A key that waits for the
    build to end counts the whole wait.
    """
    import random

    from tui.app import make_app

    app = make_app(ExperimentConfig(), cursor_blink=False, speed=None)
    rng = random.Random(0)
    async with app.run_test(size=size) as pilot:
        keys = KeyTimer(app)
        await pilot.pause(0.5)
        started = time.perf_counter()
        app.call_later(app.apply_setting, "samples", samples, row="set-samples")
        while app.config.samples != samples:
            await keys.press(timeout=120.0)
            await asyncio.sleep(rng.uniform(0.05, 0.25))  # not in step with the redraw timer
        built = time.perf_counter() - started
        await pilot.pause()
    return keys.latencies, built


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    latencies, built = asyncio.run(build_key_latency())
    print(f"key → visible change while {BIG_SAMPLES:,} samples are built (100x30, {len(latencies)} presses in "
          f"{built:.1f} s): median {statistics.median(latencies) * 1e3:.1f} ms, p95 "
          f"{percentile(latencies, 0.95) * 1e3:.1f} ms, max {max(latencies) * 1e3:.1f} ms")
    latencies = asyncio.run(key_latency(ExperimentConfig(epochs=100_000)))
    print(f"key → visible change while training (100x30, {len(latencies)} presses of - and +): "
          f"median {statistics.median(latencies) * 1e3:.1f} ms, p95 {percentile(latencies, 0.95) * 1e3:.1f} ms, "
          f"max {max(latencies) * 1e3:.1f} ms")
    config = ExperimentConfig(epochs=EPOCHS)
    print(f"default experiment, {EPOCHS} epochs ({build_experiment(config).trainer().total_steps} steps)")
    at_once, settled = [], []
    for _ in range(ROUNDS):
        base = headless(config)
        at_once.append((base, *asyncio.run(in_app(config))))
        settled.append((base, *asyncio.run(in_app(config, settle=SETTLE))))
    print(f"headless Trainer     {statistics.median(r[0] for r in at_once):10,.0f} steps/s  "
          f"(median of {ROUNDS}, alternating with the app)")
    for name, rounds in (("in the app (120x40)", at_once), (f"  after {SETTLE} s settling", settled)):
        ratios = [r[1] / r[0] for r in rounds]
        print(f"{name:20} {statistics.median(r[1] for r in rounds):10,.0f} steps/s  = "
              f"{statistics.median(ratios):.0%} of headless (median ratio; runs {', '.join(f'{x:.0%}' for x in ratios)}); "
              f"UI thread CPU {statistics.median(r[4] for r in rounds):.0%} of the run; "
              f"{statistics.median(r[3] for r in rounds):.0f} plot frames")
    print(f"launch to first frame {statistics.median(r[2] for r in at_once):9.2f} s   "
          "(app built, mounted, first screen composed)")
    print("UI thread CPU is what drawing takes from training (the GIL); it is less noisy than the ratio.")


if __name__ == "__main__":
    main()
