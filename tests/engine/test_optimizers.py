"""Optimizers against Keras 3: hand-computed steps, golden tables, config, state and clipping."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from engine import optimizers
from engine.optimizers import SGD, Adadelta, Adagrad, Adam, AdamW, Nadam, Optimizer, RMSprop

# Keras 3's constructor defaults (keras/src/optimizers/*.py), typed in by hand.
KERAS_DEFAULTS = {
    "sgd": {"learning_rate": 0.01, "momentum": 0.0, "nesterov": False},
    "adagrad": {"learning_rate": 0.001, "initial_accumulator_value": 0.1, "epsilon": 1e-7},
    "rmsprop": {"learning_rate": 0.001, "rho": 0.9, "momentum": 0.0, "epsilon": 1e-7, "centered": False},
    "adadelta": {"learning_rate": 0.001, "rho": 0.95, "epsilon": 1e-7},
    "adam": {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7, "amsgrad": False},
    "adamw": {"learning_rate": 0.001, "weight_decay": 0.004, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7,
              "amsgrad": False},
    "nadam": {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7},
}
PRESET_DEFAULTS = {
    "momentum": {"learning_rate": 0.01, "momentum": 0.9, "nesterov": False},
    "nesterov": {"learning_rate": 0.01, "momentum": 0.9, "nesterov": True},
}
CLASSES = {"sgd": SGD, "adagrad": Adagrad, "rmsprop": RMSprop, "adadelta": Adadelta, "adam": Adam,
           "adamw": AdamW, "nadam": Nadam}


def step(opt: Optimizer, theta, g) -> np.ndarray:
    """One ``apply`` on a fresh float64 copy of ``theta``; returns it."""
    theta = np.array(theta, dtype=np.float64)
    opt.apply([np.array(g, dtype=np.float64)], [theta])
    return theta


# -- (1) one step by hand ------------------------------------------------------------------

def test_sgd_single_step_by_hand():
    # θ=1, g=0.5, lr=0.01:  θ ← 1 - 0.5·0.01 = 0.995
    assert step(SGD(), [1.0], [0.5])[0] == pytest.approx(0.995, rel=1e-12)


def test_sgd_momentum_two_steps_by_hand():
    opt, theta = SGD(momentum=0.9), np.array([1.0])
    opt.apply([np.array([0.5])], [theta])
    # m = 0·0.9 - 0.5·0.01 = -0.005;  θ = 1 - 0.005 = 0.995
    assert theta[0] == pytest.approx(0.995, rel=1e-12)
    opt.apply([np.array([0.5])], [theta])
    # m = -0.005·0.9 - 0.005 = -0.0095;  θ = 0.995 - 0.0095 = 0.9855
    assert opt.momentums[0][0] == pytest.approx(-0.0095, rel=1e-12)
    assert theta[0] == pytest.approx(0.9855, rel=1e-12)


def test_sgd_nesterov_single_step_by_hand():
    # m = -0.005;  θ ← 1 + (-0.005·0.9 - 0.005) = 1 - 0.0095 = 0.9905
    assert step(SGD(momentum=0.9, nesterov=True), [1.0], [0.5])[0] == pytest.approx(0.9905, rel=1e-12)


def test_adagrad_single_step_by_hand():
    # a = 0.1 + 0.5² = 0.35;  √(0.35 + 1e-7) = 0.5916080628
    # θ = 1 - 0.001·0.5 / 0.5916080628 = 1 - 0.000845154134 = 0.999154845866
    assert step(Adagrad(), [1.0], [0.5])[0] == pytest.approx(0.999154845866, rel=1e-11)


def test_rmsprop_single_step_by_hand():
    # v = 0.9·0 + 0.1·0.25 = 0.025;  √(0.025 + 1e-7) = 0.158114199236
    # θ = 1 - 0.001·0.5 / 0.158114199236 = 1 - 0.003162271336 = 0.996837728664
    assert step(RMSprop(), [1.0], [0.5])[0] == pytest.approx(0.996837728664, rel=1e-11)


def test_rmsprop_matches_keras_docstring_example():
    # Keras's RMSprop docstring: lr=0.1, var=10, loss=var²/2 so g=10 → 9.683772 (float32).
    # v = 0.1·100 = 10;  θ = 10 - 0.1·10/√(10 + 1e-7) = 10 - 0.316227764 = 9.683772236
    assert step(RMSprop(learning_rate=0.1), [10.0], [10.0])[0] == pytest.approx(9.683772236, rel=1e-10)


def test_adadelta_single_step_by_hand():
    # a = 0.05·0.25 = 0.0125;  rms(d) = √(0 + 1e-7) = 3.16227766e-4;  rms(a) = √0.0125001 = 0.111803846
    # Δ = -(3.16227766e-4·0.5)/0.111803846 = -0.00141420791
    # θ = 1 + 0.001·Δ = 0.99999858579209;  d = 0.05·Δ² = 9.99992e-8
    opt = Adadelta()
    assert step(opt, [1.0], [0.5])[0] == pytest.approx(0.99999858579209, rel=1e-12)
    assert opt.accumulated_deltas[0][0] == pytest.approx(9.99992e-8, rel=1e-9)


def test_adam_single_step_by_hand():
    # m = 0 + (0.5 - 0)·0.1 = 0.05;  v = 0 + (0.25 - 0)·0.001 = 0.00025
    # α = 0.001·√(1 - 0.999)/(1 - 0.9) = 0.001·0.0316227766/0.1 = 3.16227766e-4
    # θ = 1 - α·0.05/(√0.00025 + 1e-7) = 1 - 1.58113883e-5/0.0158114883 = 1 - 0.000999993675
    opt = Adam()
    theta = step(opt, [1.0], [0.5])
    assert opt.momentums[0][0] == pytest.approx(0.05, rel=1e-12)
    assert opt.velocities[0][0] == pytest.approx(0.00025, rel=1e-12)
    assert theta[0] == pytest.approx(0.999000006325, rel=1e-11)
    # The paper's form (ε added to the bias-corrected √v̂) would give exactly 0.999 - 1e-7-ish:
    paper = 1 - 0.001 * 0.5 / (math.sqrt(0.25) + 1e-7)
    assert abs(theta[0] - paper) > 1e-10


def test_adamw_single_step_by_hand():
    # decay first: θ = 1 - 1·0.004·0.001 = 0.999996; then Adam's step (above): - 0.000999993675
    assert step(AdamW(), [1.0], [0.5])[0] == pytest.approx(0.998996006325, rel=1e-11)


def test_nadam_single_step_by_hand():
    # u₁ = 0.9·(1 - 0.5·0.96) = 0.468;  u₂ = 0.9·(1 - 0.5·0.9216) = 0.48528
    # P = u₁ = 0.468 (advanced *before* the step);  P·u₂ = 0.22711104
    # m = 0.05;  v = 0.00025
    # m̂ = 0.48528·0.05/(1 - 0.22711104) + (1 - 0.468)·0.5/(1 - 0.468) = 0.0313939017 + 0.5
    # v̂ = 0.00025/(1 - 0.999) = 0.25
    # θ = 1 - 0.5313939017·0.001/(0.5 + 1e-7) = 1 - 0.00106278759 = 0.99893721241
    opt = Nadam()
    assert step(opt, [1.0], [0.5])[0] == pytest.approx(0.99893721241, rel=1e-11)
    assert opt.u_product == pytest.approx(0.468, rel=1e-15)


def test_nadam_schedule_product_is_grouped_as_in_keras():
    # Keras: P ← (P · β₁) · (1 - 0.5 · 0.96ᵗ), which differs in the last bit from P · uₜ
    opt, theta, product = Nadam(beta_1=0.87), np.zeros(1), 1.0
    for t in range(1, 21):
        opt.apply([np.ones(1)], [theta])
        product = product * 0.87 * (1.0 - 0.5 * 0.96 ** t)
    assert opt.u_product == product


# -- (2) golden tables from the formulas as written in Keras (plain Python floats) ------------

THETA0 = [1.0, -2.0, 0.5, 3.0]
GRADS = [
    [0.5, -1.0, 2.0, 0.0],
    [0.1, 0.3, -0.7, 0.0],
    [-0.4, 0.2, 0.05, 1e-3],
    [1.5, -0.25, 0.0, -2.0],
    [0.01, -2.0, 0.3, 0.02],
]


# Each rule updates the plain-Python list ``theta`` for one step t (1-based) with gradient ``g``
# and hyperparameters ``h``, keeping its moments in ``state``; the order of operations is Keras's.

def sgd_rule(state, theta, g, h, t):
    m, lr, mu = state.setdefault("m", [0.0] * len(theta)), h["learning_rate"], h["momentum"]
    for i, gi in enumerate(g):
        if mu == 0:
            theta[i] = theta[i] - gi * lr
        else:
            m[i] = m[i] * mu - gi * lr
            theta[i] = theta[i] + (m[i] * mu - gi * lr) if h["nesterov"] else theta[i] + m[i]


def adagrad_rule(state, theta, g, h, t):
    a = state.setdefault("a", [h["initial_accumulator_value"]] * len(theta))
    for i, gi in enumerate(g):
        a[i] = a[i] + gi * gi
        theta[i] = theta[i] - (h["learning_rate"] * gi) / math.sqrt(a[i] + h["epsilon"])


def rmsprop_rule(state, theta, g, h, t):
    n, rho = len(theta), h["rho"]
    v, mean, m = (state.setdefault(k, [0.0] * n) for k in ("v", "mean", "m"))
    for i, gi in enumerate(g):
        v[i] = rho * v[i] + (1 - rho) * (gi * gi)
        if h["centered"]:
            mean[i] = rho * mean[i] + (1 - rho) * gi
            denominator = v[i] - mean[i] * mean[i] + h["epsilon"]
        else:
            denominator = v[i] + h["epsilon"]
        increment = (h["learning_rate"] * gi) / math.sqrt(denominator)
        if h["momentum"] > 0:
            m[i] = h["momentum"] * m[i] + increment
            theta[i] = theta[i] - m[i]
        else:
            theta[i] = theta[i] - increment


def adadelta_rule(state, theta, g, h, t):
    n, rho, eps = len(theta), h["rho"], h["epsilon"]
    a, d = state.setdefault("a", [0.0] * n), state.setdefault("d", [0.0] * n)
    for i, gi in enumerate(g):
        a[i] = rho * a[i] + (1 - rho) * (gi * gi)
        delta = -((math.sqrt(d[i] + eps) * gi) / math.sqrt(a[i] + eps))
        d[i] = rho * d[i] + (1 - rho) * (delta * delta)
        theta[i] = theta[i] + h["learning_rate"] * delta


def adam_rule(state, theta, g, h, t):
    n, lr, b1, b2 = len(theta), h["learning_rate"], h["beta_1"], h["beta_2"]
    m, v, v_hat = (state.setdefault(k, [0.0] * n) for k in ("m", "v", "v_hat"))
    alpha = lr * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)
    for i, gi in enumerate(g):
        m[i] = m[i] + (gi - m[i]) * (1 - b1)
        v[i] = v[i] + (gi * gi - v[i]) * (1 - b2)
        vi = v[i]
        if h["amsgrad"]:
            v_hat[i] = max(v_hat[i], v[i])
            vi = v_hat[i]
        theta[i] = theta[i] - (m[i] * alpha) / (math.sqrt(vi) + h["epsilon"])


def nadam_rule(state, theta, g, h, t):
    n, b1, b2 = len(theta), h["beta_1"], h["beta_2"]
    m, v = state.setdefault("m", [0.0] * n), state.setdefault("v", [0.0] * n)
    state["product"] = state.get("product", 1.0) * b1 * (1.0 - 0.5 * 0.96 ** t)
    product = state["product"]
    u_t = b1 * (1.0 - 0.5 * 0.96 ** t)
    u_next = b1 * (1.0 - 0.5 * 0.96 ** (t + 1))
    for i, gi in enumerate(g):
        m[i] = m[i] + (gi - m[i]) * (1 - b1)
        v[i] = v[i] + (gi * gi - v[i]) * (1 - b2)
        m_hat = (u_next * m[i]) / (1 - product * u_next) + ((1 - u_t) * gi) / (1 - product)
        v_hat = v[i] / (1 - b2 ** t)
        theta[i] = theta[i] - (m_hat * h["learning_rate"]) / (math.sqrt(v_hat) + h["epsilon"])


RULES = {"sgd": sgd_rule, "momentum": sgd_rule, "nesterov": sgd_rule, "adagrad": adagrad_rule,
         "rmsprop": rmsprop_rule, "adadelta": adadelta_rule, "adam": adam_rule, "adamw": adam_rule,
         "nadam": nadam_rule}


def reference(name, theta, grads, hps):
    """Keras's ``apply`` on one array: clip, decay θ - θ·wd·lr, the rule. θ after every step."""
    theta, state, out = list(theta), {}, []
    for t, (g, h) in enumerate(zip(grads, hps), start=1):
        g = list(g)
        if h.get("clipnorm") is not None:
            c = h["clipnorm"]
            norm = math.sqrt(float(np.sum(np.square(g))))  # a reduction: NumPy's order, as the engine
            g = [gi * c / max(norm, c) for gi in g]
        if h.get("clipvalue") is not None:
            g = [min(max(gi, -h["clipvalue"]), h["clipvalue"]) for gi in g]
        if h.get("weight_decay") is not None:
            theta = [x - x * h["weight_decay"] * h["learning_rate"] for x in theta]
        RULES[name](state, theta, g, h, t)
        out.append(list(theta))
    return out


