"""Writes tests/engine/golden/keras_reference.json: what the real Keras 3 computes, in float64.

Run it with a Python that has keras and torch (never the project's own environment):

    python -m venv /tmp/kvenv && /tmp/kvenv/bin/pip install torch==2.13.0 keras numpy
    KERAS_BACKEND=torch /tmp/kvenv/bin/python tools/keras_reference.py

It records, with their inputs: every loss's reduced value and its gradient with respect to
``y_pred`` (torch autograd through the Keras loss); every optimizer's variables after a few
``optimizer.apply`` calls; and whole ``model.fit`` histories (plus the final weights).
tools/keras_reference_depth.py adds learning-rate schedules (61 steps each), every loss case
with sample weights under every reduction, weighted metrics, and fits with schedules,
callbacks (EarlyStopping, ReduceLROnPlateau, LearningRateScheduler), sample and class weights
and validation data. (This session's venv: /work/venv-keras, run from tools/.)

Float64 caveat (checked, and corrected here): under the torch and JAX backends Keras's
``backend.result_type`` maps float64 to float32 (``dtypes.BIT64_TO_BIT32_DTYPE``, "to be
aligned with JAX's default"), so ``ops.mean`` and ``ops.divide_no_nan`` silently compute in
float32 even with ``floatx="float64"`` — every ``sum_over_batch_size`` loss comes back as a
float32 tensor. Only the TensorFlow backend keeps float64 there. This script applies the
TensorFlow backend's mapping (float64 stays float64) and then proves, with a torch function
mode, that no float32 tensor is created anywhere in what it records. The size of the drift
without the fix is stored under ``"float32_drift"``.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("KERAS_BACKEND", "torch")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import torch  # noqa: E402
from keras.src.backend.common import dtypes as keras_dtypes  # noqa: E402
from torch.overrides import TorchFunctionMode  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "tests" / "engine" / "golden" / "keras_reference.json"
LOW_PRECISION = (torch.float32, torch.float16, torch.bfloat16)


class NoLowPrecision(TorchFunctionMode):
    """Records every torch call that returns a float32/16 tensor."""

    def __init__(self):
        super().__init__()
        self.hits: list[str] = []

    def __torch_function__(self, func, types, args=(), kwargs=None):
        out = func(*args, **(kwargs or {}))
        for t in out if isinstance(out, (tuple, list)) else (out,):
            if isinstance(t, torch.Tensor) and t.dtype in LOW_PRECISION:
                self.hits.append(getattr(func, "__name__", str(func)))
        return out


def plain(x):
    """JSON-ready nested lists of Python floats (repr precision round-trips exactly)."""
    if isinstance(x, torch.Tensor):
        x = x.detach().cpu().numpy()
    return np.asarray(x, dtype=np.float64).tolist()


# -- losses ------------------------------------------------------------------------------
def loss_cases() -> list[dict]:
    rng = np.random.default_rng(20240611)
    reg_true = rng.normal(size=(4, 3)).round(3)
    reg_pred = (reg_true + rng.normal(scale=1.5, size=(4, 3))).round(3)
    col_true = rng.normal(size=(5, 1)).round(3)
    col_pred = (col_true + rng.normal(scale=2.0, size=(5, 1))).round(3)
    bin_true = np.array([[0.0], [1.0], [1.0], [0.0], [1.0], [0.0]])
    bin_prob = np.array([[0.2], [0.7], [1.0], [0.0], [0.0], [1.0]])  # 0 and 1 hit the clip
    bin_prob2 = np.array([[0.1, 0.9, 0.5], [0.65, 1e-9, 0.999], [0.3, 0.4, 1.0 - 1e-9]])
    bin_true2 = np.array([[0.0, 1.0, 1.0], [1.0, 0.0, 1.0], [0.0, 0.25, 1.0]])
    logits1 = np.array([[-2.5], [0.3], [4.0], [-0.7], [40.0], [-40.0]])
    onehot = np.eye(3)[[0, 2, 1, 2]]
    probs = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.25, 0.5, 0.25], [0.0, 0.01, 0.99]])
    unnorm = np.array([[1.4, 0.4, 0.2], [0.3, 0.9, 1.8], [2.0, 5.0, 3.0], [0.5, 0.0, 0.1]])
    logits3 = np.array([[2.0, -1.0, 0.5], [0.1, 0.2, 3.0], [-1.0, 2.5, 0.0], [30.0, -30.0, 0.0]])
    labels = np.array([0, 2, 1, 2])
    pm1 = np.array([[1.0, -1.0, 1.0], [-1.0, -1.0, 1.0], [1.0, 1.0, -1.0], [-1.0, 1.0, -1.0]])
    counts = np.array([[0.0, 2.0, 1.0], [3.0, 0.0, 1.0], [1.0, 1.0, 5.0], [0.0, 0.0, 2.0]])
    rates = np.array([[0.5, 1.5, 1.0], [2.0, 0.1, 0.9], [1.2, 0.8, 4.0], [0.3, 1e-3, 2.5]])
    dist = np.array([[0.2, 0.3, 0.5], [0.0, 0.6, 0.4], [1.0, 0.0, 0.0], [0.1, 0.1, 0.8]])
    C = lambda name, yt, yp, **kw: {"loss": name, "kwargs": kw, "y_true": yt, "y_pred": yp}  # noqa: E731
    return [
        C("mean_squared_error", reg_true, reg_pred),
        C("mean_squared_error", col_true, col_pred),
        C("mean_squared_error", reg_true, reg_pred, reduction="sum"),
        C("mean_squared_error", reg_true, reg_pred, reduction="none"),
        C("mean_absolute_error", reg_true, reg_pred),
        C("mean_absolute_error", col_true, col_pred),
        C("huber", reg_true, reg_pred),
        C("huber", col_true, col_pred, delta=0.5),
        C("log_cosh", reg_true, reg_pred),
        C("log_cosh", col_true, col_pred),
        C("binary_crossentropy", bin_true, bin_prob),
        C("binary_crossentropy", bin_true, bin_prob, label_smoothing=0.1),
        C("binary_crossentropy", bin_true2, bin_prob2),
        C("binary_crossentropy", bin_true, logits1, from_logits=True),
        C("binary_crossentropy", bin_true, logits1, from_logits=True, label_smoothing=0.1),
        C("binary_crossentropy", bin_true2, np.log(bin_prob2 / (1 - bin_prob2)), from_logits=True),
        C("binary_crossentropy", bin_true, bin_prob, reduction="none"),
        C("categorical_crossentropy", onehot, probs),
        C("categorical_crossentropy", onehot, unnorm),
        C("categorical_crossentropy", onehot, probs, label_smoothing=0.1),
        C("categorical_crossentropy", onehot, logits3, from_logits=True),
        C("categorical_crossentropy", onehot, logits3, from_logits=True, label_smoothing=0.1),
        C("categorical_crossentropy", dist, unnorm),
        C("sparse_categorical_crossentropy", labels, probs),
        C("sparse_categorical_crossentropy", labels[:, None], unnorm),
        C("sparse_categorical_crossentropy", labels, logits3, from_logits=True),
        C("hinge", bin_true2.round(), reg_pred[:3]),
        C("hinge", pm1, reg_pred),
        C("hinge", bin_true, logits1 / 10),
        C("squared_hinge", bin_true2.round(), reg_pred[:3]),
        C("squared_hinge", pm1, reg_pred),
        C("categorical_hinge", onehot, reg_pred),
        C("categorical_hinge", onehot, probs),
        C("kl_divergence", dist, probs),
        C("kl_divergence", onehot, unnorm / unnorm.sum(axis=1, keepdims=True)),
        C("poisson", counts, rates),
        C("poisson", counts[:, :1], rates[:, :1]),
    ]


def keras_loss_value_and_grad(case, sample_weight=None):
    cls = {
        "mean_squared_error": keras.losses.MeanSquaredError,
        "mean_absolute_error": keras.losses.MeanAbsoluteError,
        "huber": keras.losses.Huber,
        "log_cosh": keras.losses.LogCosh,
        "binary_crossentropy": keras.losses.BinaryCrossentropy,
        "categorical_crossentropy": keras.losses.CategoricalCrossentropy,
        "sparse_categorical_crossentropy": keras.losses.SparseCategoricalCrossentropy,
        "hinge": keras.losses.Hinge,
        "squared_hinge": keras.losses.SquaredHinge,
        "categorical_hinge": keras.losses.CategoricalHinge,
        "kl_divergence": keras.losses.KLDivergence,
        "poisson": keras.losses.Poisson,
    }[case["loss"]]
    loss = cls(**case["kwargs"])
    y_pred = torch.tensor(case["y_pred"], dtype=torch.float64, requires_grad=True)
    if sample_weight is None:
        value = loss(np.asarray(case["y_true"]), y_pred)
    else:
        value = loss(np.asarray(case["y_true"]), y_pred, sample_weight=torch.tensor(sample_weight))
    value.sum().backward()
    return value, y_pred.grad


def run_losses(mode: NoLowPrecision) -> list[dict]:
    out = []
    for case in loss_cases():
        with mode:
            value, grad = keras_loss_value_and_grad(case)
        assert value.dtype == torch.float64 and grad.dtype == torch.float64, case
        out.append({**{k: (plain(v) if k.startswith("y_") else v) for k, v in case.items()},
                    "value": plain(value), "gradient": plain(grad)})
    return out


# -- optimizers -----------------------------------------------------------------------
OPTIMIZER_CASES = [
    ("sgd", {}), ("sgd", {"learning_rate": 0.1}), ("sgd", {"learning_rate": 0.1, "momentum": 0.9}),
    ("sgd", {"learning_rate": 0.1, "momentum": 0.9, "nesterov": True}),
    ("adagrad", {}), ("adagrad", {"learning_rate": 0.1}),
    ("rmsprop", {}), ("rmsprop", {"learning_rate": 0.01}),
    ("rmsprop", {"learning_rate": 0.01, "centered": True, "momentum": 0.9}),
    ("adam", {}), ("adam", {"learning_rate": 0.05}), ("adam", {"learning_rate": 0.05, "amsgrad": True}),
    ("adamw", {}), ("adamw", {"learning_rate": 0.05, "weight_decay": 0.1}),
    ("nadam", {}), ("nadam", {"learning_rate": 0.05}),
    ("adadelta", {}), ("adadelta", {"learning_rate": 1.0}),
    ("sgd", {"learning_rate": 0.1, "clipnorm": 0.5}), ("adam", {"learning_rate": 0.05, "clipnorm": 0.5}),
    ("sgd", {"learning_rate": 0.1, "global_clipnorm": 0.8}),
    ("rmsprop", {"learning_rate": 0.01, "global_clipnorm": 0.8}),
    ("sgd", {"learning_rate": 0.1, "clipvalue": 0.3}),
    ("adam", {"learning_rate": 0.05, "weight_decay": 0.01}),
]


def optimizer_inputs():
    rng = np.random.default_rng(7)
    initial = [rng.normal(size=(3, 2)).round(4), rng.normal(size=(4,)).round(4)]
    grads = [[rng.normal(scale=s, size=v.shape).round(4) for v in initial] for s in (1.0, 0.5, 2.0, 0.1, 1.0)]
    grads[3][1][:] = 0.0  # a zero gradient step for one variable
    return initial, grads


def run_optimizers(mode: NoLowPrecision) -> dict:
    initial, steps = optimizer_inputs()
    cases = []
    for name, kwargs in OPTIMIZER_CASES:
        opt = {"sgd": keras.optimizers.SGD, "adagrad": keras.optimizers.Adagrad,
             "rmsprop": keras.optimizers.RMSprop, "adam": keras.optimizers.Adam,
             "adamw": keras.optimizers.AdamW, "nadam": keras.optimizers.Nadam,
             "adadelta": keras.optimizers.Adadelta}[name](**kwargs)
        variables = [keras.Variable(v, dtype="float64") for v in initial]
        after = []
        with mode:
            for grads in steps:
                opt.apply([torch.tensor(g, dtype=torch.float64) for g in grads], variables)
                after.append([plain(v.value) for v in variables])
        assert all(v.value.dtype == torch.float64 for v in variables)
        cases.append({"optimizer": name, "kwargs": kwargs, "after": after,
                      "config": {k: v for k, v in opt.get_config().items()
                                 if isinstance(v, (int, float, bool, type(None)))}})
    return {"initial": [plain(v) for v in initial], "grads": [[plain(g) for g in s] for s in steps],
            "cases": cases}


# -- fit ------------------------------------------------------------------------------
def fit_data(kind: str, n: int, rng):
    x = rng.normal(size=(n, 2)).round(4)
    if kind == "binary":
        y = ((x[:, 0] * x[:, 1] > 0) ^ (rng.random(n) < 0.1)).astype(np.float64)[:, None]
    elif kind == "regression":
        y = (np.sin(2 * x[:, :1]) + 0.5 * x[:, 1:] + rng.normal(scale=0.1, size=(n, 1))).round(4)
    elif kind == "counts":
        y = rng.poisson(np.exp(0.5 * x[:, :1] - 0.3 * x[:, 1:])).astype(np.float64)
    elif kind in ("one_hot", "integer"):
        labels = (np.arctan2(x[:, 1], x[:, 0]) // (2 * np.pi / 3)).astype(int) % 3
        y = np.eye(3)[labels] if kind == "one_hot" else labels.astype(np.float64)
    return x, y


def fit_case(name, targets, units, activation, loss, optimizer, n=200, batch=32, epochs=3, split=0.2,
             hidden_activation="relu", optimizer_kwargs=None, loss_kwargs=None):
    return {"name": name, "targets": targets, "units": units, "activation": activation, "loss": loss,
            "optimizer": optimizer, "n": n, "batch_size": batch, "epochs": epochs, "validation_split": split,
            "hidden_activation": hidden_activation, "optimizer_kwargs": optimizer_kwargs or {},
            "loss_kwargs": loss_kwargs or {}}


FIT_CASES = [
    # the brief's cases
    fit_case("bce_adam", "binary", 1, "sigmoid", "binary_crossentropy", "adam"),
    fit_case("mse_sgd", "regression", 1, "linear", "mean_squared_error", "sgd"),
    fit_case("cce_rmsprop", "one_hot", 3, "softmax", "categorical_crossentropy", "rmsprop"),
    fit_case("scce_adagrad", "integer", 3, "softmax", "sparse_categorical_crossentropy", "adagrad"),
    fit_case("bce_adam_full_batch", "binary", 1, "sigmoid", "binary_crossentropy", "adam", batch=200, epochs=5),
    fit_case("bce_adam_batch1", "binary", 1, "sigmoid", "binary_crossentropy", "adam", n=20, batch=1, split=0.0),
    fit_case("bce_adam_partial_batch", "binary", 1, "sigmoid", "binary_crossentropy", "adam", n=70, epochs=4,
             split=0.0),
    fit_case("mse_sgd_lr", "regression", 1, "linear", "mean_squared_error", "sgd", n=70, epochs=4, split=0.0,
             optimizer_kwargs={"learning_rate": 0.05}),
    # every other optimizer, clipping inside fit, the other losses and hidden activations
    fit_case("bce_logits_nesterov", "binary", 1, "linear", "binary_crossentropy", "sgd", hidden_activation="tanh",
             optimizer_kwargs={"learning_rate": 0.1, "momentum": 0.9, "nesterov": True},
             loss_kwargs={"from_logits": True, "label_smoothing": 0.1}),
    fit_case("huber_rmsprop_centered", "regression", 1, "linear", "huber", "rmsprop", hidden_activation="elu",
             optimizer_kwargs={"learning_rate": 0.01, "centered": True, "momentum": 0.5}),
    fit_case("log_cosh_nadam", "regression", 1, "linear", "log_cosh", "nadam", hidden_activation="gelu",
             optimizer_kwargs={"learning_rate": 0.01}),
    fit_case("mae_adamw", "regression", 1, "linear", "mean_absolute_error", "adamw",
             hidden_activation="leaky_relu", optimizer_kwargs={"learning_rate": 0.01, "weight_decay": 0.05}),
    fit_case("kld_adadelta", "one_hot", 3, "softmax", "kl_divergence", "adadelta",
             optimizer_kwargs={"learning_rate": 1.0}),
    fit_case("cce_smooth_adam_clipnorm", "one_hot", 3, "softmax", "categorical_crossentropy", "adam",
             optimizer_kwargs={"learning_rate": 0.05, "clipnorm": 0.1}, loss_kwargs={"label_smoothing": 0.1}),
    fit_case("cat_hinge_sgd_global_clipnorm", "one_hot", 3, "linear", "categorical_hinge", "sgd",
             optimizer_kwargs={"learning_rate": 0.1, "global_clipnorm": 0.5}),
    fit_case("hinge_adam_clipvalue", "binary", 1, "tanh", "hinge", "adam",
             optimizer_kwargs={"learning_rate": 0.01, "clipvalue": 0.05}),
    fit_case("squared_hinge_momentum", "binary", 1, "tanh", "squared_hinge", "sgd",
             optimizer_kwargs={"learning_rate": 0.05, "momentum": 0.9}),
    fit_case("poisson_adam", "counts", 1, "softplus", "poisson", "adam", optimizer_kwargs={"learning_rate": 0.01}),
    fit_case("bce_saturating_sgd", "binary", 1, "sigmoid", "binary_crossentropy", "sgd", n=60, epochs=3,
             optimizer_kwargs={"learning_rate": 5.0}),
]

OPTIMIZERS = {"sgd": "SGD", "adagrad": "Adagrad", "rmsprop": "RMSprop", "adam": "Adam", "adamw": "AdamW",
              "nadam": "Nadam", "adadelta": "Adadelta"}
LOSSES = {"mean_squared_error": "MeanSquaredError", "mean_absolute_error": "MeanAbsoluteError", "huber": "Huber",
          "log_cosh": "LogCosh", "binary_crossentropy": "BinaryCrossentropy",
          "categorical_crossentropy": "CategoricalCrossentropy",
          "sparse_categorical_crossentropy": "SparseCategoricalCrossentropy", "hinge": "Hinge",
          "squared_hinge": "SquaredHinge", "categorical_hinge": "CategoricalHinge", "kl_divergence": "KLDivergence",
          "poisson": "Poisson"}
METRICS = {"binary": ["accuracy"], "one_hot": ["accuracy"], "integer": ["accuracy"],
           "regression": ["mae"], "counts": ["mae"]}


def run_fits(mode: NoLowPrecision) -> list[dict]:
    out = []
    for index, case in enumerate(FIT_CASES):
        rng = np.random.default_rng(1000 + index)
        x, y = fit_data(case["targets"], case["n"], rng)
        if case["loss"] in ("hinge", "squared_hinge", "categorical_hinge") and case["name"].startswith("hinge"):
            y = 2 * y - 1  # ±1 labels for one; the others keep 0/1, which Keras maps to ±1
        units = case["units"]
        weights = [rng.uniform(-0.7, 0.7, size=(2, 8)).round(4), rng.normal(scale=0.1, size=8).round(4),
                   rng.uniform(-0.7, 0.7, size=(8, units)).round(4), rng.normal(scale=0.1, size=units).round(4)]
        optimizer = getattr(keras.optimizers, OPTIMIZERS[case["optimizer"]])(**case["optimizer_kwargs"])
        loss = getattr(keras.losses, LOSSES[case["loss"]])(**case["loss_kwargs"])
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(8, activation=case["hidden_activation"]),
                                  keras.layers.Dense(units, activation=case["activation"])])
        model.set_weights(weights)
        metrics = METRICS[case["targets"]]
        model.compile(optimizer=optimizer, loss=loss, metrics=metrics)
        with mode:
            history = model.fit(x, y, batch_size=case["batch_size"], epochs=case["epochs"],
                                validation_split=case["validation_split"], shuffle=False, verbose=0)
        out.append({**case, "hidden": 8, "metrics": metrics, "x": plain(x), "y": plain(y),
                    "weights": [plain(w) for w in weights],
                    "history": {k: [float(v) for v in vs] for k, vs in history.history.items()},
                    "final_weights": [plain(w) for w in model.get_weights()]})
    return out


def float32_drift() -> dict:
    """How far the unpatched torch backend's losses are from the float64 goldens (relative)."""
    worst_value, worst_grad = 0.0, 0.0
    keras_dtypes.BIT64_TO_BIT32_DTYPE["float64"] = "float32"
    try:
        for case, ref in zip(loss_cases(), REFERENCE_LOSSES):
            value, grad = keras_loss_value_and_grad(case)
            v, r = np.asarray(plain(value)), np.asarray(ref["value"])
            worst_value = max(worst_value, float(np.max(np.abs(v - r) / np.maximum(np.abs(r), 1e-300))))
            g, rg = np.asarray(plain(grad)), np.asarray(ref["gradient"])
            worst_grad = max(worst_grad, float(np.max(np.abs(g - rg)) / max(np.max(np.abs(rg)), 1e-300)))
    finally:
        keras_dtypes.BIT64_TO_BIT32_DTYPE["float64"] = "float64"
    return {"max_relative_value_error": worst_value, "max_relative_gradient_error": worst_grad,
            "note": "losses with Keras's own torch-backend promotion (float64 -> float32 in "
                    "result_type); the goldens use TensorFlow's mapping (float64 stays float64)"}


