"""Losses: hand-computed values, Keras's docstring examples, reference tables, finite-difference
gradients, reductions, the fused hot path, label checks and the registry."""

import math

import numpy as np
import pytest

from engine import losses
from engine.losses import EPSILON

LOG = math.log


def per_sample(loss, y_true, y_pred):
    """The loss's ``call`` values ``(N,)`` through the public API (reduction 'none')."""
    return losses.get({**loss.get_config(), "reduction": "none"})(y_true, y_pred)


# -- 1. hand-computed single values -------------------------------------------------------

def test_mean_squared_error_by_hand():
    # errors (0.5, -1): (0.25 + 1) / 2 = 0.625
    assert losses.get("mse")([[1.0, 2.0]], [[1.5, 1.0]]) == 0.625


def test_mean_absolute_error_by_hand():
    # errors (0.5, -1): (0.5 + 1) / 2 = 0.75
    assert losses.get("mae")([[1.0, 2.0]], [[1.5, 1.0]]) == 0.75


def test_huber_by_hand():
    # errors (0.5, 2), δ = 1: ½·0.25 = 0.125 and 1·2 - ½ = 1.5 → (0.125 + 1.5) / 2 = 0.8125
    assert losses.get("huber")([[0.0, 0.0]], [[0.5, 2.0]]) == pytest.approx(0.8125, rel=1e-15)
    # δ = 3: both quadratic → (0.125 + 2) / 2 = 1.0625
    assert losses.get("huber", delta=3.0)([[0.0, 0.0]], [[0.5, 2.0]]) == pytest.approx(1.0625, rel=1e-15)


def test_log_cosh_by_hand():
    # errors (1, -2): (log cosh 1 + log cosh 2) / 2 = (0.43378083048302710 + 1.3250027473578645) / 2
    assert losses.get("log_cosh")([[0.0, 0.0]], [[1.0, -2.0]]) == pytest.approx(0.8793917889204458, rel=1e-14)


def test_binary_crossentropy_by_hand():
    bce = losses.get("binary_crossentropy")
    assert bce([[1.0]], [[0.8]]) == pytest.approx(0.2231435513142097, rel=1e-15)  # -log 0.8
    assert bce([[0.0]], [[0.8]]) == pytest.approx(1.6094379124341003, rel=1e-14)  # -log 0.2
    # logit z = 2, y = 1: -log σ(2) = log(1 + e⁻²) = 0.1269280110429725
    assert losses.get("bce", from_logits=True)([[1.0]], [[2.0]]) == pytest.approx(0.1269280110429725, rel=1e-14)
    # label_smoothing 0.2, y = 1 → t = 0.9: -(0.9 log 0.8 + 0.1 log 0.2) = 0.3617729874261988
    assert losses.get("bce", label_smoothing=0.2)([[1.0]], [[0.8]]) == pytest.approx(0.3617729874261988, rel=1e-14)


def test_categorical_crossentropy_by_hand():
    cce = losses.get("categorical_crossentropy")
    assert cce([[0, 1, 0]], [[0.2, 0.7, 0.1]]) == pytest.approx(0.35667494393873245, rel=1e-14)  # -log 0.7
    # rows are renormalised: (1, 2, 1) / 4 → -log 0.5 = log 2
    assert cce([[0, 1, 0]], [[1.0, 2.0, 1.0]]) == pytest.approx(LOG(2.0), rel=1e-15)
    # label_smoothing 0.3, K = 3: t = (0.1, 0.8, 0.1) → -(0.1 log 0.2 + 0.8 log 0.7 + 0.1 log 0.1)
    expected = -(0.1 * LOG(0.2) + 0.8 * LOG(0.7) + 0.1 * LOG(0.1))
    assert losses.get("categorical_crossentropy", label_smoothing=0.3)([[0, 1, 0]], [[0.2, 0.7, 0.1]]) \
        == pytest.approx(expected, rel=1e-14)


def test_sparse_categorical_crossentropy_by_hand():
    scce = losses.get("sparse_categorical_crossentropy")
    assert scce([1], [[0.2, 0.7, 0.1]]) == pytest.approx(0.35667494393873245, rel=1e-14)  # -log 0.7
    # logits (0, 0, ln 2): softmax = (1, 1, 2) / 4 → -log softmax[2] = log 2
    logits = losses.get("sparse_categorical_crossentropy", from_logits=True)
    assert logits([2], [[0.0, 0.0, LOG(2.0)]]) == pytest.approx(LOG(2.0), rel=1e-15)


