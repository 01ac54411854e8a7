"""The engine against the real Keras 3 (float64) for schedules, sample weights, callbacks and
weighted ``fit``: the sections tools/keras_reference_depth.py adds to golden/keras_reference.json.

Same tolerance as test_keras_reference.py (rtol 1e-12, gradients with an absolute floor of
1e-12·max|gradient|), same float64 caveats.
"""

from __future__ import annotations

import numpy as np
import pytest

from engine import Dense, Input, Sequential, callbacks, losses, metrics, optimizers
from engine.losses.reduction import REDUCTIONS
from engine.optimizers import schedules
from test_keras_reference import GOLDEN, RTOL, assert_close, torch_log1p_cells

SCHEDULER_FUNCTIONS = {
    # the same functions as tools/keras_reference_depth.py's SCHEDULER_FUNCTIONS
    "halve_every_second_epoch": lambda epoch, lr: lr * 0.5 if epoch % 2 == 1 else lr,
    "one_over_epoch": lambda epoch: 0.2 / (1.0 + epoch),
}


# -- schedules ------------------------------------------------------------------------------

@pytest.mark.parametrize("case", GOLDEN["schedules"], ids=[f"{c['class_name']}{c['config']}" for c in
                                                             GOLDEN["schedules"]])
def test_schedule_values(case):
    schedule = schedules.deserialize({"class_name": case["class_name"], "config": case["config"]})
    assert_close([schedule(s) for s in case["steps"]], case["values"], atol=1e-300,
                 what=case["class_name"])


def test_every_schedule_has_goldens():
    assert {cls.__name__ for cls in schedules.ALL.values()} <= {c["class_name"] for c in GOLDEN["schedules"]}


# -- weighted losses ------------------------------------------------------------------------
WEIGHTED = GOLDEN["weighted_losses"]


def weighted_id(case):
    return f"{case['loss']}({','.join(f'{k}={v}' for k, v in case['kwargs'].items())};w{np.shape(case['sample_weight'])})"


@pytest.mark.parametrize("case", WEIGHTED, ids=[weighted_id(c) for c in WEIGHTED])
def test_weighted_loss_value_and_gradient(case):
    loss = losses.get(case["loss"], **case["kwargs"])
    got = np.asarray(loss(case["y_true"], case["y_pred"], sample_weight=case["sample_weight"]))
    want = np.asarray(case["value"])
    if case["kwargs"]["reduction"] == "none":  # torch's log1p(-p) at the clip: see test_bce_log_vs_log1p_at_the_clip
        rows = torch_log1p_cells(case).any(axis=-1)
        got, want = got[~rows], want[~rows]
    # absolute floor 1e-12·max|value|: torch's logits kernel, log(e^-m + e^(-z-m)), rounds a per-sample
    # loss of ~1e-17 (z = -40) to 0 where the engine's log1p keeps it
    assert_close(got, want, atol=RTOL * np.max(np.abs(want)), what=weighted_id(case))
    grad = loss.gradient(case["y_true"], case["y_pred"], sample_weight=case["sample_weight"])
    want_grad = np.asarray(case["gradient"])
    assert_close(grad, want_grad, atol=RTOL * np.max(np.abs(want_grad)), what=weighted_id(case))


def test_every_reduction_is_in_the_goldens():
    assert {c["kwargs"]["reduction"] for c in WEIGHTED} == set(REDUCTIONS)


# -- weighted metrics -----------------------------------------------------------------------

@pytest.mark.parametrize("case", GOLDEN["weighted_metrics"], ids=[c["metric"] for c in GOLDEN["weighted_metrics"]])
def test_weighted_metric(case):
    metric = {"BinaryAccuracy": metrics.BinaryAccuracy, "CategoricalAccuracy": metrics.CategoricalAccuracy,
              "SparseCategoricalAccuracy": metrics.SparseCategoricalAccuracy,
              "MeanAbsoluteError": metrics.MeanAbsoluteError,
              "RootMeanSquaredError": metrics.RootMeanSquaredError}[case["metric"]]()
    total, count = 0.0, 0.0
    for y_true, y_pred, weights in zip(case["y_true"], case["y_pred"], case["sample_weight"]):
        t, c = metric.batch_total(y_true, y_pred, sample_weight=weights)
        total, count = total + t, count + c
    assert_close(metric.result(total, count), case["result"], what=case["metric"])


