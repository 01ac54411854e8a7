"""Callbacks against Keras 3: EarlyStopping, ReduceLROnPlateau, LearningRateScheduler.

"keras tests" are keras/src/callbacks/{early_stopping,reduce_lr_on_plateau,learning_rate_scheduler}_test.py
(keras-team/keras); each test names the one it re-states. Where Keras's test uses a metric
the engine does not have (mse, hinge, f1_score as metrics), an engine metric of the same
direction stands in.
"""

from __future__ import annotations

import operator

import numpy as np
import pytest

from engine import Dense, Input, Sequential, optimizers
from engine.callbacks import Callback, EarlyStopping, LambdaCallback, LearningRateScheduler, ReduceLROnPlateau, replay
from engine.optimizers.schedules import PolynomialDecay


class DummyModel:
    """The stand-in model of Keras's test_early_stopping_final_weights_when_restoring_model_weights."""

    def __init__(self):
        self.stop_training = False
        self.weights = -1

    def get_weights(self):
        return self.weights

    def set_weights(self, weights):
        self.weights = weights


def drive(callback, values, key="loss", stop_at=None):
    """Feed ``values`` as successive epochs' ``logs[key]``; returns the epochs run."""
    callback.on_train_begin()
    epochs = 0
    for epoch, value in enumerate(values):
        epochs += 1
        if isinstance(callback.model, DummyModel):
            callback.model.weights = epoch
        callback.on_epoch_end(epoch, {key: value})
        if epoch == stop_at:
            callback.model.stop_training = True
        if callback.model.stop_training:
            break
    callback.on_train_end()
    return epochs


def regression(seed=0, n=10):
    rng = np.random.default_rng(seed)
    return rng.random((n, 5)), rng.random((n, 1)), rng.random((n, 5)), rng.random((n, 1))


def small_model(metrics=(), optimizer="adam", loss="mae"):
    model = Sequential([Input(shape=(5,)), Dense(1, activation="relu"), Dense(1, activation="relu")])
    model.compile(optimizer=optimizer, loss=loss, metrics=list(metrics))
    return model


# -- EarlyStopping -------------------------------------------------------------------------------

def test_early_stopping_modes():  # keras tests: EarlyStoppingTest.test_early_stopping
    x, y, vx, vy = regression()
    model = small_model(metrics=["mae", "acc", "accuracy"])
    cases = [("max", "val_mae", operator.gt), ("min", "val_loss", operator.lt), ("auto", "val_mae", operator.lt),
             ("auto", "loss", operator.lt), ("auto", "acc", operator.gt), ("auto", "val_accuracy", operator.gt)]
    for mode, monitor, expected in cases:
        stopper = EarlyStopping(patience=0, monitor=monitor, mode=mode)
        model.fit(x, y, batch_size=5, validation_data=(vx, vy), callbacks=[stopper], epochs=2, verbose=0, seed=1)
        assert stopper.monitor_op is expected, (mode, monitor)
    with pytest.raises(ValueError, match="monitor=unknown, but Keras isn't able to automatically determine"):
        model.fit(x, y, batch_size=5, validation_data=(vx, vy), callbacks=[EarlyStopping(monitor="unknown")],
                  epochs=2, verbose=0)


@pytest.mark.parametrize("patience", [0, 1, 2, 3])
def test_early_stopping_patience(patience):  # keras tests: EarlyStoppingTest.test_early_stopping_patience
    stopper = EarlyStopping(monitor="loss", patience=patience)
    stopper.set_model(DummyModel())
    drive(stopper, [10.0, 9.0, 8.0, 9.0, 8.9, 8.8, 8.7, 8.6, 8.5])
    assert stopper.stopped_epoch == max(patience, 1) + 2


def test_state_reset_across_fit_calls():  # keras tests: EarlyStoppingTest.test_state_reset_across_fit_calls
    stopper = EarlyStopping(monitor="loss", patience=3)
    stopper.set_model(DummyModel())
    stopper.best, stopper.wait, stopper.stopped_epoch, stopper.best_epoch = 0.1, 3, 5, 5
    stopper.best_weights = object()
    stopper.on_train_begin()
    assert (stopper.best, stopper.wait, stopper.stopped_epoch, stopper.best_epoch, stopper.best_weights) == \
        (None, 0, 0, 0, None)


