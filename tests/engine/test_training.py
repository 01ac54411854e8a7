"""Keras's fit loop: iteration accounting, epoch-loss averaging, validation split, shuffling, divergence."""

import math

import numpy as np
import pytest

from engine import Dense, Input, LambdaCallback, Sequential
from engine.training import Trainer


def regression_data(n=2000, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-1, 1, size=(n, 2))
    y = x[:, :1] * 2 - x[:, 1:] + 0.1 * rng.normal(size=(n, 1))
    return x, y


def make_model(optimizer="sgd", hidden=(8,), seed=0):
    model = Sequential([Input(shape=(2,)), *[Dense(h, activation="tanh") for h in hidden], Dense(1)])
    model.compile(loss="mse", optimizer=optimizer)
    model.build(seed=seed)
    return model


@pytest.mark.parametrize("n, batch, iterations, last", [
    (2000, 200, 10, 200),   # the lecture: 2000 samples, batch 200 → 10 iterations
    (2000, 32, 63, 16),     # Keras's default batch: ⌈2000/32⌉ = 63, last batch 2000 − 62·32 = 16
    (2000, 2000, 1, 2000),  # batch gradient descent: one update per epoch
    (2000, 1, 2000, 1),     # SGD: one update per sample
    (2000, 5000, 1, 2000),  # a batch larger than the data is the whole data
])
def test_iterations_per_epoch(n, batch, iterations, last):
    x, y = regression_data(n)
    trainer = Trainer(make_model(), x, y, batch_size=batch, epochs=1, seed=0)
    assert (trainer.iterations_per_epoch, trainer.last_batch_size) == (iterations, last)
    events = trainer.run_epoch()
    assert len(events) == iterations
    assert [e.iteration for e in events] == list(range(1, iterations + 1))
    assert events[-1].batch_size == last and events[-1].examples_seen == n
    assert events[-1].epoch_logs is not None and events[-1].status == "finished"
    assert trainer.step_count == iterations


def test_default_batch_size_is_keras_32():
    x, y = regression_data(100)
    assert Trainer(make_model(), x, y).batch_size == 32


def reference_fit(x, y, batch, epochs, seed, lr=0.01, validation_split=0.0):
    """Keras's loop written out by hand: split off the last fraction, reshuffle every epoch,
    take each batch loss before its update, average the epoch weighted by batch size."""
    model = make_model()
    split = int(math.floor(len(x) * (1 - validation_split)))
    xt, yt, xv, yv = x[:split], y[:split], x[split:], y[split:]
    rng = np.random.default_rng([seed, 1])
    history = {"loss": [], "val_loss": []}
    for _ in range(epochs):
        order = rng.permutation(len(xt))
        total = 0.0
        for lo in range(0, len(xt), batch):
            xb, yb = xt[order[lo:lo + batch]], yt[order[lo:lo + batch]]
            cache = model.forward(xb)
            loss, d_out = model.loss.value_and_gradient(yb, cache[-1][1])
            model.backward(xb, cache, d_out)
            model.params -= lr * model.grads
            total += loss * len(xb)
        history["loss"].append(total / len(xt))
        if validation_split:
            history["val_loss"].append(model.loss(yv, model.predict(xv)))
    return history, model.params


def test_fit_matches_the_hand_written_keras_loop():
    x, y = regression_data(500)
    history = make_model().fit(x, y, batch_size=48, epochs=4, validation_split=0.2, seed=7, verbose=0)
    expected, _ = reference_fit(x, y, batch=48, epochs=4, seed=7, validation_split=0.2)
    np.testing.assert_allclose(history.history["loss"], expected["loss"], rtol=1e-12)
    np.testing.assert_allclose(history.history["val_loss"], expected["val_loss"], rtol=1e-12)
    assert history.status == "finished" and history.epoch == [0, 1, 2, 3]


def test_epoch_loss_is_the_batch_size_weighted_mean_of_batch_losses():
    x, y = regression_data(100)
    trainer = Trainer(make_model(), x, y, batch_size=32, epochs=1, seed=0)
    events = trainer.run_epoch()
    assert [e.batch_size for e in events] == [32, 32, 32, 4]
    weighted = sum(e.loss * e.batch_size for e in events) / 100
    plain = sum(e.loss for e in events) / 4
    assert events[-1].epoch_logs["loss"] == pytest.approx(weighted, rel=1e-14)
    assert weighted != pytest.approx(plain, rel=1e-6)  # the unweighted mean would be wrong here


def test_validation_split_holds_out_the_last_fraction_before_shuffling():
    x, y = regression_data(100)
    trainer = Trainer(make_model(), x, y, validation_split=0.25, seed=0)
    assert trainer.n == 75
    np.testing.assert_array_equal(trainer.validation[0], x[75:])
    np.testing.assert_array_equal(trainer.x, x[:75])


