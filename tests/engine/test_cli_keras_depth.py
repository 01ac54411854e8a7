"""CLI: --schedule/--schedule-opt, --early-stopping/--monitor, --class-weight, race --schedules."""

from __future__ import annotations

import json

import numpy as np
import pytest

from engine import Sequential, sharing
from engine.cli import main
from engine.command_line import command_line
from engine.config import ExperimentConfig
from engine.experiment import build
from engine.optimizers import schedules
from engine.sample_weights import balanced_class_weight, parse_class_weight

SMALL = ["--samples", "200", "--hidden", "8"]


def run_json(capsys, *argv):
    assert main(["run", *SMALL, "--json", *argv]) == 0
    return json.loads(capsys.readouterr().out)


def test_schedule_defaults_follow_the_run():
    # 160 training samples, batch 32 → 5 iterations per epoch; 4 epochs → T = 20 updates
    config = ExperimentConfig(samples=200, epochs=4, optimizer="sgd", learning_rate=0.1)
    step = build(config.replace(schedule="step")).model.optimizer.schedule
    assert step == schedules.PiecewiseConstantDecay([10, 15], [0.1, 0.1 / 10, 0.1 / 100])
    warm = build(config.replace(schedule="cosine", schedule_options={"warmup_steps": 5})).model.optimizer.schedule
    assert warm == schedules.CosineDecay(0.0, 15, warmup_target=0.1, warmup_steps=5)
    exp = build(config.replace(schedule="exponential", schedule_options={"decay_rate": 0.5})).model.optimizer.schedule
    assert exp == schedules.ExponentialDecay(0.1, 5, 0.5)
    assert build(config).model.optimizer.schedule is None


def test_run_with_a_schedule_equals_fit_with_that_schedule(capsys):
    out = run_json(capsys, "--epochs", "3", "--optimizer", "sgd", "--learning-rate", "0.2",
                   "--schedule", "step", "--schedule-opt", "boundaries=5,10", "--schedule-opt", "values=0.2,0.1,0.05")
    config = ExperimentConfig(samples=200, hidden=(8,), epochs=3, optimizer="sgd", learning_rate=0.2,
                              schedule="step", schedule_options={"boundaries": [5, 10], "values": [0.2, 0.1, 0.05]})
    experiment = build(config)
    history = experiment.trainer().fit(verbose=0)
    assert out["history"]["loss"] == history.history["loss"]
    assert experiment.model.optimizer.learning_rate == 0.05  # step 15 > boundary 10
    constant = run_json(capsys, "--epochs", "3", "--optimizer", "sgd", "--learning-rate", "0.2")
    assert constant["history"]["loss"][0] == out["history"]["loss"][0]   # the same rate for 5 steps…
    assert constant["history"]["loss"][2] != out["history"]["loss"][2]   # …then not