def test_kl_divergence_by_hand():
    # t = (0.25, 0.75), p = (0.5, 0.5): 0.25 log 0.5 + 0.75 log 1.5 = 0.13081203594113697 (a sum, not a mean)
    assert losses.get("kld")([[0.25, 0.75]], [[0.5, 0.5]]) == pytest.approx(0.13081203594113697, rel=1e-14)


def test_poisson_by_hand():
    # y = 2, rate 3: 3 - 2 log(3 + 1e-7) = 0.8027753559971154
    assert losses.get("poisson")([[2.0]], [[3.0]]) == pytest.approx(0.8027753559971154, rel=1e-14)


def test_hinges_by_hand():
    # 0/1 labels become -1/1: y = (-1, 1), scores (0.5, 0.25) → margins 1.5 and 0.75
    assert losses.get("hinge")([[0, 1]], [[0.5, 0.25]]) == 1.125                # (1.5 + 0.75) / 2
    assert losses.get("squared_hinge")([[0, 1]], [[0.5, 0.25]]) == 1.40625      # (2.25 + 0.5625) / 2
    # one-hot y = (0, 1, 0), scores (0.5, 0.25, 2): pos 0.25, neg max(0.5, 0, 2) = 2 → 2 - 0.25 + 1
    assert losses.get("categorical_hinge")([[0, 1, 0]], [[0.5, 0.25, 2.0]]) == 2.75


# -- 2. Keras's own docstring examples (printed to 3-4 digits, rounded or truncated) ----------

KERAS_EXAMPLES = [
    # loss, kwargs, y_true, y_pred, reduction, printed result
    ("binary_crossentropy", {}, [[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]], "none", [0.916, 0.714]),
    ("binary_crossentropy", {"from_logits": True}, [0, 1, 0, 0], [-18.6, 0.51, 2.94, -12.8],
     "sum_over_batch_size", 0.8654),
    ("binary_crossentropy", {"from_logits": True}, [[0, 1], [0, 0]], [[-18.6, 0.51], [2.94, -12.8]],
     "sum", 1.730),
    ("binary_crossentropy", {"from_logits": True}, [[0, 1], [0, 0]], [[-18.6, 0.51], [2.94, -12.8]],
     "none", [0.235, 1.496]),
    ("categorical_crossentropy", {}, [[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]],
     "none", [0.0513, 2.303]),
    ("categorical_crossentropy", {}, [[0, 1, 0], [0, 0, 1]], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]],
     "sum_over_batch_size", 1.177),
    ("sparse_categorical_crossentropy", {}, [1, 2], [[0.05, 0.95, 0], [0.1, 0.8, 0.1]],
     "none", [0.0513, 2.303]),
    ("huber", {}, [[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]], "sum_over_batch_size", 0.155),
    ("huber", {}, [[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]], "sum", 0.31),
    ("log_cosh", {}, [[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]], "sum_over_batch_size", 0.108),
    ("hinge", {}, [[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]], "sum_over_batch_size", 1.3),
    ("hinge", {}, [[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]], "sum", 2.6),
    ("squared_hinge", {}, [[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]], "sum_over_batch_size", 1.86),
    ("squared_hinge", {}, [[0.0, 1.0], [0.0, 0.0]], [[0.6, 0.4], [0.4, 0.6]], "sum", 3.72),
    ("categorical_hinge", {}, [[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]], "sum_over_batch_size", 1.4),
    ("categorical_hinge", {}, [[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]], "sum", 2.8),
    ("kl_divergence", {}, [[0, 1], [0, 0]], [[0.6, 0.4], [0.4, 0.6]], "sum_over_batch_size", 0.458),
    ("poisson", {}, [[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [0.0, 0.0]], "sum_over_batch_size", 0.5),
    ("mean_squared_error", {}, [[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 0.0]], "sum_over_batch_size", 0.5),
    ("mean_absolute_error", {}, [[0.0, 1.0], [0.0, 0.0]], [[1.0, 1.0], [1.0, 0.0]], "sum_over_batch_size", 0.5),
]


@pytest.mark.parametrize("name, kwargs, y_true, y_pred, reduction, printed", KERAS_EXAMPLES)
def test_keras_docstring_examples(name, kwargs, y_true, y_pred, reduction, printed):
    result = np.atleast_1d(losses.get(name, reduction=reduction, **kwargs)(y_true, y_pred))
    for got, shown in zip(result, np.atleast_1d(printed)):
        last_digit = 10.0 ** -len(f"{shown}".split(".")[1])
        assert abs(got - shown) < min(last_digit, 1e-3), (got, shown)


# -- 3. reference tables from the formulas, clip edges included ----------------------------