def test_shuffle_reorders_every_epoch_and_false_keeps_the_order():
    x, y = regression_data(64)
    seen = []
    trainer = Trainer(make_model(), x, y, batch_size=64, epochs=2, seed=0)
    original = trainer.batch_order
    trainer.batch_order = lambda: seen.append(original()) or seen[-1]
    trainer.run_epoch(), trainer.run_epoch()
    assert len(seen) == 2 and not np.array_equal(seen[0], seen[1])
    fixed = Trainer(make_model(), x, y, shuffle=False)
    np.testing.assert_array_equal(fixed.batch_order(), np.arange(64))


def test_same_seed_same_run_and_other_seed_other_run():
    x, y = regression_data(300)
    run = lambda seed: make_model(seed=seed).fit(x, y, batch_size=16, epochs=3, seed=seed, verbose=0)
    assert run(3).history == run(3).history
    assert run(3).history["loss"] != run(4).history["loss"]


def test_stepping_one_by_one_equals_fit():
    x, y = regression_data(200)
    fitted = make_model().fit(x, y, batch_size=32, epochs=3, seed=1, verbose=0)
    trainer = Trainer(make_model(), x, y, batch_size=32, epochs=3, seed=1)
    while trainer.step() is not None:
        pass
    assert trainer.history.history == fitted.history
    assert trainer.status == "finished" and trainer.step() is None


def test_learning_rate_change_mid_run_applies_from_the_next_step():
    x, y = regression_data(64)
    model = make_model()
    trainer = Trainer(model, x, y, batch_size=64, epochs=3, shuffle=False)
    trainer.step()
    model.optimizer.learning_rate = 0.5
    cache = model.forward(x)
    _, d_out = model.loss.value_and_gradient(trainer.y, cache[-1][1])
    model.backward(x, cache, d_out)
    expected = model.params - 0.5 * model.grads
    trainer.step()
    np.testing.assert_allclose(model.params, expected, rtol=1e-13)


def test_divergence_stops_the_run_at_a_known_step_without_warnings(recwarn):
    x, y = regression_data(256)
    model = make_model(optimizer={"name": "sgd", "learning_rate": 50.0})
    history = model.fit(x, y * 1e3, batch_size=32, epochs=50, seed=0, verbose=0)
    assert history.status == "diverged"
    epoch, iteration = history.diverged_at
    assert 1 <= epoch <= 50 and 1 <= iteration <= 8
    assert len(history.epoch) == epoch - 1  # the epoch that diverged is not recorded
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]


def test_callbacks_see_every_step_and_can_stop_training():
    x, y = regression_data(100)
    model = make_model()
    steps = []

    def on_batch(batch, event):
        steps.append(event.step)
        if event.step == 5:
            model.stop_training = True

    history = model.fit(x, y, batch_size=10, epochs=3, verbose=0,
                        callbacks=[LambdaCallback(on_train_batch_end=on_batch)])
    assert steps == [1, 2, 3, 4, 5]
    assert history.epoch == []


def test_fit_twice_continues_from_the_trained_weights():
    x, y = regression_data(200)
    model = make_model()
    first = model.fit(x, y, epochs=2, seed=0, verbose=0).history["loss"][-1]
    second = model.fit(x, y, epochs=1, seed=0, verbose=0).history["loss"][0]
    assert second < first


@pytest.mark.parametrize("kwargs, match", [
    ({"batch_size": 0}, "batch_size"),
    ({"batch_size": 2.5}, "batch_size"),
    ({"batch_size": True}, "batch_size"),
    ({"epochs": 0}, "epochs"),
    ({"validation_split": 1.0}, "validation_split"),
    ({"validation_split": -0.1}, "validation_split"),
    ({"validation_split": 0.999}, "non-empty"),
])
def test_bad_fit_arguments_are_one_line_value_errors(kwargs, match):
    x, y = regression_data(100)
    model = make_model()
    before = model.params.copy()
    with pytest.raises(ValueError, match=match):
        model.fit(x, y, verbose=0, **kwargs)
    np.testing.assert_array_equal(model.params, before)


def test_mismatched_or_non_finite_data_is_refused():
    model = make_model()
    with pytest.raises(ValueError, match="samples"):
        model.fit(np.zeros((10, 2)), np.zeros(9), verbose=0)
    with pytest.raises(ValueError, match="NaN"):
        model.fit(np.full((10, 2), np.nan), np.zeros(10), verbose=0)


def test_verbose_prints_keras_style_epoch_lines(capsys):
    x, y = regression_data(64)
    make_model().fit(x, y, batch_size=32, epochs=2, seed=0)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("Epoch 1/2 · 2/2 · loss: ")
    assert lines[1].startswith("Epoch 2/2 · 2/2 · loss: ")


def test_epoch_lines_stay_readable_for_huge_tiny_and_non_finite_values():
    from engine.training import format_logs

    line = format_logs({"loss": 8e300, "val_loss": float("nan"), "accuracy": 0.5, "tiny": 1e-5})
    assert line == "loss: 8.000e+300 · val_loss: nan · accuracy: 0.5000 · tiny: 1.000e-05"
