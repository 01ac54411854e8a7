"""``python -m engine``: run (text and JSON), list, bench, and one-line errors for bad input."""

import json
import os
import subprocess
import sys

import pytest

from engine import ExperimentConfig
from engine.cli import main
from tests.engine.conftest import run_cli

FAST = ["--samples", "200", "--epochs", "2"]


def test_run_prints_the_setup_and_keras_style_epoch_lines(capsys):
    code, out, _ = run_cli(capsys, "run", *FAST, "--batch-size", "32")
    lines = out.splitlines()
    assert code == 0
    assert lines[0].startswith("data      moons · 200 samples (160 train / 40 validation)")
    assert "binary_crossentropy → 1 sigmoid unit, labels 0/1" in out
    assert "batch     32 (mini-batch) → 5 iterations per epoch, last batch 32" in out
    assert lines[-3].startswith("Epoch 1/2 · 5/5 · accuracy: ")
    assert lines[-1].startswith("finished · 10 steps · ")


def test_the_lecture_example_2000_samples_batch_200_is_10_iterations(capsys):
    code, out, _ = run_cli(capsys, "run", "--batch-size", "200", "--validation-split", "0", "--epochs", "1", "--json")
    data = json.loads(out)
    assert (data["iterations_per_epoch"], data["last_batch_size"], data["steps"]) == (10, 200, 10)


@pytest.mark.parametrize("batch, iterations, last, mode", [
    ("full", 1, 160, "batch gradient descent"), ("1", 160, 1, "stochastic gradient descent"),
    ("32", 5, 32, "mini-batch"), ("48", 4, 16, "mini-batch"),
])
def test_batch_modes_are_named_as_the_lecture_names_them(capsys, batch, iterations, last, mode):
    code, out, _ = run_cli(capsys, "run", *FAST, "--batch-size", batch)
    assert f"({mode}) → {iterations} iterations per epoch, last batch {last}" in out


def test_json_output_has_the_documented_fields(capsys):
    code, out, _ = run_cli(capsys, "run", *FAST, "--json")
    data = json.loads(out)
    for key in ("config", "iterations_per_epoch", "last_batch_size", "steps", "history", "status",
                "steps_per_second", "diverged_at"):
        assert key in data
    assert data["status"] == "finished" and data["diverged_at"] is None
    assert sorted(data["history"]) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    assert len(data["history"]["loss"]) == 2
    assert data["config"] == {**ExperimentConfig(samples=200, epochs=2).to_dict()}


def test_defaults_come_from_the_shared_experiment_config(capsys):
    code, out, _ = run_cli(capsys, "run", "--epochs", "1", "--samples", "100", "--json")
    config = json.loads(out)["config"]
    defaults = ExperimentConfig().to_dict()
    assert {k: v for k, v in config.items() if k not in ("epochs", "samples")} == \
           {k: v for k, v in defaults.items() if k not in ("epochs", "samples")}


@pytest.mark.parametrize("loss, dataset, units, activation", [
    ("categorical_crossentropy", ["--dataset", "spiral", "--classes", "3"], 3, "softmax"),
    ("sparse_categorical_crossentropy", ["--dataset", "blobs", "--classes", "4"], 4, "softmax"),
    ("mse", ["--dataset", "sine"], 1, "linear"),
    ("binary_crossentropy", [], 1, "sigmoid"),
])
def test_the_loss_picks_the_output_layer_and_says_so(capsys, loss, dataset, units, activation):
    code, out, _ = run_cli(capsys, "run", *FAST, "--loss", loss, *dataset, "--json")
    data = json.loads(out)
    assert data["output"]["units"] == units and data["output"]["activation"] == activation


