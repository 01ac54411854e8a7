"""The network's loss landscape: the centre is evaluate's loss, the grid is the loss of each plane point,
filter-normalized and PCA directions, paths projected; the CLI's JSON and errors."""

from __future__ import annotations

import json

import numpy as np
import pytest

from engine import ExperimentConfig, build_experiment
from tests.engine.conftest import run_cli
from engine.config import ConfigError
from engine.landscape import filter_normalized, plane_losses, principal, project, race_landscape, train_and_map
from engine.race import Race, entries, parse_values

SMALL = ExperimentConfig(samples=200, epochs=4)


@pytest.mark.parametrize("directions", ["random", "pca"])
def test_centre_is_center_loss_is_evaluate_on_the_training_data(directions):
    experiment = build_experiment(SMALL)
    result, history = train_and_map(experiment, directions=directions, grid=7)
    n = experiment.train_size
    evaluated = experiment.model.evaluate(experiment.x[:n], experiment.y[:n], return_dict=True)["loss"]
    assert result.grid.shape == (7, 7)
    assert result.grid[3, 3] == result.center_loss == evaluated  # the same bits
    assert result.alphas[3] == 0.0 == result.betas[3]
    assert history.history["loss"][-1] != evaluated  # the epoch loss is the batches' mean, not this
    assert len(result.path) == SMALL.epochs + 1  # the start, then one point per epoch
    assert result.path[-1].tolist() == [0.0, 0.0]  # the last at the centre: the final weights


def test_each_grid_point_is_the_loss_of_its_weights():
    experiment = build_experiment(SMALL)
    model = experiment.model
    n = experiment.train_size
    x, y = experiment.x[:n], experiment.y[:n]
    rng = np.random.default_rng(5)
    centre = model.params.copy()
    d1, d2 = rng.standard_normal((2, centre.size)) * 0.3
    alphas, betas = np.array([-1.0, 0.5]), np.array([0.25, 2.0, -3.0])
    grid = plane_losses(model, x, y, centre, d1, d2, alphas, betas)
    assert grid.shape == (3, 2)
    for i, b in enumerate(betas):
        for j, a in enumerate(alphas):
            model.params[...] = centre + (a * d1 + b * d2)
            assert grid[i, j] == pytest.approx(model.evaluate(x, y, return_dict=True)["loss"], rel=1e-13)
    model.params[...] = centre


def test_filter_normalized_directions_have_each_units_norm_and_hold_the_biases():
    rng = np.random.default_rng(0)
    weights = [rng.standard_normal((2, 16)) * 3, rng.standard_normal(16), rng.standard_normal((16, 1)), np.ones(1)]
    d = filter_normalized(weights, np.random.default_rng(1))
    assert d.shape == (2 * 16 + 16 + 16 + 1,)
    kernel, bias = d[:32].reshape(2, 16), d[32:48]
    np.testing.assert_allclose(np.linalg.norm(kernel, axis=0), np.linalg.norm(weights[0], axis=0), rtol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(d[48:64]), np.linalg.norm(weights[2]), rtol=1e-12)
    assert not bias.any() and d[64] == 0.0


def test_pca_recovers_a_path_that_lies_in_a_plane():
    rng = np.random.default_rng(0)
    u, v = np.linalg.qr(rng.standard_normal((50, 2)))[0].T
    centre = rng.standard_normal(50)
    coords = np.array([[4.0, 1.0], [3.0, -0.5], [1.5, 0.3], [0.5, -0.1], [0.0, 0.0]])
    path = centre + coords[:, :1] * u + coords[:, 1:] * v
    d1, d2, explained = principal(path, centre)
    assert abs(d1 @ d2) < 1e-12 and np.linalg.norm(d1) == pytest.approx(1) == np.linalg.norm(d2)
    assert sum(explained) == pytest.approx(1.0) and explained[0] > explained[1]
    projected = project(path, centre, d1, d2)
    rebuilt = centre + projected[:, :1] * d1 + projected[:, 1:] * d2
    np.testing.assert_allclose(rebuilt, path, atol=1e-12)


def test_a_race_shares_one_plane_through_the_initial_weights():
    race = Race(entries(SMALL, "optimizer", parse_values("optimizer", "sgd,momentum,adam")))
    result = race_landscape(race, directions="pca", grid=5)
    assert list(result.paths) == ["sgd", "momentum", "adam"]
    assert all(p[0].tolist() == [0.0, 0.0] and len(p) == SMALL.epochs + 1 for p in result.paths.values())
    ends = np.array([p[-1] for p in result.paths.values()])
    assert np.min(np.linalg.norm(ends[:, None] - ends[None], axis=2) + np.eye(3)) > 0.05  # they end apart
    experiment = build_experiment(SMALL)  # the same initial weights
    n = experiment.train_size
    assert result.center_loss == experiment.model.evaluate(experiment.x[:n], experiment.y[:n], return_dict=True)["loss"]
    assert result.grid[2, 2] == result.center_loss
    with pytest.raises(ConfigError, match="one loss"):
        race_landscape(Race(entries(SMALL, "loss", ["mse", "binary_crossentropy"])), grid=3)



def test_cli_json_has_the_issue_keys(capsys):
    code, out, _ = run_cli(capsys, "landscape", "--samples", "200", "--epochs", "3", "--grid", "5",
                           "--directions", "pca", "--json")
    data = json.loads(out)
    assert code == 0
    assert {"grid", "alphas", "betas", "center_loss", "path", "directions"} <= set(data)
    assert len(data["grid"]) == len(data["betas"]) == 5 and all(len(row) == len(data["alphas"]) for row in data["grid"])
    assert data["grid"][2][2] == data["center_loss"] and data["path"][-1] == [0.0, 0.0]
    assert data["directions"] == "pca" and len(data["path"]) == 4


@pytest.mark.parametrize("argv, message", [
    (["--grid", "2"], "grid must be a whole number ≥ 3, got '2'"),
    (["--grid", "x"], "grid must be a whole number ≥ 3, got 'x'"),
    (["--directions", "pcb"], "directions must be one of random, pca, got 'pcb'"),
    (["--optimizers", "adma"], "unknown optimizer 'adma'"),
    (["--epochs", "0"], "epochs"),
])
def test_cli_bad_input_is_one_line_exit_2(capsys, argv, message):
    code, out, err = run_cli(capsys, "landscape", "--samples", "100", *argv)
    assert code == 2 and out == "" and err.count("\n") == 1 and message in err


def test_should_stop_cancels_training_and_the_grid():
    from engine.landscape import Cancelled

    calls = []

    def stop_after(n):
        def should_stop():
            calls.append(1)
            return len(calls) > n
        return should_stop

    with pytest.raises(Cancelled):
        train_and_map(build_experiment(SMALL), grid=5, should_stop=stop_after(3))  # during training
    calls.clear()
    experiment = build_experiment(SMALL)
    model, n = experiment.model, experiment.train_size
    with pytest.raises(Cancelled):
        plane_losses(model, experiment.x[:n], experiment.y[:n], model.params, model.params, model.params,
                     np.zeros(3), np.zeros(3), should_stop=stop_after(0))


def test_a_diverged_run_has_no_landscape_and_says_where_it_diverged():
    experiment = build_experiment(ExperimentConfig(dataset="linear", loss="mse", samples=50, epochs=3,
                                                  optimizer="sgd", learning_rate=1e10))
    with pytest.raises(ConfigError, match=r"^the run diverged at epoch 1, iteration 2: there is no landscape"):
        train_and_map(experiment, grid=5)
