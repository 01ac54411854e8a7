"""``python -m engine bench``: training speed in steps/s, next to a plain NumPy loop doing the same maths.

(a) also times ``Sequential.fit`` as a user calls it (the whole call: setup, callbacks, history)
beside the engine's own loop, and PyTorch eager on the same model when torch is installed (it is
not a dependency: ``pip install torch`` to see that row). (c) is a race beside one solo run, and
the same two written by hand (``engine.bench_race``).

Every row alternates its sides run by run and prints the best and the median of the runs:
on a shared machine the best shows what the code can do, the median what it usually does.
The PyTorch and race rows also print CPU time (``time.process_time``: this process's own work,
which other processes on a shared machine do not inflate as they do wall time)."""

from __future__ import annotations

import importlib.util
import math
import statistics
import time

import numpy as np

from engine import bench_race
from engine.layers import Dense, Input
from engine.model import Sequential
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


def engine_rate(hidden, batch_size, optimizer, n=2000, epochs=5, seed=0) -> float:
    """Steps/s of one ``Trainer.fit`` run."""
    x, y = _data(n)
    model = _model(hidden, optimizer, seed=seed)
    trainer = Trainer(model, x, y, batch_size=batch_size, epochs=epochs, seed=seed)
    trainer.fit(verbose=0)
    return trainer.step_count / trainer.seconds


def plain_rate(hidden, batch_size, n=2000, epochs=5, seed=0) -> float:
    """Steps/s of one hand-written loop: relu MLP, sigmoid + clipped BCE, Adam, reshuffled epochs.

    No abstractions: what a person would type in a notebook. It is the yardstick.
    """
    x, y = _data(n)
    y = y[:, None]
    sizes = [2, *hidden, 1]
    rng = np.random.default_rng(seed)
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
    return steps / (time.perf_counter() - start)


def fit_rate(hidden, batch_size, optimizer, n=2000, epochs=5, seed=0, clock=time.perf_counter) -> float:
    """Steps/s of one ``Sequential.fit`` call, timed around the whole call (``verbose=0``) by ``clock``."""
    x, y = _data(n)
    model = _model(hidden, optimizer, seed=seed)
    started = clock()
    model.fit(x, y, batch_size=batch_size, epochs=epochs, verbose=0, seed=seed)
    elapsed = clock() - started
    return epochs * -(-n // batch_size) / elapsed


def torch_rate(hidden, batch_size, n=2000, epochs=5, seed=0, clock=time.perf_counter) -> float:
    """Steps/s of PyTorch eager on the same model, data, batches and Adam (ε = 1e-7), in float64
    as the engine computes, on one thread; per step the loss is read back (``loss.item()``), as
    the engine reports every batch loss. Timed around the whole loop."""
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(seed)
    x, y = _data(n, seed=0)
    x, y = torch.tensor(x), torch.tensor(y)[:, None]
    layers, fan_in = [], 2
    for h in hidden:
        layers += [torch.nn.Linear(fan_in, h), torch.nn.ReLU()]
        fan_in = h
    model = torch.nn.Sequential(*layers, torch.nn.Linear(fan_in, 1), torch.nn.Sigmoid()).double()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.001, eps=1e-7)
    bce = torch.nn.BCELoss()
    steps = 0
    started = clock()
    for _ in range(epochs):
        order = torch.randperm(n)
        xs, ys = x[order], y[order]
        for lo in range(0, n, batch_size):
            optimizer.zero_grad()
            loss = bce(model(xs[lo:lo + batch_size]), ys[lo:lo + batch_size])
            loss.backward()
            optimizer.step()
            loss.item()
            steps += 1
    return steps / (clock() - started)


def has_torch() -> bool:
    return importlib.util.find_spec("torch") is not None


