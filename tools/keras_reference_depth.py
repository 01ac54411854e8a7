"""The second half of tools/keras_reference.py: schedules, sample weights, callbacks and
weighted ``fit``, as the real Keras 3 computes them (float64). Imported by its ``main``."""

from __future__ import annotations

import keras
import numpy as np
import torch

from keras_reference import fit_data, loss_cases, keras_loss_value_and_grad, plain

S = keras.optimizers.schedules
SCHEDULE_CASES = [
    ("ExponentialDecay", {"initial_learning_rate": 0.1, "decay_steps": 7, "decay_rate": 0.6}),
    ("ExponentialDecay", {"initial_learning_rate": 0.1, "decay_steps": 7, "decay_rate": 0.6, "staircase": True}),
    ("PiecewiseConstantDecay", {"boundaries": [5, 12, 30], "values": [0.1, 0.05, 0.01, 0.001]}),
    ("PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": 20}),
    ("PolynomialDecay", {"initial_learning_rate": 0.1, "decay_steps": 15, "end_learning_rate": 0.01,
                         "power": 0.5, "cycle": True}),
    ("InverseTimeDecay", {"initial_learning_rate": 0.1, "decay_steps": 4, "decay_rate": 0.7}),
    ("InverseTimeDecay", {"initial_learning_rate": 0.1, "decay_steps": 4, "decay_rate": 0.7, "staircase": True}),
    ("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 25}),
    ("CosineDecay", {"initial_learning_rate": 0.1, "decay_steps": 25, "alpha": 0.1}),
    ("CosineDecay", {"initial_learning_rate": 0.001, "decay_steps": 30, "warmup_target": 0.05, "warmup_steps": 10}),
    ("CosineDecay", {"initial_learning_rate": 0.0, "decay_steps": 9, "alpha": 0.2, "warmup_target": 0.1,
                     "warmup_steps": 3}),
    ("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 5}),
    ("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 4, "t_mul": 1.0, "m_mul": 0.8,
                             "alpha": 0.05}),
    ("CosineDecayRestarts", {"initial_learning_rate": 0.1, "first_decay_steps": 3, "t_mul": 1.5, "m_mul": 0.5}),
]


def run_schedules() -> list[dict]:
    out = []
    for class_name, config in SCHEDULE_CASES:
        schedule = getattr(S, class_name)(**config)
        steps = list(range(0, 61))
        values = [float(plain(schedule(torch.tensor(s, dtype=torch.int64)))) for s in steps]
        out.append({"class_name": class_name, "config": config, "steps": steps, "values": values})
    return out


# -- losses and metrics with sample weights --------------------------------------------------
REDUCTIONS = ["sum_over_batch_size", "sum", "none", "mean", "mean_with_sample_weight"]


def run_weighted_losses(mode) -> list[dict]:
    """Every loss case of keras_reference.py, each reduction, with per-sample weights (N,)
    (and (N, 1) and a scalar for the default reduction)."""
    out = []
    rng = np.random.default_rng(99)
    for case in loss_cases():
        n = len(case["y_pred"])
        w = rng.uniform(0.0, 3.0, n).round(3)
        weights = [(r, w) for r in REDUCTIONS] + [("sum_over_batch_size", w[:, None]),
                                                   ("mean_with_sample_weight", 1.7)]
        for reduction, sample_weight in weights:
            kwargs = {**{k: v for k, v in case["kwargs"].items() if k != "reduction"}, "reduction": reduction}
            weighted = {**case, "kwargs": kwargs}
            with mode:
                value, grad = keras_loss_value_and_grad(weighted, sample_weight=np.asarray(sample_weight))
            out.append({"loss": case["loss"], "kwargs": kwargs, "y_true": plain(case["y_true"]),
                        "y_pred": plain(case["y_pred"]), "sample_weight": plain(sample_weight),
                        "value": plain(value), "gradient": plain(grad)})
    return out


