"""engine.checks: one message per kind of bad value, the same from the engine, the CLI and the app."""

from __future__ import annotations

import pathlib
import re

import numpy as np
import pytest

from engine import ConfigError, checks, datasets, losses, optimizers
from engine.cli import main


def message(check, *args, **kwargs) -> str:
    with pytest.raises(ValueError) as info:
        check(*args, **kwargs)
    return str(info.value)


def test_whole_numbers():
    assert checks.whole_number("epochs", 3, minimum=1) == 3
    assert type(checks.whole_number("epochs", np.int64(3), minimum=1)) is int
    assert message(checks.whole_number, "epochs", 0, minimum=1) == "epochs must be a whole number ≥ 1, got 0"
    assert message(checks.whole_number, "epochs", 2.0, minimum=1) == "epochs must be a whole number ≥ 1, got 2.0"
    assert message(checks.whole_number, "epochs", True, minimum=1) == "epochs must be a whole number ≥ 1, got True"
    assert message(checks.whole_number, "classes", 21, minimum=2, maximum=20) == \
        "classes must be a whole number from 2 to 20, got 21"
    assert checks.whole_number("seed", None, minimum=0, allow_none=True) is None
    assert message(checks.whole_number, "seed", -1, minimum=0, allow_none=True) == \
        "seed must be a whole number ≥ 0 or None, got -1"


def test_parsed_whole_numbers_quote_the_text():
    assert checks.parse_whole("samples", " 12 ", minimum=1) == 12
    assert message(checks.parse_whole, "samples", "abc", minimum=1) == "samples must be a whole number ≥ 1, got 'abc'"
    assert message(checks.parse_whole, "samples", "0", minimum=1) == "samples must be a whole number ≥ 1, got '0'"
    assert message(checks.parse_whole, "seed", "1.5") == "seed must be a whole number, got '1.5'"


@pytest.mark.parametrize("value, bounds, text", [
    (-1.0, dict(low=0), "noise must be a finite number ≥ 0, got -1.0"),
    (0.0, dict(low=0, low_open=True), "noise must be a finite number > 0, got 0.0"),
    (float("nan"), dict(low=0), "noise must be a finite number ≥ 0, got nan"),
    (float("inf"), {}, "noise must be a finite number, got inf"),
    (1.0, dict(low=0, high=1, high_open=True), "noise must be in [0, 1), got 1.0"),
    (1.5, dict(low=0, high=1), "noise must be in [0, 1], got 1.5"),
    ("0.5", dict(low=0), "noise must be a finite number ≥ 0, got '0.5'"),
    (False, {}, "noise must be a finite number, got False"),
])
def test_numbers_out_of_bounds(value, bounds, text):
    assert message(checks.number, "noise", value, **bounds) == text


def test_numbers_in_bounds():
    assert checks.number("x", 0, low=0) == 0.0
    assert checks.number("x", np.float32(0.5), low=0, high=1, high_open=True) == 0.5
    assert checks.number("x", 1, low=0, high=1) == 1.0
    assert checks.parse_number("x", "1e-3", low=0, low_open=True) == 0.001
    for text in ("abc", "nan", "-inf", "0"):
        assert message(checks.parse_number, "lr", text, low=0, low_open=True) == \
            f"lr must be a finite number > 0, got {text!r}"


def test_flags_and_the_error_class():
    assert checks.flag("nesterov", np.bool_(True)) is True
    assert message(checks.flag, "nesterov", "false") == "nesterov must be True or False, got 'false'"
    with pytest.raises(ConfigError):
        checks.flag("nesterov", 1)
    with pytest.raises(datasets.DatasetError):
        checks.number("noise", -1, low=0, error=datasets.DatasetError)


def test_typed_pairs_and_typed_options():
    assert checks.parse_pair("start", "-1, 2.5") == (-1.0, 2.5)
    assert message(checks.parse_pair, "start", "1") == "start must be two numbers X,Y, got '1'"
    assert message(checks.parse_pair, "start", "1,x") == "start must be a finite number, got 'x'"
    assert checks.parse_flag_or_number("nesterov", " TRUE ") is True
    assert checks.parse_flag_or_number("amsgrad", "false") is False
    assert checks.parse_flag_or_number("momentum", "0.5") == 0.5
    assert message(checks.parse_flag_or_number, "momentum", "yes") == "momentum must be a finite number, got 'yes'"


def test_names_with_did_you_mean():
    assert checks.name("optimizer", " Adam ", optimizers.names()) == "adam"
    assert checks.name("loss", "MSE", losses.names(), losses.ALIASES) == "mean_squared_error"
    text = message(checks.name, "optimizer", "adma", ["sgd", "adam"])
    assert text == "unknown optimizer 'adma'; did you mean 'adam'? (valid: sgd, adam)"
    assert message(checks.name, "optimizer", "zzz", ["sgd"]) == "unknown optimizer 'zzz' (valid: sgd)"


@pytest.mark.parametrize("engine_call, argv", [
    (lambda: datasets.get("moons", noise=-1.0), ["run", "--noise", "-1"]),
    (lambda: optimizers.get("sgd", learning_rate=0.0), ["run", "--learning-rate", "0"]),
    (lambda: datasets.get("spiral", classes=50), ["run", "--dataset", "spiral", "--classes", "50"]),
])
def test_the_engine_and_the_cli_say_the_same_thing(engine_call, argv, capsys):
    with pytest.raises(ValueError) as info:
        engine_call()
    code = None
    try:
        code = main(argv)
    except SystemExit as exit_info:
        code = exit_info.code
    err = capsys.readouterr().err
    assert code == 2
    said = re.sub(r"^\w+: ", "", str(info.value)).split(", got")[0]  # the dataset's name prefix aside
    assert said.replace("learning_rate", "learning rate") in err


def test_no_module_writes_the_common_messages_itself():
    """The phrases of the shared checks appear only in engine/checks.py (and batching's "or 'full'")."""
    root = pathlib.Path(__file__).resolve().parents[2]
    phrases = ("must be a whole number", "must be a finite number", "must be True or False", "did you mean",
               "must be two numbers X,Y")
    offenders = []
    for path in [*root.joinpath("engine").rglob("*.py"), *root.joinpath("tui").rglob("*.py")]:
        if path.name == "checks.py" or path.name == "batching.py":
            continue
        text = path.read_text()
        offenders += [f"{path.relative_to(root)}: {p}" for p in phrases if p in text]
    assert offenders == []