GOLDEN_CASES = [
    ("sgd", {}), ("sgd", {"momentum": 0.9}), ("sgd", {"momentum": 0.5, "nesterov": True}),
    ("momentum", {}), ("nesterov", {}),
    ("adagrad", {}), ("adagrad", {"learning_rate": 0.1, "initial_accumulator_value": 0.0, "epsilon": 1e-3}),
    ("rmsprop", {}), ("rmsprop", {"centered": True}), ("rmsprop", {"momentum": 0.5}),
    ("rmsprop", {"learning_rate": 0.01, "rho": 0.8, "momentum": 0.3, "centered": True}),
    ("adadelta", {}), ("adadelta", {"learning_rate": 1.0, "rho": 0.8, "epsilon": 1e-6}),
    ("adam", {}), ("adam", {"amsgrad": True}),
    ("adam", {"learning_rate": 0.1, "beta_1": 0.5, "beta_2": 0.67, "epsilon": 1e-5}),
    ("adamw", {}), ("adamw", {"learning_rate": 0.1, "weight_decay": 0.5, "amsgrad": True}),
    ("nadam", {}), ("nadam", {"learning_rate": 0.5, "beta_1": 0.5, "beta_2": 0.67, "epsilon": 1e-5}),
]


def defaults_of(name: str) -> dict:
    return dict(KERAS_DEFAULTS.get(name) or PRESET_DEFAULTS[name])