# -- fit with schedules, callbacks and weights --------------------------------------------------
DEPTH = GOLDEN["depth_fits"]


def engine_callback(spec):
    config = dict(spec["config"])
    if spec["class_name"] == "LearningRateScheduler":
        config["schedule"] = SCHEDULER_FUNCTIONS[config["schedule"]]
    return getattr(callbacks, spec["class_name"])(**config)


def fit_depth_case(case):
    model = Sequential([Input(shape=(2,)), Dense(case["hidden"], activation="relu"),
                        Dense(case["units"], activation=case["activation"])])
    model.build()
    model.set_weights([np.array(w, dtype=np.float64) for w in case["weights"]])
    model.compile(optimizer=optimizers.get(case["optimizer"], **case["optimizer_kwargs"]), loss=case["loss"],
                  metrics=["rmse" if m == "root_mean_squared_error" else m for m in case["metrics"]])
    cbs = [engine_callback(spec) for spec in case["callbacks"]]
    weighted = {}
    if case["sample_weight_values"] is not None:
        weighted["sample_weight"] = np.array(case["sample_weight_values"])
    if case["class_weight"] is not None:
        weighted["class_weight"] = {int(k): v for k, v in case["class_weight"].items()}
    if case["validation_data"] is not None:
        weighted["validation_data"] = tuple(np.array(a) for a in case["validation_data"])
    history = model.fit(np.array(case["x"]), np.array(case["y"]), batch_size=case["batch_size"],
                        epochs=case["epochs"], validation_split=case["validation_split"], shuffle=False,
                        verbose=0, callbacks=cbs, **weighted)
    return model, history, cbs


def engine_key(key: str) -> str:
    return key.replace("root_mean_squared_error", "rmse")


WEIGHTED_FIT = {"sample_weight", "class_weight", "validation"}


def needs_weighted_fit(case) -> bool:
    return bool(case["sample_weight"] or case["class_weight"] or case["validation"])


@pytest.mark.parametrize("case", [c for c in DEPTH if not needs_weighted_fit(c)],
                         ids=[c["name"] for c in DEPTH if not needs_weighted_fit(c)])
def test_fit_with_schedules_and_callbacks(case):
    model, history, cbs = fit_depth_case(case)
    assert list(history.history) == [engine_key(k) for k in case["history_keys"]]
    assert len(history.epoch) == case["epochs_run"] and model.optimizer.iterations == case["iterations"]
    for key, want in case["history"].items():
        assert_close(history.history[engine_key(key)], want, what=f"{case['name']} {key}")
    for index, (got, want) in enumerate(zip(model.get_weights(), case["final_weights"])):
        assert_close(got, want, what=f"{case['name']} final weight {index}")
    assert_close(model.optimizer.learning_rate, case["final_learning_rate"], what="final learning rate")
    for cb, state in zip(cbs, case["callback_states"]):
        assert {k: getattr(cb, k) for k in state} == state


@pytest.mark.parametrize("case", [c for c in DEPTH if needs_weighted_fit(c)],
                         ids=[c["name"] for c in DEPTH if needs_weighted_fit(c)])
def test_fit_with_sample_and_class_weights(case):
    """Keras's weighted fit: the loss Σ w_i l_i / B per batch, the epoch loss their batch-size-weighted
    mean, compiled metrics unweighted, validation_split slicing the weights, val_loss weighted by
    validation_data's third array; evaluate(sample_weight=) likewise."""
    model, history, _ = fit_depth_case(case)
    assert list(history.history) == [engine_key(k) for k in case["history_keys"]]
    for key, want in case["history"].items():
        assert_close(history.history[engine_key(key)], want, what=f"{case['name']} {key}")
    for index, (got, want) in enumerate(zip(model.get_weights(), case["final_weights"])):
        assert_close(got, want, what=f"{case['name']} final weight {index}")
    if case["evaluate"]:
        sw = None if case["sample_weight_values"] is None else np.array(case["sample_weight_values"])
        got = model.evaluate(np.array(case["x"]), np.array(case["y"]), sample_weight=sw, return_dict=True)
        for key, want in case["evaluate"].items():
            assert_close(got[engine_key(key)], want, what=f"{case['name']} evaluate {key}")