def bce_reference(y, p, ls=0.0):
    t = y * (1 - ls) + 0.5 * ls
    p = min(max(p, EPSILON), 1 - EPSILON)
    return -(t * LOG(p) + (1 - t) * LOG(1 - p))


def bce_logits_reference(y, z, ls=0.0):
    t = y * (1 - ls) + 0.5 * ls
    return max(z, 0.0) - t * z + math.log1p(math.exp(-abs(z)))


BCE_TABLE = [  # y, p, label_smoothing
    (1.0, 0.8, 0.0), (0.0, 0.8, 0.0), (1.0, 0.0, 0.0), (0.0, 1.0, 0.0), (1.0, 1.0, 0.0),
    (0.0, 0.0, 0.0), (1.0, -0.5, 0.0), (0.0, 1.5, 0.0), (1.0, 0.3, 0.1), (0.0, 0.3, 1.0),
]


def test_binary_crossentropy_table():
    y = np.array([[r[0]] for r in BCE_TABLE])
    p = np.array([[r[1]] for r in BCE_TABLE])
    for ls in (0.0, 0.1, 1.0):
        got = losses.get("bce", label_smoothing=ls, reduction="none")(y, p)
        expected = [bce_reference(yi, pi, ls) for (yi, pi, _) in BCE_TABLE]
        np.testing.assert_allclose(got, expected, rtol=1e-15)
    # the clip: p = 0 costs -log 1e-7 = 16.11809565095832, never infinity
    assert losses.get("bce")([[1.0]], [[0.0]]) == pytest.approx(16.11809565095832, rel=1e-15)


def test_binary_crossentropy_logits_table():
    z = np.array([[-50.0], [-2.0], [0.0], [0.3], [2.0], [50.0], [50.0], [-50.0]])
    y = np.array([[1.0], [0.0], [1.0], [0.0], [1.0], [1.0], [0.0], [0.0]])
    for ls in (0.0, 0.2):
        got = losses.get("bce", from_logits=True, label_smoothing=ls, reduction="none")(y, z)
        expected = [bce_logits_reference(yi, zi, ls) for yi, zi in zip(y[:, 0], z[:, 0])]
        np.testing.assert_allclose(got, expected, rtol=1e-15)
    # no clip with logits: a confident right answer costs log(1 + e⁻⁵⁰) ≈ 1.93e-22, a wrong one 50
    got = losses.get("bce", from_logits=True, reduction="none")([[1.0], [0.0]], [[50.0], [50.0]])
    np.testing.assert_allclose(got, [1.9287498479639178e-22, 50.0], rtol=1e-14)


def test_categorical_crossentropy_table():
    y = np.array([[0, 1, 0], [1, 0, 0], [0, 0, 1], [0, 1, 0]], dtype=float)
    p = np.array([[0.2, 0.7, 0.1], [0.0, 1.0, 0.0], [2.0, 1.0, 1.0], [0.0, 1.0, 0.0]])
    for ls in (0.0, 0.3):
        got = losses.get("categorical_crossentropy", label_smoothing=ls, reduction="none")(y, p)
        expected = []
        for yi, pi in zip(y, p):
            t = yi * (1 - ls) + ls / 3
            q = [min(max(v / sum(pi), EPSILON), 1 - EPSILON) for v in pi]
            expected.append(-sum(tk * LOG(qk) for tk, qk in zip(t, q)))
        np.testing.assert_allclose(got, expected, rtol=1e-14)


def test_categorical_crossentropy_logits_table():
    y = np.array([[0, 1, 0], [1, 0, 0], [0, 0, 1]], dtype=float)
    z = np.array([[1.0, 2.0, 3.0], [-50.0, 0.0, 50.0], [50.0, 50.0, -50.0]])
    got = losses.get("categorical_crossentropy", from_logits=True, reduction="none")(y, z)
    expected = []
    for yi, zi in zip(y, z):
        m = max(zi)
        lse = m + LOG(sum(math.exp(v - m) for v in zi))
        expected.append(-sum(t * (v - lse) for t, v in zip(yi, zi)))
    np.testing.assert_allclose(got, expected, rtol=1e-14)
    assert got[1] == pytest.approx(100.0, rel=1e-14)  # -log softmax = 50 - (-50), no clip