def run(opt: Optimizer, grads=GRADS, theta0=THETA0, changes: dict | None = None, at: int = 2) -> list[list[float]]:
    """Apply ``grads`` one by one; before step index ``at`` assign ``changes`` as attributes."""
    theta, out = np.array(theta0, dtype=np.float64), []
    for k, g in enumerate(grads):
        if k == at:
            for key, value in (changes or {}).items():
                setattr(opt, key, value)
        opt.apply([np.array(g, dtype=np.float64)], [theta])
        out.append(theta.tolist())
    return out


def schedule(hp: dict, changes: dict | None = None, at: int = 2, steps: int = len(GRADS)) -> list[dict]:
    return [{**hp, **(changes or {})} if k >= at else dict(hp) for k in range(steps)]


@pytest.mark.parametrize(("name", "kwargs"), GOLDEN_CASES, ids=lambda x: x if isinstance(x, str) else str(x))
def test_golden_table_against_keras_formulas(name, kwargs):
    hp = {**defaults_of(name), **kwargs}
    expected = reference(name, THETA0, GRADS, schedule(hp))
    got = run(optimizers.get(name, **kwargs))
    np.testing.assert_allclose(got, expected, rtol=1e-12, atol=0)
    assert got[-1] != THETA0


@pytest.mark.parametrize(("name", "kwargs"), GOLDEN_CASES, ids=lambda x: x if isinstance(x, str) else str(x))
def test_same_operation_order_as_keras_bit_for_bit(name, kwargs):
    # The references spell out Keras's order of operations, so float64 results agree to the bit.
    hp = {**defaults_of(name), **kwargs}
    assert run(optimizers.get(name, **kwargs)) == reference(name, THETA0, GRADS, schedule(hp))


