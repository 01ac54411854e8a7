"""fit/evaluate with sample and class weights and validation data (Keras's rules), a Sequential
built at construction, ``optimizers.get(None)``. Keras's own numbers: test_keras_reference_depth.py."""

from __future__ import annotations

import numpy as np
import pytest

from engine import Dense, Input, Sequential, optimizers
from engine.sample_weights import class_weight_to_sample_weights


def data(n=40, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 2))
    return x, (x[:, :1] + x[:, 1:] > 0).astype(float)


def model(seed=0, optimizer="sgd"):
    m = Sequential([Input(shape=(2,)), Dense(4, activation="tanh"), Dense(1, activation="sigmoid")])
    m.compile(optimizer=optimizer, loss="binary_crossentropy", metrics=["accuracy"])
    m.build(seed=seed)
    return m


def test_class_weight_to_sample_weights_as_keras():
    # keras/src/trainers/data_adapters/data_adapter_utils.py: labels, (N,1) columns, one-hot rows, 1.0 default
    assert class_weight_to_sample_weights(np.array([0, 1, 2, 1]), {1: 3.0}).tolist() == [1.0, 3.0, 1.0, 3.0]
    assert class_weight_to_sample_weights(np.array([[1.0], [0.0]]), {0: 0.5, "1": 2}).tolist() == [2.0, 0.5]
    assert class_weight_to_sample_weights(np.eye(3)[[2, 0]], {2: 4.0}).tolist() == [4.0, 1.0]
    with pytest.raises(ValueError, match="must be a dictionary with integer keys"):
        class_weight_to_sample_weights(np.array([0, 1]), {"a": 1.0})
    with pytest.raises(ValueError, match="must be a dict-like mapping"):
        class_weight_to_sample_weights(np.array([0, 1]), [1.0, 2.0])


def test_epoch_loss_with_sample_weights_by_hand():
    # one batch of all N samples: the epoch loss is that batch's loss before its update, Σ w_i l_i / N
    x, y = data(8)
    m = model()
    per_sample = m.loss.call(y, m.predict(x))
    w = np.arange(1.0, 9.0)
    history = m.fit(x, y, batch_size=8, epochs=1, sample_weight=w, shuffle=False, verbose=0)
    assert history.history["loss"][0] == pytest.approx(float(np.sum(w * per_sample)) / 8, rel=1e-15)


def test_unit_weights_and_class_weight_of_ones_change_no_bit():
    x, y = data()
    plain = model().fit(x, y, batch_size=8, epochs=3, seed=2, verbose=0, validation_split=0.25)
    ones = model().fit(x, y, batch_size=8, epochs=3, seed=2, verbose=0, validation_split=0.25,
                       sample_weight=np.ones(len(x)))
    same = model().fit(x, y, batch_size=8, epochs=3, seed=2, verbose=0, validation_split=0.25,
                       class_weight={0: 1.0, 1: 1.0})
    assert plain.history == ones.history == same.history


def test_shuffled_weights_follow_their_samples():
    # class_weight is a per-sample weight read from the label: spelt either way, with shuffling on,
    # the weights travel with their samples and the runs agree bit for bit
    x, y = data()
    by_class = model().fit(x, y, batch_size=8, epochs=3, seed=5, verbose=0, class_weight={1: 0.0, 0: 2.0})
    by_sample = model().fit(x, y, batch_size=8, epochs=3, seed=5, verbose=0,
                            sample_weight=np.where(y[:, 0] == 1, 0.0, 2.0))
    assert by_class.history == by_sample.history


def test_validation_split_slices_sample_weight_and_validation_data_takes_weights():
    x, y = data(40)
    w = np.linspace(0.5, 2.0, 40)
    split = model().fit(x, y, batch_size=8, epochs=2, seed=1, verbose=0, validation_split=0.25, sample_weight=w)
    explicit = model().fit(x[:30], y[:30], batch_size=8, epochs=2, seed=1, verbose=0, sample_weight=w[:30],
                           validation_data=(x[30:], y[30:], w[30:]))
    assert split.history == explicit.history
    m = model()
    m.fit(x[:30], y[:30], epochs=1, verbose=0, seed=1)
    weighted = m.evaluate(x[30:], y[30:], sample_weight=w[30:], return_dict=True)
    per_sample = m.loss.call(y[30:], m.predict(x[30:]))
    assert weighted["loss"] == pytest.approx(float(np.sum(w[30:] * per_sample)) / 10, rel=1e-15)
    assert weighted["accuracy"] == m.evaluate(x[30:], y[30:], return_dict=True)["accuracy"]  # metrics unweighted


@pytest.mark.parametrize("kwargs, message", [
    ({"sample_weight": np.ones(40), "class_weight": {0: 1.0}},
     "Arguments `sample_weight` and `class_weight` cannot be specified at the same time."),
    ({"sample_weight": np.ones(39)}, r"sample_weight must hold one weight per sample \(40\), got shape \(39,\)"),
    ({"sample_weight": np.full(40, np.nan)}, "sample_weight contains NaN or infinite values"),
    ({"validation_data": (np.zeros((3, 2)),)}, r"validation_data must be \(x, y\) or \(x, y, sample_weight\)"),
    ({"validation_data": (np.zeros((3, 2)), np.zeros(3), np.ones(2))},
     r"validation sample_weight must hold one weight per sample \(3\)"),
])
def test_bad_weights_are_one_line_errors(kwargs, message):
    x, y = data(40)
    with pytest.raises(ValueError, match=message):
        model().fit(x, y, verbose=0, **kwargs)


def test_sequential_with_input_is_built_at_construction():
    m = Sequential([Input(shape=(3,)), Dense(2)])
    assert m.built and m.count_params() == 8
    m.set_weights([np.ones((3, 2)), np.zeros(2)])  # works at once, as in Keras
    np.testing.assert_array_equal(m.predict(np.ones((1, 3))), [[3.0, 3.0]])
    assert not Sequential([Dense(2)]).built  # no Input: built on first fit, as in Keras


def test_fit_seed_still_draws_the_initial_weights_of_a_fresh_model():
    x, y = data()
    runs = []
    for _ in range(2):
        m = Sequential([Input(shape=(2,)), Dense(4, activation="tanh"), Dense(1, activation="sigmoid")])
        m.compile(optimizer="sgd", loss="binary_crossentropy")
        runs.append(m.fit(x, y, epochs=2, seed=3, verbose=0).history["loss"])
    assert runs[0] == runs[1]
    m = Sequential([Input(shape=(2,)), Dense(1)])
    m.compile(optimizer="sgd", loss="mse")
    m.set_weights([np.ones((2, 1)), np.zeros(1)])
    m.fit(x, y, epochs=1, seed=3, verbose=0, batch_size=40, shuffle=False)
    # set weights are kept (the seed only redraws weights nobody chose): one SGD step from ones
    assert not np.allclose(m.get_weights()[0], 1.0) and np.all(np.abs(m.get_weights()[0] - 1.0) < 0.1)


def test_optimizers_get_none_is_none():
    assert optimizers.get(None) is None
