"""``python -m engine surface``: the JSON contract of issue 9, the text report, and one-line errors (exit 2)."""

import json

import numpy as np
import pytest

from engine import optimizers, surfaces
from tests.engine.conftest import run_cli



def test_json_has_the_issue_keys_and_the_engine_paths(capsys):
    code, out, _ = run_cli(capsys, "surface", "rosenbrock", "--optimizers", "sgd,momentum,adam",
                           "--learning-rates", "0.001,0.001,0.05", "--start=-1,1.5", "--steps", "25", "--json")
    assert code == 0
    data = json.loads(out)
    assert {"surface", "formula", "minimum", "minimum_value", "runs"} <= set(data)
    assert data["surface"] == "rosenbrock" and data["minimum"] == [1.0, 1.0] and data["minimum_value"] == 0.0
    assert [r["label"] for r in data["runs"]] == ["sgd", "momentum", "adam"]
    surface = surfaces.get("rosenbrock")
    for run, (name, lr) in zip(data["runs"], [("sgd", 0.001), ("momentum", 0.001), ("adam", 0.05)]):
        assert {"label", "optimizer", "path", "loss", "status"} <= set(run)
        assert run["optimizer"] == name
        assert run["path"][0] == [-1.0, 1.5] and len(run["path"]) == 26 == len(run["loss"])
        walk = surfaces.Descent(surface, optimizers.get(name, learning_rate=lr), (-1.0, 1.5), steps=25).run()
        assert run["path"] == [p.tolist() for p in walk.path]  # JSON floats round-trip exactly
        assert run["loss"] == walk.losses
        assert run["status"] == "stopped"


def test_quadratic_reports_condition_number_and_divergence_rates(capsys):
    code, out, _ = run_cli(capsys, "surface", "quadratic", "--kappa", "4", "--optimizers", "sgd,momentum",
                           "--learning-rates", "0.49,0.51", "--steps", "2000", "--json")
    data = json.loads(out)
    assert data["condition_number"] == 4.0
    assert data["divergence_learning_rates"] == {"sgd": 0.5, "momentum": pytest.approx(0.95)}
    assert data["runs"][0]["status"] == "reached"  # 0.49 < 2/λmax = 0.5
    code, out, _ = run_cli(capsys, "surface", "quadratic", "--kappa", "4", "--optimizers", "sgd",
                           "--learning-rates", "0.51", "--steps", "2000", "--json")
    run = json.loads(out)["runs"][0]
    assert run["status"] == "diverged" and run["status_text"] == f"diverged at step {run['ended_at']}"


def test_text_report_names_the_dip_story(capsys):
    code, out, _ = run_cli(capsys, "surface", "dip", "--optimizers", "sgd,momentum")
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("surface   dip: f = ½(x² + y²)")
    sgd = next(line for line in lines if line.startswith("sgd "))
    momentum = next(line for line in lines if line.startswith("momentum "))
    assert "stopped after 200 steps, 2.21 from the minimum" in sgd
    assert "reached the minimum (within 0.001) at step" in momentum


def test_linreg_walks_batch_gd_mini_batch_and_sgd(capsys):
    code, out, _ = run_cli(capsys, "surface", "linreg", "--steps", "30", "--json")
    data = json.loads(out)
    assert [(r["label"], r["batch_size"]) for r in data["runs"]] == \
        [("batch GD (B=200)", 200), ("mini-batch (B=32)", 32), ("SGD (B=1)", 1)]
    assert all(len(r["path"]) == 31 for r in data["runs"])
    lin = surfaces.get("linreg")
    for run in data["runs"]:  # f per point is the full-data loss, whatever the batch
        assert run["loss"] == [lin.loss(np.array(p)) for p in run["path"]]


def test_per_optimizer_options(capsys):
    code, out, _ = run_cli(capsys, "surface", "quadratic", "--optimizers", "sgd,momentum:momentum=0.5,adam",
                           "--opt", "adam:beta_1=0.5", "--steps", "3", "--json")
    runs = json.loads(out)["runs"]
    assert [r["label"] for r in runs] == ["sgd", "momentum:momentum=0.5", "adam"]
    assert runs[1]["hyperparameters"]["momentum"] == 0.5
    assert runs[2]["hyperparameters"]["beta_1"] == 0.5 and runs[0]["hyperparameters"]["momentum"] == 0.0


@pytest.mark.parametrize("argv, message", [
    (["surface", "rosenbrok"], "unknown surface 'rosenbrok'; did you mean 'rosenbrock'?"),
    (["surface", "quadratic", "--start", "1"], "start must be two numbers X,Y, got '1'"),
    (["surface", "quadratic", "--start", "1,abc"], "start must be a finite number, got 'abc'"),
    (["surface", "quadratic", "--steps", "0"], "steps must be a whole number ≥ 1, got '0'"),
    (["surface", "quadratic", "--steps", "-3"], "steps must be a whole number ≥ 1, got '-3'"),
    (["surface", "quadratic", "--optimizers", "adma"], "unknown optimizer 'adma'"),
    (["surface", "quadratic", "--learning-rates", "0.1,0.2"], "--learning-rates gives 2 rates for 4 optimizers"),
    (["surface", "quadratic", "--kappa", "0"], "kappa must be a finite number > 0"),
    (["surface", "saddle", "--kappa", "2"], "--kappa sets the quadratic's κ; saddle has none"),
    (["surface", "dip", "--batch-sizes", "1"], "--batch-sizes needs data: only linreg has it, not dip"),
    (["surface", "dip", "--optimizers", "sgd,momentum", "--opt", "momentum:momentum=1.10"],
     "momentum: momentum must be in [0, 1], got '1.10'"),  # as typed, as every flag (not 1.1)
])
def test_bad_input_is_one_line_and_exit_2(capsys, argv, message):
    code, out, err = run_cli(capsys, *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err and err.startswith("python -m engine surface: error: ")