BIT_CASES = [
    ("sgd", {"learning_rate": 0.0123, "momentum": 0.87, "nesterov": True, "weight_decay": 0.031}),
    ("sgd", {"learning_rate": 0.0123, "momentum": 0.87, "clipnorm": 0.7}),
    ("sgd", {"learning_rate": 0.0123, "clipnorm": 49.7}),  # ‖g‖ < c: Keras still computes g·c/c
    ("adagrad", {"learning_rate": 0.0371, "initial_accumulator_value": 0.013, "epsilon": 3.3e-7,
                 "weight_decay": 0.017}),
    ("rmsprop", {"learning_rate": 0.0137, "rho": 0.83, "momentum": 0.41, "epsilon": 7.1e-7, "centered": True,
                 "weight_decay": 0.013}),
    ("rmsprop", {"learning_rate": 0.0137, "rho": 0.83, "epsilon": 7.1e-7, "clipvalue": 0.9}),
    ("adadelta", {"learning_rate": 0.77, "rho": 0.91, "epsilon": 3.1e-6, "weight_decay": 0.011}),
    ("adam", {"learning_rate": 0.0123, "beta_1": 0.87, "beta_2": 0.993, "epsilon": 1.3e-7, "amsgrad": True,
              "clipnorm": 2.3}),
    ("adamw", {"learning_rate": 0.0123, "weight_decay": 0.037, "beta_1": 0.87, "beta_2": 0.993}),
    ("nadam", {"learning_rate": 0.0123, "beta_1": 0.87, "beta_2": 0.993, "epsilon": 1.3e-7, "weight_decay": 0.021}),
]


@pytest.mark.parametrize(("name", "kwargs"), BIT_CASES, ids=[c[0] for c in BIT_CASES])
def test_bit_for_bit_on_random_data(name, kwargs):
    # 64 weights, 12 steps, gradients from 1e-3 to 1e1 and odd settings: enough values that any
    # regrouping of the arithmetic (x·(a·b) for (x·a)·b, (g·lr)/s for (g/s)·lr …) shows up.
    rng = np.random.default_rng(2024)
    theta0 = rng.normal(size=64).tolist()
    grads = (rng.normal(size=(12, 64)) * 10.0 ** rng.uniform(-3, 1, size=(12, 64))).tolist()
    hp = {**defaults_of(name), **kwargs}
    assert run(optimizers.get(name, **kwargs), grads, theta0) == reference(name, theta0, grads, schedule(hp, steps=12))


