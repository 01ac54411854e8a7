"""``python -m tui`` flags: the same experiment flags as ``python -m engine run``; bad ones exit 2."""

import pytest

import tui.__main__ as entry
from engine import ExperimentConfig


def test_flags_set_the_experiment_the_app_opens_on(monkeypatch):
    opened = []

    class FakeApp:
        def __init__(self, config):
            self.config = config

        def run(self):
            opened.append(self.config)

    import tui.app

    monkeypatch.setattr(tui.app, "make_app", lambda config, handle_signals: FakeApp(config))
    entry.main(["--dataset", "spiral", "--classes", "3", "--loss", "sparse_categorical_crossentropy",
                "--batch-size", "200", "--validation-split", "0"])
    assert opened == [ExperimentConfig(dataset="spiral", classes=3, loss="sparse_categorical_crossentropy",
                                       batch_size=200, validation_split=0.0)]
    entry.main([])
    assert opened[-1] == ExperimentConfig()


@pytest.mark.parametrize("argv, message", [
    (["--batch-size", "0"], "batch size must be a whole number ≥ 1"),
    (["--optimizer", "adma"], "did you mean 'adam'"),
    (["--dataset", "spiral", "--classes", "3"], "binary_crossentropy needs two classes"),
])
def test_bad_flags_exit_2_with_one_line_before_the_screen_is_taken(capsys, argv, message):
    with pytest.raises(SystemExit) as info:
        entry.main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_help_lists_the_flags_and_the_keys(capsys):
    with pytest.raises(SystemExit) as info:
        entry.main(["--help"])
    out = capsys.readouterr().out
    assert info.value.code == 0
    assert "--batch-size" in out and "space run/pause" in out
