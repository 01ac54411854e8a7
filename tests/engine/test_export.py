"""History export: CSV and JSON hold every update and every epoch; writes are atomic."""

import csv
import gc
import json
import os
import tracemalloc

import numpy as np
import pytest

from engine import ExperimentConfig, build_experiment
from engine.export import ITERATION_COLUMNS, ExportError, Recorder, RunRecord, atomic_write
from engine.jsonout import dump_json
from tests.engine.conftest import run_cli as cli


def recorded_run(block=None, **changes):
    experiment = build_experiment(ExperimentConfig(**{"samples": 200, "epochs": 3, **changes}))
    trainer = experiment.trainer()
    recorder = Recorder.of_trainer(trainer, experiment.config.to_dict())
    if block is not None:
        recorder.runs[0].block = block  # losses kept in memory before they go to the temporary file
    while (event := trainer.step()) is not None:
        recorder.add(event)
    recorder.finish(0, trainer.status, trainer.diverged_at)
    return trainer, recorder


def test_csv_has_one_row_per_update_and_the_epoch_logs_on_each_epochs_last_row(tmp_path):
    trainer, recorder = recorded_run(batch_size=48)  # 160 train samples: 4 iterations, the last of 16
    recorder.write(tmp_path / "h.csv")
    rows = list(csv.DictReader(open(tmp_path / "h.csv")))
    assert len(rows) == trainer.step_count == 12
    assert [r["batch_size"] for r in rows[:4]] == ["48", "48", "48", "16"]
    assert [r["examples_seen"] for r in rows[:4]] == ["48", "96", "144", "160"]
    ends = [r for r in rows if r["loss"]]
    assert [r["epoch"] for r in ends] == ["1", "2", "3"] and [r["iteration"] for r in ends] == ["4"] * 3
    for key, values in trainer.history.history.items():
        assert [float(r[key]) for r in ends] == values  # repr() round-trips the exact float


def test_json_holds_the_same_numbers_column_wise(tmp_path):
    trainer, recorder = recorded_run()
    recorder.write(tmp_path / "h.json")
    data = json.loads((tmp_path / "h.json").read_text())
    run = data["runs"][0]
    assert data["config"]["samples"] == 200 and run["status"] == "finished"
    assert run["epochs"]["epoch"] == [1, 2, 3]
    for key, values in trainer.history.history.items():
        assert run["epochs"][key] == values
    assert run["iterations"]["step"] == list(range(1, trainer.step_count + 1))


def test_a_diverged_run_exports_null_for_non_finite_values(tmp_path):
    trainer, recorder = recorded_run(dataset="sine", samples=2000, loss="mse", optimizer="sgd",
                                     learning_rate=10.0)
    assert trainer.status == "diverged"
    recorder.write(tmp_path / "h.json")
    run = json.loads((tmp_path / "h.json").read_text())["runs"][0]
    assert run["status"] == "diverged" and run["diverged_at"] == list(trainer.diverged_at)
    assert None in run["iterations"]["batch_loss"]


def test_an_export_interrupted_mid_write_leaves_the_previous_file_intact(tmp_path):
    path = tmp_path / "h.csv"
    path.write_text("the previous export\n")

    def chunks():
        yield "step,epoch\n"
        yield "1,1\n"
        raise KeyboardInterrupt  # ctrl+c half way through the rows

    with pytest.raises(KeyboardInterrupt):
        atomic_write(path, chunks())
    assert path.read_text() == "the previous export\n"
    assert os.listdir(tmp_path) == ["h.csv"]  # no temporary file left behind


def test_a_run_past_its_in_memory_block_exports_the_same_numbers(tmp_path):
    _, whole = recorded_run(batch_size=16)  # 10 iterations an epoch, 30 updates
    _, spilled = recorded_run(block=7, batch_size=16)  # 28 of them in the temporary file, 2 in memory
    run = spilled.runs[0]
    assert len(run) == 30 and run._tail[0] == 28 and len(run._tail[1]) == 2
    assert run.losses().tobytes() == whole.runs[0].losses().tobytes()  # bit for bit
    assert run.losses(5, 9).tolist() == whole.runs[0].losses()[5:9].tolist()  # across the file and a block
    for name in ("h.csv", "h.json"):
        whole.write(tmp_path / ("whole" + name))
        spilled.snapshot().write(tmp_path / name)  # a snapshot shares the file, copies the block
        assert (tmp_path / name).read_text() == (tmp_path / ("whole" + name)).read_text()


def test_a_long_runs_history_keeps_one_block_in_memory():
    losses = np.random.default_rng(0).normal(size=50_000)  # 400 KB of losses
    record = RunRecord("run", iterations_per_epoch=100, batch_size=1, n=100, block=128)
    gc.collect()
    tracemalloc.start()
    try:
        record.extend(losses)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 32 * 1024  # one block of 4 KiB and the file's buffer, not 400 KB
    assert record.losses().tobytes() == losses.tobytes() and len(record) == 50_000


