"""Sample weights and every Keras reduction, for losses and metrics; Keras's rank alignment.

Expected values re-state keras-team/keras's own tests, cited by file and test:
keras/src/losses/loss_test.py (LossTest), keras/src/losses/losses_test.py,
keras/src/metrics/accuracy_metrics_test.py, keras/src/metrics/regression_metrics_test.py.
Keras's tests run in float32 with assertAlmostEqual to 3 decimals where their numbers are
rounded; values given there as formulas are checked here to 1e-15.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine import losses, metrics
from engine.losses.reduction import squeeze_or_expand_to_same_rank
from test_losses import GRADIENT_CASES, numeric_gradient

Y_TRUE = np.array([[1, 9, 2], [-5, -2, 6]], dtype=float)   # losses_test.py's regression pair
Y_PRED = np.array([[4, 8, 12], [8, 1, 3]], dtype=float)


# -- Keras's LossTest (loss_test.py) --------------------------------------------------------

def test_squeeze_or_expand():  # LossTest.test_squeeze_or_expand
    for a, b, want in [((3,), (3, 1), ((3, 1), (3, 1))), ((3, 2), (3, 2, 1), ((3, 2), (3, 2)))]:
        x1, x2 = squeeze_or_expand_to_same_rank(np.ones(a), np.ones(b))
        assert (x1.shape, x2.shape) == want
        x2, x1 = squeeze_or_expand_to_same_rank(np.ones(b), np.ones(a))
        assert (x1.shape, x2.shape) == (want[1], want[0])


def test_loss_sample_weight():  # LossTest.test_sample_weight (MSE on one column is its ExampleLoss)
    w = np.array([0.4, 0.3, 0.2, 0.1])
    y_true, y_pred = np.array([1.0, 0.0, 1.0, 0.0]), np.array([0.1, 0.2, 0.3, 0.4])
    mse = losses.get("mse")
    assert mse(y_true[:, None], y_pred[:, None], sample_weight=w) == pytest.approx(
        np.sum(w * (y_true - y_pred) ** 2) / 4, rel=1e-15)
    assert mse(y_true[:, None], y_pred[:, None], sample_weight=np.zeros(4)) == 0.0  # no NaN


def test_loss_reductions():  # LossTest.test_reduction
    y_true, y_pred = np.array([[1.0], [0.0], [1.0], [0.0]]), np.array([[0.1], [0.2], [0.3], [0.4]])
    squares = (y_true - y_pred)[:, 0] ** 2
    np.testing.assert_allclose(losses.get("mse", reduction=None)(y_true, y_pred), squares, rtol=1e-15)
    assert losses.get("mse", reduction="sum")(y_true, y_pred) == pytest.approx(np.sum(squares), rel=1e-15)
    for reduction in ("sum_over_batch_size", "mean", "mean_with_sample_weight"):  # no weights: all / 4
        assert losses.get("mse", reduction=reduction)(y_true, y_pred) == pytest.approx(np.sum(squares) / 4,
                                                                                      rel=1e-15)
    with pytest.raises(ValueError, match="unknown reduction 'abc'"):
        losses.get("mse", reduction="abc")


# -- losses_test.py: MeanSquaredErrorTest, MeanAbsoluteErrorTest ----------------------------

@pytest.mark.parametrize("name, unweighted, scalar, sample, none, total, per_sample", [
    # MeanSquaredErrorTest: test_unweighted, test_scalar_weighted, test_sample_weighted, test_no_reduction,
    # test_sum_reduction; per-sample losses 110/3 and 187/3
    ("mse", 49.5, 113.85, 767.8 / 6, [84.3333, 143.3666], 227.69998, (110 / 3, 187 / 3)),
    # MeanAbsoluteErrorTest: the same tests; per-sample losses 14/3 and 19/3
    ("mae", 5.5, 12.65, 81.4 / 6, [10.7333, 14.5666], 25.29999, (14 / 3, 19 / 3)),
])
def test_regression_losses_weighted(name, unweighted, scalar, sample, none, total, per_sample):
    loss = losses.get(name)
    assert loss(Y_TRUE, Y_PRED) == pytest.approx(unweighted, rel=1e-15)
    assert loss(Y_TRUE, Y_PRED, sample_weight=2.3) == pytest.approx(scalar, rel=1e-15)
    assert loss(Y_TRUE, Y_PRED, sample_weight=np.array([[1.2], [3.4]])) == pytest.approx(sample, rel=1e-15)
    assert loss(Y_TRUE, Y_PRED, sample_weight=0) == 0.0                                   # test_zero_weighted
    np.testing.assert_allclose(losses.get(name, reduction=None)(Y_TRUE, Y_PRED, sample_weight=2.3), none,
                               atol=1e-4)
    assert losses.get(name, reduction="sum")(Y_TRUE, Y_PRED, sample_weight=2.3) == pytest.approx(total, abs=1e-4)
    a, b = per_sample  # test_mean_with_sample_weight_reduction
    assert losses.get(name, reduction="mean_with_sample_weight")(
        Y_TRUE, Y_PRED, sample_weight=np.array([[1.2], [3.4]])) == pytest.approx((a * 1.2 + b * 3.4) / (1.2 + 3.4),
                                                                               rel=1e-15)


@pytest.mark.parametrize("name, expected", [("mse", 97.833336), ("mae", 13.833333)])
def test_timestep_weighted(name, expected):  # MeanSquaredErrorTest / MeanAbsoluteErrorTest.test_timestep_weighted
    y_true = np.asarray([1, 9, 2, -5, -2, 6], dtype=float).reshape(2, 3, 1)
    y_pred = np.asarray([4, 8, 12, 8, 1, 3], dtype=float).reshape(2, 3, 1)
    weights = np.array([3, 6, 5, 0, 4, 2], dtype=float).reshape((2, 3))
    assert losses.get(name)(y_true, y_pred, sample_weight=weights) == pytest.approx(expected, abs=1e-5)


def test_hinge_weighted():  # losses_test.py HingeTest.test_weighted / test_zero_weighted
    y_true, y_pred = np.array([[0.0, 1.0], [0.0, 0.0]]), np.array([[0.6, 0.4], [0.4, 0.6]])
    assert losses.get("hinge")(y_true, y_pred, sample_weight=[1, 0]) == pytest.approx(0.55, rel=1e-15)
    assert losses.get("hinge", reduction="sum")(y_true, y_pred, sample_weight=[1, 0]) == pytest.approx(1.1, rel=1e-15)
    np.testing.assert_allclose(losses.get("hinge", reduction=None)(y_true, y_pred, sample_weight=[1, 0]), [1.1, 0.0],
                               rtol=1e-15)
    assert losses.get("hinge")(y_true, y_pred, sample_weight=0.0) == 0.0


def test_binary_crossentropy_weighted():  # losses_test.py BinaryCrossentropyTest.test_scalar_weighted / _sample_weighted
    y_true, y_pred = np.array([[1.0, 0.0], [1.0, 0.0]]), np.array([[1.0, 1.0], [1.0, 0.0]])
    # Keras's 9.1668 and 4.7827 are float32 numbers (1 - ε rounds differently there), so the
    # relations they encode are checked instead: 2.3 × the unweighted loss (its 3.98559), and
    # (1.2 l₀ + 3.4 l₁) / 2 over the per-sample losses
    bce = losses.get("binary_crossentropy")
    l0, l1 = losses.get("binary_crossentropy", reduction=None)(y_true, y_pred)
    assert bce(y_true, y_pred, sample_weight=2.3) == pytest.approx(2.3 * bce(y_true, y_pred), rel=1e-15)
    assert bce(y_true, y_pred, sample_weight=np.array([[1.2], [3.4]])) == pytest.approx((1.2 * l0 + 3.4 * l1) / 2,
                                                                                        rel=1e-15)
    logits_true = np.array([[1.0, 0.0, 1.0], [0.0, 1.0, 1.0]])
    logits = np.array([[10.0, -10.0, 10.0], [10.0, 10.0, -10.0]])
    bce_logits = losses.get("binary_crossentropy", from_logits=True)
    assert bce_logits(logits_true, logits, sample_weight=2.3) == pytest.approx(7.666, abs=1e-3)
    assert bce_logits(logits_true, logits, sample_weight=np.array([4, 3])) == pytest.approx(10.0, abs=1e-3)


def test_weighted_reductions_by_hand():
    # l = (1, 4, 9) (MSE of errors 1, 2, 3), w = (2, 0, 1): Σ w l = 2 + 0 + 9 = 11, Σ w = 3
    y_true, y_pred, w = np.zeros((3, 1)), np.array([[1.0], [2.0], [3.0]]), np.array([2.0, 0.0, 1.0])
    expected = {"sum_over_batch_size": 11 / 3, "mean": 11 / 3, "sum": 11.0, "mean_with_sample_weight": 11 / 3}
    for reduction, value in expected.items():
        assert losses.get("mse", reduction=reduction)(y_true, y_pred, sample_weight=w) == value
    np.testing.assert_array_equal(losses.get("mse", reduction="none")(y_true, y_pred, sample_weight=w), [2, 0, 9])
    w2 = np.array([1.0, 1.0, 2.0])  # Σ w l = 1 + 4 + 18 = 23: / 3 vs / Σ w = 4
    assert losses.get("mse")(y_true, y_pred, sample_weight=w2) == 23 / 3
    assert losses.get("mse", reduction="mean_with_sample_weight")(y_true, y_pred, sample_weight=w2) == 23 / 4
    # all-zero weights with mean_with_sample_weight: Keras's divide_no_nan gives 0
    assert losses.get("mse", reduction="mean_with_sample_weight")(y_true, y_pred, sample_weight=np.zeros(3)) == 0.0


def test_bad_sample_weights_are_one_line_errors():
    with pytest.raises(ValueError, match=r"sample_weight of shape \(2,\) does not fit 3 per-sample losses"):
        losses.get("mse")(np.zeros((3, 1)), np.ones((3, 1)), sample_weight=[1.0, 2.0])
    with pytest.raises(ValueError, match="sample_weight must be numbers"):
        losses.get("mse")(np.zeros((3, 1)), np.ones((3, 1)), sample_weight=["a", "b", "c"])


# -- gradients with weights: finite differences, every reduction ------------------------------

@pytest.mark.parametrize("name, kwargs, y_true, y_pred", GRADIENT_CASES,
                         ids=[f"{c[0]}{c[1] or ''}" for c in GRADIENT_CASES])
@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", "mean", "mean_with_sample_weight", "none"])
def test_weighted_gradient_matches_finite_differences(name, kwargs, y_true, y_pred, reduction):
    w = np.random.default_rng(len(name)).uniform(0.0, 3.0, len(y_pred))
    loss = losses.get(name, reduction=reduction, **kwargs)

    def total(y_true, y_pred):  # 'none' is differentiated as Σ w_i l_i
        return float(np.sum(loss(y_true, y_pred, sample_weight=w)))

    analytic = loss.gradient(y_true, y_pred, sample_weight=w)
    # atol: the central difference of a sum over all samples carries ~1e-9 of rounding noise
    np.testing.assert_allclose(analytic, numeric_gradient(total, y_true, y_pred), rtol=1e-6, atol=2e-8)
    value, grad = loss.value_and_gradient(loss.prepare(y_true, y_pred), y_pred, sample_weight=w)
    assert value == total(y_true, y_pred)
    np.testing.assert_array_equal(grad, analytic)


def test_unit_weights_change_no_bit():
    for name, kwargs, y_true, y_pred in GRADIENT_CASES:
        loss = losses.get(name, **kwargs)
        ones = np.ones(len(y_pred))
        assert loss(y_true, y_pred, sample_weight=ones) == loss(y_true, y_pred)
        np.testing.assert_array_equal(loss.gradient(y_true, y_pred, sample_weight=ones), loss.gradient(y_true, y_pred))


# -- metrics: accuracy_metrics_test.py and regression_metrics_test.py -------------------------

def test_binary_accuracy_aligns_ranks_as_keras():
    # BinaryAccuracyTest.test_unweighted, "broadcasting case": y_true (4,), y_pred (4, 1) → 0.75
    # (compared as a 4×4 grid it would be 0.5)
    y_pred = np.array([[0.98], [1], [0], [0.6]])
    assert metrics.BinaryAccuracy()(np.array([1, 1, 0, 0]), y_pred) == 0.75
    assert metrics.BinaryAccuracy()(np.array([[1], [1], [0], [0]]), y_pred) == 0.75


@pytest.mark.parametrize("y_true, y_pred, weights, expected", [
    ([[1], [1], [0], [0]], [[0.98], [1], [0], [0.6]], [1, 0, 0, 1], 0.5),       # BinaryAccuracyTest.test_weighted
    ([1, 1, 0, 0], [0.98, 1, 0, 0.6], [1, 0, 0, 1], 0.5),                        # test_weighted_rank_1
    ([[1, 1], [0, 0]], [[0.98, 1], [0, 0.6]], [[1, 0], [0, 1]], 0.5),            # test_weighted_nd_weights
    ([[1, 1], [0, 0]], [[0.98, 1], [0, 0.6]], [[1, 0]], 1.0),                    # test_weighted_nd_broadcast_weights
])
def test_binary_accuracy_weighted(y_true, y_pred, weights, expected):  # accuracy_metrics_test.py
    assert metrics.BinaryAccuracy()(y_true, y_pred, sample_weight=weights) == expected


def test_categorical_accuracies_weighted():  # CategoricalAccuracyTest / SparseCategoricalAccuracyTest
    y_pred = np.array([[0.1, 0.9, 0.8], [0.05, 0.95, 0]])
    one_hot = np.array([[0, 0, 1], [0, 1, 0]])
    assert metrics.CategoricalAccuracy()(one_hot, y_pred) == 0.5
    assert metrics.CategoricalAccuracy()(one_hot, y_pred, sample_weight=[0.7, 0.3]) == pytest.approx(0.3, rel=1e-15)
    sparse_pred = np.array([[0.1, 0.6, 0.3], [0.05, 0.95, 0]])
    assert metrics.SparseCategoricalAccuracy()(np.array([[2], [1]]), sparse_pred) == 0.5
    assert metrics.SparseCategoricalAccuracy()(np.array([[2], [1]]), sparse_pred,
                                               sample_weight=[0.7, 0.3]) == pytest.approx(0.3, rel=1e-15)


def test_regression_metrics_weighted():  # regression_metrics_test.py: MeanAbsoluteErrorTest, RootMeanSquaredErrorTest
    y_true = np.array([[0, 1, 0, 1, 0], [0, 0, 1, 1, 1], [1, 1, 1, 1, 0], [0, 0, 0, 0, 1]])
    y_pred = np.array([[0, 0, 1, 1, 0], [1, 1, 1, 1, 1], [0, 1, 0, 1, 0], [1, 1, 1, 1, 1]])
    assert metrics.MeanAbsoluteError()(y_true, y_pred) == 0.5
    # per-sample MAE 0.4, 0.4, 0.4, 0.8 with weights 1, 1.5, 2, 2.5: 3.8 / 7 = 0.542857…
    assert metrics.MeanAbsoluteError()(y_true, y_pred, sample_weight=[1.0, 1.5, 2.0, 2.5]) == pytest.approx(3.8 / 7,
                                                                                                           rel=1e-15)
    assert metrics.RootMeanSquaredError()(np.array([2, 4, 6]), np.array([1, 3, 2])) == pytest.approx(math.sqrt(6),
                                                                                                     rel=1e-15)
    assert metrics.RootMeanSquaredError()(np.array([2, 4, 6, 8]), np.array([1, 3, 2, 3]),
                                          sample_weight=[0, 1, 0, 1]) == pytest.approx(math.sqrt(13), rel=1e-15)


def test_mae_and_rmse_align_ranks():
    # y_true (3,) against y_pred (3, 1): errors 1, 0, -3 (a 3×3 grid would mix samples)
    y_true, y_pred = np.array([1.0, 2.0, 4.0]), np.array([[2.0], [2.0], [1.0]])
    assert metrics.MeanAbsoluteError()(y_true, y_pred) == pytest.approx(4 / 3, rel=1e-15)
    assert metrics.RootMeanSquaredError()(y_true, y_pred) == pytest.approx(math.sqrt(10 / 3), rel=1e-15)


def test_epoch_totals_with_weights_are_keras_weighted_means():
    # Keras's Mean: total += Σ w v, count += Σ w over batches; result total / count (0 if count is 0)
    acc = metrics.BinaryAccuracy()
    a = acc.batch_total([[1], [0]], [[0.9], [0.9]], sample_weight=[3.0, 1.0])  # hit w 3, miss w 1
    b = acc.batch_total([[0]], [[0.1]], sample_weight=[2.0])                     # hit w 2
    assert a == (3.0, 4.0) and b == (2.0, 2.0)
    assert acc.result(a[0] + b[0], a[1] + b[1]) == 5 / 6
    assert acc([[1]], [[0.9]], sample_weight=[0.0]) == 0.0
