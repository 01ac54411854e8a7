"""engine.budget: the memory a setup needs, estimated before allocation; too-big setups refused with one line."""

from __future__ import annotations

import gc
import tracemalloc

import pytest

from engine import ExperimentConfig, budget, build_experiment, optimizers, run_record
from engine.budget import BudgetError
from engine.diagnostics_recorder import DiagnosticsRecorder, recorder_values
from engine.cli import main
from engine.experiment import footprint
from engine.race import Race, entries


def measured_peak(run) -> int:
    """Peak bytes NumPy and Python allocate while ``run()`` runs."""
    gc.collect()
    tracemalloc.start()
    try:
        run()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def one_epoch(config: ExperimentConfig):
    """An epoch as the app and the CLI run it: recorded by a ``DiagnosticsRecorder``, then its ``take()``."""
    def run():
        experiment = build_experiment(config)
        trainer = experiment.trainer()
        recorder = DiagnosticsRecorder(experiment.model, trainer.x, trainer.y,
                                       iterations_per_epoch=trainer.iterations_per_epoch)
        trainer.fit(verbose=0, callbacks=[recorder])
        recorder.take()
    return run


def recorded_race(race_entries):
    """A race as the app and the CLI run it: a recorder per contestant fed its updates (in one process:
    tracemalloc sees this one only)."""
    def run():
        race = Race(race_entries, processes=1)
        recorders = [DiagnosticsRecorder(c, race.x, race.targets[c.index], iterations_per_epoch=c.iterations_per_epoch)
                     for c in race.contestants]
        while not race.done:
            for recorder, step in zip(recorders, race.step().steps):
                if step is not None:
                    recorder.observe(step)
    return run


@pytest.mark.parametrize("changes", [
    dict(samples=10000),                                                      # data and validation dominate
    dict(samples=200, hidden=(300, 300)),                                     # parameters and Adam's state
    dict(samples=200, hidden=(300, 300), optimizer="sgd"),
    dict(samples=2000, hidden=(600,), batch_size="full"),                     # a big batch's activations
    dict(samples=4000, dataset="spiral", classes=5, loss="categorical_crossentropy", hidden=(128,)),
    dict(samples=60, hidden=(300, 300), optimizer="nadam", batch_size=1),
    dict(samples=1000, hidden=(64,), batch_size=300),                         # a last batch of 200
])
def test_the_estimate_is_within_a_few_percent_of_a_real_epoch(changes):
    config = ExperimentConfig(epochs=1, **changes)
    estimate = footprint([config]).total
    peak = measured_peak(one_epoch(config))
    assert 0.95 <= estimate / peak <= 1.1, (estimate, peak)


@pytest.mark.parametrize("samples, hidden", [(500, (64, 64)), (400, (256, 256))])
def test_the_estimate_of_a_race_counts_every_contestant(samples, hidden):
    base = ExperimentConfig(samples=samples, hidden=hidden, epochs=1)
    race_entries = entries(base, "optimizer", ["sgd", "adam", "rmsprop"])
    estimate = footprint([e.config for e in race_entries]).total
    peak = measured_peak(recorded_race(race_entries))
    assert 0.95 <= estimate / peak <= 1.1, (estimate, peak)
    assert estimate > 2.5 * footprint([base]).parameters  # three models, each in the stack too


def test_optimizer_state_is_counted_from_a_real_build():
    counts = {name: budget.optimizer_arrays(optimizers.get(name)) for name in ("sgd", "adagrad", "adam")}
    assert counts == {"sgd": 3, "adagrad": 3, "adam": 5}  # 2 scratch arrays + momentum | accumulator | m, v, v̂
    assert budget.optimizer_arrays(optimizers.get("adam", clipnorm=1.0)) == 6  # + the clipped gradients


def test_sizes_by_hand():
    assert budget.network_sizes(2, (16, 16), 1) == (2 * 16 + 16 + 16 * 16 + 16 + 16 + 1, 33)
    fp = budget.estimate(samples=100, features=2, outputs=1, target_columns=1, hidden=(4,), train_size=80,
                         batch_size=32, optimizer_arrays=3)
    p, a = 2 * 4 + 4 + 4 + 1, 5
    assert fp.parameters == 8 * 2 * p and fp.optimizer == 8 * 3 * p
    assert fp.activations == 8 * 4 * a * (32 + 16)  # batches of 32, 32, 16
    assert fp.validation == fp.evaluation == 8 * 2 * 20 * a and fp.initial == 0
    assert fp.total == fp.dataset + fp.parameters + fp.optimizer + fp.activations + fp.validation
    assert fp.dataset == 8 * (100 * (2 + 1 + 1) + 100 + 80 * 3)
    assert fp.work == 6 * 32 * p


def test_the_history_exports_memory_is_counted_and_bounded():
    # 160 training samples: 5 updates an epoch at B = 32, 160 at B = 1
    short = footprint([ExperimentConfig(samples=200, epochs=3)])
    assert short.history == 8 * 3 * 5
    long = footprint([ExperimentConfig(samples=200, epochs=100_000, batch_size=1)])
    assert long.history == 8 * run_record.BLOCK  # 16 M updates: one block in memory, the rest on disk
    assert long.total - long.history == footprint([ExperimentConfig(samples=200, epochs=1, batch_size=1)]).total - 8 * 160
    race = footprint([e.config for e in entries(ExperimentConfig(samples=200, epochs=3), "optimizer", ["sgd", "adam"])])
    assert race.history == 2 * 8 * 3 * 5  # one record per contestant