def rates(hidden, batch_size, epochs: int, repeats: int, sides: tuple[str, ...] = ("engine", "plain")
          ) -> dict[str, list[float]]:
    """Steps/s of ``repeats`` runs of each side (``engine``: the ``Trainer.fit`` loop, ``plain``:
    hand-written NumPy, ``fit``: a whole ``Sequential.fit`` call, ``torch``: PyTorch eager;
    ``fit_cpu`` and ``torch_cpu``: the same two timed in CPU time), alternating (engine, plain, …,
    engine, …) so that a busy spell of the machine hits all alike."""
    cpu = time.process_time
    run = {"engine": lambda r: engine_rate(hidden, batch_size, "adam", epochs=epochs, seed=r),
           "plain": lambda r: plain_rate(hidden, batch_size, epochs=epochs, seed=r),
           "fit": lambda r: fit_rate(hidden, batch_size, "adam", epochs=epochs, seed=r),
           "torch": lambda r: torch_rate(hidden, batch_size, epochs=epochs, seed=r),
           "fit_cpu": lambda r: fit_rate(hidden, batch_size, "adam", epochs=epochs, seed=r, clock=cpu),
           "torch_cpu": lambda r: torch_rate(hidden, batch_size, epochs=epochs, seed=r, clock=cpu)}
    result = {side: [] for side in sides}
    for r in range(repeats):
        for side in sides:
            result[side].append(run[side](r))
    return result


def _rate_rows(label: str | None, goal: str, ours: list[float], theirs: list[float], repeats: int) -> None:
    median = statistics.median
    if label:
        print(f"{label:48}  {goal}")
    print(f"{'    best of ' + str(repeats):48} {max(ours):>10,.0f}/s {max(theirs):>10,.0f}/s "
          f"{max(ours) / max(theirs):>7.2f}")
    print(f"{'    median of ' + str(repeats):48} {median(ours):>10,.0f}/s {median(theirs):>10,.0f}/s "
          f"{median(ours) / median(theirs):>7.2f}")


def main(quick: bool = False) -> int:
    epochs = 2 if quick else 10
    full_batch_epochs = 1 if quick else 100  # (b): a full-batch step costs ~500 of (a)'s B=32 steps
    repeats = 3 if quick else 7
    median = statistics.median
    torch = has_torch()
    print(f"{'benchmark':48} {'engine':>12} {'plain numpy':>12} {'ratio':>7}")
    a = rates((16, 16), 32, epochs * 2, repeats,
              ("engine", "plain", "fit") + (("torch", "fit_cpu", "torch_cpu") if torch else ()))
    _rate_rows("(a) 2-16-16-1 relu, B=32, adam, N=2000", "(target ≥ 16,000 steps/s)", a["engine"], a["plain"], repeats)
    b = rates((256, 256), 2000, full_batch_epochs, repeats)
    _rate_rows("(b) 2-256-256-1 relu, full batch N=2000, adam", "(target: ratio ≥ 0.90)", b["engine"], b["plain"],
               repeats)
    print(f"\n{'(a) Sequential.fit, the whole call, verbose=0':48} {'model.fit':>12} {'engine loop':>12} "
          f"{'ratio':>7}  (target: ratio ≥ 0.95)")
    _rate_rows(None, "", a["fit"], a["engine"], repeats)
    print(f"\n{'(a) PyTorch eager, float64, 1 thread':48} {'engine':>12} {'torch eager':>12} {'ratio':>7}  "
          f"(target: ratio ≥ 10)")
    if torch:
        _rate_rows(None, "", a["engine"], a["torch"], repeats)
        pairs = median([f / t for f, t in zip(a["fit_cpu"], a["torch_cpu"])])
        print(f"{'    model.fit, CPU time, median of ' + str(repeats):48} {median(a['fit_cpu']):>10,.0f}/s "
              f"{median(a['torch_cpu']):>10,.0f}/s {pairs:>7.2f}  (median of the run pairs' ratios)")
    else:
        print("    torch not installed (pip install torch to measure it side by side)")
    bench_race.print_rows(quick, repeats)
    return 0