def main() -> None:
    global REFERENCE_LOSSES
    if keras.backend.backend() != "torch":
        sys.exit("run with KERAS_BACKEND=torch")
    keras.config.set_floatx("float64")
    keras_dtypes.BIT64_TO_BIT32_DTYPE["float64"] = "float64"  # TensorFlow backend's mapping
    torch.manual_seed(0)
    mode = NoLowPrecision()
    REFERENCE_LOSSES = run_losses(mode)
    doc = {
        "versions": {"keras": keras.__version__, "torch": torch.__version__, "numpy": np.__version__,
                     "python": sys.version.split()[0], "backend": keras.backend.backend(),
                     "floatx": keras.config.floatx(), "epsilon": keras.backend.epsilon()},
        "command": "KERAS_BACKEND=torch /tmp/kvenv/bin/python tools/keras_reference.py",
        "losses": REFERENCE_LOSSES,
        "optimizers": run_optimizers(mode),
        "fit": run_fits(mode),
    }
    import keras_reference_depth as depth  # the second half: schedules, weights, callbacks (same venv)

    doc.update({"schedules": depth.run_schedules(), "weighted_losses": depth.run_weighted_losses(mode),
                "weighted_metrics": depth.run_weighted_metrics(), "depth_fits": depth.run_depth_fits(mode)})
    if mode.hits:
        sys.exit(f"float32 tensors were created: {sorted(set(mode.hits))}")
    doc["float32_drift"] = float32_drift()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size / 1024:.0f} KB): {len(doc['losses'])} losses, "
          f"{len(doc['optimizers']['cases'])} optimizers, {len(doc['fit'])} fits, {len(doc['schedules'])} "
          f"schedules, {len(doc['weighted_losses'])} weighted losses, {len(doc['weighted_metrics'])} metrics, "
          f"{len(doc['depth_fits'])} fits with schedules, callbacks and weights; drift {doc['float32_drift']}")


REFERENCE_LOSSES: list[dict] = []

if __name__ == "__main__":
    main()
