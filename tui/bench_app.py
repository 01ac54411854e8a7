"""``python -m tui.bench_app``: training speed inside the running app vs headless, and launch-to-first-frame.

Prints numbers; no thresholds (targets: app ≥ 70% of headless steps/s, first frame ≤ 1 s).
The plot's redraw cost and memory are measured by ``python -m tui.bench``.
"""

from __future__ import annotations

import asyncio
import time

from engine import ExperimentConfig, build_experiment

EPOCHS = 200
"""The default experiment, run longer so the timing is not dominated by start-up."""


def headless(config: ExperimentConfig) -> float:
    trainer = build_experiment(config).trainer()
    started = time.perf_counter()
    while trainer.step() is not None:
        pass
    return trainer.step_count / (time.perf_counter() - started)


async def in_app(config: ExperimentConfig, size=(120, 40)) -> tuple[float, float]:
    from tui.app import make_app
    started = time.perf_counter()
    app = make_app(config, cursor_blink=False)
    async with app.run_test(size=size) as pilot:
        first_frame = time.perf_counter() - started
        run_started = time.perf_counter()
        app.action_toggle_run()
        await app.workers.wait_for_complete()
        elapsed = time.perf_counter() - run_started
        await pilot.pause()
        steps = app.trainer.step_count
        frames = app.frames_drawn
    return steps / elapsed, first_frame, frames


def main() -> None:
    config = ExperimentConfig(epochs=EPOCHS)
    print(f"default experiment, {EPOCHS} epochs ({build_experiment(config).trainer().total_steps} steps)")
    base = headless(config)
    rate, first_frame, frames = asyncio.run(in_app(config))
    print(f"headless Trainer     {base:10,.0f} steps/s")
    print(f"in the app (120x40)  {rate:10,.0f} steps/s  = {rate / base:.0%} of headless  ({frames} plot frames)")
    print(f"launch to first frame {first_frame:9.2f} s   (app built, mounted, first screen composed)")


if __name__ == "__main__":
    main()
