"""Benchmark of the plotting path: Series memory and decimation cost, LossPlot redraw time.

    python -m tools.bench
"""

from __future__ import annotations

import asyncio
import statistics
import time
import tracemalloc

import numpy as np

from tui.widgets.series import Series

BATCH = 500
"""Points per `extend`, about what the UI receives per message at 10-20k steps/s and ~30 messages/s."""


def filled(n: int) -> Series:
    """A Series fed n points of a noisy decaying loss in UI-sized batches."""
    rng = np.random.default_rng(0)
    series = Series()
    for start in range(0, n, BATCH):
        x = np.arange(start, min(n, start + BATCH), dtype=np.float64)
        series.extend(x, np.exp(-x / 2e5) * (1 + 0.3 * rng.random(x.size)) + 1e-3)
    return series


def median_ms(fn, repeat: int = 20) -> tuple[float, float]:
    """Median wall-clock and median CPU (process) time of fn(), in ms; CPU time is less
    sensitive to other jobs on a shared machine."""
    wall, cpu = [], []
    for _ in range(repeat):
        w0, c0 = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - w0)
        cpu.append(time.process_time() - c0)
    return statistics.median(wall) * 1e3, statistics.median(cpu) * 1e3


def bench_memory(n: int = 1_000_000) -> None:
    tracemalloc.start()
    series = filled(n)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"Series after {n:,} appends: {series.levels} levels, {series.nbytes / 1024:.0f} KiB in arrays, "
          f"tracemalloc peak {peak / 1024:.0f} KiB (includes {BATCH}-point input batches)")
    t0 = time.perf_counter()
    series.clear()
    for i in range(100_000):
        series.append(i, 1.0)
    print(f"Series.append: {(time.perf_counter() - t0) * 10:.2f} us/point; ", end="")
    series = Series()
    xs, ys = np.arange(1e6), np.ones(1_000_000)
    t0 = time.perf_counter()
    for i in range(0, 1_000_000, BATCH):
        series.extend(xs[i : i + BATCH], ys[i : i + BATCH])
    print(f"Series.extend({BATCH}-point batches): {(time.perf_counter() - t0):.3f} us/point")


def bench_points(max_points: int = 240) -> None:
    for n in (10**3, 10**5, 10**6):
        series = filled(n)
        wall, cpu = median_ms(lambda: series.points(max_points))
        print(f"points({max_points}) after {n:>9,} appends: {wall:6.3f} ms wall, {cpu:6.3f} ms cpu "
              f"({series.points(max_points)[0].size} points)")


