"""``python -m engine run``: the ``diagnostics`` list in ``--json``, the ``--diagnostics`` text lines,
and the stuck run named in the final line."""

import json

import pytest

from tests.engine.conftest import run_cli

FAST = ["--samples", "200", "--epochs", "3"]
STUCK = ["--loss", "binary_crossentropy", "--optimizer", "sgd", "--learning-rate", "1000"]


def output_of(capsys, *argv) -> str:
    """What ``python -m engine *argv`` prints, having ended with status 0."""
    code, out, err = run_cli(capsys, *argv)
    assert code == 0, err
    return out


def test_json_has_one_diagnostics_entry_per_epoch(capsys):
    data = json.loads(output_of(capsys, "run", *FAST, "--json"))
    entries = data["diagnostics"]
    assert [e["epoch"] for e in entries] == [1, 2, 3]
    assert [e["step"] for e in entries] == [5, 10, 15]
    for e in entries:
        assert {"learning_rate", "grad_norm", "update_ratio", "effective_lr"} <= set(e)
        assert set(e["effective_lr"]) == {"min", "median", "max"}
        assert e["effective_lr"]["min"] <= e["effective_lr"]["median"] <= e["effective_lr"]["max"]
        assert e["learning_rate"] == 0.001 and e["grad_norm"] > 0 and 0 < e["update_ratio"] < 1
    assert [len(e["layers"]) for e in entries] == [0, 0, 3]
    assert data["status"] == "finished" and data["status_detail"] is None
    assert data["saturation"]["saturated"] is False


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "nesterov"])
def test_json_effective_lr_of_sgd_is_the_learning_rate(capsys, optimizer):
    data = json.loads(output_of(capsys, "run", *FAST, "--optimizer", optimizer, "--learning-rate", "0.05", "--json"))
    for e in data["diagnostics"]:
        assert e["effective_lr"] == {"min": 0.05, "median": 0.05, "max": 0.05}
    assert (data["diagnostics"][-1]["velocity_norm"] is None) == (optimizer == "sgd")


def test_the_stuck_run_is_named_in_text_and_json(capsys):
    out = output_of(capsys, "run", *STUCK, "--epochs", "3")
    assert out.splitlines()[-1].startswith("finished · saturated: outputs pinned at the 1e-7 clip · 150 steps · ")
    data = json.loads(output_of(capsys, "run", *STUCK, "--epochs", "3", "--json"))
    assert data["status"] == "finished"
    assert data["status_detail"] == "saturated: outputs pinned at the 1e-7 clip"
    assert data["diagnostics"][-1]["saturated"] is True and data["diagnostics"][-1]["grad_norm"] == 0.0


def test_a_healthy_run_is_just_finished(capsys):
    """Both numbers of the summary grouped by thousands (400 train samples at B = 1, 3 epochs)."""
    last = output_of(capsys, "run", "--samples", "500", "--batch-size", "1", "--epochs", "3").splitlines()[-1]
    assert last.startswith("finished · 1,200 steps · ")


def test_diagnostics_text_mode_prints_a_line_under_each_epoch(capsys):
    lines = output_of(capsys, "run", *FAST, "--optimizer", "adagrad", "--diagnostics").splitlines()
    epochs = [i for i, line in enumerate(lines) if line.startswith("Epoch ")]
    assert len(epochs) == 3
    for i in epochs:
        below = lines[i + 1]
        assert below.startswith("          learning_rate: 0.001 · grad_norm: ")
        assert "update_ratio: " in below and "effective_lr (min/median/max): " in below


def test_race_json_carries_diagnostics_per_contestant(capsys):
    data = json.loads(output_of(capsys, "race", *FAST, "--optimizers", "sgd,adagrad,rmsprop", "--json"))
    runs = {r["label"]: r for r in data["runs"]}
    for run in runs.values():
        assert [e["epoch"] for e in run["diagnostics"]] == [1, 2, 3]
        assert {"learning_rate", "grad_norm", "update_ratio", "effective_lr"} <= set(run["diagnostics"][0])
        assert run["status_detail"] is None
    assert all(e["effective_lr"]["median"] == 0.01 for e in runs["sgd"]["diagnostics"])
    adagrad = [e["effective_lr"]["median"] for e in runs["adagrad"]["diagnostics"]]
    assert adagrad[0] > adagrad[1] > adagrad[2]


def test_race_diagnostics_are_the_solo_runs(capsys):
    race = json.loads(output_of(capsys, "race", *FAST, "--optimizers", "sgd,adagrad,adam", "--json"))
    for run in race["runs"]:
        solo = json.loads(output_of(capsys, "run", *FAST, "--optimizer", run["label"], "--json"))
        assert run["diagnostics"] == solo["diagnostics"]


def test_race_names_the_stuck_contestant(capsys):
    argv = ["race", *FAST, "--optimizer", "sgd", "--learning-rates", "0.01,1000"]
    lines = output_of(capsys, *argv).splitlines()
    stuck = next(line for line in lines if " lr=1000 " in line)
    assert stuck.endswith("finished · saturated: outputs pinned at the 1e-7 clip")
    assert "saturated" not in next(line for line in lines if " lr=0.01 " in line)
    runs = json.loads(output_of(capsys, *argv, "--json"))["runs"]
    assert [r["status_detail"] for r in runs] == [None, "saturated: outputs pinned at the 1e-7 clip"]
