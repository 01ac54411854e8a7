"""Saturation: the stuck run (moons, BCE, SGD at lr 1e3) is named; healthy and confident runs are not."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine import ExperimentConfig, build_experiment, losses
from engine.diagnostics_recorder import DiagnosticsRecorder
from engine.saturation import DETAIL, Saturation, check, probe, probe_rows

EPS = 1e-7


def recorded(config: ExperimentConfig):
    experiment = build_experiment(config)
    trainer = experiment.trainer()
    recorder = DiagnosticsRecorder(experiment.model, trainer.x, trainer.y, iterations_per_epoch=trainer.iterations_per_epoch)
    history = trainer.fit(verbose=0, callbacks=[recorder])
    return history, recorder


def test_the_stuck_run_is_saturated():
    history, recorder = recorded(ExperimentConfig(loss="binary_crossentropy", optimizer="sgd",
                                                  learning_rate=1e3, epochs=5))
    # every output is 0 or 1, half of them wrong: loss ½ · (-ln 1e-7) ≈ 8.05, accuracy 0.5
    assert history.status == "finished"
    assert history.history["loss"][-1] == pytest.approx(-0.5 * math.log(EPS), abs=0.02)
    assert history.history["accuracy"][-1] == pytest.approx(0.5, abs=0.01)
    assert recorder.saturated and recorder.latest.saturated
    assert recorder.saturation.pinned == 1.0 and 0.45 < recorder.saturation.wrong < 0.55
    assert recorder.saturation.detail == DETAIL == "saturated: outputs pinned at the 1e-7 clip"
    assert recorder.latest.grad_norm == 0.0  # the clip passes no gradient: nothing can move
    assert recorder.latest.update_ratio == 0.0


@pytest.mark.parametrize("loss", ["sparse_categorical_crossentropy", "categorical_crossentropy"])
def test_the_stuck_multiclass_run_is_saturated(loss):
    _, recorder = recorded(ExperimentConfig(dataset="spiral", classes=3, loss=loss, optimizer="sgd",
                                            learning_rate=1e3, epochs=2))
    assert recorder.saturated


def test_a_healthy_run_is_not_saturated():
    history, recorder = recorded(ExperimentConfig(epochs=5))
    assert history.history["loss"][-1] < 0.5
    assert recorder.saturation.pinned == 0.0 and not recorder.saturated and recorder.saturation.detail is None


def test_a_confident_correct_run_is_not_saturated():
    # blobs are separable: Adam pins ≥ 99 % of outputs at the clip on the right side
    _, recorder = recorded(ExperimentConfig(dataset="blobs", optimizer="adam", learning_rate=0.05, epochs=3))
    assert recorder.saturation.pinned >= 0.99 and recorder.saturation.wrong == 0.0
    assert not recorder.saturated


def test_check_binary_by_hand():
    loss = losses.get("binary_crossentropy")
    y = np.array([[1.0], [0.0], [1.0], [0.0]])
    p = np.array([[1e-8], [0.0], [0.5], [1.0 - 1e-8]])
    # true-class probabilities: 1e-8 (pinned wrong), 1 (pinned right), 0.5, 1e-8 (pinned wrong)
    assert check(loss, y, p) == Saturation(pinned=0.75, wrong=0.5, samples=4)


def test_check_categorical_by_hand():
    p = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.2, 0.3, 0.5]])
    sparse = check(losses.get("sparse_categorical_crossentropy"), np.array([0, 2, 2]), p)
    one_hot = check(losses.get("categorical_crossentropy"), np.eye(3)[[0, 2, 2]], p)
    assert sparse == one_hot == Saturation(pinned=2 / 3, wrong=1 / 3, samples=3)


def test_saturated_needs_both_pinned_and_wrong():
    assert Saturation(0.99, 0.01, 100).saturated
    assert not Saturation(0.98, 0.5, 100).saturated
    assert not Saturation(1.0, 0.0, 100).saturated


def test_losses_that_do_not_clip_are_not_probed():
    x, y = np.zeros((4, 2)), np.zeros((4, 1))
    assert check(losses.get("mse"), y, y) is None
    assert probe(losses.BinaryCrossentropy(from_logits=True), lambda a: np.zeros((len(a), 1)), x, y) is None


def test_probe_rows_are_bounded_and_spread_over_the_data():
    x = np.arange(1000.0)[:, None]
    px, py = probe_rows(x, x[:, 0])
    assert len(px) == 250 and px[0, 0] == 0 and px[-1, 0] == 996 and px.flags.c_contiguous