async def bench_redraw(n: int = 1_000_000, size: tuple[int, int] = (120, 40)) -> None:
    from textual.app import App, ComposeResult

    from rich.text import Text

    from tui.colors import contestant_color
    from tui.widgets.loss_plot import Curve, LossPlot
    from tui.widgets.plotext_canvas import matrix_strips
    from tui.widgets.plotext_private import build_matrix

    class BenchApp(App):
        def compose(self) -> ComposeResult:
            yield LossPlot()

    noisy = [filled(n) for _ in range(3)]
    epochs = Series()  # a smooth per-epoch curve: 1000 epochs, no noise
    e = np.arange(1000.0)
    epochs.extend(e * 1000, np.exp(-e / 200) + 1e-3)
    scenarios = {
        "worst: 3 noisy 10^6-point curves (dots, line, line)": [
            (noisy[0], "batch", "dots"), (noisy[1], "train", "line"), (noisy[2], "val", "line")],
        "typical: noisy 10^6-point batch dots + 2 smooth per-epoch lines": [
            (noisy[0], "batch", "dots"), (epochs, "train", "line"), (epochs, "val", "line")],
        "race: 5 contestants' noisy 10^6-point batch dots and epoch lines": [
            *((noisy[i % 3], "", "dots") for i in range(5)), *((epochs, f"c{i}", "line") for i in range(5))],
    }
    async with BenchApp().run_test(size=size) as pilot:
        plot = pilot.app.query_one(LossPlot)
        print(f"LossPlot at {size[0]}x{size[1]}, max_points={plot.max_points} per curve; "
              "redraw = points() + show() + frame()")
        print("  'axes move': the y range changes at every redraw (the loss keeps falling), so plotext rebuilds "
              "the frame too -- the worst case; 'axes kept': only the curves are redrawn")
        print("  'plotext draws the curves': the same frame with the curves drawn by plotext itself "
              "(how every redraw was built before the NumPy layer)")
        for name, spec in scenarios.items():
            moves = iter(range(10**9))

            def redraw(move: bool) -> None:
                k = 1 + 1e-3 * next(moves) if move else 1.0
                curves = []
                for i, (series, label, style) in enumerate(spec):
                    xs, ys = series.points(plot.max_points)
                    curves.append(Curve(label, xs, ys * (1 + 0.5 * i) * k, contestant_color(i), style))
                plot.show(curves, title="bench", x_label="step")
                plot.frame()

            def plotext_draws_the_curves() -> tuple[float, float]:
                """Wall and CPU ms of points() + plotext building the frame with the curves as its signals."""
                redraw(True)  # leaves plotext configured with a fresh frame
                w0, c0 = time.perf_counter(), time.process_time()
                plt = plot.plt
                for i, (series, _, style) in enumerate(spec):
                    xs, ys = series.points(plot.max_points)
                    ys = ys * (1 + 0.5 * i)
                    y = np.log10(ys) if plot.log_scale else ys
                    draw = plt.scatter if style == "dots" else plt.plot
                    draw(xs.tolist(), y.tolist(), color=contestant_color(i), marker="braille")
                matrix_strips(build_matrix(plt))
                return (time.perf_counter() - w0) * 1e3, (time.process_time() - c0) * 1e3

            print(f"  {name}")
            for log_scale in (True, False):
                plot.log_scale = log_scale
                await pilot.pause()
                moved = median_ms(lambda: redraw(True))
                kept = median_ms(lambda: redraw(False))
                runs = [plotext_draws_the_curves() for _ in range(10)]
                before = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
                print(f"    log_scale={log_scale!s:5}: axes move {moved[0]:5.1f} ms wall, {moved[1]:5.1f} ms cpu; "
                      f"axes kept {kept[0]:5.1f} ms wall, {kept[1]:5.1f} ms cpu; "
                      f"plotext draws the curves {before[0]:5.1f} ms wall, {before[1]:5.1f} ms cpu")
        matrix = plot.plt.monitor.matrix  # the last scenario's frame: glue from plotext's cells to the screen

        def ansi_route() -> None:  # what textual-plotext does
            matrix.set_canvas()
            Text.from_ansi(matrix.get_canvas())

        wall, _ = median_ms(ansi_route)
        wall_ours, _ = median_ms(lambda: matrix_strips(matrix))
        print(f"  glue: plotext's ANSI canvas + Text.from_ansi {wall:.1f} ms; matrix → strips {wall_ours:.1f} ms")
        titles = iter(range(10**9))

        def empty() -> None:
            plot.show([], title=f"bench {next(titles)}", x_label="step")
            plot.frame()

        wall, cpu = median_ms(empty)
        print(f"  floor: an empty frame builds in {wall:.1f} ms wall, {cpu:.1f} ms cpu (plotext's per-cell work)")
        wall, cpu = median_ms(plot.frame)
        print(f"  a repaint with no new data (focus, compositor): {wall:.3f} ms (the built frame is reused)")
        wall, cpu = median_ms(pilot.app.export_screenshot, repeat=5)
        print(f"  for scale: one export_screenshot (compositor + SVG) takes {wall:.1f} ms wall, {cpu:.1f} ms cpu")


def main() -> None:
    bench_memory()
    bench_points()
    asyncio.run(bench_redraw())
    print("target: <= 15 ms per redraw after 10^6 steps (median of 20)")


if __name__ == "__main__":
    main()