METRIC_CASES = [
    # (metric, y_true batches, y_pred batches, sample_weight batches or None)
    ("BinaryAccuracy", [[1, 1, 0, 0], [[1], [0]]], [[[0.98], [1], [0], [0.6]], [[0.7], [0.2]]],
     [None, None]),
    ("BinaryAccuracy", [[[1], [1], [0], [0]], [[1], [0]]], [[[0.98], [1], [0], [0.6]], [[0.2], [0.7]]],
     [[1, 0.5, 0, 2], [3, 1]]),
    ("BinaryAccuracy", [[[1, 1], [0, 0]]], [[[0.98, 1], [0, 0.6]]], [[[1, 0], [0, 1]]]),
    ("CategoricalAccuracy", [[[0, 0, 1], [0, 1, 0], [1, 0, 0]]], [[[0.1, 0.9, 0.8], [0.05, 0.95, 0], [0.5, 0.3, 0.2]]],
     [[0.7, 0.3, 1.5]]),
    ("SparseCategoricalAccuracy", [[2, 1, 0], [[1]]], [[[0.1, 0.6, 0.3], [0.05, 0.95, 0], [0.5, 0.3, 0.2]],
                                                       [[0.2, 0.7, 0.1]]], [[0.7, 0.3, 1.5], [2.0]]),
    ("MeanAbsoluteError", [[1.0, 2.0, 4.0], [[0.5], [1.5]]], [[[2.0], [2.0], [1.0]], [[0.0], [0.0]]], [None, None]),
    ("MeanAbsoluteError", [[[0, 1, 0, 1, 0], [0, 0, 1, 1, 1]]], [[[0, 0, 1, 1, 0], [1, 1, 1, 1, 1]]], [[1.0, 2.5]]),
    ("RootMeanSquaredError", [[2, 4, 6, 8], [[1.0], [3.0]]], [[1, 3, 2, 3], [[0.5], [2.0]]],
     [[0, 1, 0.5, 1], [2, 1]]),
    ("RootMeanSquaredError", [[1.0, 2.0, 4.0]], [[[2.0], [2.0], [1.0]]], [None]),
]


def run_weighted_metrics() -> list[dict]:
    out = []
    for name, y_true, y_pred, weights in METRIC_CASES:
        metric = getattr(keras.metrics, name)()
        for t, p, w in zip(y_true, y_pred, weights):
            metric.update_state(np.asarray(t, dtype=np.float64), np.asarray(p, dtype=np.float64),
                                sample_weight=None if w is None else np.asarray(w, dtype=np.float64))
        out.append({"metric": name, "y_true": y_true, "y_pred": y_pred, "sample_weight": weights,
                    "result": float(plain(metric.result()))})
    return out


# -- fit with schedules, callbacks and weights -------------------------------------------------
SCHEDULER_FUNCTIONS = {
    # re-stated in tests/engine/test_keras_reference_depth.py: keep the two in step
    "halve_every_second_epoch": lambda epoch, lr: lr * 0.5 if epoch % 2 == 1 else lr,
    "one_over_epoch": lambda epoch: 0.2 / (1.0 + epoch),
}


def depth_case(name, targets="binary", units=1, activation="sigmoid", loss="binary_crossentropy",
               optimizer="adam", optimizer_kwargs=None, n=80, batch_size=16, epochs=4, validation_split=0.25,
               validation=None, sample_weight=False, class_weight=None, callbacks=(), metrics=("accuracy",),
               evaluate=False):
    return {"name": name, "targets": targets, "units": units, "activation": activation, "loss": loss,
            "optimizer": optimizer, "optimizer_kwargs": optimizer_kwargs or {}, "n": n, "batch_size": batch_size,
            "epochs": epochs, "validation_split": validation_split, "validation": validation,
            "sample_weight": sample_weight, "class_weight": class_weight, "callbacks": list(callbacks),
            "metrics": list(metrics), "evaluate": evaluate}


def sched(class_name, **config):
    return {"class_name": class_name, "config": config}


def callback(class_name, **config):
    return {"class_name": class_name, "config": config}


