"""``python -m engine bench`` rows (c) and (d): a 6-optimizer race beside one solo run, a race of six
learning rates (one formula: its rows update as one), and the 6-optimizer race and solo run
written by hand in plain NumPy — the yardstick that says what a race costs over a solo run
before any engine is put around it; (d) a long race run in one process and in two
(``engine.race.partner``)."""

from __future__ import annotations

import math
import os
import resource
import statistics
import time

import numpy as np

RACE_FIELD = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
"""The bench's six optimizers: the default race field plus Nesterov."""

RATE_FIELD = (0.0001, 0.0003, 0.001, 0.002, 0.003, 0.005)
"""Six learning rates of adam: one formula, so the six update as one (``engine.optimizers.rows``)."""


def race_seconds(epochs: int, repeats: int = 7, field: str = "optimizer", values=RACE_FIELD
                 ) -> tuple[list[float], list[float], float, float, list[float]]:
    """Seconds of solo adam ``Trainer`` runs and of races of ``field`` over ``values`` (default: the
    six optimizers) over the same steps.

    Both train the app's default network (2-16-16-1 relu, sigmoid + BCE, accuracy) on moons
    N=2000, B=32, no validation, one ``step()`` at a time; runs are interleaved (solo, race,
    solo, …) so machine noise hits both alike. Returns ``(solo totals, race totals, solo median
    step, race median step, CPU ratios)``: every run's total, the median step over all of them,
    and each race's CPU time over the solo run's just before it.
    """
    from engine.config import ExperimentConfig
    from engine.experiment import build
    from engine.race import Race, entries

    base = ExperimentConfig(samples=2000, epochs=epochs, validation_split=0.0, batch_size=32)
    clock = time.perf_counter
    totals, steps, cpu = ([], []), ([], []), ([], [])
    for _ in range(repeats):
        for which, machine in enumerate((build(base.replace(optimizer="adam")).trainer(),
                                         Race(entries(base.replace(optimizer="adam"), field, list(values))))):
            times = []
            cpu_started = time.process_time()
            while not machine.done:
                started = clock()
                machine.step()
                times.append(clock() - started)
            cpu[which].append(time.process_time() - cpu_started)
            totals[which].append(sum(times))
            steps[which].extend(times)
    return (totals[0], totals[1], float(np.median(steps[0])), float(np.median(steps[1])),
            [r / s for s, r in zip(*cpu)])


def long_race_seconds(epochs: int, repeats: int = 7) -> dict[str, list[tuple[float, float, float]]]:
    """``(wall, CPU of this process, CPU of the second)`` seconds of ``repeats`` whole runs each of a
    solo adam run (``fit``), the 6-optimizer race in one process and in two (``Race.run()``; with
    ``processes=2`` every other contestant steps in a second process, counted once it has ended),
    and each half of that split raced alone in one process (what the two processes would cost with
    nothing to share). Same settings as ``race_seconds``; sides interleaved."""
    from engine.config import ExperimentConfig
    from engine.experiment import build
    from engine.race import Race, entries

    base = ExperimentConfig(samples=2000, epochs=epochs, validation_split=0.0, batch_size=32, optimizer="adam")

    def cpu() -> tuple[float, float]:
        own, ended = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime, ended.ru_utime + ended.ru_stime

    def solo():
        build(base).trainer().fit(verbose=0)

    def race(processes, values=RACE_FIELD):
        machine = Race(entries(base, "optimizer", list(values)), processes=processes)
        machine.run()
        machine.close()

    # the split Race makes: every other contestant (six formulas, in line-up order) to the second process
    sides = {"solo": solo, "one process": lambda: race(1), "two processes": lambda: race(2),
             "half": lambda: race(1, RACE_FIELD[::2]), "other half": lambda: race(1, RACE_FIELD[1::2])}
    result = {name: [] for name in sides}
    for _ in range(repeats):
        for name, run in sides.items():
            wall, (own, other) = time.perf_counter(), cpu()
            run()
            now = cpu()
            result[name].append((time.perf_counter() - wall, now[0] - own, now[1] - other))
    return result


# -- the yardstick: a race as a notebook would write it ---------------------------------------
def _sgd(g, p, s):
    p -= 0.01 * g


def _momentum(g, p, s):
    s["m"] *= 0.9
    s["m"] -= 0.01 * g
    p += s["m"]


