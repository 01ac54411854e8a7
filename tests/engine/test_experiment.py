"""Experiments: defaults, validation, and how each loss shapes the output layer and labels."""

from collections import Counter

import numpy as np
import pytest

from engine import ConfigError, ExperimentConfig, batch_mode, build_experiment, check_experiment, datasets, experiment, losses
from tests.calls import counted


def build(**changes):
    return build_experiment(ExperimentConfig(**{"samples": 120, "epochs": 1, **changes}))


@pytest.mark.parametrize("loss, dataset, units, activation, y_shape", [
    ("binary_crossentropy", {}, 1, "sigmoid", (120,)),
    ("categorical_crossentropy", {}, 2, "softmax", (120, 2)),            # binary data, one-hot
    ("sparse_categorical_crossentropy", {"dataset": "spiral", "classes": 3}, 3, "softmax", (120,)),
    ("kl_divergence", {"dataset": "blobs", "classes": 4}, 4, "softmax", (120, 4)),
    ("hinge", {}, 1, "linear", (120,)),
    ("categorical_hinge", {"dataset": "spiral", "classes": 3}, 3, "linear", (120, 3)),
    ("mse", {"dataset": "sine"}, 1, "linear", (120,)),
    ("mse", {"dataset": "spiral", "classes": 3}, 3, "linear", (120, 3)),  # regression loss on classes
    ("poisson", {}, 1, "softplus", (120,)),
])
def test_the_loss_picks_output_units_activation_and_label_encoding(loss, dataset, units, activation, y_shape):
    experiment = build(loss=loss, **dataset)
    assert (experiment.output.units, experiment.output.activation) == (units, activation)
    assert experiment.y.shape == y_shape
    assert experiment.model.layers[-1].activation.name == activation


@pytest.mark.parametrize("changes, message", [
    ({"loss": "binary_crossentropy", "dataset": "spiral", "classes": 3}, "needs two classes"),
    ({"loss": "categorical_crossentropy", "dataset": "sine"}, "regression dataset"),
    ({"loss": "poisson", "dataset": "sine"}, "non-negative"),
    ({"loss": "poisson", "dataset": "spiral", "classes": 3}, "needs counts"),
    ({"batch_size": 0}, "batch size"),
    ({"epochs": 0}, "epochs"),
    ({"validation_split": 1.0}, "validation split"),
    ({"hidden": (16, 0)}, "hidden layer size"),
    ({"optimizer": "adma"}, "did you mean 'adam'"),
    ({"optimizer_options": {"bta_1": 0.5}}, "beta_1"),
    ({"learning_rate": -1.0}, "learning rate"),
    ({"noise": -0.1}, "noise"),
])
def test_unusable_settings_are_one_line_config_errors(changes, message):
    with pytest.raises(ConfigError, match=message) as info:
        build(**changes)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("changes, message", [
    ({"loss": "binary_crossentropy", "dataset": "spiral", "classes": 3}, "needs two classes"),
    ({"loss": "poisson", "dataset": "sine"}, "non-negative"),
    ({"class_weight": "balanced", "dataset": "sine", "loss": "mse"}, "class weights need class labels"),
    ({"class_weight": "0=1,5=2"}, "class weight for class 5, but 'moons' has classes 0 to 1"),
    ({"early_stopping": 2, "validation_split": 0.0}, "no validation split"),
    ({"schedule": "step", "schedule_options": {"boundaries": [5, 1]}}, "strictly increasing"),
    ({"validation_split": 0.99999999}, "leaves 0 of"),
])
def test_check_makes_builds_late_refusals_on_a_few_samples(changes, message):
    """25.9 M samples (~1 GB to build): ``check_experiment`` refuses what ``build`` would, having made a few."""
    import tracemalloc

    config = ExperimentConfig(samples=25_900_000, **changes)
    tracemalloc.start()
    try:
        with pytest.raises(ConfigError, match=message):
            check_experiment(config)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 ** 20
    with pytest.raises(ConfigError, match=message):
        build_experiment(config.replace(samples=200))  # build's own, on a small one: the same words