# Keras's own test_correctness_with_golden tables (keras/src/optimizers/*_test.py): x = ones(10),
# a first step with g = 0.01, then g = 0.1…1.0; rows are x before each later step. Keras checks
# them at 4 decimals (atol 5e-4), so this is a sanity check of the settings, not of the last bit.
KERAS_TABLES = {
    "nadam": ({"learning_rate": 0.5, "beta_1": 0.5, "beta_2": 0.67, "epsilon": 1e-5}, [
        [0.4281] * 10,
        [-0.1738, -0.1731, -0.1726, -0.1723, -0.1721, -0.172, -0.1719, -0.1718, -0.1718, -0.1717],
        [-0.7115, -0.7103, -0.7096, -0.7092, -0.709, -0.7088, -0.7086, -0.7085, -0.7085, -0.7084],
        [-1.2335, -1.2322, -1.2313, -1.2309, -1.2306, -1.2304, -1.2302, -1.2301, -1.23, -1.2299],
        [-1.7492, -1.7478, -1.7469, -1.7464, -1.7461, -1.7459, -1.7457, -1.7456, -1.7455, -1.7454]]),
    "adagrad": ({"learning_rate": 0.2, "initial_accumulator_value": 0.3, "epsilon": 1e-6}, [
        [0.9963] * 10,
        [0.9604, 0.9278, 0.9003, 0.8784, 0.8615, 0.8487, 0.8388, 0.8313, 0.8255, 0.8209],
        [0.9251, 0.8629, 0.8137, 0.7768, 0.7497, 0.7298, 0.7151, 0.704, 0.6956, 0.6891],
        [0.8903, 0.8012, 0.7342, 0.6862, 0.6521, 0.6277, 0.6099, 0.5967, 0.5867, 0.579],
        [0.856, 0.7422, 0.6604, 0.6037, 0.5644, 0.5367, 0.5168, 0.5021, 0.491, 0.4825]]),
    "adamw": ({"learning_rate": 1.0, "weight_decay": 0.5, "epsilon": 2.0}, [
        [0.4998] * 10,
        [0.2486, 0.2475, 0.2463, 0.2451, 0.244, 0.2428, 0.2417, 0.2405, 0.2394, 0.2382],
        [0.1223, 0.1198, 0.1174, 0.1149, 0.1124, 0.11, 0.1075, 0.1051, 0.1027, 0.1003],
        [0.0586, 0.0549, 0.0512, 0.0475, 0.0439, 0.0402, 0.0366, 0.033, 0.0294, 0.0258],
        [0.0263, 0.0215, 0.0167, 0.012, 0.0073, 0.0026, -0.0021, -0.0067, -0.0113, -0.0159]]),
    "adam": ({"amsgrad": True}, [[x] * 10 for x in (0.999, 0.9982, 0.9974, 0.9965, 0.9955)]),
    "rmsprop": ({"centered": True}, [[x] * 10 for x in (0.9967, 0.9933, 0.9908, 0.9885, 0.9864)]),
    "adadelta": ({"learning_rate": 1.0, "rho": 0.8, "epsilon": 1e-6},
                 [[x] * 10 for x in (0.9978, 0.9947, 0.9915, 0.9882, 0.9849)]),
    "sgd": ({"nesterov": True}, [[0.9999] * 10] + [[1 - 0.0001 - k * 0.001 * j for j in range(1, 11)]
                                                        for k in range(1, 5)]),
}


@pytest.mark.parametrize("name", list(KERAS_TABLES))
def test_keras_published_golden_values(name):
    kwargs, table = KERAS_TABLES[name]
    opt, x = optimizers.get(name, **kwargs), np.ones(10)
    opt.apply([np.full(10, 0.01)], [x])
    for row in table:
        np.testing.assert_allclose(x, row, atol=5e-4, rtol=5e-4)
        opt.apply([np.arange(1, 11) / 10], [x])


# -- (3) defaults, names, hyperparameters -----------------------------------------------------

@pytest.mark.parametrize("name", [*KERAS_DEFAULTS, *PRESET_DEFAULTS])
def test_defaults_match_keras(name):
    opt = optimizers.get(name)
    assert opt.hyperparameters() == defaults_of(name)
    assert opt.clipnorm is None and opt.clipvalue is None and opt.global_clipnorm is None
    assert opt.weight_decay == (0.004 if name == "adamw" else None)
    assert all(isinstance(v, (bool, float)) for v in opt.hyperparameters().values())


def test_names_lists_classes_then_presets():
    assert optimizers.names() == [*KERAS_DEFAULTS, "momentum", "nesterov"]
    for name, cls in CLASSES.items():
        assert type(optimizers.get(name)) is cls and cls.name == name


def test_get_accepts_instances_and_overrides():
    opt = Adam()
    assert optimizers.get(opt) is opt
    assert optimizers.get("ADAM ", learning_rate=0.1).learning_rate == 0.1
    assert optimizers.get("momentum", momentum=0.5).momentum == 0.5