def test_bit_for_bit_with_the_keras_numpy_backend_expressions():
    """Same operations in the same order as keras/src/backend/numpy: identical floats, not just close."""
    rng = np.random.default_rng(5)
    y, p = rng.uniform(size=(6, 3)), rng.uniform(0.01, 0.99, (6, 3))
    t = (y > 0.5).astype(float)
    none = {"reduction": "none"}
    assert np.array_equal(losses.get("mse", **none)(y, p), np.mean(np.square(y - p), axis=-1))
    assert np.array_equal(losses.get("mae", **none)(y, p), np.mean(np.abs(y - p), axis=-1))
    bce = t * np.log(p)
    bce += (1.0 - t) * np.log(1.0 - p)
    assert np.array_equal(losses.get("bce", **none)(t, p), np.mean(-bce, axis=-1))
    output = np.clip(p / np.sum(p, axis=-1, keepdims=True), EPSILON, 1 - EPSILON)
    assert np.array_equal(losses.get("categorical_crossentropy", **none)(y, p), -np.sum(y * np.log(output), axis=-1))
    kl_t, kl_p = np.clip(y, EPSILON, 1), np.clip(p, EPSILON, 1)
    assert np.array_equal(losses.get("kld", **none)(y, p), np.sum(kl_t * np.log(kl_t / kl_p), axis=-1))
    assert np.array_equal(losses.get("poisson", **none)(y, p), np.mean(p - y * np.log(p + EPSILON), axis=-1))


def test_sparse_matches_categorical_on_one_hot():
    rng = np.random.default_rng(3)
    labels = rng.integers(0, 4, 6)
    one_hot = np.eye(4)[labels]
    for from_logits in (False, True):
        y_pred = rng.uniform(0.05, 1.0, (6, 4)) if not from_logits else rng.normal(0, 3, (6, 4))
        y_pred[0, (labels[0] + 1) % 4] = 0.0 if not from_logits else -60.0  # a clipped column
        sparse = losses.get("sparse_categorical_crossentropy", from_logits=from_logits, reduction="none")
        dense = losses.get("categorical_crossentropy", from_logits=from_logits, reduction="none")
        np.testing.assert_allclose(sparse(labels, y_pred), dense(one_hot, y_pred), rtol=1e-15)
        np.testing.assert_allclose(sparse.gradient(labels, y_pred), dense.gradient(one_hot, y_pred),
                                   rtol=1e-13, atol=1e-15)


def test_regression_tables():
    e = np.array([[-3.0, -1.0, -0.25, 0.0, 0.5, 1.0, 2.0, 40.0]])
    zero = np.zeros_like(e)
    cases = {
        "mean_absolute_error": lambda x: abs(x),
        "huber": lambda x: 0.5 * x * x if abs(x) <= 1 else abs(x) - 0.5,
        "log_cosh": lambda x: abs(x) + math.log1p(math.exp(-2 * abs(x))) - LOG(2.0),
        "mean_squared_error": lambda x: x * x,
    }
    for name, f in cases.items():
        got = losses.get(name, reduction="none")(zero, e)
        assert got[0] == pytest.approx(sum(f(x) for x in e[0]) / e.size, rel=1e-14), name
    # δ = 0.5 moves the kink
    got = losses.get("huber", delta=0.5)(zero, e)
    ref = [0.5 * x * x if abs(x) <= 0.5 else 0.5 * abs(x) - 0.125 for x in e[0]]
    assert got == pytest.approx(sum(ref) / e.size, rel=1e-14)


def test_kl_poisson_hinge_tables():
    y = np.array([[0.0, 0.3, 0.7], [1.0, 0.0, 0.0], [0.5, 0.5, 0.0]])
    p = np.array([[0.2, 0.3, 0.5], [0.0, 0.5, 1.5], [0.25, 0.5, 0.25]])
    got = losses.get("kl_divergence", reduction="none")(y, p)
    clip = lambda v: min(max(v, EPSILON), 1.0)  # noqa: E731
    expected = [sum(clip(a) * LOG(clip(a) / clip(b)) for a, b in zip(yi, pi)) for yi, pi in zip(y, p)]
    np.testing.assert_allclose(got, expected, rtol=1e-14)

    counts = np.array([[0.0, 1.0, 4.0], [2.0, 0.0, 7.0]])
    rates = np.array([[0.5, 1.0, 3.0], [0.0, 2.0, 7.0]])  # rate 0 with count 0 costs 0
    got = losses.get("poisson", reduction="none")(counts, rates)
    expected = [sum(b - a * LOG(b + EPSILON) for a, b in zip(ci, ri)) / 3 for ci, ri in zip(counts, rates)]
    np.testing.assert_allclose(got, expected, rtol=1e-14)

    signs = np.array([[-1.0, 1.0, 1.0], [1.0, -1.0, -1.0]])
    scores = np.array([[0.5, 2.0, -0.5], [0.1, -3.0, 0.9]])
    margins = [[max(1 - a * b, 0.0) for a, b in zip(si, pi)] for si, pi in zip(signs, scores)]
    np.testing.assert_allclose(losses.get("hinge", reduction="none")(signs, scores),
                               [sum(m) / 3 for m in margins], rtol=1e-15)
    np.testing.assert_allclose(losses.get("squared_hinge", reduction="none")(signs, scores),
                               [sum(v * v for v in m) / 3 for m in margins], rtol=1e-15)


