"""Benchmark of issue 9's two targets: drawing a surface frame, and computing a network landscape.

    python -m tools.bench_landscape [--quick]

(a) one frame of the surface view at 160×80 pixels with 4 optimizers' paths (200 steps each):
    the paths and marks over the cached shaded surface, turned into half-block strips — what an
    animation step costs (target ≤ 15 ms) — and the same with the surface shaded afresh (a resize).
(b) the loss on a 31×31 grid around the default experiment's trained weights (961 networks, the
    training data, the race's Stack), on one BLAS thread (target ≤ 2 s).
Medians of several runs, wall and CPU time: the machine may be shared.
"""

from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # "on one core": before NumPy loads BLAS
os.environ.setdefault("OMP_NUM_THREADS", "1")

import argparse  # noqa: E402
import statistics  # noqa: E402

import numpy as np  # noqa: E402

from engine import ExperimentConfig, build_experiment, optimizers, surfaces  # noqa: E402
from engine.landscape import train_and_map  # noqa: E402
from tools.bench import median_ms  # noqa: E402
from tui.surface.frame import Plane, compose, surface_background  # noqa: E402
from tui.widgets.pixels import half_block_strips  # noqa: E402

COLORS = [(97, 175, 239), (229, 192, 123), (152, 195, 121), (224, 108, 117)]


def frame_bench(repeat: int) -> None:
    surface = surfaces.get("quadratic")
    plane = Plane(surface.box, 160, 80)
    walks = [surfaces.Descent(surface, optimizers.get(name, learning_rate=surface.learning_rate), surface.start,
                              steps=200, tol=0.0).run() for name in ("sgd", "momentum", "rmsprop", "adam")]
    paths = [(np.array(w.path), c) for w, c in zip(walks, COLORS)]
    background = surface_background(surface, plane)

    def warm():
        pixels, marks = compose(background, plane, paths, start=surface.start, minima=surface.minima)
        half_block_strips(pixels, marks)

    def cold():
        pixels, marks = compose(surface_background(surface, plane), plane, paths, start=surface.start,
                                minima=surface.minima)
        half_block_strips(pixels, marks)

    for name, fn in (("(a) frame 160×80 px, 4 paths × 200 steps", warm), ("    same, surface shaded afresh", cold)):
        wall, cpu = median_ms(fn, repeat)
        print(f"{name:44} {wall:7.2f} ms wall  {cpu:7.2f} ms CPU   (target ≤ 15 ms)")


def landscape_bench(repeat: int) -> None:
    seconds = []
    for _ in range(repeat):
        experiment = build_experiment(ExperimentConfig())
        result, _ = train_and_map(experiment, directions="random", grid=31)
        seconds.append(result.seconds)
    print(f"{'(b) landscape 31×31, default experiment':44} {statistics.median(seconds):7.3f} s  median of {repeat}"
          f" (best {min(seconds):.3f} s)   (target ≤ 2 s)")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m tools.bench_landscape", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer repeats")
    args = parser.parse_args()
    frame_bench(10 if args.quick else 40)
    landscape_bench(1 if args.quick else 5)


if __name__ == "__main__":
    main()