def test_restores_best_weights_with_dummy_model():
    # keras tests: EarlyStoppingTest.test_early_stopping_final_weights_when_restoring_model_weights
    stopper = EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True)
    stopper.set_model(DummyModel())
    drive(stopper, [0.2, 0.15, 0.1, 0.11, 0.12], key="val_loss")
    assert stopper.model.get_weights() == 2
    # no epoch beats the baseline: 5 epochs run, the best (epoch 2) is restored
    stopper = EarlyStopping(monitor="val_loss", patience=5, baseline=0.5, restore_best_weights=True)
    stopper.set_model(DummyModel())
    assert drive(stopper, [0.9, 0.8, 0.7, 0.71, 0.72, 0.73], key="val_loss") == 5
    assert stopper.model.get_weights() == 2
    # another callback stops the run at epoch 3: still the best is restored
    stopper = EarlyStopping(monitor="val_loss", patience=5, baseline=0.5, restore_best_weights=True)
    stopper.set_model(DummyModel())
    assert drive(stopper, [0.9, 0.8, 0.7, 0.71, 0.72, 0.73], key="val_loss", stop_at=3) == 4
    assert stopper.model.get_weights() == 2


def test_min_delta_by_hand():
    # min mode, min_delta 0.5: an improvement needs current + 0.5 < best. 10 → 9.6 is not one.
    stopper = EarlyStopping(monitor="loss", patience=1, min_delta=-0.5)  # Keras takes |min_delta|
    stopper.set_model(DummyModel())
    drive(stopper, [10.0, 9.6, 9.0, 8.0])
    assert stopper.stopped_epoch == 1 and stopper.best == 10.0


def test_start_from_epoch_by_hand():
    # epochs 0, 1 are ignored; patience 1 from epoch 2 on: 5 (best), 6 → stop at epoch 3
    stopper = EarlyStopping(monitor="loss", patience=1, start_from_epoch=2)
    stopper.set_model(DummyModel())
    drive(stopper, [9.0, 1.0, 5.0, 6.0, 7.0])
    assert stopper.stopped_epoch == 3 and stopper.best == 5.0 and stopper.best_epoch == 2


@pytest.mark.parametrize("start_from_epoch, patience", [(2, 3), (2, 0)])
def test_start_from_epoch_in_fit(start_from_epoch, patience):
    # keras tests: EarlyStoppingTest.test_early_stopping_with_start_from_epoch (and _reuse, _with_baseline)
    x, y, _, _ = regression()
    model = small_model(metrics=["mae"], optimizer="sgd")
    stopper = EarlyStopping(monitor="mae", patience=patience, start_from_epoch=start_from_epoch, baseline=0.6)
    for _ in range(2):  # reused across fit calls
        history = model.fit(x, y, callbacks=[stopper], verbose=0, epochs=20)
        assert len(history.epoch) >= patience + start_from_epoch


def test_early_stopping_in_fit_restores_the_best_epochs_weights():
    # The test: train with validation, stop early, and the model holds exactly the weights
    # it had at the end of the best epoch (recorded by a second callback, independently).
    rng = np.random.default_rng(3)
    x = rng.normal(size=(64, 2))
    y = (x[:, :1] * x[:, 1:] > 0).astype(float)
    model = Sequential([Input(shape=(2,)), Dense(16, activation="relu"), Dense(1, activation="sigmoid")])
    model.compile(optimizer=optimizers.Adam(learning_rate=0.3), loss="binary_crossentropy")
    snapshots = {}
    recorder = LambdaCallback(on_epoch_end=lambda epoch, logs: snapshots.__setitem__(epoch, model.get_weights()))
    stopper = EarlyStopping(monitor="val_loss", patience=3, restore_best_weights=True)
    history = model.fit(x, y, batch_size=8, epochs=200, validation_split=0.25, callbacks=[recorder, stopper],
                        verbose=0, seed=0)
    val = history.history["val_loss"]
    best = int(np.argmin(val))
    assert stopper.stopped_epoch == len(val) - 1 < 199           # it did stop early
    assert stopper.best_epoch == best and len(val) - 1 - best == 3  # patience epochs after the best
    for got, want in zip(model.get_weights(), snapshots[best]):
        np.testing.assert_array_equal(got, want)
    assert not all(np.array_equal(a, b) for a, b in zip(snapshots[len(val) - 1], snapshots[best]))


def test_missing_monitor_warns_and_never_stops():
    stopper = EarlyStopping(monitor="val_loss", mode="min")
    stopper.set_model(DummyModel())
    with pytest.warns(UserWarning, match="Early stopping conditioned on metric `val_loss` which is not available"):
        assert drive(stopper, [3.0, 4.0, 5.0]) == 3