# -- 4. gradients: central finite differences of __call__ -----------------------------------

def numeric_gradient(loss, y_true, y_pred, h=1e-6):
    grad = np.zeros_like(y_pred)
    for index in np.ndindex(y_pred.shape):
        up, down = y_pred.copy(), y_pred.copy()
        up[index] += h
        down[index] -= h
        grad[index] = (loss(y_true, up) - loss(y_true, down)) / (2 * h)
    return grad


def _probabilities(rng, n, k):
    p = rng.uniform(0.1, 1.0, (n, k))
    return p / p.sum(axis=1, keepdims=True)


def _gradient_cases():
    """(name, kwargs, y_true, y_pred): points away from clip bounds, kinks and ties."""
    rng = np.random.default_rng(7)
    n = 5
    real_y, real_p = rng.normal(size=(n, 3)), rng.normal(size=(n, 3))
    binary = (rng.uniform(size=(n, 2)) > 0.5).astype(float)
    one_hot = np.eye(4)[rng.integers(0, 4, n)]
    labels = rng.integers(0, 4, n)
    scores = np.array([[0.3, -0.2], [1.7, 0.4], [-1.6, 2.5], [0.1, -0.9], [-0.4, 0.6]])
    return [
        ("mean_squared_error", {}, real_y, real_p),
        ("mean_absolute_error", {}, real_y, real_p),
        ("huber", {}, real_y, real_p * 2),
        ("huber", {"delta": 0.3}, real_y, real_p),
        ("log_cosh", {}, real_y, real_p * 3),
        ("binary_crossentropy", {}, binary, rng.uniform(0.05, 0.95, (n, 2))),
        ("binary_crossentropy", {"label_smoothing": 0.2}, binary, rng.uniform(0.05, 0.95, (n, 2))),
        ("binary_crossentropy", {"from_logits": True}, binary, rng.normal(0, 3, (n, 2))),
        ("binary_crossentropy", {"from_logits": True, "label_smoothing": 0.1}, binary, rng.normal(0, 3, (n, 2))),
        ("categorical_crossentropy", {}, one_hot, _probabilities(rng, n, 4)),
        ("categorical_crossentropy", {}, one_hot, rng.uniform(0.2, 2.0, (n, 4))),  # unnormalised rows
        ("categorical_crossentropy", {"label_smoothing": 0.3}, one_hot, _probabilities(rng, n, 4)),
        ("categorical_crossentropy", {"from_logits": True}, one_hot, rng.normal(0, 2, (n, 4))),
        ("categorical_crossentropy", {"from_logits": True, "label_smoothing": 0.2}, one_hot,
         rng.normal(0, 2, (n, 4))),
        ("categorical_crossentropy", {"from_logits": True}, rng.uniform(0, 1, (n, 4)),  # rows not summing to 1
         rng.normal(0, 2, (n, 4))),
        ("sparse_categorical_crossentropy", {}, labels, rng.uniform(0.2, 2.0, (n, 4))),
        ("sparse_categorical_crossentropy", {"from_logits": True}, labels, rng.normal(0, 2, (n, 4))),
        ("kl_divergence", {}, _probabilities(rng, n, 4), _probabilities(rng, n, 4)),
        ("poisson", {}, rng.integers(0, 5, (n, 2)).astype(float), rng.uniform(0.5, 4.0, (n, 2))),
        ("hinge", {}, binary, scores),
        ("hinge", {}, 2 * binary - 1, scores),
        ("squared_hinge", {}, binary, scores),
        ("categorical_hinge", {}, one_hot, rng.normal(0, 0.5, (n, 4))),
    ]


GRADIENT_CASES = _gradient_cases()


@pytest.mark.parametrize("name, kwargs, y_true, y_pred", GRADIENT_CASES,
                         ids=[f"{c[0]}{c[1] or ''}" for c in GRADIENT_CASES])
def test_gradient_matches_finite_differences(name, kwargs, y_true, y_pred):
    loss = losses.get(name, **kwargs)
    analytic = loss.gradient(y_true, y_pred)
    assert analytic.shape == y_pred.shape
    np.testing.assert_allclose(analytic, numeric_gradient(loss, y_true, y_pred), rtol=1e-6, atol=1e-9)


