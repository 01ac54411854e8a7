"""The engine against numbers the real Keras 3 computed (float64), frozen in golden/keras_reference.json.

Regenerate (needs a separate venv with keras + torch; this suite never imports them):

    python -m venv /tmp/kvenv && /tmp/kvenv/bin/pip install torch==2.13.0 keras numpy
    KERAS_BACKEND=torch /tmp/kvenv/bin/python tools/keras_reference.py

The goldens were produced by Keras 3.15.1 on torch 2.13.0+cpu (numpy 2.4.6, Python 3.11.7);
the JSON's ``versions`` says what produced the file in hand, and ``test_versions`` prints it.

Float64: under the torch (and JAX) backend Keras's ``result_type`` turns float64 into float32
(``keras/src/backend/common/dtypes.py``, ``BIT64_TO_BIT32_DTYPE``), so ``ops.mean`` and the
``divide_no_nan`` of every ``sum_over_batch_size`` reduction run in float32 even with
``floatx="float64"``. The generator applies the TensorFlow backend's mapping (float64 stays
float64) and proves that no float32 tensor was created; ``float32_drift`` in the JSON records
how far Keras's unpatched torch numbers are (≈1e-7 relative).

Tolerance: rtol = 1e-12 everywhere (Keras's torch optimizers use fused ``torch._foreach`` ops,
1 ulp from NumPy's rounding). Two deliberate exceptions, each tested on its own below:

- gradients are compared elementwise with an absolute floor of 1e-12·max|gradient| of the case:
  where a gradient is a difference of two nearly equal terms (Poisson at y_pred ≈ y_true gives
  ``1/12 - (1/12)·t/(p+ε)`` ≈ 8e-9) the result is set by the order of the float operations, which
  autograd does not share with the engine — nor TensorFlow with torch (``reciprocal`` then multiply
  vs divide);
- binary cross-entropy on probabilities: torch's ``binary_cross_entropy`` kernel takes
  ``log1p(-p)``, Keras's TensorFlow and JAX backends ``log(1 - p)``. The engine follows TF/JAX; the
  two differ (≈5e-10 relative) only where 1 - p is inexact, i.e. at the ε clip, and there only
  in ``reduction="none"`` output (summed values agree to 1e-16).

Backend note for ``fit``: with TensorFlow, a Dense(sigmoid)/softmax output feeding a
cross-entropy is evaluated from the logits (``_keras_logits``, ``tensorflow/nn.py``), so
saturated outputs are neither clipped nor zero-gradient there. The torch backend (these
goldens) and the engine compute the loss on the clipped probabilities.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from engine import Dense, Input, Sequential, losses, optimizers

GOLDEN = json.loads((Path(__file__).parent / "golden" / "keras_reference.json").read_text())
RTOL = 1e-12


def case_id(case: dict, key: str) -> str:
    args = ",".join(f"{k}={v}" for k, v in case.get("kwargs", {}).items())
    return f"{case[key]}({args})"


def assert_close(got, want, *, rtol=RTOL, atol=0.0, what=""):
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape, f"{what}: shape {got.shape} != Keras {want.shape}"
    np.testing.assert_allclose(got, want, rtol=rtol, atol=atol, err_msg=what)


def test_versions():
    v = GOLDEN["versions"]
    assert v["floatx"] == "float64" and v["backend"] == "torch" and v["epsilon"] == 1e-7
    assert v["keras"].startswith("3."), v
    print(f"goldens from Keras {v['keras']}, torch {v['torch']}, numpy {v['numpy']}")


def test_every_registered_loss_has_goldens():
    assert set(losses.names()) <= {c["loss"] for c in GOLDEN["losses"]}


def test_every_registered_optimizer_has_goldens():
    assert set(optimizers.ALL) <= {c["optimizer"] for c in GOLDEN["optimizers"]["cases"]}


def test_goldens_are_float64_not_keras_torch_float32():
    drift = GOLDEN["float32_drift"]
    # Unpatched Keras/torch is float32-accurate only: if this ever reads ~1e-16, Keras stopped
    # downcasting and the patch in tools/keras_reference.py can go.
    assert 1e-9 < drift["max_relative_value_error"] < 1e-5


# -- losses -------------------------------------------------------------------------------
LOSS_CASES = GOLDEN["losses"]


def torch_log1p_cells(case: dict) -> np.ndarray:
    """Where torch's log1p(-p) and TF/JAX's log(1 - p) round differently: p clipped up to ε, t < 1."""
    y_pred, y_true = np.asarray(case["y_pred"]), np.asarray(case["y_true"], dtype=np.float64)
    if case["loss"] != "binary_crossentropy" or case["kwargs"].get("from_logits"):
        return np.zeros(y_pred.shape, dtype=bool)
    return (y_pred < losses.EPSILON) & (y_true < 1.0)


@pytest.mark.parametrize("case", LOSS_CASES, ids=[case_id(c, "loss") for c in LOSS_CASES])
def test_loss_value(case):
    loss = losses.get(case["loss"], **case["kwargs"])
    got = np.asarray(loss(case["y_true"], case["y_pred"]))
    want = np.asarray(case["value"])
    if case["kwargs"].get("reduction") == "none":
        rows = torch_log1p_cells(case).any(axis=-1)
        got, want = got[~rows], want[~rows]  # those rows: test_bce_log_vs_log1p_at_the_clip
    assert_close(got, want, what=case_id(case, "loss"))


@pytest.mark.parametrize("case", LOSS_CASES, ids=[case_id(c, "loss") for c in LOSS_CASES])
def test_loss_gradient(case):
    loss = losses.get(case["loss"], **case["kwargs"])
    got = loss.gradient(case["y_true"], case["y_pred"])
    want = np.asarray(case["gradient"])
    assert_close(got, want, atol=RTOL * np.max(np.abs(want)), what=case_id(case, "loss"))
    assert np.array_equal(got == 0, want == 0), "zero gradients (clips, hinge margins) differ"


def test_bce_log_vs_log1p_at_the_clip():
    """Keras/torch's per-sample BCE at p = 0, t = 0 is -log1p(-ε); the engine gives TF/JAX's -log(1 - ε)."""
    case = next(c for c in LOSS_CASES if c["loss"] == "binary_crossentropy" and torch_log1p_cells(c).any()
                and c["kwargs"].get("reduction") == "none")
    cells = torch_log1p_cells(case)[:, 0]
    got = losses.get("binary_crossentropy", reduction="none")(case["y_true"], case["y_pred"])[cells]
    want = np.asarray(case["value"])[cells]
    eps = losses.EPSILON
    assert np.all(want == -math.log1p(-eps)), "Keras/torch changed its BCE kernel: revisit this test"
    assert np.all(got == -math.log(1.0 - eps))
    assert_close(got, want, rtol=1e-9)  # 1 - ε is inexact: ≈5e-10 relative


def test_poisson_gradient_cancellation_is_float_order_only():
    """Poisson at y_pred = y_true = 1: the engine and autograd round a ≈1e-7 difference differently."""
    case = next(c for c in LOSS_CASES if c["loss"] == "poisson" and np.shape(c["y_pred"])[-1] == 3)
    got = losses.get("poisson").gradient(case["y_true"], case["y_pred"])[0, 2]
    want = case["gradient"][0][2]
    exact = (1.0 - 1.0 / (1.0 + 1e-7)) / 12  # double-rounded inputs, exact arithmetic: ≈8.3333325e-9
    assert abs(got - exact) <= abs(want - exact) + 1e-20  # the engine is no less accurate than Keras
    assert_close(got, want, rtol=1e-8)


# -- optimizers ---------------------------------------------------------------------------
OPT = GOLDEN["optimizers"]


@pytest.mark.parametrize("case", OPT["cases"], ids=[case_id(c, "optimizer") for c in OPT["cases"]])
def test_optimizer_trajectory(case):
    opt = optimizers.get(case["optimizer"], **case["kwargs"])
    variables = [np.array(v, dtype=np.float64) for v in OPT["initial"]]
    for step, (grads, after) in enumerate(zip(OPT["grads"], case["after"]), start=1):
        opt.apply([np.array(g, dtype=np.float64) for g in grads], variables)
        for index, (got, want) in enumerate(zip(variables, after)):
            assert_close(got, want, what=f"{case_id(case, 'optimizer')} step {step} variable {index}")
    assert opt.iterations == len(OPT["grads"])


@pytest.mark.parametrize("case", OPT["cases"], ids=[case_id(c, "optimizer") for c in OPT["cases"]])
def test_optimizer_defaults_are_keras_defaults(case):
    ours = optimizers.get(case["optimizer"], **case["kwargs"]).get_config()
    for key, value in case["config"].items():
        if key in ours and key != "name":
            assert ours[key] == value, f"{case['optimizer']}.{key}: ours {ours[key]!r}, Keras {value!r}"


# -- fit ------------------------------------------------------------------------------------
FITS = GOLDEN["fit"]


def fit_like_keras(case: dict):
    model = Sequential([Input(shape=(2,)), Dense(case["hidden"], activation=case["hidden_activation"]),
                        Dense(case["units"], activation=case["activation"])])
    model.build()
    model.set_weights([np.array(w, dtype=np.float64) for w in case["weights"]])
    model.compile(optimizer=optimizers.get(case["optimizer"], **case["optimizer_kwargs"]),
                  loss=losses.get(case["loss"], **case["loss_kwargs"]), metrics=case["metrics"])
    history = model.fit(np.array(case["x"]), np.array(case["y"]), batch_size=case["batch_size"],
                        epochs=case["epochs"], validation_split=case["validation_split"],
                        shuffle=False, verbose=0)
    return model, history


def signed_labels(case: dict) -> bool:
    """±1 targets (hinge losses): Keras's binary accuracy compares them to 0/1 as they are."""
    return bool(np.any(np.asarray(case["y"]) < 0))


@pytest.mark.parametrize("case", FITS, ids=[c["name"] for c in FITS])
def test_fit_history(case):
    model, history = fit_like_keras(case)
    assert sorted(history.history) == sorted(case["history"]), "history keys differ"
    for key, want in case["history"].items():
        assert_close(history.history[key], want, what=f"{case['name']} {key}")
    for index, (got, want) in enumerate(zip(model.get_weights(), case["final_weights"])):
        assert_close(got, want, what=f"{case['name']} final weight {index}")


def test_fit_history_key_order():
    case = next(c for c in FITS if c["name"] == "bce_adam")
    _, history = fit_like_keras(case)
    assert list(history.history) == list(case["history"])  # accuracy, loss, val_accuracy, val_loss


def test_binary_accuracy_of_signed_labels():
    case = next(c for c in FITS if signed_labels(c) and "accuracy" in c["history"])
    _, history = fit_like_keras(case)
    assert_close(history.history["accuracy"], case["history"]["accuracy"], what=case["name"])
