"""``python -m engine bench``: training speed in steps/s, next to a plain NumPy loop doing the same maths."""

from __future__ import annotations

import math
import time

import numpy as np

from engine import Dense, Input, Sequential
from engine.training import Trainer


def _model(hidden: tuple[int, ...], optimizer: str, seed: int = 0) -> Sequential:
    model = Sequential([Input(shape=(2,)), *[Dense(h, activation="relu") for h in hidden],
                        Dense(1, activation="sigmoid")])
    model.compile(loss="binary_crossentropy", optimizer=optimizer)
    model.build(2, seed=seed)
    return model


def _data(n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 2))
    return x, (x[:, 0] * x[:, 1] > 0).astype(np.float64)


def engine_rate(hidden, batch_size, optimizer, n=2000, epochs=5, repeats=3) -> float:
    """Best steps/s of ``Trainer.fit`` over ``repeats`` runs."""
    x, y = _data(n)
    best = 0.0
    for r in range(repeats):
        model = _model(hidden, optimizer, seed=r)
        trainer = Trainer(model, x, y, batch_size=batch_size, epochs=epochs, seed=r)
        trainer.fit(verbose=0)
        best = max(best, trainer.step_count / trainer.seconds)
    return best


def plain_rate(hidden, batch_size, n=2000, epochs=5, repeats=3) -> float:
    """Best steps/s of a hand-written loop: relu MLP, sigmoid + clipped BCE, Adam, reshuffled epochs.

    No abstractions: what a person would type in a notebook. It is the yardstick.
    """
    x, y = _data(n)
    y = y[:, None]
    sizes = [2, *hidden, 1]
    best = 0.0
    for r in range(repeats):
        rng = np.random.default_rng(r)
        ws = [rng.uniform(-1, 1, (a, b)) * math.sqrt(6 / (a + b)) for a, b in zip(sizes, sizes[1:])]
        bs = [np.zeros(b) for b in sizes[1:]]
        params = ws + bs
        m = [np.zeros_like(p) for p in params]
        v = [np.zeros_like(p) for p in params]
        steps, t = 0, 0
        start = time.perf_counter()
        for _ in range(epochs):
            order = rng.permutation(n)
            xs, ys = x[order], y[order]
            for lo in range(0, n, batch_size):
                xb, yb = xs[lo:lo + batch_size], ys[lo:lo + batch_size]
                acts = [xb]
                for i, (w, b) in enumerate(zip(ws, bs)):
                    z = acts[-1] @ w + b
                    acts.append(np.maximum(z, 0) if i < len(ws) - 1 else 1 / (1 + np.exp(-z)))
                p = np.clip(acts[-1], 1e-7, 1 - 1e-7)
                float(np.mean(-(yb * np.log(p) + (1 - yb) * np.log(1 - p))))
                dz = (p - yb) / len(xb)
                gw, gb = [None] * len(ws), [None] * len(ws)
                for i in range(len(ws) - 1, -1, -1):
                    gw[i] = acts[i].T @ dz
                    gb[i] = dz.sum(0)
                    if i:
                        dz = (dz @ ws[i].T) * (acts[i] > 0)
                t += 1
                alpha = 0.001 * math.sqrt(1 - 0.999 ** t) / (1 - 0.9 ** t)
                for p_, g, m_, v_ in zip(params, gw + gb, m, v):
                    m_ += (g - m_) * 0.1
                    v_ += (g * g - v_) * 0.001
                    p_ -= alpha * m_ / (np.sqrt(v_) + 1e-7)
                steps += 1
        best = max(best, steps / (time.perf_counter() - start))
    return best


RACE_FIELD = ("sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam")
"""The bench's six optimizers: the default race field plus Nesterov."""


def race_seconds(epochs: int, repeats: int = 3) -> tuple[float, float, float, float]:
    """Seconds of one solo adam ``Trainer`` run and of a 6-optimizer race over the same steps.

    Both train the app's default network (2-16-16-1 relu, sigmoid + BCE, accuracy) on moons
    N=2000, B=32, no validation, one ``step()`` at a time; runs are interleaved so machine noise
    hits both alike. Returns ``(solo total, race total, solo median step, race median step)``:
    best totals over ``repeats``, and the median step over all of them (robust to a busy machine).
    """
    from engine.config import ExperimentConfig
    from engine.experiment import build
    from engine.race import Race, entries

    base = ExperimentConfig(samples=2000, epochs=epochs, validation_split=0.0, batch_size=32)
    clock = time.perf_counter
    totals, steps = ([math.inf, math.inf], ([], []))
    for _ in range(repeats):
        for which, machine in enumerate((build(base.replace(optimizer="adam")).trainer(),
                                         Race(entries(base, "optimizer", list(RACE_FIELD))))):
            times = []
            while not machine.done:
                started = clock()
                machine.step()
                times.append(clock() - started)
            totals[which] = min(totals[which], sum(times))
            steps[which].extend(times)
    return totals[0], totals[1], float(np.median(steps[0])), float(np.median(steps[1]))


def main(quick: bool = False) -> int:
    epochs = 2 if quick else 10
    rows = [
        ("(a) 2-16-16-1 relu, B=32, adam, N=2000", (16, 16), 32, epochs * 2, 16_000),
        ("(b) 2-256-256-1 relu, full batch N=2000, adam", (256, 256), 2000, epochs * 10, None),
    ]
    print(f"{'benchmark':48} {'engine':>12} {'plain numpy':>12} {'ratio':>7}")
    for label, hidden, batch, ep, target in rows:
        ours = engine_rate(hidden, batch, "adam", epochs=ep)
        plain = plain_rate(hidden, batch, epochs=ep)
        goal = f"  (target ≥ {target:,} steps/s)" if target else "  (target: ratio ≥ 0.90)"
        print(f"{label:48} {ours:>10,.0f}/s {plain:>10,.0f}/s {ours / plain:>7.2f}{goal}")
    solo, race, solo_step, race_step = race_seconds(epochs=2 if quick else 5)
    print(f"\n{'(c) race, 2-16-16-1 B=32 N=2000, ' + str(len(RACE_FIELD)) + ' optimizers':48} "
          f"{'solo adam':>12} {'race':>12} {'ratio':>7}")
    print(f"{'    whole run (best of 3)':48} {solo * 1e3:>10.1f}ms {race * 1e3:>10.1f}ms {race / solo:>7.2f}"
          "  (target: ratio ≤ 2)")
    print(f"{'    median step':48} {solo_step * 1e6:>10.1f}µs {race_step * 1e6:>10.1f}µs "
          f"{race_step / solo_step:>7.2f}")
    return 0