# -- (4) get_config round-trips ---------------------------------------------------------------

ROUND_TRIP = [
    ("sgd", {"learning_rate": 0.5, "momentum": 0.06, "nesterov": True, "weight_decay": 0.004}),
    ("adagrad", {"learning_rate": 0.5, "initial_accumulator_value": 0.2, "epsilon": 1e-5, "clipnorm": 2.0}),
    ("rmsprop", {"learning_rate": 0.5, "rho": 0.8, "momentum": 0.05, "epsilon": 1e-6, "centered": True}),
    ("adadelta", {"learning_rate": 0.5, "rho": 0.9, "epsilon": 1e-5, "clipvalue": 0.1}),
    ("adam", {"learning_rate": 0.5, "beta_1": 0.5, "beta_2": 0.67, "epsilon": 1e-5, "amsgrad": True}),
    ("adamw", {"learning_rate": 0.5, "weight_decay": 0.008, "beta_1": 0.5, "global_clipnorm": 3.0}),
    ("nadam", {"learning_rate": 0.5, "beta_1": 0.5, "beta_2": 0.67, "epsilon": 1e-5}),
    ("momentum", {}), ("nesterov", {"learning_rate": 0.1}),
]


@pytest.mark.parametrize(("name", "kwargs"), ROUND_TRIP, ids=[c[0] for c in ROUND_TRIP])
def test_get_config_round_trips(name, kwargs):
    opt = optimizers.get(name, **kwargs)
    config = opt.get_config()
    json.dumps(config)  # plain data
    again = optimizers.get(config)
    assert type(again) is type(opt)
    assert again.get_config() == config
    assert again.name == (name if name in PRESET_DEFAULTS else opt.name)
    assert type(opt).from_config(opt.get_config()).get_config() == config
    assert run(again) == run(opt)


# -- (5) iterations, (6) lazy build ----------------------------------------------------------

@pytest.mark.parametrize("name", optimizers.names())
def test_iterations_count_apply_calls(name):
    opt = optimizers.get(name)
    assert opt.iterations == 0
    run(opt, grads=GRADS[:3])
    assert opt.iterations == 3


@pytest.mark.parametrize("name", optimizers.names())
def test_state_is_built_lazily_and_once(name, monkeypatch):
    opt = optimizers.get(name)
    calls = []
    original = opt.build
    monkeypatch.setattr(opt, "build", lambda variables: (calls.append(1), original(variables)))
    assert not opt.built
    theta = np.array(THETA0)
    opt.apply([np.array(GRADS[0])], [theta])
    assert opt.built and calls == [1]
    state = {k: v for k, v in vars(opt).items() if isinstance(v, list) and v and isinstance(v[0], np.ndarray)}
    snapshot = {k: [a.copy() for a in v] for k, v in state.items()}
    original([theta])  # building again changes nothing
    for k, arrays in state.items():
        assert getattr(opt, k) is arrays
        assert all(np.array_equal(a, b) for a, b in zip(arrays, snapshot[k]))
    opt.apply([np.array(GRADS[1])], [theta])
    assert calls == [1]
    assert all(getattr(opt, k) is v for k, v in state.items())


def test_build_refuses_non_float64_arrays():
    with pytest.raises(ValueError, match="float64"):
        Adam().apply([np.zeros(2)], [np.zeros(2, dtype=np.float32)])
    with pytest.raises(ValueError, match="gradients"):
        Adam().apply([np.zeros(2), np.zeros(2)], [np.zeros(2)])


# -- (7) a hyperparameter changed mid-run applies from the next step --------------------------

MID_RUN = {
    "sgd": {"learning_rate": 0.05, "momentum": 0.9},
    "nesterov": {"momentum": 0.5, "learning_rate": 0.1},
    "adagrad": {"learning_rate": 0.01, "epsilon": 1e-3},
    "rmsprop": {"rho": 0.5, "momentum": 0.9, "centered": True, "learning_rate": 0.01},
    "adadelta": {"rho": 0.5, "learning_rate": 1.0, "epsilon": 1e-5},
    "adam": {"beta_1": 0.5, "beta_2": 0.9, "learning_rate": 0.01, "amsgrad": True, "epsilon": 1e-3},
    "adamw": {"weight_decay": 0.1, "learning_rate": 0.01},
    "nadam": {"beta_1": 0.5, "beta_2": 0.9, "learning_rate": 0.01},
}


@pytest.mark.parametrize("name", list(MID_RUN))
def test_hyperparameter_change_takes_effect_next_step(name):
    changes, hp = MID_RUN[name], defaults_of(name)
    expected = reference(name, THETA0, GRADS, schedule(hp, changes, at=2))
    unchanged = reference(name, THETA0, GRADS, schedule(hp))
    got = run(optimizers.get(name), changes=changes, at=2)
    assert got[:2] == unchanged[:2] and got[2] != unchanged[2]
    assert got == expected


