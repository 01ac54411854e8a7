"""The leaderboard shows each contestant's learning rate: the default race is each optimizer at its own
Keras default (SGD and momentum 0.01, the adaptive ones 0.001); one --learning-rate sets them all."""

from engine.cli import main

FAST = ["--samples", "200", "--epochs", "1"]


def rates(capsys, *argv) -> dict[str, str]:
    assert main(["race", *FAST, *argv]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("# contestant"))
    assert lines[header].split()[:3] == ["#", "contestant", "lr"]
    return {line.split()[1]: line.split()[2] for line in lines[header + 1:]}


def test_the_default_race_is_each_optimizer_at_its_keras_default_rate(capsys):
    assert rates(capsys) == {"sgd": "0.01", "momentum": "0.01", "adagrad": "0.001", "rmsprop": "0.001",
                             "adam": "0.001"}


def test_one_learning_rate_races_them_all_at_that_rate(capsys):
    assert set(rates(capsys, "--learning-rate", "0.01").values()) == {"0.01"}
