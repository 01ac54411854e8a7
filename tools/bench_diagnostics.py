"""What the diagnostics cost: ``Trainer.fit`` with and without a ``diagnostics.DiagnosticsRecorder``.

    python -m tools.bench_diagnostics [--quick]

Each row alternates the two sides run by run (same experiment, fresh weights each run) and
prints the median CPU time of each (``time.process_time``: the process's own, so waiting for a
busy core does not count), the median of the per-pair overheads (with ÷ without - 1) — on a
shared machine the figure a busy spell disturbs least — and their interquartile range, which
says how far to trust it.
"""

from __future__ import annotations

import argparse
import statistics
import time

from engine import ExperimentConfig, build_experiment
from engine.diagnostics_recorder import DiagnosticsRecorder

SETUPS = {
    "default (moons, adam, B=32)": ExperimentConfig(epochs=20),
    "batch GD (moons, adam, B=N)": ExperimentConfig(batch_size="full", epochs=400),
    "SGD (moons, adagrad, B=1)": ExperimentConfig(optimizer="adagrad", batch_size=1, epochs=1),
    "spiral 3 classes (rmsprop, B=32)": ExperimentConfig(dataset="spiral", classes=3, optimizer="rmsprop",
                                                         loss="sparse_categorical_crossentropy", epochs=20),
}


def timed_fit(config: ExperimentConfig, diagnostics: bool) -> float:
    """CPU seconds of one ``fit`` (with diagnostics: the recorder's setup, and its ``entries`` read at
    the end — every epoch's, as ``run --json`` prints them — included)."""
    experiment = build_experiment(config)
    trainer = experiment.trainer()
    started = time.process_time()
    callbacks = [DiagnosticsRecorder(experiment.model, trainer.x, trainer.y,
                          iterations_per_epoch=trainer.iterations_per_epoch)] if diagnostics else []
    trainer.fit(verbose=0, callbacks=callbacks)
    for recorder in callbacks:
        assert len(recorder.entries) == config.epochs
    return time.process_time() - started


def main(quick: bool = False) -> int:
    runs = 3 if quick else 11
    print(f"diagnostics overhead: Trainer.fit with a DiagnosticsRecorder vs without, {runs} alternating pairs")
    print(f"{'setup':34} {'without':>10} {'with':>10} {'overhead':>9}  {'IQR':>15}")
    for name, config in SETUPS.items():
        timed_fit(config, True)  # warm up
        without, with_, ratios = [], [], []
        for run in range(runs):
            if run % 2:  # which side goes first alternates too
                b, a = timed_fit(config, True), timed_fit(config, False)
            else:
                a, b = timed_fit(config, False), timed_fit(config, True)
            without.append(a)
            with_.append(b)
            ratios.append(b / a - 1)
        low, _, high = statistics.quantiles(ratios, n=4)
        print(f"{name:34} {statistics.median(without) * 1e3:8.1f}ms {statistics.median(with_) * 1e3:8.1f}ms "
              f"{statistics.median(ratios) * 100:+8.1f}%  {low * 100:+6.1f}…{high * 100:+.1f}%")
    return 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 pairs per row instead of 11")
    raise SystemExit(main(parser.parse_args().quick))