def test_gradient_is_zero_where_the_clip_is_active():
    bce = losses.get("bce")
    grad = bce.gradient([[1.0], [0.0], [1.0], [0.0]], [[0.0], [1.0], [-0.5], [1.5]])
    assert np.array_equal(grad, np.zeros((4, 1)))
    # just inside the clip the gradient is the formula's: (p - y) / (p (1 - p)) / N
    grad = bce.gradient([[1.0]], [[0.5]])
    assert grad[0, 0] == -2.0
    kld = losses.get("kld")
    grad = kld.gradient([[0.5, 0.5]], [[1.5, 0.0]])
    assert np.array_equal(grad, np.zeros((1, 2)))
    # CCE: only the renormalisation term is left when the target's entry is clipped
    cce = losses.get("categorical_crossentropy", reduction="sum")
    grad = cce.gradient([[1.0, 0.0]], [[0.0, 2.0]])
    assert np.array_equal(grad, np.zeros((1, 2)))
    scce = losses.get("sparse_categorical_crossentropy", reduction="sum")
    assert np.array_equal(scce.gradient([0, 1], [[0.0, 2.0], [0.0, 1.0]]), np.zeros((2, 2)))


def test_hinge_gradient_at_the_kink_follows_tensorflow():
    # margin exactly 0 (y = 1, score = 1): max(a, 0) passes the gradient to a, as tf.maximum does
    assert losses.get("hinge").gradient([[1.0]], [[1.0]])[0, 0] == -1.0
    assert losses.get("squared_hinge").gradient([[1.0]], [[1.0]])[0, 0] == 0.0


def test_categorical_hinge_splits_the_gradient_among_tied_maxima():
    # wrong classes tie at 0.5: each gets half the +1, the true class gets -1
    grad = losses.get("categorical_hinge", reduction="sum").gradient([[0, 1, 0]], [[0.5, 0.2, 0.5]])
    np.testing.assert_array_equal(grad, [[0.5, -1.0, 0.5]])


# -- 5. reductions --------------------------------------------------------------------------

def _case(name):
    return next(c for c in GRADIENT_CASES if c[0] == name)


@pytest.mark.parametrize("name", losses.names())
def test_reductions(name):
    _, kwargs, y_true, y_pred = _case(name)
    values = losses.get(name, reduction="none", **kwargs)(y_true, y_pred)
    assert values.shape == (len(y_pred),)
    total = losses.get(name, reduction="sum", **kwargs)(y_true, y_pred)
    mean = losses.get(name, **kwargs)(y_true, y_pred)
    assert total == pytest.approx(float(np.sum(values)), rel=1e-15)
    assert mean == pytest.approx(total / len(y_pred), rel=1e-15)
    g_sum = losses.get(name, reduction="sum", **kwargs).gradient(y_true, y_pred)
    g_mean = losses.get(name, **kwargs).gradient(y_true, y_pred)
    g_none = losses.get(name, reduction=None, **kwargs).gradient(y_true, y_pred)
    np.testing.assert_allclose(g_sum, g_mean * len(y_pred), rtol=1e-14)
    np.testing.assert_array_equal(g_none, g_sum)


def test_unknown_reduction_is_refused():
    with pytest.raises(ValueError, match="sum_over_batch_size, sum, none"):
        losses.get("mse", reduction="mean_of_means")


# -- 6. the fused hot path equals the public API exactly ------------------------------------

@pytest.mark.parametrize("name, kwargs, y_true, y_pred", GRADIENT_CASES,
                         ids=[f"{c[0]}{c[1] or ''}" for c in GRADIENT_CASES])
@pytest.mark.parametrize("reduction", ["sum_over_batch_size", "sum", "none"])
def test_value_and_gradient_equals_call_and_gradient(name, kwargs, y_true, y_pred, reduction):
    loss = losses.get(name, reduction=reduction, **kwargs)
    y = loss.prepare(y_true, y_pred)
    value, grad = loss.value_and_gradient(y, y_pred)
    expected = loss(y_true, y_pred)
    assert value == (float(np.sum(expected)) if reduction == "none" else expected)
    np.testing.assert_array_equal(grad, loss.gradient(y_true, y_pred))
    values, grads = loss.call_with_gradient(y, y_pred)
    np.testing.assert_array_equal(values, loss.call(y, y_pred))
    np.testing.assert_array_equal(grads, loss.call_gradient(y, y_pred))


