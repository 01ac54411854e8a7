"""Sequential: flat parameter buffer, Keras weight order, initialisation, and whole-model gradients."""

import math

import numpy as np
import pytest

from engine import Dense, Input, Sequential, activations


def make_model(hidden=(4, 3), activation="tanh", out_units=1, out_activation="linear",
               loss="mse", optimizer="sgd", n_in=2, seed=0):
    layers = [Input(shape=(n_in,)), *[Dense(h, activation=activation) for h in hidden],
              Dense(out_units, activation=out_activation)]
    model = Sequential(layers)
    model.compile(loss=loss, optimizer=optimizer)
    model.build(seed=seed)
    return model


def test_weights_are_views_of_one_flat_buffer_in_keras_order():
    model = make_model(hidden=(4,))
    shapes = [w.shape for w in model.get_weights()]
    assert shapes == [(2, 4), (4,), (4, 1), (1,)]
    assert model.count_params() == 2 * 4 + 4 + 4 * 1 + 1 == model.params.size
    # Writing through set_weights lands in the flat buffer at Keras's offsets.
    ws = [np.full(s, float(i)) for i, s in enumerate(shapes)]
    model.set_weights(ws)
    np.testing.assert_array_equal(model.params, np.concatenate([w.ravel() for w in ws]))
    for layer in model.layers:  # views, not copies: writing the flat buffer moves them
        assert np.shares_memory(layer.kernel, model.params) and np.shares_memory(layer.bias, model.params)


def test_glorot_uniform_kernels_and_zero_biases_from_the_seed():
    model = make_model(hidden=(64,), n_in=10)
    kernel, bias, kernel2, _ = model.get_weights()
    limit = math.sqrt(6 / (10 + 64))
    assert np.all(np.abs(kernel) <= limit)
    assert kernel.std() == pytest.approx(limit / math.sqrt(3), rel=0.1)  # U(-l, l) has σ = l/√3
    assert np.all(bias == 0)
    same = make_model(hidden=(64,), n_in=10)
    other = make_model(hidden=(64,), n_in=10, seed=1)
    np.testing.assert_array_equal(model.params, same.params)
    assert not np.array_equal(model.params, other.params)


def test_set_weights_rejects_wrong_shapes_and_counts():
    model = make_model(hidden=(4,))
    ws = model.get_weights()
    with pytest.raises(ValueError, match="shape"):
        model.set_weights([ws[0].T, *ws[1:]])
    with pytest.raises(ValueError, match="expected 4 arrays"):
        model.set_weights(ws[:2])


def test_predict_matches_a_hand_computed_forward_pass():
    model = make_model(hidden=(2,), activation="relu", n_in=2)
    model.set_weights([np.array([[1.0, -1.0], [2.0, 0.5]]), np.array([0.5, 0.0]),
                       np.array([[1.0], [-2.0]]), np.array([0.25])])
    x = np.array([[1.0, 1.0], [-1.0, 0.0]])
    # sample 1: z = [1+2+0.5, -1+0.5] = [3.5, -0.5] → relu [3.5, 0] → 3.5 + 0.25 = 3.75
    # sample 2: z = [-1+0.5, 1] = [-0.5, 1] → relu [0, 1] → -2 + 0.25 = -1.75
    np.testing.assert_allclose(model.predict(x), [[3.75], [-1.75]])


def numerical_gradient(model, x, y, h=1e-6):
    grad = np.zeros_like(model.params)
    for i in range(model.params.size):
        saved = model.params[i]
        model.params[i] = saved + h
        up = model.loss(y, model.predict(x))
        model.params[i] = saved - h
        down = model.loss(y, model.predict(x))
        model.params[i] = saved
        grad[i] = (up - down) / (2 * h)
    return grad


def analytic_gradient(model, x, y):
    cache = model.forward(x)
    _, d_out = model.loss.value_and_gradient(model.loss.prepare(y, cache[-1][1]), cache[-1][1])
    model.backward(x, cache, d_out)
    return model.grads.copy()


@pytest.mark.parametrize("activation", [a for a in activations.names() if a != "softmax"])
def test_whole_model_gradient_matches_finite_differences(activation):
    rng = np.random.default_rng(3)
    model = make_model(hidden=(5, 4), activation=activation, out_units=2, n_in=3)
    # Random biases: with zero biases a sample whose hidden units are all off sits exactly on relu's kink.
    model.params[:] += rng.normal(scale=0.3, size=model.params.size)
    x = rng.normal(scale=0.5, size=(7, 3))
    y = rng.normal(size=(7, 2))
    np.testing.assert_allclose(analytic_gradient(model, x, y), numerical_gradient(model, x, y),
                               rtol=1e-5, atol=1e-8)