# -- (8) one flat buffer == the same arrays one by one ---------------------------------------

FLAT_CASES = [(name, {}) for name in optimizers.names()] + [
    ("adam", {"amsgrad": True}), ("rmsprop", {"centered": True, "momentum": 0.9}),
    ("sgd", {"weight_decay": 0.1}), ("nadam", {"clipvalue": 0.3}), ("adadelta", {"weight_decay": 0.2}),
]


@pytest.mark.parametrize(("name", "kwargs"), FLAT_CASES, ids=lambda x: x if isinstance(x, str) else str(x))
def test_flat_buffer_equals_per_array_update(name, kwargs):
    rng = np.random.default_rng(7)
    shapes = [(2, 3), (3,), (4, 1)]
    pieces = [rng.normal(size=s) for s in shapes]
    flat = np.concatenate([p.ravel() for p in pieces])
    one, many = optimizers.get(name, **kwargs), optimizers.get(name, **kwargs)
    for _ in range(4):
        grads = [rng.normal(size=s) for s in shapes]
        one.apply([np.concatenate([g.ravel() for g in grads])], [flat])
        many.apply(grads, pieces)
    assert np.array_equal(flat, np.concatenate([p.ravel() for p in pieces]))
    assert not np.array_equal(flat[:6], np.zeros(6))


# -- (9) weight decay and clipping -------------------------------------------------------------

def test_weight_decay_comes_before_the_update():
    # θ=2, wd=0.5, lr=0.1, g=1:  decay θ = 2 - 2·0.5·0.1 = 1.9, then 1.9 - 0.1·1 = 1.8
    # (decaying after the update would give 1.9·0.95 = 1.805)
    assert step(SGD(learning_rate=0.1, weight_decay=0.5), [2.0], [1.0])[0] == pytest.approx(1.8, rel=1e-12)


def test_weight_decay_uses_the_current_learning_rate():
    opt, theta = SGD(learning_rate=1.0, weight_decay=0.004), np.array([2.0])
    opt.apply([np.zeros(1)], [theta])
    opt.learning_rate = 0.5
    opt.apply([np.zeros(1)], [theta])
    assert theta[0] == pytest.approx(2 * (1 - 0.004) * (1 - 0.002), rel=1e-12)


def test_weight_decay_three_times_as_in_keras_tests():
    # Keras's test_weight_decay: lr=1, wd=0.004, g=0, three updates of 2.0 → 1.9760959
    theta = np.array([2.0])
    for _ in range(3):
        Adam(learning_rate=1.0, weight_decay=0.004).apply([np.zeros(1)], [theta])
    assert theta[0] == pytest.approx(1.9760959, abs=1e-7)


def test_clipnorm_clips_each_array_by_its_own_norm():
    # ‖[3, 4]‖ = 5 > 1 → [0.6, 0.8];  ‖[0.3]‖ = 0.3 ≤ 1 → unchanged; SGD lr=1 subtracts them
    opt = SGD(learning_rate=1.0, clipnorm=1.0)
    a, b = np.zeros(2), np.zeros(1)
    g = [np.array([3.0, 4.0]), np.array([0.3])]
    opt.apply(g, [a, b])
    np.testing.assert_allclose(a, [-0.6, -0.8], rtol=1e-15)
    assert b[0] == -0.3
    assert g[0].tolist() == [3.0, 4.0]  # the caller's gradients are left alone


def test_clipnorm_keras_example():
    # Keras: clipnorm=1 on [100, 100] → [√2/2, √2/2]
    theta = step(SGD(learning_rate=1.0, clipnorm=1.0), [0.0, 0.0], [100.0, 100.0])
    np.testing.assert_allclose(-theta, [2 ** 0.5 / 2] * 2, rtol=1e-15)


def test_global_clipnorm_clips_all_arrays_together():
    # global ‖([3], [4])‖ = 5 > 2 → scale 2/5: [1.2], [1.6] (per-array clipnorm=2 would give [2], [2])
    opt = SGD(learning_rate=1.0, global_clipnorm=2.0)
    a, b = np.zeros(1), np.zeros(1)
    opt.apply([np.array([3.0]), np.array([4.0])], [a, b])
    assert a[0] == pytest.approx(-1.2, rel=1e-15) and b[0] == pytest.approx(-1.6, rel=1e-15)
    c, d = np.zeros(1), np.zeros(1)
    SGD(learning_rate=1.0, global_clipnorm=10.0).apply([np.array([3.0]), np.array([4.0])], [c, d])
    assert (c[0], d[0]) == (-3.0, -4.0)


def test_global_clipnorm_of_a_non_finite_gradient_is_nan():
    theta = step(SGD(learning_rate=1.0, global_clipnorm=1.0), [0.0, 0.0], [np.inf, 1.0])
    assert np.isnan(theta).all()