@pytest.mark.parametrize("name, kwargs", [("mse", {}), ("bce", {}), ("bce", {"from_logits": True}),
                                          ("bce", {"label_smoothing": 0.1}),
                                          ("categorical_crossentropy", {}),
                                          ("categorical_crossentropy", {"from_logits": True}),
                                          ("sparse_categorical_crossentropy", {}),
                                          ("sparse_categorical_crossentropy", {"from_logits": True})])
def test_hot_path_on_a_training_sized_batch(name, kwargs):
    """Batch 32 with clipped entries mixed in, as a sigmoid/softmax output produces late in training."""
    rng = np.random.default_rng(11)
    k = 1 if name in ("mse", "bce") else 3
    y_pred = rng.uniform(0.0, 1.0, (32, k))
    edges = [[0.0], [1.0], [1e-9], [1 - 1e-9]] if k == 1 else \
        [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [1e-9, 0.5, 0.5], [1 - 1e-9, 1e-9, 0.0]]
    y_pred[:4] = edges
    if kwargs.get("from_logits"):
        y_pred = (y_pred - 0.5) * 100
    labels = rng.integers(0, k, 32) if k > 1 else (rng.uniform(size=32) > 0.5).astype(float)
    y_raw = labels if name.startswith("sparse") or k == 1 else np.eye(k)[labels]
    loss = losses.get(name, **kwargs)
    value, grad = loss.value_and_gradient(loss.prepare(y_raw, y_pred), y_pred)
    assert value == loss(y_raw, y_pred)
    np.testing.assert_array_equal(grad, loss.gradient(y_raw, y_pred))


# -- 7. label encodings: prepare ------------------------------------------------------------

def test_sparse_prepare_returns_integer_labels():
    scce = losses.get("sparse_categorical_crossentropy")
    template = np.zeros((3, 4))
    for raw in ([0, 3, 2], [[0], [3], [2]], np.array([0.0, 3.0, 2.0])):
        labels = scce.prepare(raw, template)
        assert labels.shape == (3,) and labels.dtype.kind == "i"
        np.testing.assert_array_equal(labels, [0, 3, 2])
    assert np.array_equal(scce.prepare(labels, template), labels)  # idempotent


@pytest.mark.parametrize("raw, message", [
    (np.eye(4)[[0, 3, 2]], "got one-hot rows of width 4; use categorical_crossentropy"),
    ([0, 1.5, 2], "whole numbers"),
    ([0, np.nan, 2], "whole numbers"),
    ([0, 4, 2], r"in \[0, 4\)"),
    ([-1, 0, 2], r"in \[0, 4\)"),
    ([0, 1], "do not match"),
])
def test_sparse_prepare_refuses_bad_labels(raw, message):
    with pytest.raises(ValueError, match=message) as info:
        losses.get("sparse_categorical_crossentropy").prepare(raw, np.zeros((3, 4)))
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("raw", [[0, 3, 2], [[0], [3], [2]]])
def test_categorical_prepare_refuses_integer_labels(raw):
    with pytest.raises(ValueError, match="use sparse_categorical_crossentropy") as info:
        losses.get("categorical_crossentropy").prepare(raw, np.zeros((3, 4)))
    assert "\n" not in str(info.value)


def test_categorical_prepare_keeps_one_hot_rows():
    y = np.eye(3)[[2, 0]]
    np.testing.assert_array_equal(losses.get("categorical_crossentropy").prepare(y, np.zeros((2, 3))), y)


def test_hinge_converts_binary_labels_inside_the_loss_only():
    hinge = losses.get("hinge")
    y_pred = np.array([[0.3], [-2.0], [0.5], [0.9]])
    # 0/1 labels act as -1/1 (Keras's convert_binary_labels_to_hinge) ...
    assert hinge([0, 1, 1, 0], y_pred) == hinge([-1, 1, 1, -1], y_pred)
    np.testing.assert_array_equal(hinge.gradient([0, 1, 1, 0], y_pred), hinge.gradient([-1, 1, 1, -1], y_pred))
    # ... but prepare leaves them as they are, so metrics still see 0/1
    np.testing.assert_array_equal(hinge.prepare([0, 1, 1, 0], y_pred), [[0.0], [1.0], [1.0], [0.0]])
    # not all 0/1: left alone, as Keras's convert_binary_labels_to_hinge does
    # margins 1 - y·ŷ: 1-0=1, 1-(-2)(1)=3, 1-2(0.5)=0, 1-(-1)(0.9)=1.9 → mean 5.9/4
    assert hinge([0, 1, 2, -1], y_pred) == pytest.approx(5.9 / 4, rel=1e-15)
    # categorical hinge takes one-hot rows as they are
    np.testing.assert_array_equal(losses.get("categorical_hinge").prepare([[0, 1]], np.zeros((1, 2))), [[0, 1]])


