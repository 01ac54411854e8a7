"""``python -m tools.bench_app``: training speed inside the running app vs headless, launch-to-first-frame,
and key → visible change while training.

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


async def key_latency(config: ExperimentConfig, size=(100, 30), presses: int = PRESSES) -> list[float]:
    """Seconds from a key press to the terminal write that shows its effect, while training flat out.

    The keys are ``-`` and ``+`` in turn: the counters' ``speed max`` becomes the next speed down
    (``speed 300/s``) and back. The key is posted as the terminal driver posts it; the
    time stops at the first write carrying the new text.
    """
    import random

    from textual import events

    from tui.app import make_app
    from tui.driver import SPEEDS
    from tui.textual_private import on_terminal_write
    from tui.widgets.counters import speed_text

    app = make_app(config, cursor_blink=False)
    latencies: list[float] = []
    waiting: list = []  # [(expected text, pressed at, done event)]

    def seen(data: str) -> None:
        if waiting and waiting[0][0] in re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", data):
            text, pressed_at, done = waiting.pop()
            latencies.append(time.perf_counter() - pressed_at)
            done.set()

    rng = random.Random(0)
    async with app.run_test(size=size) as pilot:
        on_terminal_write(app, seen)
        app.speed = None  # flat out (the app may start paced)
        app.action_toggle_run()
        await asyncio.sleep(1.0)  # training, plots drawing
        for i in range(presses):
            key, text = ("minus", f"speed {speed_text(SPEEDS[-2])}") if i % 2 == 0 else ("plus", "speed max")
            done = asyncio.Event()
            waiting.append((text, time.perf_counter(), done))
            app.post_message(events.Key(key, "-" if key == "minus" else "+"))
            try:
                await asyncio.wait_for(done.wait(), timeout=2.0)
            except TimeoutError:
                waiting.clear()
                latencies.append(float("inf"))
            await asyncio.sleep(rng.uniform(0.05, 0.25))  # not in step with the redraw timer
        app.action_toggle_run()
        await app.workers.wait_for_complete()
        await pilot.pause()
    return latencies


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
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