def test_clipvalue_clips_elementwise():
    theta = step(SGD(learning_rate=1.0, clipvalue=1.0), [0.0, 0.0, 0.0], [-3.0, 0.2, 5.0])
    assert theta.tolist() == [1.0, -0.2, -1.0]


def test_clipping_can_be_switched_on_mid_run():
    opt, theta = SGD(learning_rate=1.0), np.zeros(1)
    opt.apply([np.array([5.0])], [theta])
    opt.clipvalue = 1.0
    opt.apply([np.array([5.0])], [theta])
    assert theta[0] == -6.0


# -- (10) bad arguments: one-line ValueError --------------------------------------------------

BAD = [
    ("adam", {"bta_1": 0.9}, "beta_1"),
    ("sgd", {"use_ema": True}, "nesterov"),
    ("adam", {"learning_rate": 0.0}, "learning_rate"),
    ("adam", {"learning_rate": -1e-3}, "learning_rate"),
    ("adam", {"learning_rate": float("nan")}, "learning_rate"),
    ("adam", {"learning_rate": float("inf")}, "learning_rate"),
    ("adam", {"learning_rate": "fast"}, "learning_rate"),
    ("adam", {"learning_rate": True}, "learning_rate"),
    ("adam", {"beta_1": 1.0}, "beta_1"),
    ("adam", {"beta_2": -0.1}, "beta_2"),
    ("nadam", {"beta_1": 1.5}, "beta_1"),
    ("adam", {"epsilon": -1e-7}, "epsilon"),
    ("adam", {"amsgrad": "false"}, "amsgrad"),
    ("sgd", {"momentum": 1.1}, "momentum"),
    ("sgd", {"momentum": -0.1}, "momentum"),
    ("sgd", {"nesterov": 1}, "nesterov"),
    ("rmsprop", {"rho": 1.1}, "rho"),
    ("rmsprop", {"epsilon": 0.0}, "epsilon"),
    ("rmsprop", {"momentum": 2.0}, "momentum"),
    ("adadelta", {"rho": 1.5}, "rho"),
    ("adagrad", {"initial_accumulator_value": -0.1}, "initial_accumulator_value"),
    ("adamw", {"weight_decay": None}, "weight_decay"),
    ("adam", {"weight_decay": -0.1}, "weight_decay"),
    ("adam", {"clipnorm": 0.0}, "clipnorm"),
    ("adam", {"clipnorm": 1.0, "clipvalue": 1.0}, "clipvalue"),
    ("adam", {"name": ""}, "name"),
    ("adamx", {}, "adam"),
]


@pytest.mark.parametrize(("name", "kwargs", "mentions"), BAD, ids=[f"{n}-{list(k)}" for n, k, _ in BAD])
def test_bad_arguments_raise_one_line_value_error(name, kwargs, mentions):
    with pytest.raises(ValueError) as info:
        optimizers.get(name, **kwargs)
    message = str(info.value)
    assert mentions in message and "\n" not in message


def test_unknown_argument_lists_the_valid_ones():
    with pytest.raises(ValueError) as info:
        Adam(bta_1=0.9)
    assert str(info.value) == (
        "unknown adam argument 'bta_1'; did you mean 'beta_1'? (valid: learning_rate, beta_1, beta_2, "
        "epsilon, amsgrad, weight_decay, clipnorm, clipvalue, global_clipnorm, name)")


def test_config_without_name_is_refused():
    with pytest.raises(ValueError, match="name"):
        optimizers.get({"learning_rate": 0.1})


def test_boundary_values_are_accepted():
    SGD(momentum=1.0), RMSprop(rho=0.0, momentum=1.0), RMSprop(rho=1.0), Adadelta(rho=1.0)
    Adam(beta_1=0.0, epsilon=0.0), Adagrad(epsilon=0)
    AdamW(weight_decay=0.0)


# -- end to end: a quadratic goes downhill ------------------------------------------------------

@pytest.mark.parametrize(("name", "lr"), [("sgd", 0.05), ("momentum", 0.02), ("nesterov", 0.02),
                                          ("adagrad", 0.5), ("rmsprop", 0.01), ("adadelta", 10.0),
                                          ("adam", 0.05), ("adamw", 0.05), ("nadam", 0.05)])
def test_minimises_a_quadratic(name, lr):
    a = np.array([[3.0, 0.5, 0.0], [0.5, 1.0, 0.2], [0.0, 0.2, 0.5]])
    theta, grad = np.array([1.0, -2.0, 1.5]), np.zeros(3)
    loss = lambda: 0.5 * theta @ a @ theta  # noqa: E731
    start, opt = loss(), optimizers.get(name, learning_rate=lr)
    for _ in range(300):
        np.matmul(a, theta, out=grad)
        opt.apply([grad], [theta])
    assert loss() < 0.05 * start
