"""engine.batching: the lecture's batching concept — regimes, ⌈N/B⌉, the last batch, the split."""

from __future__ import annotations

import ast
import pathlib

import numpy as np
import pytest

from engine import ConfigError, ExperimentConfig, Sequential, Trainer, batching, build_experiment
from engine.layers import Dense, Input


@pytest.mark.parametrize("n, b, iterations, last", [
    (2000, 200, 10, 200),   # the lecture's example
    (1600, 32, 50, 32),
    (1601, 32, 51, 1),
    (10, 3, 4, 1),
    (10, 1, 10, 1),
    (10, 10, 1, 10),
    (10, 64, 1, 10),        # B > N: one batch of all N
])
def test_iterations_per_epoch_and_last_batch(n, b, iterations, last):
    assert batching.iterations_per_epoch(n, b) == iterations
    assert batching.last_batch_size(n, b) == last
    assert (iterations - 1) * b + last == n


@pytest.mark.parametrize("b, n, mode", [
    ("full", 90, batching.BATCH_GD),
    (90, 90, batching.BATCH_GD),
    (128, 90, batching.BATCH_GD),       # larger than the training set: still batch GD
    (1, 90, batching.SGD),
    (1, 1, batching.BATCH_GD),          # one sample: B = N
    (2, 90, batching.MINI_BATCH),
    (32, 90, batching.MINI_BATCH),
    (89, 90, batching.MINI_BATCH),
])
def test_one_name_per_regime(b, n, mode):
    assert batching.batch_mode(b, n) == mode


def test_the_menu_names_each_batch_size_as_batch_mode_does():
    assert batching.choices()[0] == ("SGD (B = 1)", 1) and batching.choices()[-1] == ("batch GD (B = N)", "full")
    assert ("mini-batch 32 (Keras)", 32) in batching.choices()
    for n in (1, 50, 100, 1600, 5000):
        sizes = [n if b == "full" else b for _, b in batching.choices(n)]
        assert sizes == sorted(sizes), n  # numeric order: batch GD (B = N) where N falls
        for label, b in batching.choices(n):
            mode = batching.batch_mode(b if b != "full" else n, n)
            expected = {batching.BATCH_GD: "batch GD", batching.SGD: "SGD", batching.MINI_BATCH: "mini-batch"}[mode]
            assert label.startswith(expected), (n, label, mode)
    assert ("batch GD 64 (B ≥ N = 50)", 64) in batching.choices(50)


@pytest.mark.parametrize("n, split, expected", [
    (2000, 0.2, 1600), (10, 0.25, 7), (3, 0.5, 1), (100, 0.0, 100), (7, 0.3, 4),
])
def test_validation_split_keeps_the_first_floor_n_times_one_minus_split(n, split, expected):
    assert batching.validation_split_index(n, split) == expected
    assert batching.train_size(n, split) == expected


@pytest.mark.parametrize("n, split, message", [
    (10, 1.0, r"validation_split must be in \[0, 1\), got 1.0"),
    (10, -0.1, r"validation_split must be in \[0, 1\)"),
    (10, True, r"validation_split must be in \[0, 1\), got True"),
    (1, 0.5, "leaves 0 of 1 samples for training"),
    (10, 1e-17, "leaves 10 of 10 samples for training"),
])
def test_validation_split_refuses_unusable_splits(n, split, message):
    with pytest.raises(ValueError, match=message):
        batching.validation_split_index(n, split)


def test_full_batch_resolves_to_the_training_set():
    assert batching.resolve("full", 1600) == 1600
    assert batching.resolve(32, 1600) == 32
    experiment = build_experiment(ExperimentConfig(samples=100, batch_size="full", validation_split=0.2))
    assert experiment.batch_size == experiment.train_size == 80
    assert experiment.trainer().iterations_per_epoch == 1


@pytest.mark.parametrize("text, value", [("full", "full"), (" N ", "full"), ("all", "full"), ("64", 64), ("1", 1)])
def test_parse_batch_size(text, value):
    assert batching.parse_batch_size(text) == value


@pytest.mark.parametrize("text, message", [
    ("0", "batch size must be a whole number ≥ 1, got 0"),
    ("-3", "batch size must be a whole number ≥ 1, got -3"),
    ("half", "batch size must be a whole number ≥ 1 or 'full', got 'half'"),
    ("2.5", "batch size must be a whole number ≥ 1 or 'full', got '2.5'"),
])
def test_parse_batch_size_refuses_with_one_line(text, message):
    with pytest.raises(ConfigError) as info:
        batching.parse_batch_size(text)
    assert str(info.value) == message


def test_fit_batch_size_defaults_to_keras_32_and_refuses_non_whole_numbers():
    assert batching.fit_batch_size(None) == batching.KERAS_DEFAULT_BATCH == 32
    assert batching.fit_batch_size(np.int64(5)) == 5
    for bad in (0, -1, 2.0, True, "32"):
        with pytest.raises(ValueError, match="batch_size must be a whole number ≥ 1"):
            batching.fit_batch_size(bad)


def test_the_trainer_counts_iterations_as_batching_does():
    model = Sequential([Input(shape=(2,)), Dense(1)])
    model.compile(loss="mse", optimizer="sgd")
    x, y = np.zeros((103, 2)), np.zeros(103)
    trainer = Trainer(model, x, y, epochs=1, seed=0)  # batch_size None → Keras's 32
    assert (trainer.batch_size, trainer.iterations_per_epoch, trainer.last_batch_size) == (32, 4, 7)
    sizes = [trainer.step().batch_size for _ in range(4)]
    assert sizes == [32, 32, 32, 7]


def test_keras_default_batch_is_defined_once():
    """No other module spells Keras's default batch size as its own constant."""
    root = pathlib.Path(__file__).resolve().parents[2]
    owners = []
    for path in [*root.joinpath("engine").rglob("*.py"), *root.joinpath("tui").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    if isinstance(target, ast.Name) and target.id in ("KERAS_DEFAULT_BATCH", "DEFAULT_BATCH_SIZE"):
                        owners.append(path.relative_to(root).as_posix())
    assert owners == ["engine/batching.py"]
    assert ExperimentConfig().batch_size == batching.KERAS_DEFAULT_BATCH