def _nesterov(g, p, s):
    s["m"] *= 0.9
    s["m"] -= 0.01 * g
    p += 0.9 * s["m"] - 0.01 * g


def _adagrad(g, p, s):
    s["a"] += g * g
    p -= 0.001 * g / np.sqrt(s["a"] + 1e-7)


def _rmsprop(g, p, s):
    s["v"] *= 0.9
    s["v"] += 0.1 * g * g
    p -= 0.001 * g / np.sqrt(s["v"] + 1e-7)


def _adam(g, p, s):
    s["t"] += 1
    alpha = 0.001 * math.sqrt(1 - 0.999 ** s["t"]) / (1 - 0.9 ** s["t"])
    s["m"] += (g - s["m"]) * 0.1
    s["v"] += (g * g - s["v"]) * 0.001
    p -= alpha * s["m"] / (np.sqrt(s["v"]) + 1e-7)


_UPDATES = {"sgd": _sgd, "momentum": _momentum, "nesterov": _nesterov, "adagrad": _adagrad,
            "rmsprop": _rmsprop, "adam": _adam}


def plain_step_seconds(optimizers: tuple[str, ...], hidden=(16, 16), batch_size=32, n=2000, epochs=5,
                       seed=0) -> float:
    """CPU seconds per step of a hand-written loop training K = ``len(optimizers)`` networks of
    2-h-…-1 (relu, sigmoid + clipped BCE) in lockstep, each with its own optimizer (Keras's
    default hyperparameters, written plainly).

    The K networks' parameters are the rows of one ``(K, P)`` array, as the engine keeps them:
    one batched matmul per product for all K, then each row's own update. With one optimizer
    the arrays are 2-D, as one writes a single network. No checks, no history, no events.
    """
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 2))
    y = (x[:, 0] * x[:, 1] > 0).astype(np.float64)[:, None]
    k, sizes = len(optimizers), [2, *hidden, 1]
    shapes = [(a, b) for a, b in zip(sizes, sizes[1:])] + [(b,) for b in sizes[1:]]
    theta = np.zeros((k, sum(math.prod(s) for s in shapes)))
    grads = np.zeros_like(theta)
    views, offset = [], 0
    for shape in shapes:
        size = math.prod(shape)
        p, g = theta[:, offset:offset + size], grads[:, offset:offset + size]
        views.append((p.reshape(k, *shape), g.reshape(k, *shape)) if k > 1 else (p[0].reshape(shape), g[0].reshape(shape)))
        offset += size
    layers = len(sizes) - 1
    weights, weight_grads = [v for v, _ in views[:layers]], [g for _, g in views[:layers]]
    biases = [b[:, None, :] if k > 1 else b for b, _ in views[layers:]]
    bias_grads = [g for _, g in views[layers:]]
    for w in weights:
        w[...] = rng.uniform(-1, 1, w.shape) * math.sqrt(6 / sum(w.shape[-2:]))
    state = [{"m": np.zeros(theta.shape[1]), "v": np.zeros(theta.shape[1]), "a": np.full(theta.shape[1], 0.1),
              "t": 0} for _ in optimizers]
    updates = [_UPDATES[name] for name in optimizers]
    steps = 0
    started = time.process_time()
    with np.errstate(all="ignore"):
        for _ in range(epochs):
            order = rng.permutation(n)
            xs, ys = x[order], y[order]
            for lo in range(0, n, batch_size):
                xb, yb = xs[lo:lo + batch_size], ys[lo:lo + batch_size]
                acts = [xb]
                for i in range(layers):
                    z = acts[-1] @ weights[i] + biases[i]
                    acts.append(np.maximum(z, 0.0) if i < layers - 1 else 1 / (1 + np.exp(-z)))
                p = np.clip(acts[-1], 1e-7, 1 - 1e-7)
                np.mean((-(yb * np.log(p) + (1 - yb) * np.log(1 - p))).reshape(k, -1), axis=1).tolist()
                dz = (p - yb) / len(xb)
                for i in range(layers - 1, -1, -1):
                    np.matmul(np.swapaxes(acts[i], -1, -2), dz, out=weight_grads[i])
                    np.sum(dz, axis=-2, out=bias_grads[i])
                    if i:
                        dz = (dz @ np.swapaxes(weights[i], -1, -2)) * (acts[i] > 0)
                for update, g, p_, s in zip(updates, grads, theta, state):
                    update(g, p_, s)
                steps += 1
    return (time.process_time() - started) / steps


