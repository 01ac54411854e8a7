"""What a map of what the network learned costs: ``python -m tools.bench_map [--quick]``.

Prints, for the default model (2-16-16-1 after one epoch on moons), the time of one 120×60-pixel
map — one batched ``predict`` over its 7,200 pixel centres plus shading and points — and of its
parts, as the median and the best of many runs of CPU time (``time.thread_time``: on a shared
machine a wall clock counts the time other processes held the core; the best shows what the code
can do, the median what it usually does), and the race view's five small maps.
"""

from __future__ import annotations

import argparse
import statistics
import time

from engine import ExperimentConfig, build_experiment
from tui import learned
from tui.widgets.learned_map import picture, source_for


def timed(fn, runs: int) -> tuple[float, float]:
    """(median, best) CPU seconds of ``fn()`` over ``runs`` calls, after one warm-up call."""
    fn()
    times = []
    for _ in range(runs):
        started = time.thread_time()
        fn()
        times.append(time.thread_time() - started)
    return statistics.median(times), min(times)


def main(quick: bool = False) -> int:
    runs = 20 if quick else 100
    experiment = build_experiment(ExperimentConfig(epochs=1))
    trainer = experiment.trainer()
    trainer.fit(verbose=0)
    source = source_for(experiment, trainer)
    width, height = 120, 60
    grid = learned.grid(learned.fit(source.box, width, height), width, height)
    rows = [
        ("120x60 map (predict + shading + points)", lambda: picture(source, width, height)),
        ("  of which: one predict on 7,200 points", lambda: source.predict(grid)),
        ("race: five 24x20 maps", lambda: [picture(source, 24, 20) for _ in range(5)]),
    ]
    print(f"map cost on the default model, CPU time, {runs} runs each (median / best)")
    for name, fn in rows:
        median, best = timed(fn, runs)
        print(f"{name:42} {median * 1e3:7.2f} ms / {best * 1e3:6.2f} ms")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="20 runs per row instead of 100")
    raise SystemExit(main(parser.parse_args().quick))