def test_binary_targets_align_with_one_output_column():
    bce = losses.get("bce")
    assert bce.prepare([1, 0, 1], np.zeros((3, 1))).shape == (3, 1)
    with pytest.raises(ValueError, match="does not match"):
        bce.prepare([1, 0], np.zeros((3, 1)))


# -- 8. the registry ------------------------------------------------------------------------

def test_names_and_model_pairing():
    pairing = {name: (cls.output, cls.targets) for name, cls in losses.ALL.items()}
    assert pairing == {
        "mean_squared_error": ("linear", "real"),
        "mean_absolute_error": ("linear", "real"),
        "huber": ("linear", "real"),
        "log_cosh": ("linear", "real"),
        "binary_crossentropy": ("sigmoid", "binary"),
        "categorical_crossentropy": ("softmax", "one_hot"),
        "sparse_categorical_crossentropy": ("softmax", "integer"),
        "kl_divergence": ("softmax", "one_hot"),
        "poisson": ("softplus", "counts"),
        "hinge": ("linear", "binary"),
        "squared_hinge": ("linear", "binary"),
        "categorical_hinge": ("linear", "one_hot"),
    }
    assert losses.names() == list(pairing)


@pytest.mark.parametrize("alias, canonical", [
    ("mse", "mean_squared_error"), ("MSE", "mean_squared_error"), ("mae", "mean_absolute_error"),
    ("bce", "binary_crossentropy"), ("kld", "kl_divergence"),
    ("kullback_leibler_divergence", "kl_divergence"), ("logcosh", "log_cosh"), ("huber_loss", "huber"),
])
def test_aliases(alias, canonical):
    assert losses.get(alias).name == canonical
    assert losses.ALIASES.get(alias.lower()) == canonical


def test_every_alias_points_at_a_loss():
    assert set(losses.ALIASES.values()) <= set(losses.ALL)


@pytest.mark.parametrize("name", losses.names())
def test_get_config_round_trips(name):
    _, kwargs, y_true, y_pred = _case(name)
    loss = losses.get(name, reduction="sum", **kwargs)
    again = losses.get(loss.get_config())
    assert type(again) is type(loss) and again.get_config() == loss.get_config()
    assert again(y_true, y_pred) == loss(y_true, y_pred)


def test_config_holds_each_losss_own_arguments():
    assert losses.get("bce", from_logits=True, label_smoothing=0.1).get_config() == {
        "name": "binary_crossentropy", "reduction": "sum_over_batch_size",
        "from_logits": True, "label_smoothing": 0.1}
    assert losses.get("categorical_crossentropy", label_smoothing=0.2).get_config()["label_smoothing"] == 0.2
    assert losses.get("sparse_categorical_crossentropy", from_logits=True).get_config()["from_logits"] is True
    assert losses.get("huber", delta=2.5).get_config()["delta"] == 2.5


def test_get_passes_instances_through():
    loss = losses.get("poisson")
    assert losses.get(loss) is loss


def test_unknown_name_lists_the_valid_ones_and_suggests_the_closest():
    with pytest.raises(ValueError) as info:
        losses.get("binary_crossentropi")
    message = str(info.value)
    assert "did you mean 'binary_crossentropy'" in message
    assert all(name in message for name in losses.names())
    assert "\n" not in message
    with pytest.raises(ValueError, match="valid: .*mean_squared_error"):
        losses.get(42)
    with pytest.raises(ValueError, match=r"needs a 'class_name' \(or 'name'\)"):
        losses.get({"reduction": "sum"})


@pytest.mark.parametrize("name, kwargs, message", [
    ("mse", {"from_logits": True}, r"unexpected argument 'from_logits' \(valid: reduction, name\)"),
    ("huber", {"delta_": 1.0}, r"valid: delta, reduction, name"),
    ("bce", {"label_smoothing": 1.5}, r"label_smoothing must be in \[0, 1\]"),
    ("categorical_crossentropy", {"label_smoothing": -0.1}, r"label_smoothing must be in \[0, 1\]"),
    ("bce", {"label_smoothing": "lots"}, r"label_smoothing must be in \[0, 1\], got .lots."),
    ("bce", {"from_logits": "yes"}, "from_logits must be True or False"),
    ("huber", {"delta": 0.0}, "delta must be a finite number > 0"),
    ("huber", {"delta": None}, "delta must be a finite number > 0, got None"),
])
def test_bad_arguments_raise_one_line_value_errors(name, kwargs, message):
    with pytest.raises(ValueError, match=message) as info:
        losses.get(name, **kwargs)
    assert "\n" not in str(info.value)