def print_rows(quick: bool, repeats: int) -> None:
    """Row (c): the engine's race ÷ solo (wall and CPU), the learning-rate race's (CPU), then the
    hand-written yardstick's; row (d): a long race in one process and in two."""
    median = statistics.median
    solo, race, solo_step, race_step, cpu_pairs = race_seconds(epochs=2 if quick else 5, repeats=repeats)
    print(f"\n{'(c) race, 2-16-16-1 B=32 N=2000, ' + str(len(RACE_FIELD)) + ' optimizers':48} "
          f"{'solo adam':>12} {'race':>12} {'ratio':>7}  (target: ratio ≤ 1.5)")
    print(f"{'    whole run, best of ' + str(repeats):48} {min(solo) * 1e3:>10.1f}ms {min(race) * 1e3:>10.1f}ms "
          f"{min(race) / min(solo):>7.2f}")
    print(f"{'    whole run, median of ' + str(repeats):48} {median(solo) * 1e3:>10.1f}ms "
          f"{median(race) * 1e3:>10.1f}ms {median(race) / median(solo):>7.2f}")
    pairs = median([r / s for s, r in zip(solo, race)])  # each race run over the solo run just before it
    print(f"{f'    whole run, median of {repeats} race/solo pairs':48} {'':>12} {'':>12} {pairs:>7.2f}")
    print(f"{f'    whole run, CPU time, median of {repeats} pairs':48} {'':>12} {'':>12} {median(cpu_pairs):>7.2f}")
    print(f"{'    median step':48} {solo_step * 1e6:>10.1f}µs {race_step * 1e6:>10.1f}µs "
          f"{race_step / solo_step:>7.2f}")
    rates = race_seconds(epochs=1 if quick else 5, repeats=repeats, field="learning_rate", values=RATE_FIELD)
    print(f"{f'    6 rates of adam (one formula), CPU, median of {repeats} pairs':48} {'':>12} {'':>12} "
          f"{median(rates[4]):>7.2f}")
    plain = [(plain_step_seconds(("adam",), epochs=1 if quick else 5, seed=r),
              plain_step_seconds(RACE_FIELD, epochs=1 if quick else 5, seed=r)) for r in range(repeats)]
    print(f"{f'    by hand in NumPy, CPU step, median of {repeats} pairs':48} "
          f"{median(s for s, _ in plain) * 1e6:>10.1f}µs {median(r for _, r in plain) * 1e6:>10.1f}µs "
          f"{median(r / s for s, r in plain):>7.2f}  (the yardstick)")
    epochs = 2 if quick else 50
    runs = long_race_seconds(epochs, repeats)
    solo_wall = median(w for w, _, _ in runs["solo"])
    print(f"\n{f'(d) the 6 optimizers, {epochs} epochs, Race.run()':48} {'solo adam':>12} {'race':>12} {'ratio':>7}  "
          f"(target: ratio ≤ 1.5)")
    for name in ("one process", "two processes"):
        wall = median(w for w, _, _ in runs[name])
        print(f"{f'    {name}, wall, median of {repeats}':48} {solo_wall * 1e3:>10.1f}ms {wall * 1e3:>10.1f}ms "
              f"{wall / solo_wall:>7.2f}")
    solo_cpu = [own for _, own, _ in runs["solo"]]
    one = [own for _, own, _ in runs["one process"]]
    both = [own + other for _, own, other in runs["two processes"]]
    busier = [max(own, other) for _, own, other in runs["two processes"]]  # the wall time with a core free
    # the floor of any split into two processes: its heavier half, raced alone
    heavier = [max(a, b) for (_, a, _), (_, b, _) in zip(runs["half"], runs["other half"])]
    for label, cpu in (("one process, CPU", one), ("two, CPU of both", both), ("two, CPU of the busier", busier),
                       ("heavier half alone, CPU", heavier)):
        pairs = median(c / s for s, c in zip(solo_cpu, cpu))
        print(f"{f'    {label}, median of {repeats} pairs':48} {'':>12} {'':>12} {pairs:>7.2f}")
    print("    (with a second core free the busier process sets the wall time; the heavier half raced alone\n"
          f"    is the floor of any split in two; load average now {os.getloadavg()[0]:.1f} on "
          f"{len(os.sched_getaffinity(0))} cores)")