DEPTH_FIT_CASES = [
    # learning-rate schedules inside fit (evaluated at iterations, before each update)
    depth_case("adam_cosine_warmup", optimizer_kwargs={"learning_rate": sched(
        "CosineDecay", initial_learning_rate=0.001, decay_steps=12, warmup_target=0.05, warmup_steps=6)}),
    depth_case("sgd_step_decay", targets="regression", activation="linear", loss="mean_squared_error",
               optimizer="sgd", metrics=("mae",), optimizer_kwargs={"momentum": 0.9, "learning_rate": sched(
                   "PiecewiseConstantDecay", boundaries=[6, 12], values=[0.05, 0.02, 0.005])}),
    depth_case("adamw_exponential", optimizer="adamw", optimizer_kwargs={"weight_decay": 0.1, "learning_rate": sched(
        "ExponentialDecay", initial_learning_rate=0.05, decay_steps=4, decay_rate=0.7, staircase=True)}),
    depth_case("rmsprop_restarts", targets="one_hot", units=3, activation="softmax",
               loss="categorical_crossentropy", optimizer="rmsprop",
               optimizer_kwargs={"learning_rate": sched("CosineDecayRestarts", initial_learning_rate=0.02,
                                                        first_decay_steps=5)}),
    depth_case("nadam_polynomial", optimizer="nadam", optimizer_kwargs={"learning_rate": sched(
        "PolynomialDecay", initial_learning_rate=0.05, decay_steps=10, power=2.0)}),
    depth_case("adagrad_inverse_time", targets="integer", units=3, activation="softmax",
               loss="sparse_categorical_crossentropy", optimizer="adagrad", optimizer_kwargs={"learning_rate": sched(
                   "InverseTimeDecay", initial_learning_rate=0.2, decay_steps=3, decay_rate=0.5)}),
    # callbacks
    depth_case("early_stopping_restore", n=60, batch_size=8, epochs=40, optimizer_kwargs={"learning_rate": 0.2},
               callbacks=[callback("EarlyStopping", monitor="val_loss", patience=3, restore_best_weights=True)]),
    depth_case("early_stopping_accuracy_baseline", n=60, batch_size=8, epochs=25,
               optimizer_kwargs={"learning_rate": 0.05},
               callbacks=[callback("EarlyStopping", monitor="val_accuracy", min_delta=0.01, patience=2,
                                   baseline=0.6, start_from_epoch=2, restore_best_weights=True)]),
    depth_case("reduce_lr_on_plateau", targets="regression", activation="linear", loss="mean_squared_error",
               optimizer="sgd", metrics=("mae",), epochs=10, optimizer_kwargs={"learning_rate": 0.05},
               callbacks=[callback("ReduceLROnPlateau", monitor="val_loss", factor=0.5, patience=1, min_delta=0.01,
                                   cooldown=1, min_lr=0.01)]),
    depth_case("learning_rate_scheduler", epochs=5, optimizer="sgd", optimizer_kwargs={"learning_rate": 0.3},
               callbacks=[callback("LearningRateScheduler", schedule="halve_every_second_epoch")]),
    depth_case("learning_rate_scheduler_one_argument", epochs=3, optimizer="sgd",
               callbacks=[callback("LearningRateScheduler", schedule="one_over_epoch")]),
    # sample and class weights, validation data
    depth_case("sample_weight_split", sample_weight=True, evaluate=True),
    depth_case("sample_weight_validation_data", sample_weight=True, validation_split=0.0,
               validation="data_weighted", evaluate=True),
    depth_case("class_weight_binary", class_weight={0: 1.0, 1: 3.0}, validation="data", validation_split=0.0),
    depth_case("class_weight_sparse", targets="integer", units=3, activation="softmax",
               loss="sparse_categorical_crossentropy", class_weight={0: 0.5, 2: 2.5}),
    depth_case("class_weight_one_hot_sgd", targets="one_hot", units=3, activation="softmax",
               loss="categorical_crossentropy", optimizer="sgd", optimizer_kwargs={"learning_rate": 0.1},
               class_weight={1: 4.0}),
    depth_case("sample_weight_mse_mean_with_sample_weight", targets="regression", activation="linear",
               loss="mean_squared_error", metrics=("mae", "root_mean_squared_error"), sample_weight=True, evaluate=True,
               optimizer_kwargs={"learning_rate": 0.01}),
]