def test_json_is_written_a_block_at_a_time_the_same_bytes_as_one_dump(tmp_path):
    losses = np.random.default_rng(0).normal(size=3_000)
    losses[[3, 7]] = np.nan, np.inf  # null, as a diverged run writes them
    record = RunRecord("run", iterations_per_epoch=100, batch_size=1, n=100, block=128)
    record.extend(losses, [(e, {"loss": float(e)}) for e in range(1, 31)])
    empty = RunRecord("none yet", iterations_per_epoch=3, batch_size=4, n=10)  # no update: its columns are []
    recorder = Recorder([record, empty], config={"samples": 100}, field="optimizer")
    gc.collect()
    tracemalloc.start()
    try:
        recorder.write(tmp_path / "h.json")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 ** 19  # a block's text at a time; the whole table as Python lists took 2.4 MB
    whole = {"config": {"samples": 100}, "field": "optimizer", "columns": list(ITERATION_COLUMNS),
             "runs": [{**r.to_dict(), "iterations": r.columns()} for r in (record, empty)]}
    assert (tmp_path / "h.json").read_text() == dump_json(whole, indent=1) + "\n"  # byte for byte


def test_a_recorder_interrupted_while_writing_rows_leaves_the_previous_file(tmp_path, monkeypatch):
    _, recorder = recorded_run()
    path = tmp_path / "h.csv"
    recorder.write(path)
    before = path.read_text()
    _, other = recorded_run(block=5, optimizer="sgd")  # rows read back from its temporary file
    rows = other.csv_lines()

    def failing():
        for i, line in enumerate(rows):
            if i == 5:
                raise OSError(28, "No space left on device")
            yield line

    monkeypatch.setattr(other, "csv_lines", failing)
    with pytest.raises(ExportError, match="No space left on device"):
        other.write(path)
    assert path.read_text() == before and os.listdir(tmp_path) == ["h.csv"]


def test_cli_out_writes_csv_and_json_by_extension(capsys, tmp_path):
    code, out, err = cli(capsys, "run", "--samples", "200", "--epochs", "2", "--json", "--out", str(tmp_path / "h.csv"))
    assert code == 0 and "exported the history to" in err
    history = json.loads(out)["history"]
    rows = list(csv.DictReader(open(tmp_path / "h.csv")))
    assert [float(r["val_loss"]) for r in rows if r["val_loss"]] == history["val_loss"]
    code, _, _ = cli(capsys, "run", "--samples", "200", "--epochs", "2", "--out", str(tmp_path / "h.json"))
    assert json.loads((tmp_path / "h.json").read_text())["runs"][0]["epochs"]["val_loss"] == history["val_loss"]


def test_cli_race_out_has_a_run_column_per_contestant(capsys, tmp_path):
    code, out, _ = cli(capsys, "race", "--samples", "200", "--epochs", "2", "--optimizers", "sgd,adam", "--json",
                       "--out", str(tmp_path / "r.csv"))
    assert code == 0
    runs = json.loads(out)["runs"]
    rows = list(csv.DictReader(open(tmp_path / "r.csv")))
    for run in runs:
        mine = [r for r in rows if r["run"] == run["label"]]
        assert len(mine) == run["steps"]
        assert [float(r["loss"]) for r in mine if r["loss"]] == run["history"]["loss"]


@pytest.mark.parametrize("path, message", [
    ("h.txt", "export file must end in .csv or .json"),
    ("no/such/folder/h.csv", "no folder"),
])
def test_cli_refuses_a_bad_export_path_before_training(capsys, tmp_path, path, message):
    code, out, err = cli(capsys, "run", "--samples", "200", "--out", str(tmp_path / path))
    assert code == 2 and message in err and err.count("\n") == 1 and "Epoch" not in out


@pytest.mark.parametrize("batch_size", [1, 48, 160, 500, "full"])
def test_the_derived_columns_are_the_events_own(batch_size):
    experiment = build_experiment(ExperimentConfig(samples=200, epochs=2, batch_size=batch_size))
    trainer = experiment.trainer()
    recorder = Recorder.of_trainer(trainer)
    events = []
    while (event := trainer.step()) is not None:
        recorder.add(event)
        events.append(event)
    columns = recorder.runs[0].columns()
    for name, attribute in [("step", "step"), ("epoch", "epoch"), ("iteration", "iteration"),
                            ("examples_seen", "examples_seen"), ("batch_size", "batch_size"), ("batch_loss", "loss")]:
        assert columns[name] == [getattr(e, attribute) for e in events], name


def test_an_atomic_write_has_the_permissions_open_would_give(tmp_path):
    import os
    import stat

    umask = os.umask(0o022)
    os.umask(umask)
    fresh = tmp_path / "fresh.csv"
    atomic_write(fresh, ["a\n"])
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o666 & ~umask  # not mkstemp's private 0600
    kept = tmp_path / "kept.csv"
    kept.write_text("old\n")
    kept.chmod(0o640)
    atomic_write(kept, ["new\n"])
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and kept.read_text() == "new\n"