@pytest.mark.parametrize("make, message", [
    (lambda: EarlyStopping(patience=-1), "EarlyStopping: patience must be a whole number ≥ 0, got -1"),
    (lambda: EarlyStopping(start_from_epoch=1.5), "EarlyStopping: start_from_epoch must be a whole number ≥ 0"),
    (lambda: EarlyStopping(min_delta="a"), "EarlyStopping: min_delta must be a finite number, got 'a'"),
    (lambda: ReduceLROnPlateau(factor=1.0), "ReduceLROnPlateau does not support a factor >= 1.0. Received factor=1.0"),
    (lambda: ReduceLROnPlateau(cooldown=-2), "ReduceLROnPlateau: cooldown must be a whole number ≥ 0, got -2"),
    (lambda: LearningRateScheduler(0.1), "LearningRateScheduler needs a function"),
])
def test_bad_arguments(make, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        make()


def test_unknown_mode_warns_and_falls_back_to_auto():  # Keras's MonitorCallback
    with pytest.warns(UserWarning, match="EarlyStopping mode 'up' is unknown, fallback to auto mode."):
        assert EarlyStopping(mode="up").mode == "auto"


# -- ReduceLROnPlateau ---------------------------------------------------------------------------

def plateau_setup(optimizer=None):
    # keras tests: ReduceLROnPlateauTest.setUp — Dense(5), Dense(2), mse, Adam(0.1), 10 + 10 samples
    rng = np.random.default_rng(0)
    x, vx = rng.random((10, 3)), rng.random((10, 3))
    y, vy = np.eye(2)[rng.integers(0, 2, 10)], np.eye(2)[rng.integers(0, 2, 10)]
    model = Sequential([Input(shape=(3,)), Dense(5), Dense(2)])
    model.compile(loss="mse", optimizer=optimizer or optimizers.Adam(0.1))
    return model, x, y, (vx, vy)


@pytest.mark.parametrize("kwargs, epochs, lr", [
    ({}, 2, 0.1 * 0.1),                                 # test_reduces_lr_with_model_fit
    ({"min_delta": 10, "min_lr": 0.005}, 4, 0.005),     # test_honors_min_lr
    ({"cooldown": 2}, 4, 0.1 * 0.1 * 0.1),              # test_cooldown: reduced twice in 4 epochs
])
def test_reduce_lr_on_plateau_in_fit(kwargs, epochs, lr):  # keras tests: ReduceLROnPlateauTest
    model, x, y, val = plateau_setup()
    reduce_lr = ReduceLROnPlateau(**{"patience": 1, "factor": 0.1, "monitor": "val_loss", "min_delta": 100, **kwargs})
    history = model.fit(x, y, validation_data=val, callbacks=[reduce_lr], epochs=epochs, verbose=0)
    assert model.optimizer.learning_rate == pytest.approx(lr, rel=1e-15)
    assert len(history.history["learning_rate"]) == epochs  # Keras logs the rate before reducing it
    assert history.history["learning_rate"][0] == 0.1


def test_reduce_lr_history_by_hand():
    # patience 1, min_delta 100 (nothing improves after epoch 0): reduce at every epoch ≥ 1;
    # the logged rate is the one the epoch trained with: 0.1, 0.1, 0.01, 0.001
    model, x, y, val = plateau_setup()
    reduce_lr = ReduceLROnPlateau(patience=1, factor=0.1, min_delta=100)
    history = model.fit(x, y, validation_data=val, callbacks=[reduce_lr], epochs=4, verbose=0)
    assert history.history["learning_rate"] == pytest.approx([0.1, 0.1, 0.01, 0.001], rel=1e-15)
    assert list(history.history)[-1] == "learning_rate"  # added after the epoch's own logs, as in Keras


def test_reduce_lr_throws_when_optimizer_has_schedule():  # keras tests: test_throws_when_optimizer_has_schedule
    model, x, y, val = plateau_setup(optimizers.Adam(PolynomialDecay(initial_learning_rate=0.1, decay_steps=10)))
    reduce_lr = ReduceLROnPlateau(patience=1, factor=0.1, monitor="val_loss", min_delta=100)
    with pytest.raises(TypeError, match="This optimizer was created with a `LearningRateSchedule`"):
        model.fit(x, y, validation_data=val, callbacks=[reduce_lr], epochs=2, verbose=0)


def test_reduce_lr_state_reset_across_fit_calls():  # keras tests: test_state_reset_across_fit_calls
    reduce_lr = ReduceLROnPlateau(patience=1, factor=0.1, monitor="loss", min_delta=0, cooldown=2)
    reduce_lr.best, reduce_lr.wait, reduce_lr.cooldown_counter = 0.5, 3, 2
    reduce_lr.on_train_begin()
    assert (reduce_lr.best, reduce_lr.wait, reduce_lr.cooldown_counter) == (None, 0, 0)


# -- LearningRateScheduler -----------------------------------------------------------------------

def scheduler_setup(optimizer="sgd"):
    # keras tests: LearningRateSchedulerTest.setUp — Dense(5), Dense(2), mse, sgd, 10 samples
    rng = np.random.default_rng(1)
    model = Sequential([Input(shape=(3,)), Dense(5), Dense(2)])
    model.compile(loss="mse", optimizer=optimizer)
    return model, rng.random((10, 3)), np.eye(2)[rng.integers(0, 2, 10)]


def test_scheduler_updates_learning_rate():  # keras tests: test_updates_learning_rate (one-argument form)
    model, x, y = scheduler_setup()
    model.fit(x, y, callbacks=[LearningRateScheduler(lambda step: 1.0 / (2.0 + step))], epochs=1, verbose=0)
    assert model.optimizer.learning_rate == 0.5


def test_scheduler_dependent_on_previous_learning_rate():  # keras tests: same name
    model, x, y = scheduler_setup(optimizers.Adam(0.03))
    model.fit(x, y, callbacks=[LearningRateScheduler(lambda step, lr: lr / 2)], epochs=2, verbose=0)
    assert model.optimizer.learning_rate == 0.03 / 4.0


def test_scheduler_throws_when_optimizer_has_schedule():  # keras tests: same name
    model, x, y = scheduler_setup(optimizers.Adam(PolynomialDecay(initial_learning_rate=0.1, decay_steps=10)))
    with pytest.raises(TypeError, match="This optimizer was created with a `LearningRateSchedule`"):
        model.fit(x, y, callbacks=[LearningRateScheduler(lambda step, lr: lr / 2)], epochs=2, verbose=0)


def test_learning_rate_in_history():  # keras tests: test_learning_rate_in_history
    model, x, y = scheduler_setup()
    history = model.fit(x, y, callbacks=[LearningRateScheduler(lambda step, lr: 0.5)], epochs=1, verbose=0)
    assert type(history.history["learning_rate"][0]) is float and history.history["learning_rate"][0] == 0.5


def test_scheduler_refuses_a_non_float_as_keras_does():
    model, x, y = scheduler_setup()
    with pytest.raises(ValueError, match="The output of the `schedule` function should be a float. Got: 1"):
        model.fit(x, y, callbacks=[LearningRateScheduler(lambda epoch: 1)], epochs=1, verbose=0)


def test_no_learning_rate_in_history_without_those_callbacks():
    # Keras logs learning_rate only through ReduceLROnPlateau and LearningRateScheduler
    model, x, y = scheduler_setup()
    history = model.fit(x, y, callbacks=[EarlyStopping(monitor="loss")], epochs=2, verbose=0)
    assert "learning_rate" not in history.history


def test_callback_hooks_take_keras_signatures():
    seen = []

    class Recorder(Callback):
        def on_train_begin(self, logs=None):
            seen.append("begin")

        def on_epoch_begin(self, epoch, logs=None):
            seen.append(("epoch", epoch))

        def on_train_end(self, logs=None):
            seen.append(("end", sorted(logs)))

    model, x, y = scheduler_setup()
    model.fit(x, y, callbacks=[Recorder()], epochs=2, verbose=0, batch_size=10)
    assert seen == ["begin", ("epoch", 0), ("epoch", 1), ("end", ["loss"])]


def test_replay_says_where_early_stopping_would_stop():
    # patience 2 on val_loss 0.5, 0.4, 0.45, 0.46, 0.3: best epoch 1, stop at epoch 3 (two without improvement)
    history = {"loss": [1.0, 0.9, 0.8, 0.7, 0.6], "val_loss": [0.5, 0.4, 0.45, 0.46, 0.3]}
    assert replay(history, "val_loss", 2) == (3, 1)
    assert replay(history, "val_loss", 3) == (None, 4)  # never stops; best so far epoch 4
    assert replay({"loss": []}, "val_loss", 1) == (None, None)


def test_trainer_stop_ends_a_stepped_run_as_fit_does():
    from engine import Trainer
    model, x, y = scheduler_setup()
    trainer = Trainer(model, x, y, epochs=5, batch_size=5, seed=0)
    trainer.run_epoch()
    trainer.stop()
    assert trainer.status == "finished" and trainer.step() is None and trainer.epoch == 1