LOSS_CLASSES = {"binary_crossentropy": "BinaryCrossentropy", "mean_squared_error": "MeanSquaredError",
                "categorical_crossentropy": "CategoricalCrossentropy",
                "sparse_categorical_crossentropy": "SparseCategoricalCrossentropy"}
OPTIMIZER_CLASSES = {"sgd": "SGD", "adam": "Adam", "adamw": "AdamW", "rmsprop": "RMSprop", "nadam": "Nadam",
                     "adagrad": "Adagrad"}


def keras_callback(spec):
    config = dict(spec["config"])
    if spec["class_name"] == "LearningRateScheduler":
        config["schedule"] = SCHEDULER_FUNCTIONS[config["schedule"]]
    return getattr(keras.callbacks, spec["class_name"])(**config)


def run_depth_fits(mode) -> list[dict]:
    out = []
    for index, case in enumerate(DEPTH_FIT_CASES):
        rng = np.random.default_rng(5000 + index)
        x, y = fit_data(case["targets"], case["n"], rng)
        units = case["units"]
        weights = [rng.uniform(-0.7, 0.7, size=(2, 8)).round(4), rng.normal(scale=0.1, size=8).round(4),
                   rng.uniform(-0.7, 0.7, size=(8, units)).round(4), rng.normal(scale=0.1, size=units).round(4)]
        sample_weight = rng.uniform(0.2, 3.0, case["n"]).round(3) if case["sample_weight"] else None
        val = None
        if case["validation"]:
            vx, vy = fit_data(case["targets"], 30, rng)
            vsw = rng.uniform(0.2, 3.0, 30).round(3) if case["validation"] == "data_weighted" else None
            val = (vx, vy) if vsw is None else (vx, vy, vsw)
        opt_kwargs = dict(case["optimizer_kwargs"])
        if isinstance(opt_kwargs.get("learning_rate"), dict):
            spec = opt_kwargs["learning_rate"]
            opt_kwargs["learning_rate"] = getattr(S, spec["class_name"])(**spec["config"])
        optimizer = getattr(keras.optimizers, OPTIMIZER_CLASSES[case["optimizer"]])(**opt_kwargs)
        model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(8, activation="relu"),
                                  keras.layers.Dense(units, activation=case["activation"])])
        model.set_weights(weights)
        model.compile(optimizer=optimizer, loss=getattr(keras.losses, LOSS_CLASSES[case["loss"]])(),
                      metrics=case["metrics"])
        callbacks = [keras_callback(spec) for spec in case["callbacks"]]
        with mode:
            history = model.fit(x, y, batch_size=case["batch_size"], epochs=case["epochs"],
                                validation_split=case["validation_split"], validation_data=val,
                                sample_weight=sample_weight, shuffle=False, verbose=0, callbacks=callbacks,
                                class_weight=case["class_weight"])
            evaluated = model.evaluate(x, y, sample_weight=sample_weight, verbose=0, return_dict=True,
                                       batch_size=case["n"]) if case["evaluate"] else None
        states = [{k: getattr(cb, k) for k in ("stopped_epoch", "best_epoch", "wait") if hasattr(cb, k)}
                  for cb in callbacks]
        out.append({**case, "hidden": 8, "x": plain(x), "y": plain(y), "weights": [plain(w) for w in weights],
                    "sample_weight_values": None if sample_weight is None else plain(sample_weight),
                    "validation_data": None if val is None else [plain(a) for a in val],
                    "history": {k: [float(v) for v in vs] for k, vs in history.history.items()},
                    "history_keys": list(history.history), "epochs_run": len(history.epoch),
                    "callback_states": states, "iterations": int(optimizer.iterations.value),
                    "final_learning_rate": float(plain(optimizer.learning_rate)),
                    "evaluate": None if evaluated is None else {k: float(v) for k, v in evaluated.items()},
                    "final_weights": [plain(w) for w in model.get_weights()]})
    return out
