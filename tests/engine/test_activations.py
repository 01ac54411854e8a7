"""Activations: reference values from the formulas, derivatives by finite differences, ``out=`` buffers."""

import math

import numpy as np
import pytest

from engine import activations

Z = np.array([[-2.0, -0.5, 0.0, 0.5, 2.0]])

REFERENCE = {
    "linear": [-2.0, -0.5, 0.0, 0.5, 2.0],
    "relu": [0.0, 0.0, 0.0, 0.5, 2.0],
    # 1 / (1 + e^-z): σ(2) = 0.8807970779778823, σ(-z) = 1 - σ(z)
    "sigmoid": [0.11920292202211755, 0.3775406687981454, 0.5, 0.6224593312018546, 0.8807970779778823],
    "tanh": [math.tanh(-2.0), math.tanh(-0.5), 0.0, math.tanh(0.5), math.tanh(2.0)],
    # Keras's default negative_slope = 0.2
    "leaky_relu": [-0.4, -0.1, 0.0, 0.5, 2.0],
    # α (e^z - 1) for z ≤ 0: e^-2 - 1 = -0.8646647167633873
    "elu": [-0.8646647167633873, -0.3934693402873666, 0.0, 0.5, 2.0],
    # z Φ(z): Φ(2) = 0.9772498680518208 → 1.9544997361036416
    "gelu": [-0.04550026389635842, -0.15426876936299347, 0.0, 0.34573123063700656, 1.9544997361036416],
    # log(1 + e^z): softplus(0) = log 2
    "softplus": [0.1269280110429725, 0.47407698418010663, math.log(2.0), 0.9740769841801067, 2.1269280110429727],
    "exponential": [math.exp(-2.0), math.exp(-0.5), 1.0, math.exp(0.5), math.exp(2.0)],
}


def test_every_registered_activation_has_reference_values():
    assert set(activations.names()) == set(REFERENCE) | {"softmax"}


@pytest.mark.parametrize("name", sorted(REFERENCE))
def test_reference_values(name):
    np.testing.assert_allclose(activations.get(name).forward(Z.copy())[0], REFERENCE[name], rtol=1e-14, atol=1e-15)


def test_softmax_reference_and_stability():
    # e^(z - 3) / Σ: [e^-2, e^-1, 1] / (e^-2 + e^-1 + 1)
    total = math.exp(-2) + math.exp(-1) + 1
    expected = [math.exp(-2) / total, math.exp(-1) / total, 1 / total]
    softmax = activations.get("softmax")
    np.testing.assert_allclose(softmax.forward(np.array([[1.0, 2.0, 3.0]]))[0], expected, rtol=1e-15)
    np.testing.assert_allclose(softmax.forward(np.array([[1001.0, 1002.0, 1003.0]]))[0], expected, rtol=1e-14)


def test_sigmoid_saturates_without_warnings(recwarn):
    out = activations.get("sigmoid").forward(np.array([[-1000.0, 1000.0]]))
    np.testing.assert_array_equal(out, [[0.0, 1.0]])
    assert not recwarn.list


@pytest.mark.parametrize("name", activations.names())
def test_backward_matches_finite_differences(name):
    rng = np.random.default_rng(0)
    z = rng.normal(size=(4, 3))
    z[np.abs(z) < 1e-3] = 0.3  # keep off relu's kink
    da = rng.normal(size=(4, 3))
    act = activations.get(name)
    a = act.forward(z.copy())
    analytic = act.backward(z, a, da)
    h = 1e-6
    numeric = np.zeros_like(z)
    for idx in np.ndindex(z.shape):
        up, down = z.copy(), z.copy()
        up[idx] += h
        down[idx] -= h
        numeric[idx] = np.sum(da * (act.forward(up) - act.forward(down))) / (2 * h)
    np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", activations.names())
def test_out_buffers_give_the_same_numbers(name):
    rng = np.random.default_rng(1)
    z, da = rng.normal(size=(5, 3)), rng.normal(size=(5, 3))
    act = activations.get(name)
    a = act.forward(z.copy())
    a_out = act.forward(z.copy(), out=np.empty_like(z))
    np.testing.assert_array_equal(a, a_out)
    np.testing.assert_array_equal(act.backward(z, a, da), act.backward(z, a, da, out=np.empty_like(z)))


def test_lookup_aliases_and_errors():
    assert activations.get(None).name == "linear"
    assert activations.get("RELU").name == "relu"
    with pytest.raises(ValueError, match="did you mean 'relu'"):
        activations.get("rleu")


def test_a_sigmoid_overflowing_to_zero_is_silent_on_every_path():
    # exp(1000) overflows to inf, so σ(-1000) = 1 / (1 + inf) = 0: the maths, not a warning — on its
    # own, in predict, train_step and the training core's buffered pass (which silences it once per step)
    import warnings

    from engine import Dense, Input, Sequential

    model = Sequential([Input(shape=(1,)), Dense(1, activation="sigmoid")])
    model.compile(loss="mse", optimizer="sgd")
    model.set_weights([np.array([[1000.0]]), np.zeros(1)])
    x = np.array([[-1.0], [1.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert activations.get("sigmoid").forward(np.array([-1000.0]))[0] == 0.0
        assert model.predict(x)[:, 0].tolist() == [0.0, 1.0]
        assert model.stack.forward(x)[-1][1][0, :, 0].tolist() == [0.0, 1.0]
        model.train_step(x, np.zeros((2, 1)))
        model.fit(x, np.zeros(2), epochs=1, verbose=0)