def test_a_step_schedule_of_one_boundary_runs_and_its_written_command_line_runs_too(capsys):
    """One drop, the lecture's case: ``boundaries=500`` is a list of one (it was refused: 'int' object is not
    iterable), and the command line written for that setup is the same flags again."""
    flags = ["--epochs", "2", "--optimizer", "sgd", "--schedule", "step", "--schedule-opt", "boundaries=5",
             "--schedule-opt", "values=0.2,0.02"]
    out = run_json(capsys, *flags)
    config = ExperimentConfig(samples=200, hidden=(8,), epochs=2, optimizer="sgd", schedule="step",
                              schedule_options={"boundaries": [5], "values": [0.2, 0.02]})
    assert out["history"]["loss"] == build(config).trainer().fit(verbose=0).history["loss"]
    written = command_line(sharing.Setup(config)).split()
    assert written[:4] == ["python", "-m", "engine", "run"] and "boundaries=5" in written
    assert main([*written[3:], "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["history"]["loss"] == out["history"]["loss"]


def test_early_stopping_stops_and_says_where(capsys):
    argv = ["run", *SMALL, "--epochs", "200", "--learning-rate", "0.05", "--early-stopping", "3"]
    assert main(argv) == 0
    text = capsys.readouterr().out
    assert "stopping  EarlyStopping(monitor='val_loss', patience=3)" in text
    line = next(l for l in text.splitlines() if "early stopping" in l and l.startswith("Epoch"))
    stopped = int(line.split(":")[0].split()[1])
    best = int(line.split("best epoch ")[1].split()[0])
    assert stopped - best == 3 and f"Epoch {stopped}/200" in text and f"Epoch {stopped + 1}/200" not in text
    out = run_json(capsys, "--epochs", "200", "--learning-rate", "0.05", "--early-stopping", "3")
    es = out["early_stopping"]
    assert (es["stopped_epoch"], es["best_epoch"]) == (stopped, best)
    assert len(out["history"]["val_loss"]) == stopped
    assert es["best"] == min(out["history"]["val_loss"]) == out["history"]["val_loss"][best - 1]


def test_monitor_loss_without_validation(capsys):
    out = run_json(capsys, "--epochs", "30", "--validation-split", "0", "--early-stopping", "0", "--monitor", "loss",
                   "--learning-rate", "0.5", "--optimizer", "sgd")
    assert out["early_stopping"]["monitor"] == "loss"


def test_class_weight_balanced_is_sklearns():
    labels = np.array([0, 0, 0, 1])
    assert balanced_class_weight(labels, 2) == {0: 4 / (2 * 3), 1: 4 / (2 * 1)}
    assert balanced_class_weight(np.array([0, 2, 2]), 3) == {0: 3 / (2 * 1), 2: 3 / (2 * 2)}  # class 1 absent
    assert parse_class_weight("0=1,1=3") == {0: 1.0, 1: 3.0} and parse_class_weight(" Balanced ") == "balanced"


def test_run_with_class_weight_equals_fit_with_class_weight(capsys):
    out = run_json(capsys, "--epochs", "2", "--class-weight", "0=1,1=3")
    experiment = build(ExperimentConfig(samples=200, hidden=(8,), epochs=2, class_weight="0=1,1=3"))
    assert experiment.class_weight == {0: 1.0, 1: 3.0}
    plain = build(ExperimentConfig(samples=200, hidden=(8,), epochs=2))
    trainer = plain.trainer()
    weighted = plain.model.fit(trainer.x, trainer.y[:, 0], batch_size=32, epochs=2, seed=0, verbose=0,
                               class_weight={0: 1.0, 1: 3.0},
                               validation_data=(plain.x[160:], plain.y[160:]))
    assert out["history"]["loss"] == weighted.history["loss"]
    balanced = build(ExperimentConfig(samples=200, hidden=(8,), epochs=2, class_weight="balanced"))
    labels = balanced.dataset.y[:160].astype(int)
    assert balanced.class_weight == balanced_class_weight(labels, 2)


def test_race_schedules_constant_vs_warmup_cosine(capsys):
    assert main(["race", *SMALL, "--json", "--epochs", "3", "--optimizer", "sgd", "--learning-rate", "0.3",
                 "--schedules", "constant,cosine:warmup_steps=5"]) == 0
    race = json.loads(capsys.readouterr().out)
    labels = [c["label"] for c in race["runs"]]
    assert labels == ["constant", "cosine:warmup_steps=5"]
    for contestant, schedule in zip(race["runs"], ["constant", "cosine"]):  # each equals its solo run
        solo = run_json(capsys, "--epochs", "3", "--optimizer", "sgd", "--learning-rate", "0.3",
                        "--schedule", schedule, *(["--schedule-opt", "warmup_steps=5"] if schedule == "cosine" else []))
        assert contestant["history"]["loss"] == solo["history"]["loss"]


def test_schedule_race_setup_round_trips(tmp_path, capsys):
    path = tmp_path / "race.toml"
    assert main(["race", *SMALL, "--epochs", "1", "--schedules", "constant,step:boundaries=2;4:values=0.01;0.005;0.001",
                 "--save-config", str(path)]) == 0
    setup = sharing.load(path)
    assert setup.race.field == "schedule" and "step:boundaries=2;4:values=0.01;0.005;0.001" in setup.race.values
    config = ExperimentConfig(schedule="cosine", schedule_options={"warmup_steps": 10, "alpha": 0.1},
                              early_stopping=4, monitor="val_accuracy", class_weight="balanced")
    again = sharing.loads(sharing.dumps(sharing.Setup(config))).config
    assert again == config
    assert "--schedule cosine --early-stopping 4 --monitor val_accuracy --class-weight balanced" in \
        command_line(sharing.Setup(config))


BAD = [
    (["run", "--early-stopping", "-1"], "early stopping patience must be a whole number ≥ 0"),
    (["run", "--early-stopping", "2", "--monitor", "val_acc"], "unknown monitor 'val_acc'; did you mean 'val_accuracy'"),
    (["run", "--early-stopping", "2", "--validation-split", "0"], "no validation split"),
    (["run", "--schedule", "cosin"], "did you mean 'cosine'"),
    (["run", "--schedule", "exponential", "--schedule-opt", "decay_steps=0"],
     "Argument `decay_steps` must be > 0. Received: decay_steps=0"),
    (["run", "--schedule", "cosine", "--schedule-opt", "decay"], "KEY=VALUE"),
    (["run", "--schedule", "cosine", "--schedule-opt", "decay=1"], "unexpected keyword argument 'decay'"),
    (["run", "--schedule-opt", "decay_steps=5"], "the constant learning rate takes no schedule options"),
    (["run", "--class-weight", "0=1,2=3"], "class weight for class 2, but 'moons' has classes 0 to 1"),
    (["run", "--class-weight", "0=-1"], "the weight of class 0 must be a finite number ≥ 0"),
    (["run", "--class-weight", "heavy"], "class weights look like 'balanced'"),
    (["run", "--dataset", "sine", "--loss", "mse", "--class-weight", "balanced"], "regression dataset"),
    (["race", "--schedules", "constant,cosin"], "did you mean 'cosine'"),
    (["race", "--schedules", "constant,constant"], "duplicate schedule 'constant'"),
    (["race", "--early-stopping", "3"], "early stopping stops one run"),
]


@pytest.mark.parametrize("argv, message", BAD, ids=[" ".join(a) for a, _ in BAD])
def test_bad_values_exit_2_with_one_line(capsys, argv, message):
    with pytest.raises(SystemExit) as exit_info:
        raise SystemExit(main([*argv, "--epochs", "1", "--samples", "100"]))
    out, err = capsys.readouterr()
    assert exit_info.value.code == 2 and "Traceback" not in err and out == ""
    last = err.strip().splitlines()[-1]
    assert last.startswith(f"python -m engine {argv[0]}: error: ") and message in last, last