@pytest.mark.parametrize("changes, words", [
    (dict(hidden=(100000, 100000)), "optimizer state"),
    (dict(samples=100_000_000_000), "evaluation passes"),
])
def test_a_setup_over_the_memory_budget_is_refused_before_allocating(changes, words):
    config = ExperimentConfig(**changes)
    refused = []

    def run():
        with pytest.raises(BudgetError) as info:
            build_experiment(config)
        refused.append(str(info.value))

    assert measured_peak(run) < 2 * 2 ** 20  # nothing of the setup was allocated
    assert "more than the 4.0 GiB budget" in refused[0] and words in refused[0] and "\n" not in refused[0]


def test_a_step_over_the_work_budget_is_refused():
    with pytest.raises(BudgetError, match="floating-point operations in one step or validation pass"):
        build_experiment(ExperimentConfig(hidden=(4000, 4000), batch_size="full"))


@pytest.mark.parametrize("argv", [
    ["run", "--hidden", "100000,100000"],
    ["run", "--samples", "100000000000"],
    ["race", "--hidden", "20000,20000"],
])
def test_the_cli_refuses_with_one_line_and_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as info:
        main(argv)
    out, err = capsys.readouterr()
    assert info.value.code == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"python -m engine {argv[0]}: error: this {'race' if argv[0] == 'race' else 'setup'} needs")


def test_the_budget_is_4_gib_or_half_the_machine():
    memory = budget.machine_memory()
    assert budget.MEMORY_BUDGET == min(4 * budget.GiB, (memory or 8 * budget.GiB) // 2)
    assert budget.show_bytes(3 * 2 ** 20) == "3.0 MiB" and budget.show_bytes(512) == "512 B"


def test_the_python_api_refuses_a_model_too_big_before_allocating_it():
    from engine import Dense, Input, Sequential

    refused = []

    def run():
        with pytest.raises(BudgetError) as info:  # Keras builds a Sequential given an Input at once
            Sequential([Input(shape=(2,)), Dense(100000, activation="relu"), Dense(100000), Dense(1)])
        refused.append(str(info.value))

    assert measured_peak(run) < 2 * 2 ** 20
    assert refused[0].startswith("this model needs about 149.0 GiB of memory (parameters 149.0 GiB")
    assert "more than the 4.0 GiB budget" in refused[0] and "\n" not in refused[0]
    assert isinstance(BudgetError(""), ValueError)  # a plain ValueError to callers that catch one


def test_fit_refuses_data_and_batches_over_the_budget_and_changes_nothing(monkeypatch):
    import numpy as np

    from engine import Dense, Sequential

    model = Sequential([Dense(64, activation="relu"), Dense(1, activation="sigmoid")])
    model.compile(loss="binary_crossentropy", optimizer="adam")
    x, y = np.zeros((1000, 2)), np.zeros(1000)
    monkeypatch.setattr(budget, "MEMORY_BUDGET", 2 ** 20)  # 1 MiB: fits the model, not a full batch of 1000
    with pytest.raises(BudgetError, match=r"^this model needs about 2\.\d MiB of memory \(activations"):
        model.fit(x, y, batch_size=1000, verbose=0)
    assert not model.built and model.optimizer.iterations == 0
    model.fit(x[:100], y[:100], batch_size=32, epochs=1, verbose=0)  # a small run still trains
    weights = model.get_weights()
    unbuilt = Sequential([Dense(20000), Dense(1)])  # no Input: fit builds it
    unbuilt.compile(loss="mse", optimizer="adam")
    with pytest.raises(BudgetError, match="optimizer state"):
        unbuilt.fit(x[:10], y[:10], verbose=0)
    monkeypatch.setattr(budget, "MEMORY_BUDGET", 8 * model.count_params() * 8)  # Adam + clipping: 8 arrays
    with pytest.raises(BudgetError, match="optimizer state"):
        model.compile(loss="mse", optimizer=optimizers.get("adam", clipnorm=1.0))
    assert model.loss.name == "binary_crossentropy" and all(
        np.array_equal(a, b) for a, b in zip(weights, model.get_weights()))


def test_the_python_api_checks_memory_not_the_apps_work_budget():
    wide = budget.estimate(samples=10000, features=2, outputs=1, target_columns=1, hidden=(3000, 3000),
                           train_size=10000, batch_size=10000, optimizer_arrays=3)
    assert wide.work > budget.WORK_BUDGET and wide.total < budget.MEMORY_BUDGET
    with pytest.raises(BudgetError, match="floating-point operations"):
        budget.check(wide)  # what the app and the CLI refuse …
    assert budget.check(wide, work=False) is wide  # … a script may run: one long step is its own choice
    assert budget.check_model([3000, 3000, 1], 2, samples=10000, train_size=10000, batch_size=10000).work == wide.work


def test_the_recorders_values_are_what_it_allocates():
    """``recorder_values``' held part is the recorder's own arrays; a final-entry-only recorder keeps no block."""
    experiment = build_experiment(ExperimentConfig(samples=200, hidden=(300, 300), epochs=1))
    trainer, p = experiment.trainer(), experiment.model.count_params()
    for per_epoch in (True, False):
        gc.collect()
        tracemalloc.start()
        DiagnosticsRecorder(experiment.model, trainer.x, trainer.y, iterations_per_epoch=trainer.iterations_per_epoch,
                            per_epoch=per_epoch)
        made = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        held, passing = recorder_values(p, trainer.iterations_per_epoch, per_epoch)
        assert 1.0 <= made / (8 * held) <= 1.02, (per_epoch, made, held)
        assert passing == 3 * p
    assert recorder_values(p, 5, per_epoch=False)[0] == p  # θ₋ only