def test_full_batch_is_the_training_set_and_modes_are_named():
    experiment = build(batch_size="full", validation_split=0.25)
    assert experiment.batch_size == experiment.train_size == 90
    assert batch_mode(90, 90) == "batch gradient descent"
    assert batch_mode(1, 90) == "stochastic gradient descent"
    assert batch_mode(32, 90) == "mini-batch"


def test_same_config_same_weights_and_data():
    a, b = build(seed=3), build(seed=3)
    np.testing.assert_array_equal(a.model.params, b.model.params)
    np.testing.assert_array_equal(a.x, b.x)
    assert not np.array_equal(a.model.params, build(seed=4).model.params)


def test_build_validates_draws_and_lays_out_once(monkeypatch, tmp_path):
    """A generator's setup is judged on one few-sample draw and laid out once (what only its data can say is
    checked on the data made); a CSV file's, or a race's shared data, is laid out once on the data itself."""
    calls = counted(monkeypatch, (experiment, "layout"), (experiment, "load_dataset"), (ExperimentConfig, "validate"))
    made = build_experiment(ExperimentConfig(samples=100, class_weight="balanced"))
    assert calls == {"validate": 1, "layout": 1, "load_dataset": 2} and len(made.x) == 100  # the draw, the data
    path = tmp_path / "d.csv"
    path.write_text("a,b,y\n" + "".join(f"{i},{i % 3},{i % 2}\n" for i in range(40)))
    for dataset in (None, datasets.get("moons", n_samples=50, seed=0)):
        calls.clear()
        config = ExperimentConfig(dataset=str(path), loss="bce") if dataset is None else ExperimentConfig(samples=50)
        build_experiment(config, dataset=dataset)
        assert calls == Counter(validate=1, layout=1, load_dataset=int(dataset is None))


def test_the_metric_and_monitors_are_the_layouts_whether_checked_or_built():
    """What early stopping can watch (the app's monitor menu) is decided once, by the layout: the loss and the
    metric, and their val_ twins only with a validation split."""
    for changes, metric, monitors in [
        ({}, "accuracy", ["loss", "accuracy", "val_loss", "val_accuracy"]),
        ({"validation_split": 0.0}, "accuracy", ["loss", "accuracy"]),
        ({"dataset": "sine", "loss": "mse"}, "root_mean_squared_error",
         ["loss", "root_mean_squared_error", "val_loss", "val_root_mean_squared_error"])]:
        config = ExperimentConfig(samples=40, **changes)
        planned, made = check_experiment(config), build_experiment(config)
        assert (planned.metric, planned.monitors) == (made.metric, made.monitors) == (metric, monitors)


def test_default_config_is_the_documented_default():
    c = ExperimentConfig()
    assert (c.dataset, c.samples, c.hidden, c.loss, c.optimizer, c.batch_size) == \
           ("moons", 2000, (16, 16), "binary_crossentropy", "adam", 32)
    assert losses.get(c.loss).output == "sigmoid"


def test_a_hidden_layer_of_zero_units_is_an_error_everywhere_as_keras_dense_zero_is():
    """Keras 3: ``Dense(0)`` raises "expected a positive integer"; "no hidden layer" is spelled none."""
    from engine import Dense, parse_hidden

    for text in ("0", "16,0", "0,16"):
        with pytest.raises(ConfigError, match=r"sizes ≥ 1 .*, or none, got"):
            parse_hidden(text)
    assert parse_hidden("none") == parse_hidden(" ") == () and parse_hidden("8, 4") == (8, 4)
    with pytest.raises(ConfigError, match="hidden layer size must be a whole number ≥ 1, got 0"):
        ExperimentConfig(hidden=(0,)).validate()
    with pytest.raises(ValueError, match="Dense units must be a whole number ≥ 1, got 0"):
        Dense(0)
    assert build_experiment(ExperimentConfig(samples=50, hidden=())).model.count_params() == 3  # 2 → 1