def test_divergence_is_reported_not_raised(capsys):
    code, out, _ = run_cli(capsys, "run", "--dataset", "sine", "--loss", "mse", "--optimizer", "sgd",
                           "--learning-rate", "10", "--epochs", "5", "--json")
    data = json.loads(out)  # strict JSON: NaN/inf become null
    assert code == 0 and data["status"] == "diverged" and len(data["diverged_at"]) == 2
    assert all(type(n) is int for n in data["diverged_at"])  # numbers, not the status line's grouped text


def test_csv_dataset(capsys, tmp_path):
    path = tmp_path / "points.csv"
    rows = ["x1,x2,label"] + [f"{i % 7},{(i * 3) % 5},{int(i % 7 > 3)}" for i in range(60)]
    path.write_text("\n".join(rows) + "\n")
    code, out, _ = run_cli(capsys, "run", "--dataset", str(path), "--epochs", "1", "--json")
    assert json.loads(out)["status"] == "finished"


def test_list_prints_every_registry(capsys):
    code, out, _ = run_cli(capsys, "list")
    for word in ("sparse_categorical_crossentropy", "adagrad", "initial_accumulator_value=0.1",
                 "moons", "spiral", "leaky_relu", "momentum"):
        assert word in out
    code, out, _ = run_cli(capsys, "list", "--json")
    assert json.loads(out)["optimizers"]["adam"]["epsilon"] == 1e-7


BAD = [
    (["run", "--batch-size", "0"], "batch size must be a whole number ≥ 1"),
    (["run", "--batch-size", "x"], "batch size"),
    (["run", "--batch-size", "2.5"], "batch size"),
    (["run", "--learning-rate", "0"], "learning rate must be a finite number > 0"),
    (["run", "--learning-rate", "-1"], "learning rate"),
    (["run", "--learning-rate", "nan"], "learning rate must be a finite number > 0"),
    (["run", "--learning-rate", "inf"], "learning rate must be a finite number > 0"),
    (["run", "--epochs", "0"], "epochs must be a whole number ≥ 1"),
    (["run", "--validation-split", "1"], "validation split must be in [0, 1)"),
    (["run", "--validation-split", "-0.2"], "validation split"),
    (["run", "--samples", "0"], "samples must be a whole number ≥ 1"),
    (["run", "--noise", "-1"], "noise must be a finite number ≥ 0"),
    (["run", "--hidden", "16,x"], "hidden layers must be sizes ≥ 1"),
    (["run", "--hidden", "-4"], "hidden layers must be sizes ≥ 1"),
    (["run", "--hidden", "0"], "hidden layers must be sizes ≥ 1 separated by commas (e.g. 16,16), or none, got '0'"),
    (["run", "--optimizer", "adma"], "did you mean 'adam'"),
    (["run", "--loss", "mse2"], "unknown loss"),
    (["run", "--dataset", "moon"], "did you mean 'moons'"),
    (["run", "--activation", "relu6"], "unknown activation"),
    (["run", "--opt", "beta_1"], "KEY=VALUE"),
    (["run", "--opt", "bta_1=0.5"], "did you mean 'beta_1'"),
    (["run", "--optimizer", "momentum", "--opt", "momentum=1.10"], "momentum must be in [0, 1], got '1.10'"),  # as typed
    (["run", "--dataset", "spiral", "--classes", "3"], "binary_crossentropy needs two classes"),
    (["run", "--dataset", "sine"], "needs class labels"),
    (["run", "--dataset", "missing.csv"], "no such file"),
    (["rn"], "did you mean 'run'"),
    (["run", "--nope"], "unrecognized arguments"),
]


