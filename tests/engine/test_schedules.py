"""Learning-rate schedules against Keras 3: its own tests' expected values, hand-computed values,
validation, config round trips, and an optimizer driven by a schedule.

"keras tests" below means keras/src/optimizers/schedules/learning_rate_schedule_test.py
(keras-team/keras); each test names the class and test it re-states.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine import Dense, Input, Sequential, optimizers
from engine.optimizers import schedules
from engine.optimizers.schedules import (CosineDecay, CosineDecayRestarts, ExponentialDecay, InverseTimeDecay,
                                         PiecewiseConstantDecay, PolynomialDecay)

KERAS_RTOL = 1e-6  # the tolerance Keras's own tests use (they run in float32); ours are float64


# -- keras tests: ExponentialDecayTest -----------------------------------------------------------

def test_exponential_continuous():  # ExponentialDecayTest.test_continuous
    assert ExponentialDecay(0.05, 10, 0.96)(5) == pytest.approx(0.05 * 0.96 ** (5.0 / 10.0), rel=1e-15)


def test_exponential_staircase():  # ExponentialDecayTest.test_staircase / test_variables
    lr = ExponentialDecay(0.1, 3, 0.96, staircase=True)
    assert lr(1) == 0.1 and lr(2) == 0.1
    assert lr(100) == pytest.approx(0.1 * 0.96 ** (100 // 3), rel=1e-15)


# -- keras tests: PiecewiseConstantDecayTest -----------------------------------------------------

def test_piecewise_values():  # PiecewiseConstantDecayTest.test_piecewise_values
    lr = PiecewiseConstantDecay([100, 110, 120], [1.0, 0.1, 0.01, 0.001])
    assert [lr(s) for s in (-999, 100, 105, 110, 120, 999)] == [1.0, 1.0, 0.1, 0.1, 0.01, 0.001]


def test_piecewise_boundary_values():  # PiecewiseConstantDecayTest.test_boundary_values
    lr = PiecewiseConstantDecay([1, 2, 3], [0.4, 0.5, 0.6, 0.7])
    assert [lr(s) for s in range(5)] == [0.4, 0.4, 0.5, 0.6, 0.7]


# -- keras tests: LinearDecayTest and SqrtDecayTest (PolynomialDecay) ----------------------------

@pytest.mark.parametrize("power", [1.0, 0.5])
def test_polynomial_keras_cases(power):  # LinearDecayTest / SqrtDecayTest: halfway, end, beyond, cycle
    lr, end = 0.05, 0.001
    assert PolynomialDecay(lr, 10, 0.0, power=power)(5) == pytest.approx(lr * 0.5 ** power, rel=1e-15)
    assert PolynomialDecay(lr, 10, end, power=power)(10) == pytest.approx(end, rel=1e-15)
    assert PolynomialDecay(lr, 10, end, power=power)(5) == pytest.approx((lr - end) * 0.5 ** power + end, rel=1e-15)
    assert PolynomialDecay(lr, 10, end, power=power)(15) == pytest.approx(end, rel=1e-15)
    assert PolynomialDecay(lr, 10, end, power=power, cycle=True)(15) == pytest.approx(
        (lr - end) * 0.25 ** power + end, rel=1e-15)


def test_polynomial_begin_with_cycle():  # SqrtDecayTest.test_begin_with_cycle
    assert PolynomialDecay(0.001, 10, cycle=True)(0) == pytest.approx(0.001, rel=1e-15)


# -- keras tests: InverseTimeDecayTest ---------------------------------------------------------

@pytest.mark.parametrize("staircase", [False, True])
def test_inverse_time(staircase):  # InverseTimeDecayTest.test_decay / test_staircase
    lr = InverseTimeDecay(0.1, 10, 0.96, staircase=staircase)
    for i in range(11):
        p = i // 10 if staircase else i / 10
        assert lr(i) == pytest.approx(0.1 / (1 + 0.96 * p), rel=1e-15)


# -- keras tests: CosineDecayTest ----------------------------------------------------------------

def np_cosine_decay(step, decay_steps, alpha=0.0):  # the test file's reference function
    step = min(step, decay_steps)
    decay = 0.5 * (1.0 + math.cos(math.pi * step / decay_steps))
    return (1.0 - alpha) * decay + alpha


def linear_warmup(step, warmup_steps, initial_lr, target_lr):  # the test file's (initial_lr is 0 there)
    return step / warmup_steps * (target_lr - initial_lr)


@pytest.mark.parametrize("alpha", [0.0, 0.1])
def test_cosine_decay(alpha):  # CosineDecayTest.test_decay / test_alpha / test_float64
    for step in range(0, 1500, 250):
        assert CosineDecay(1.0, 1000, alpha)(step) == pytest.approx(np_cosine_decay(step, 1000, alpha),
                                                                    rel=1e-15, abs=1e-16)


def test_cosine_warmup():  # CosineDecayTest.test_warmup
    for step in range(0, 1500, 250):
        got = CosineDecay(0.0, 10, warmup_target=10.0, warmup_steps=1500)(step)
        assert got == pytest.approx(linear_warmup(step, 1500, 0.0, 10.0), rel=1e-15)


def test_cosine_warmup_then_decay():  # CosineDecayTest.test_warmup_decay
    for step in range(0, 3000, 250):
        got = CosineDecay(0.0, 1000, warmup_target=10.0, warmup_steps=2000)(step)
        want = (linear_warmup(step, 2000, 0.0, 10.0) if step < 2001
                else 10.0 * np_cosine_decay(step - 2000, 1000))
        assert got == pytest.approx(want, rel=1e-15, abs=1e-15)


# -- keras tests: CosineDecayRestartsTest ----------------------------------------------------------

def np_cosine_decay_restarts(step, decay_steps, t_mul=2.0, m_mul=1.0, alpha=0.0):  # the test file's
    fac = 1.0
    while step >= decay_steps:
        step -= decay_steps
        decay_steps *= t_mul
        fac *= m_mul
    decay = fac * 0.5 * (1.0 + math.cos(math.pi * step / decay_steps))
    return (1.0 - alpha) * decay + alpha


@pytest.mark.parametrize("kwargs", [{}, {"alpha": 0.1}, {"m_mul": 0.9}, {"t_mul": 1.0}])
def test_cosine_restarts(kwargs):  # CosineDecayRestartsTest.test_decay / test_alpha / test_mmul / test_tmul
    for step in range(0, 1500, 250):
        got = CosineDecayRestarts(1.0, 1000, **kwargs)(step)
        assert got == pytest.approx(np_cosine_decay_restarts(step, 1000, **kwargs), rel=1e-12, abs=1e-15)


def test_cosine_restarts_longer_periods_by_hand():
    # t_mul=2: periods [0,10), [10,30), [30,70); m_mul=0.5 halves each restart's peak
    lr = CosineDecayRestarts(1.0, 10, t_mul=2.0, m_mul=0.5)
    assert lr(10) == pytest.approx(0.5, rel=1e-12)       # restart 1 at its peak 0.5
    assert lr(20) == pytest.approx(0.25, rel=1e-12)      # halfway through period 1: 0.5 · ½
    assert lr(30) == pytest.approx(0.25, rel=1e-12)      # restart 2 at its peak 0.25


# -- keras tests: every *Test.test_config: get_config / from_config round trips -------------------

@pytest.mark.parametrize("schedule", [
    ExponentialDecay(initial_learning_rate=0.05, decay_steps=10, decay_rate=0.96, staircase=True, name="my_ed"),
    PiecewiseConstantDecay(boundaries=[10, 20], values=[1, 2, 3], name="my_pcd"),
    PolynomialDecay(initial_learning_rate=0.1, decay_steps=100, end_learning_rate=0.005, power=1.0, cycle=False,
                    name="my_ld"),
    InverseTimeDecay(initial_learning_rate=0.05, decay_steps=10, decay_rate=0.96, staircase=True, name="my_itd"),
    CosineDecay(initial_learning_rate=0.05, decay_steps=10, alpha=0.1, warmup_target=0.2, warmup_steps=2,
                name="my_cd"),
    CosineDecayRestarts(initial_learning_rate=0.05, first_decay_steps=10, alpha=0.1, t_mul=3.0, m_mul=4.0,
                        name="my_cdr"),
])
def test_config_round_trip(schedule):
    config = schedule.get_config()
    rebuilt = type(schedule).from_config(config)
    assert rebuilt.get_config() == config
    assert [rebuilt(s) for s in range(0, 40, 3)] == [schedule(s) for s in range(0, 40, 3)]
    assert schedules.deserialize(schedules.serialize(schedule)) == schedule


def test_keras_config_keys_and_defaults():
    # keras/src/optimizers/schedules/learning_rate_schedule.py: constructor defaults and get_config keys
    assert PolynomialDecay(0.1, 5).get_config() == {
        "initial_learning_rate": 0.1, "decay_steps": 5, "end_learning_rate": 0.0001, "power": 1.0,
        "cycle": False, "name": "PolynomialDecay"}
    assert CosineDecay(0.1, 5).get_config() == {
        "initial_learning_rate": 0.1, "decay_steps": 5, "alpha": 0.0, "name": "CosineDecay",
        "warmup_target": None, "warmup_steps": 0}
    assert CosineDecayRestarts(0.1, 5).get_config() == {
        "initial_learning_rate": 0.1, "first_decay_steps": 5, "t_mul": 2.0, "m_mul": 1.0, "alpha": 0.0,
        "name": "SGDRDecay"}
    assert ExponentialDecay(0.1, 5, 0.5).get_config()["name"] == "ExponentialDecay"
    assert InverseTimeDecay(0.1, 5, 0.5).get_config()["name"] == "InverseTimeDecay"
    assert PiecewiseConstantDecay([1], [0.1, 0.2]).get_config()["name"] == "PiecewiseConstant"


# -- validation (Keras's checks, in Keras's words) ----------------------------------------------

@pytest.mark.parametrize("make, message", [
    (lambda: ExponentialDecay(0.1, 0, 0.9), "Argument `decay_steps` must be > 0. Received: decay_steps=0"),
    (lambda: InverseTimeDecay(0.1, -1, 0.9), "Argument `decay_steps` must be > 0. Received: decay_steps=-1"),
    (lambda: PolynomialDecay(0.1, 0), "Argument `decay_steps` must be > 0. Received: decay_steps=0"),
    (lambda: CosineDecay(0.1, 0), "Argument `decay_steps` must be > 0. Received: decay_steps=0"),
    (lambda: CosineDecayRestarts(0.1, 0),
     "Argument `first_decay_steps` must be > 0. Received: first_decay_steps=0"),
    (lambda: PiecewiseConstantDecay([1, 2], [0.1, 0.2]),
     "The length of boundaries should be 1 less than the length of values. Received: boundaries=[1, 2] "
     "of length 2, and values=[0.1, 0.2] of length 2."),
    (lambda: ExponentialDecay("a", 10, 0.9), "ExponentialDecay: initial_learning_rate must be a finite number, got 'a'"),
    (lambda: CosineDecay(0.1, 10, warmup_steps=-3), "CosineDecay: warmup_steps must be a finite number ≥ 0, got -3"),
    (lambda: PiecewiseConstantDecay(True, [0.1]), "PiecewiseConstant: boundaries must be a list of numbers, got True"),
])
def test_bad_arguments_raise_one_line(make, message):
    with pytest.raises(ValueError) as error:
        make()
    assert str(error.value) == message


def test_get_by_name_instance_dict_and_none():
    assert schedules.get(None) is None
    s = schedules.get("cosine_decay", initial_learning_rate=0.1, decay_steps=10, warmup_target=1.0, warmup_steps=2)
    assert isinstance(s, CosineDecay) and schedules.get(s) is s
    assert schedules.get("ExponentialDecay", initial_learning_rate=1.0, decay_steps=2, decay_rate=0.5)(2) == 0.5
    assert schedules.get(schedules.serialize(s)) == s
    with pytest.raises(ValueError, match="unknown learning rate schedule 'cosine'; did you mean 'cosine_decay'"):
        schedules.get("cosine")
    with pytest.raises(ValueError, match="CosineDecay: missing 1 required positional argument: 'decay_steps'"):
        schedules.get("cosine_decay", initial_learning_rate=0.1)
    for given, missing in [({"decay_rate": 0.5}, "2 required positional arguments: 'initial_learning_rate' and "
                                                 "'decay_steps'"),
                           ({}, "3 required positional arguments: 'initial_learning_rate', 'decay_steps', and "
                                "'decay_rate'")]:  # Python's own words, as Python would say them
        with pytest.raises(ValueError) as error:
            schedules.get("exponential_decay", **given)
        assert str(error.value) == f"ExponentialDecay: missing {missing}"
        with pytest.raises(TypeError, match=f"missing {missing}"):
            ExponentialDecay(**given)


# -- an optimizer driven by a schedule -----------------------------------------------------------

def test_optimizer_evaluates_the_schedule_at_iterations_before_the_update():
    # SGD θ ← θ - lr(t)·g with lr(t) = 0.5^t (ExponentialDecay(1, 1, 0.5)): steps use 1, 0.5, 0.25
    opt = optimizers.SGD(learning_rate=ExponentialDecay(1.0, 1, 0.5))
    theta = np.array([10.0])
    seen = []
    for _ in range(3):
        seen.append(opt.learning_rate)
        opt.apply([np.array([1.0])], [theta])
    assert seen == [1.0, 0.5, 0.25]
    assert theta[0] == 10.0 - 1.75
    assert opt.learning_rate == 0.125


def test_adamw_weight_decay_uses_the_scheduled_rate():
    # one AdamW step from θ=2, g=0, wd=0.5, lr(0)=0.1: decay θ ← θ - θ·wd·lr = 2 - 0.1 = 1.9; m=v=0 → no Adam move
    opt = optimizers.AdamW(learning_rate=PiecewiseConstantDecay([0], [0.1, 0.01]), weight_decay=0.5)
    theta = np.array([2.0])
    opt.apply([np.array([0.0])], [theta])
    assert theta[0] == pytest.approx(1.9, rel=1e-15)
    assert opt.learning_rate == 0.01  # step 1 > boundary 0


def test_optimizer_config_round_trips_a_schedule():
    opt = optimizers.get("adam", learning_rate=CosineDecay(0.01, 100, warmup_target=0.1, warmup_steps=10))
    config = opt.get_config()
    assert config["learning_rate"] == {"class_name": "CosineDecay", "config": {
        "initial_learning_rate": 0.01, "decay_steps": 100, "alpha": 0.0, "name": "CosineDecay",
        "warmup_target": 0.1, "warmup_steps": 10}}
    rebuilt = optimizers.get(config)
    assert rebuilt.schedule == opt.schedule and rebuilt.learning_rate == 0.01


def test_a_number_cannot_replace_a_schedule_as_in_keras():
    opt = optimizers.SGD(learning_rate=ExponentialDecay(0.1, 10, 0.9))
    with pytest.raises(TypeError, match="not settable"):
        opt.learning_rate = 0.5
    opt2 = optimizers.SGD(learning_rate=0.1)
    opt2.learning_rate = ExponentialDecay(0.1, 10, 0.9)  # the other way round Keras allows
    assert opt2.schedule is not None and optimizers.SGD().schedule is None


def test_fit_lr_correctness_from_keras():
    # keras tests: TestFitLRSchedulesFlow.test_fit_lr_correctness — Dense(2) from ones, Adam with
    # ExponentialDecay(0.05, 1, 0.9), mse, x = y = arange(32).reshape(16, 2), batch 4, no shuffle.
    # Keras's expected losses are float32 results, checked there to rtol 5e-5.
    model = Sequential([Input(shape=(2,)), Dense(2)])
    model.build()
    model.set_weights([np.ones((2, 2)), np.ones(2)])
    optimizer = optimizers.Adam(learning_rate=ExponentialDecay(initial_learning_rate=0.05, decay_steps=1,
                                                               decay_rate=0.9))
    model.compile(optimizer=optimizer, loss="mse")
    x = np.arange(32).reshape((16, 2))
    history = model.fit(x, x, epochs=3, batch_size=4, shuffle=False, verbose=0)
    assert optimizer.iterations == 4 * 3
    np.testing.assert_allclose(history.history["loss"], [230.79457092285156, 128.30319213867188,
                                                         79.33648681640625], rtol=5e-5)
