"""Diagnostics: effective step sizes by hand for every optimizer, tied to the real update; norms,
ratios and spreads; Adagrad's shrinking rate against RMSprop's; the per-epoch recorder."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine import ExperimentConfig, LambdaCallback, build_experiment
from engine.diagnostics import diagnose, diagnose_model, layer_sizes, spread
from engine.diagnostics_recorder import DiagnosticsRecorder
from engine.optimizers import SGD, Adadelta, Adagrad, Adam, AdamW, Nadam, RMSprop

EPS = 1e-7
GRADS = [(0.5, -1.0), (-1.0, 0.25), (2.0, 0.0)]
"""Three gradients of a two-parameter θ = (1, 2)."""


def applied(opt, grads=GRADS, theta=(1.0, 2.0)) -> np.ndarray:
    theta = np.array(theta)
    for g in grads:
        opt.apply([np.array(g)], [theta])
    return theta


def effective(opt) -> list[float]:
    return opt.effective_learning_rate()[0].tolist()


# -- effective step sizes, by hand (per parameter, Keras's formulas in plain floats) -----------

def test_sgd_and_momentum_step_size_is_the_learning_rate():
    for opt in (SGD(learning_rate=0.05), SGD(learning_rate=0.05, momentum=0.9),
                SGD(learning_rate=0.05, momentum=0.9, nesterov=True)):
        applied(opt)
        assert effective(opt) == [0.05, 0.05]


def test_momentum_velocity_by_hand():
    opt = SGD(learning_rate=0.1, momentum=0.5)
    applied(opt)
    # m ← 0.5 m - 0.1 g:  first parameter 0 → -0.05 → 0.075 → -0.1625; second 0.1 → 0.025 → 0.0125
    assert opt.velocity()[0].tolist() == pytest.approx([-0.1625, 0.0125], rel=1e-12)
    assert SGD(momentum=0.0).velocity() is None


def test_adagrad_by_hand():
    opt = Adagrad(learning_rate=0.1)
    applied(opt)
    # a = 0.1 + Σ g²:  0.1 + 0.25 + 1 + 4 = 5.35;  0.1 + 1 + 0.0625 + 0 = 1.1625
    assert effective(opt) == pytest.approx([0.1 / math.sqrt(5.35 + EPS), 0.1 / math.sqrt(1.1625 + EPS)], rel=1e-12)


def rms(rho, grads, center=False):
    v = mean = 0.0
    for g in grads:
        v = rho * v + (1 - rho) * g * g
        mean = rho * mean + (1 - rho) * g
    return v - mean * mean if center else v


@pytest.mark.parametrize("centered", [False, True])
def test_rmsprop_by_hand(centered):
    opt = RMSprop(learning_rate=0.01, rho=0.9, centered=centered)
    applied(opt)
    expected = [0.01 / math.sqrt(rms(0.9, [g[i] for g in GRADS], centered) + EPS) for i in range(2)]
    assert effective(opt) == pytest.approx(expected, rel=1e-12)


def test_rmsprop_first_parameter_worked_out():
    # v = 0.9·(0.9·0.025 + 0.1) + 0.4 = 0.51025;  lr / √(v + ε) = 0.01 / 0.714318 = 0.0139994
    opt = RMSprop(learning_rate=0.01)
    applied(opt)
    assert effective(opt)[0] == pytest.approx(0.01 / math.sqrt(0.51025 + EPS), rel=1e-12)
    assert effective(opt)[0] == pytest.approx(0.0139994, rel=1e-5)


def test_adadelta_by_hand():
    opt = Adadelta(learning_rate=1.0, rho=0.95)
    applied(opt)
    expected = []
    for i in range(2):
        a = d = 0.0
        for g in (g[i] for g in GRADS):
            a = 0.95 * a + 0.05 * g * g
            delta = math.sqrt(d + EPS) * g / math.sqrt(a + EPS)
            d = 0.95 * d + 0.05 * delta * delta
        expected.append(math.sqrt(d + EPS) / math.sqrt(a + EPS))
    assert effective(opt) == pytest.approx(expected, rel=1e-12)


def adam_v(grads, beta_2=0.999, amsgrad=False):
    v = peak = 0.0
    for g in grads:
        v = v + (g * g - v) * (1 - beta_2)
        peak = max(peak, v)
    return peak if amsgrad else v


@pytest.mark.parametrize("cls", [Adam, AdamW])
@pytest.mark.parametrize("amsgrad", [False, True])
def test_adam_by_hand(cls, amsgrad):
    opt = cls(learning_rate=0.01, amsgrad=amsgrad)
    applied(opt)
    scale = 0.01 * math.sqrt(1 - 0.999 ** 3)
    expected = [scale / (math.sqrt(adam_v([g[i] for g in GRADS], amsgrad=amsgrad)) + EPS) for i in range(2)]
    assert effective(opt) == pytest.approx(expected, rel=1e-12)


def test_adam_bias_corrections_are_exact():
    opt = Adam(beta_1=0.8, beta_2=0.99)
    applied(opt)
    assert opt.bias_corrections() == (1 - 0.8 ** 3.0, 1 - 0.99 ** 3.0)  # bit for bit
    assert opt.bias_corrections() == pytest.approx((0.488, 0.029701), rel=1e-12)
    assert diagnose(opt, np.zeros(2), np.zeros(2), [("d", 2)]).bias_corrections == opt.bias_corrections()


def test_nadam_by_hand():
    opt = Nadam(learning_rate=0.01)
    applied(opt)
    correction = 1 - 0.999 ** 3
    expected = [0.01 / (math.sqrt(adam_v([g[i] for g in GRADS]) / correction) + EPS) for i in range(2)]
    assert effective(opt) == pytest.approx(expected, rel=1e-12)
    product = 1.0
    for t in (1, 2, 3):
        product *= 0.9 * (1 - 0.5 * 0.96 ** t)
    assert opt.bias_corrections() == pytest.approx((1 - product, correction), rel=1e-12)


def test_no_step_size_before_the_first_update():
    assert Adam().effective_learning_rate() is None and Nadam().bias_corrections() is None
    assert SGD().effective_learning_rate() is None and Adagrad().velocity() is None


# -- the step size is what the update really applied ---------------------------------------------

@pytest.mark.parametrize("opt", [SGD(learning_rate=0.1), Adagrad(learning_rate=0.1),
                                 RMSprop(learning_rate=0.01), RMSprop(learning_rate=0.01, centered=True)],
                         ids=["sgd", "adagrad", "rmsprop", "rmsprop-centered"])
def test_last_update_is_step_size_times_gradient(opt):
    theta = applied(opt, GRADS[:2])
    before = theta.copy()
    opt.apply([np.array(GRADS[2])], [theta])
    assert (before - theta).tolist() == pytest.approx((np.array(effective(opt)) * GRADS[2]).tolist(), rel=1e-12)


def test_adam_last_update_is_step_size_times_corrected_momentum():
    opt = Adam(learning_rate=0.01)
    theta = applied(opt, GRADS[:2])
    before = theta.copy()
    opt.apply([np.array(GRADS[2])], [theta])
    m_hat = opt.velocity()[0] / opt.bias_corrections()[0]
    assert (before - theta).tolist() == pytest.approx((np.array(effective(opt)) * m_hat).tolist(), rel=1e-12)


# -- norms, ratios, spreads -----------------------------------------------------------------------

@pytest.mark.parametrize("n", [1, 2, 7, 8, 337])
def test_spread_is_numpys_min_median_max(n):
    values = np.random.default_rng(n).normal(size=n)
    s = spread(values)
    assert (s.min, s.median, s.max) == (values.min(), np.median(values), values.max())


def test_diagnose_a_model_by_layer_and_whole():
    experiment = build_experiment(ExperimentConfig(epochs=1))
    model = experiment.model
    trainer = experiment.trainer()
    trainer.step()
    before = model.params.copy()
    trainer.step()
    d = diagnose_model(model, before)
    assert layer_sizes(model) == [("dense_1", 48), ("dense_2", 272), ("dense_3", 17)]
    assert d.step == 2 and d.learning_rate == 0.001
    assert d.grad_norm == pytest.approx(np.linalg.norm(model.grads), rel=1e-12)
    assert d.weight_norm == pytest.approx(np.linalg.norm(model.params), rel=1e-12)
    assert d.update_ratio == pytest.approx(np.linalg.norm(model.params - before) / np.linalg.norm(before), rel=1e-12)
    assert math.hypot(*(layer.grad_norm for layer in d.layers)) == pytest.approx(d.grad_norm, rel=1e-12)
    kernel, bias = model.layers[1].kernel, model.layers[1].bias
    assert d.layers[1].weight_norm == pytest.approx(math.hypot(np.linalg.norm(kernel), np.linalg.norm(bias)))
    effective_lr = model.optimizer.effective_learning_rate()[0]
    assert d.effective_lr.median == np.median(effective_lr)
    assert d.layers[2].effective_lr.max == effective_lr[320:].max()
    assert d.velocity_norm == pytest.approx(np.linalg.norm(model.optimizer.momentums[0]), rel=1e-12)
    light = diagnose(model.optimizer, model.params, model.grads, layer_sizes(model), before, per_layer=False)
    assert light.layers == () and (light.grad_norm, light.update_ratio) == pytest.approx((d.grad_norm, d.update_ratio))
    assert light.to_dict()["effective_lr"] == {"min": d.effective_lr.min, "median": d.effective_lr.median,
                                               "max": d.effective_lr.max}


def test_update_ratio_of_a_zero_model():
    opt = SGD()
    applied(opt, [(0.0, 0.0)], theta=(0.0, 0.0))
    d = diagnose(opt, np.zeros(2), np.zeros(2), [("d", 2)], previous=np.zeros(2))
    assert d.update_ratio == 0.0 and d.grad_norm == 0.0


# -- over epochs: Adagrad's rates shrink, RMSprop's do not -----------------------------------------

def epoch_medians(optimizer: str, epochs: int = 8) -> list[float]:
    experiment = build_experiment(ExperimentConfig(optimizer=optimizer, epochs=epochs))
    trainer = experiment.trainer()
    recorder = DiagnosticsRecorder(experiment.model, trainer.x, trainer.y, iterations_per_epoch=trainer.iterations_per_epoch)
    trainer.fit(verbose=0, callbacks=[recorder])
    assert [e.epoch for e in recorder.entries] == list(range(1, epochs + 1))
    return [e.effective_lr.median for e in recorder.entries]


def test_adagrad_median_step_size_strictly_decreases_rmsprop_does_not():
    adagrad = epoch_medians("adagrad")
    assert all(b < a for a, b in zip(adagrad, adagrad[1:])), adagrad
    rmsprop = epoch_medians("rmsprop")
    assert any(b >= a for a, b in zip(rmsprop, rmsprop[1:])), rmsprop


def test_recorder_entries_per_epoch_the_last_detailed():
    experiment = build_experiment(ExperimentConfig(epochs=3, batch_size="full"))
    trainer = experiment.trainer()
    recorder = DiagnosticsRecorder(experiment.model, trainer.x, trainer.y, iterations_per_epoch=trainer.iterations_per_epoch)
    trainer.fit(verbose=0, callbacks=[recorder])
    entries = recorder.entries
    assert [e.step for e in entries] == [1, 2, 3]
    assert [len(e.layers) for e in entries] == [0, 0, 3]
    assert all(e.update_ratio > 0 for e in entries)
    assert entries[-1].saturation is not None and not entries[-1].saturated
    data = entries[-1].to_dict()
    assert {"epoch", "step", "learning_rate", "grad_norm", "update_ratio", "effective_lr", "layers",
            "saturated"} <= set(data)
    assert set(data["layers"][0]) >= {"name", "grad_norm", "weight_norm", "update_ratio", "effective_lr"}


@pytest.mark.parametrize("optimizer", ["adam", "momentum", "adagrad"])
def test_recorded_blocks_equal_diagnose_at_each_epoch_end(optimizer, monkeypatch):
    import engine.diagnostics_recorder

    monkeypatch.setattr(engine.diagnostics_recorder, "BLOCK_VALUES", 337 * 3)  # blocks of 3 epochs: 8 = 3 + 3 + 2
    experiment = build_experiment(ExperimentConfig(optimizer=optimizer, epochs=8, samples=400))
    trainer = experiment.trainer()
    model = experiment.model
    recorder = DiagnosticsRecorder(model, trainer.x, trainer.y, iterations_per_epoch=trainer.iterations_per_epoch)
    direct = []
    checker = LambdaCallback(on_epoch_end=lambda epoch, logs: direct.append(
        diagnose(model.optimizer, model.params, model.grads, layer_sizes(model), recorder.before, per_layer=False)))
    trainer.fit(verbose=0, callbacks=[recorder, checker])
    recorded = recorder.entries
    assert len(recorded) == len(direct) == 8
    for r, d in zip(recorded[:-1], direct):
        assert r.effective_lr == d.effective_lr and r.learning_rate == d.learning_rate
        assert (r.grad_norm, r.weight_norm, r.update_ratio) == pytest.approx((d.grad_norm, d.weight_norm, d.update_ratio),
                                                                             rel=1e-12)
        assert r.velocity_norm == (None if d.velocity_norm is None else pytest.approx(d.velocity_norm, rel=1e-12))
        assert r.bias_corrections == d.bias_corrections and r.step == d.step
    assert recorded[-1].effective_lr == direct[-1].effective_lr and len(recorded[-1].layers) == 3


@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
def test_with_one_update_an_epoch_each_entry_is_that_update(optimizer, monkeypatch):
    import engine.diagnostics_recorder

    monkeypatch.setattr(engine.diagnostics_recorder, "BLOCK_VALUES", 337 * 3)  # θ₋ chained across blocks
    experiment = build_experiment(ExperimentConfig(optimizer=optimizer, epochs=7, samples=200, batch_size="full"))
    trainer = experiment.trainer()
    model = experiment.model
    recorder = DiagnosticsRecorder(model, trainer.x, trainer.y, iterations_per_epoch=1)
    before, direct = [], []
    checker = LambdaCallback(
        on_epoch_begin=lambda epoch, logs=None: before.append(model.params.copy()),
        on_epoch_end=lambda epoch, logs: direct.append(
            diagnose(model.optimizer, model.params, model.grads, layer_sizes(model), before[-1], per_layer=False)))
    trainer.fit(verbose=0, callbacks=[recorder, checker])
    recorded = recorder.entries
    assert [r.epoch for r in recorded] == list(range(1, 8)) and len(direct) == 7
    for r, d in zip(recorded, direct):
        assert r.update_ratio > 0 and r.effective_lr == d.effective_lr and r.step == d.step
        assert (r.grad_norm, r.weight_norm, r.update_ratio) == pytest.approx((d.grad_norm, d.weight_norm, d.update_ratio),
                                                                             rel=1e-12)