@pytest.mark.parametrize("argv, message", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_input_exits_2_with_one_line_on_stderr(capsys, argv, message):
    with pytest.raises(SystemExit) as exit_info:
        code = main(argv)
        raise SystemExit(code)
    out, err = capsys.readouterr()
    assert exit_info.value.code == 2
    assert message in err
    assert "Traceback" not in err and out == ""
    last = err.strip().splitlines()[-1]
    by_run = argv[0] == "run"
    assert last.startswith("python -m engine run: error: " if by_run else "python -m engine: error: ")
    assert not by_run or err.count("\n") == 1  # a subcommand's error is its one line, no usage block


@pytest.mark.parametrize("command", ["race", "landscape"])
def test_an_optimizer_option_is_refused_as_typed_by_every_subcommand(capsys, command):
    """An ``--opt`` value out of the optimizer's bounds is quoted as typed (``'1.10'``, not ``1.1``), as
    ``--lr -0.00001`` is; ``run``'s is in ``BAD``."""
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--optimizer", "momentum", "--opt", "nesterov=true", "--opt", "momentum=1.10"])
    assert exit_info.value.code == 2
    assert capsys.readouterr().err == f"python -m engine {command}: error: momentum must be in [0, 1], got '1.10'\n"


@pytest.mark.parametrize("argv", [["race", "--field", "x"], ["surface", "quadratic", "--lr", "1"],
                                  ["landscape", "--steps", "3"], ["list", "optimizers", "x"], ["bench", "--rows", "x"]])
def test_an_unknown_flag_of_any_subcommand_is_its_one_line(capsys, argv):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert capsys.readouterr().err == f"python -m engine {argv[0]}: error: unrecognized arguments: " \
                                      f"{' '.join(argv[-2:] if argv[0] != 'list' else argv[1:])}\n"


@pytest.mark.parametrize("content, message", [
    ("", "empty"),
    ("a,b\n1,abc\n", "not a number"),
])
def test_bad_csv_is_a_one_line_error(capsys, tmp_path, content, message):
    path = tmp_path / "bad.csv"
    path.write_text(content)
    with pytest.raises(SystemExit) as exit_info:
        main(["run", "--dataset", str(path)])
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_module_entry_point_runs_in_a_subprocess():
    result = subprocess.run([sys.executable, "-m", "engine", "run", "--samples", "64", "--epochs", "1"],
                            capture_output=True, text=True)
    assert result.returncode == 0 and "Epoch 1/1" in result.stdout
    result = subprocess.run([sys.executable, "-m", "engine", "run", "--batch-size", "0"],
                            capture_output=True, text=True)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_a_reader_that_stops_reading_ends_it_quietly():
    """``python -m engine list | head -1``: the pipe's reader is gone before it writes (its end is closed
    before the process starts), so every write fails; it ends as Unix tools do, 141, with no traceback."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        result = subprocess.run([sys.executable, "-m", "engine", "list"], stdout=write_end, stderr=subprocess.PIPE,
                                text=True)
    finally:
        os.close(write_end)
    assert (result.returncode, result.stderr) == (141, "")


def test_bench_prints_numbers(capsys, monkeypatch):
    """Every row of ``bench --quick`` as a fresh install prints it: without PyTorch (not a dependency; where it
    is installed, importing it alone costs this test ~2 s of CPU, so it is hidden here)."""
    from engine import bench
    monkeypatch.setattr(bench, "has_torch", lambda: False)
    code, out, _ = run_cli(capsys, "bench", "--quick")
    assert code == 0
    assert "steps/s" in out or "/s" in out
    assert out.count("(b)") == 1 and out.count("(c)") == 1
    fit = out.splitlines()[out.splitlines().index(next(x for x in out.splitlines() if "Sequential.fit" in x)) + 1]
    assert fit.strip().startswith("best of") and fit.count("/s") == 2  # model.fit beside the engine loop
    assert "torch not installed (pip install torch to measure it side by side)" in out
    assert "whole run, CPU time, median of 3 pairs" in out  # the race row in CPU time too
    assert "by hand in NumPy, CPU step, median of 3 pairs" in out  # and its hand-written yardstick
    assert "6 rates of adam (one formula), CPU, median of 3 pairs" in out
    assert out.count("(d)") == 1 and "two, CPU of the busier, median of 3 pairs" in out  # one process and two
    assert "model.fit, CPU time" not in out and "torch eager" in out  # the row's head, its numbers left out