def test_whole_model_gradient_through_a_softmax_output():
    rng = np.random.default_rng(4)
    model = make_model(hidden=(5,), activation="tanh", out_units=3, out_activation="softmax", n_in=2)
    x = rng.normal(size=(6, 2))
    y = rng.normal(size=(6, 3))
    np.testing.assert_allclose(analytic_gradient(model, x, y), numerical_gradient(model, x, y),
                               rtol=1e-5, atol=1e-8)


def test_hot_path_workspace_gives_the_same_gradients_as_the_plain_path():
    rng = np.random.default_rng(5)
    x, y = rng.normal(size=(8, 2)), rng.normal(size=(8, 1))
    a, b = make_model(), make_model()
    expected = analytic_gradient(a, x, y)
    b.train_step(x, b.loss.prepare(y, np.zeros((8, 1))))
    np.testing.assert_allclose(b.grads, expected, rtol=1e-13, atol=0)


def test_train_step_is_one_plain_sgd_update():
    rng = np.random.default_rng(6)
    x, y = rng.normal(size=(8, 2)), rng.normal(size=(8, 1))
    model = make_model()
    before = model.params.copy()
    grad = analytic_gradient(make_model(), x, y)
    loss, _ = model.train_step(x, y)
    assert loss == pytest.approx(make_model().loss(y, make_model().predict(x)), rel=1e-14)
    np.testing.assert_allclose(model.params, before - 0.01 * grad, rtol=1e-13)


def test_evaluate_returns_loss_and_metrics_like_keras():
    model = make_model(out_activation="sigmoid")
    model.compile(loss="mse", optimizer="sgd", metrics=["accuracy"])
    x = np.array([[0.0, 0.0], [1.0, 1.0]])
    y = np.array([0.0, 1.0])
    loss, accuracy = model.evaluate(x, y)
    p = model.predict(x)[:, 0]
    assert loss == pytest.approx(np.mean((p - y) ** 2))
    assert accuracy == np.mean((p > 0.5) == (y > 0.5))
    assert model.evaluate(x, y, return_dict=True).keys() == {"loss", "accuracy"}


def test_bad_construction_is_a_one_line_value_error():
    with pytest.raises(ValueError, match="units"):
        Dense(0)
    with pytest.raises(ValueError, match="activation"):
        Dense(3, activation="relux")
    with pytest.raises(ValueError, match="Input"):
        Input(shape=(0,))
    with pytest.raises(ValueError, match="compiled"):
        Sequential([Input(shape=(2,)), Dense(1)]).evaluate(np.zeros((1, 2)), np.zeros(1))
    model = make_model()
    with pytest.raises(ValueError, match="features"):
        model.predict(np.zeros((3, 5)))


def test_clipnorm_switched_on_mid_run_clips_each_array_on_its_own():
    rng = np.random.default_rng(7)
    x, y = rng.normal(size=(8, 2)), rng.normal(size=(8, 1)) * 10
    model = make_model(hidden=(4,))
    grad = analytic_gradient(make_model(hidden=(4,)), x, y)
    model.optimizer.clipnorm = 0.01
    before = model.params.copy()
    model.train_step(x, y)
    step = (before - model.params) / 0.01  # lr = 0.01
    # Each array's update has norm ≤ clipnorm separately (Keras clips per variable).
    offsets = np.cumsum([0] + [w.size for w in model.get_weights()])
    for lo, hi in zip(offsets, offsets[1:]):
        g = grad[lo:hi]
        expected = g * 0.01 / max(np.linalg.norm(g), 0.01)
        np.testing.assert_allclose(step[lo:hi], expected, rtol=1e-9)


def test_clipnorm_switched_on_after_the_optimizer_was_built_still_clips_per_variable():
    rng = np.random.default_rng(8)
    x, y = rng.normal(size=(8, 2)), rng.normal(size=(8, 1)) * 10
    model = make_model(hidden=(4,))
    model.train_step(x, y)  # builds the optimizer's state for the flat buffer
    grad = analytic_gradient(model, x, y)
    model.optimizer.clipnorm = 0.01
    before = model.params.copy()
    model.train_step(x, y)
    step = (before - model.params) / 0.01
    offsets = np.cumsum([0] + [w.size for w in model.get_weights()])
    for lo, hi in zip(offsets, offsets[1:]):
        g = grad[lo:hi]
        np.testing.assert_allclose(step[lo:hi], g * 0.01 / max(np.linalg.norm(g), 0.01), rtol=1e-9)
