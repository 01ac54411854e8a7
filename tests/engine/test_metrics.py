"""Metrics: hand-computed values, Keras's resolution of "accuracy", and epoch averaging over samples."""

import math

import numpy as np
import pytest

from engine import metrics


def test_binary_accuracy_thresholds_at_one_half_and_compares_labels_as_numbers():
    acc = metrics.BinaryAccuracy()
    y_pred = np.array([[0.2], [0.7], [0.5], [0.9]])
    assert acc(np.array([[0.0], [1.0], [1.0], [1.0]]), y_pred) == 0.75   # 0.5 is not > 0.5
    assert acc(np.array([[-1.0], [1.0], [-1.0], [1.0]]), y_pred) == 0.5   # -1 never matches 0/1


def test_categorical_and_sparse_accuracy():
    y_pred = np.array([[0.1, 0.7, 0.2], [0.5, 0.3, 0.2], [0.2, 0.2, 0.6]])
    assert metrics.CategoricalAccuracy()(np.eye(3)[[1, 1, 2]], y_pred) == pytest.approx(2 / 3)
    assert metrics.SparseCategoricalAccuracy()(np.array([1, 1, 2]), y_pred) == pytest.approx(2 / 3)


def test_rmse_and_mae():
    y_true, y_pred = np.array([[1.0], [2.0], [4.0]]), np.array([[2.0], [2.0], [1.0]])
    # errors 1, 0, -3: RMSE √(10/3), MAE 4/3
    assert metrics.RootMeanSquaredError()(y_true, y_pred) == pytest.approx(math.sqrt(10 / 3), rel=1e-15)
    assert metrics.MeanAbsoluteError()(y_true, y_pred) == pytest.approx(4 / 3, rel=1e-15)


def test_epoch_value_is_over_samples_not_a_mean_of_batch_means():
    rmse = metrics.RootMeanSquaredError()
    # batch of 3 with squared errors summing to 3, batch of 1 with squared error 9
    a = rmse.batch_total(np.zeros((3, 1)), np.ones((3, 1)))
    b = rmse.batch_total(np.zeros((1, 1)), np.full((1, 1), 3.0))
    assert rmse.result(a[0] + b[0], a[1] + b[1]) == pytest.approx(math.sqrt(12 / 4))


@pytest.mark.parametrize("units, sparse, expected", [
    (1, False, metrics.BinaryAccuracy),
    (3, True, metrics.SparseCategoricalAccuracy),
    (3, False, metrics.CategoricalAccuracy),
])
def test_accuracy_resolves_as_keras_does(units, sparse, expected):
    key, metric = metrics.compiled("accuracy", output_units=units, sparse_targets=sparse)
    assert key == "accuracy" and type(metric) is expected


def test_unknown_metric_is_a_one_line_error():
    with pytest.raises(ValueError, match="did you mean 'accuracy'"):
        metrics.get("acuracy", output_units=1, sparse_targets=False)
    assert metrics.get("rmse").name == "root_mean_squared_error"


def test_accuracy_as_a_config_resolves_as_its_name_does():
    metric = metrics.get({"class_name": "accuracy", "config": {}}, output_units=3, sparse_targets=True)
    assert type(metric) is metrics.SparseCategoricalAccuracy  # it said "unknown metric 'accuracy'; did you mean 'accuracy'?"
    assert type(metrics.get({"name": "acc"}, output_units=1)) is metrics.BinaryAccuracy
    with pytest.raises(ValueError, match="pass output_units"):
        metrics.get({"class_name": "Accuracy", "config": {}})
    with pytest.raises(ValueError, match=r"^accuracy: unexpected argument 'threshold' \(it takes none\)$"):
        metrics.get({"class_name": "accuracy", "config": {"threshold": 0.3}}, output_units=1)
