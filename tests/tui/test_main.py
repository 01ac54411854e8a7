"""``python -m tui`` flags: the same experiment flags as ``python -m engine run``; bad ones exit 2."""

from collections import Counter

import pytest

import tui.__main__ as entry
from engine import ExperimentConfig
from tests.calls import counted


@pytest.fixture
def opened(monkeypatch):
    """What ``python -m tui`` would open: (config, make_app's other arguments) per run."""
    runs = []

    class FakeApp:
        return_code = 0

        def __init__(self, config, kwargs):
            self.config, self.kwargs = config, kwargs

        def run(self):
            runs.append((self.config, self.kwargs))

    import tui.app

    monkeypatch.setattr(tui.app, "make_app", lambda config, **kwargs: FakeApp(config, kwargs))
    return runs


def test_flags_set_the_experiment_the_app_opens_on(opened):
    entry.main(["--dataset", "spiral", "--classes", "3", "--loss", "sparse_categorical_crossentropy",
                "--batch-size", "200", "--validation-split", "0"])
    assert [config for config, _ in opened] == [ExperimentConfig(
        dataset="spiral", classes=3, loss="sparse_categorical_crossentropy", batch_size=200, validation_split=0.0)]
    entry.main([])
    assert opened[-1][0] == ExperimentConfig() and "speed" not in opened[-1][1]  # the app's default speed


def test_a_setup_file_opens_with_its_race_and_flags_override_it(opened, tmp_path):
    from engine import sharing

    path = tmp_path / "race.toml"
    setup = sharing.Setup(ExperimentConfig(epochs=4), sharing.RaceSetup("batch_size", (1, 32, "full")))
    sharing.save(path, setup)
    entry.main([str(path), "--seed", "3"])
    config, kwargs = opened[-1]
    assert config == ExperimentConfig(epochs=4, seed=3) and kwargs["race"] == setup.race


def test_lesson_speed_and_language_flags(opened):
    from tui import i18n, lessons

    entry.main(["--lesson", "overfitting", "--speed", "max", "--lang", "ko"])
    try:
        config, kwargs = opened[-1]
        assert kwargs["lesson"] == lessons.get("overfitting") and config == kwargs["lesson"].setup.config
        assert kwargs["speed"] is None and i18n.language() == "ko"
    finally:
        i18n.set_language("en")
    entry.main(["--speed", "30"])
    assert opened[-1][1]["speed"] == 30


def test_list_lessons_prints_name_and_title_per_line(capsys):
    from tui import lessons

    entry.main(["--list-lessons"])
    assert capsys.readouterr().out.splitlines() == lessons.listing("en")


@pytest.mark.parametrize("argv, message", [
    (["--batch-size", "0"], "batch size must be a whole number ≥ 1"),
    (["--optimizer", "adma"], "did you mean 'adam'"),
    (["--dataset", "spiral", "--classes", "3"], "binary_crossentropy needs two classes"),
    (["--lesson", "overfiting"], "unknown lesson 'overfiting'; did you mean 'overfitting'"),
    (["--speed", "7"], "speed must be one of 1, 3, 10, 30, 100, 300, max"),
    (["nope.toml"], "nope.toml: cannot read"),
    (["--lang", "ko", "nope.toml"], "nope.toml: 읽을 수 없습니다: "),  # the refusals in the language asked for
    (["--lang", "ko", "--hidden", "100000,100000"], "이 설정에는 메모리가 약 "),
    (["--out", "x.csv"], "unrecognized arguments: --out"),  # not "x.csv: cannot read" (taken for a setup file)
    (["--lang", "ko", "--out", "x.csv"], "error: 알 수 없는 인수: --out"),  # argparse's own words, in Korean too
    (["--epochs", "--lang", "ko"], "error: 인수 --epochs: 값이 하나 필요합니다"),
    (["--la", "ko", "--epochs"], "error: 인수 --epochs: 값이 하나 필요합니다"),  # --lang as argparse abbreviates it
    (["--lang=ko", "--lang", "xx"], "error: 인수 --lang: 잘못된 선택: 'xx' (가능한 값: 'en', 'ko')"),
    (["--lang", "ko", "--loss", "nope"], "error: 인수 --loss: 알 수 없는 손실 함수 'nope' (가능한 값: "),
    (["--lang", "ko", "--lesson", "nope"], "error: 알 수 없는 수업 'nope' (가능한 값: "),
    (["--lang", "ko", "--dataset", "spiral", "--classes", "3"], "error: binary_crossentropy에는 클래스 2개가 필요하지만 "),
    (["--lang", "ko", "--speed", "7"], "error: 인수 --speed: 속도: 1, 3, 10, 30, 100, 300, max 중 하나만 받습니다 (입력: '7')"),
    (["--validation-split", "0.9999", "--samples", "100"], "leaves 0 of 100 samples for training"),  # was a traceback
    (["--opt", "foo=1"], "error: unknown adam argument 'foo'"),
    (["--optimizer", "momentum", "--opt", "momentum=1.10"], "error: momentum must be in [0, 1], got '1.10'"),  # was a traceback: the estimate built the optimizer
    (["--lang", "ko", "--opt", "clipnorm=1", "--opt", "clipvalue=1"], "error: clipnorm, clipvalue, global_clipnorm 중 하나만 "),
    (["--lang", "ko", "--opt", "x"], "error: 인수 --opt: 옵티마이저 옵션은 KEY=VALUE 꼴입니다 (예: beta_1=0.8), 입력: 'x'"),
    (["--lang", "ko", "--dataset", "nope.csv"], "error: 그런 파일이 없습니다: 'nope.csv'"),
    (["--lang", "ko", "--classes", "5"], "error: moons은(는) classes=를 받지 않습니다 (받는 데이터셋: spiral, blobs)"),
    (["--lang", "ko", "--serve", "--port", "0"], "error: 인수 --port: 포트: 1부터 65535까지의 정수만 받습니다 (입력: '0')"),
    (["--lang", "ko", "--serve", "--host", "bad host"], "error: 호스트 'bad host'에서 서비스할 수 없습니다: "),
])
def test_bad_flags_exit_2_with_one_line_before_the_screen_is_taken(capsys, argv, message):
    with pytest.raises(SystemExit) as info:
        entry.main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


BIG = ["--samples", "25900000"]  # over tui.background.QUICK_BYTES: the app would build it once open


@pytest.mark.parametrize("argv, message", [
    (BIG + ["--dataset", "sine", "--loss", "mse", "--class-weight", "balanced"], "class weights need class labels"),
    (BIG + ["--early-stopping", "3", "--validation-split", "0"], "(no validation split: set one, or watch loss)"),
    (BIG + ["--schedule", "exponential", "--schedule-opt", "decay_steps=0"], "decay_steps"),
])
def test_a_setup_too_big_to_build_before_the_screen_is_refused_before_it_all_the_same(opened, capsys, argv, message):
    """The engine's late refusals (found once a setup is laid out) are made on a few samples: exit 2, one line, no
    app — not a refusal inside the app once its background build gets there."""
    with pytest.raises(SystemExit) as info:
        entry.main(argv)
    err = capsys.readouterr().err
    assert info.value.code == 2 and message in err and err.count("\n") == 1 and not opened


def test_a_setup_too_big_to_build_before_the_screen_opens_the_app_that_builds_it(opened, monkeypatch):
    """Checked before the screen, not built: the app opens on it (it crashed: handed the check's layout as
    the built experiment), judged once: neither asked again whether it is quick nor checked again for its
    counters."""
    import tui.app
    from tui import background
    from tui.app import DescendApp
    from tui.main import totals

    calls = counted(monkeypatch, (background, "is_quick"), (tui.app, "is_quick"), (entry, "check_experiment"),
                    (totals, "check_experiment"))
    entry.main(BIG)
    config, kwargs = opened[-1]
    assert config.samples == 25_900_000 and kwargs["experiment"] is None and kwargs["judged"].config == config
    app = DescendApp(config, experiment=kwargs["experiment"], judged=kwargs["judged"])
    assert app.start_build is kwargs["judged"] and app.config == ExperimentConfig()  # built once the app is open
    assert app.totals.iterations == 647_500 and calls == Counter(is_quick=1, check_experiment=1)


def test_a_csv_file_too_big_to_load_before_the_screen_is_read_once(opened, monkeypatch, tmp_path):
    """Read to be checked before the screen, the rows are the ones the app builds from (not read again)."""
    from engine import datasets
    from tui import background
    from tui.main import building

    monkeypatch.setattr(background, "QUICK_CSV_BYTES", 100)  # this file is big
    path = tmp_path / "rows.csv"
    path.write_text("x,label\n" + "".join(f"{i % 7},{i % 2}\n" for i in range(60)))
    calls = counted(monkeypatch, (datasets, "load_csv"))
    entry.main(["--dataset", str(path)])
    config, kwargs = opened[-1]
    judged = kwargs["judged"]
    assert kwargs["experiment"] is None and len(judged.dataset) == 60 and judged.plan.train_size == 48
    experiment = building.build_session(config, dataset=judged.dataset).experiment  # what the app's build makes
    assert len(experiment.x) == 60 and calls == Counter(load_csv=1)

    from engine import sharing  # a race on it: its line-up judged on the same rows, the file read once still
    setup = tmp_path / "race.toml"
    sharing.save(setup, sharing.Setup(config, sharing.RaceSetup("optimizer", ("sgd", "adam", "rmsprop"))))
    calls.clear()
    entry.main([str(setup)])
    assert opened[-1][1]["race"].values == ("sgd", "adam", "rmsprop") and calls == Counter(load_csv=1)


def test_a_malformed_csv_too_big_to_load_before_the_screen_is_refused_before_it(opened, capsys, tmp_path):
    path = tmp_path / "big.csv"
    rows = "".join(f"{i % 7},{i % 2}\n" for i in range(300_000))
    path.write_text("x,label\n1,0\n1,two\n" + rows)  # 1.2 MB, row 3 not a number
    with pytest.raises(SystemExit) as info:
        entry.main(["--dataset", str(path)])
    err = capsys.readouterr().err
    assert info.value.code == 2 and "big.csv: row 3, column 'label': 'two' is not a number" in err and not opened


def test_a_setup_files_race_is_checked_before_the_screen_too(opened, capsys, tmp_path):
    from engine import sharing

    path = tmp_path / "race.toml"
    sharing.save(path, sharing.Setup(ExperimentConfig(dataset="sine", loss="mse"),
                                     sharing.RaceSetup("loss", ("mse", "hinge"))))
    with pytest.raises(SystemExit) as info:
        entry.main([str(path)])
    err = capsys.readouterr().err
    assert info.value.code == 2 and "hinge needs class labels" in err and err.count("\n") == 1 and not opened


def test_help_lists_the_flags_and_the_keys(capsys):
    with pytest.raises(SystemExit) as info:
        entry.main(["--help"])
    out = capsys.readouterr().out
    assert info.value.code == 0
    assert "--batch-size" in out and "space run/pause" in out


def test_a_surface_setup_file_opens_the_surface_view(opened, tmp_path):
    from engine import sharing
    from engine.surfaces.setup import SurfaceSetup, WalkerSetup

    walk = SurfaceSetup("dip", (-4.0, 1.0), 200, (WalkerSetup("momentum", {"learning_rate": 0.05}),))
    path = tmp_path / "walk.toml"
    sharing.save(path, sharing.Setup(ExperimentConfig(), surface=walk))
    entry.main([str(path)])
    assert opened[-1][1]["surface"] == walk and opened[-1][1]["race"] is None


def test_a_quit_grace_that_is_not_a_number_of_seconds_is_refused(opened, capsys, monkeypatch):
    """``DESCEND_QUIT_GRACE`` (seconds a signalled quit may take): one line and exit 2 unless a number > 0."""
    for text in ("soon", "0", "-1", "inf"):
        monkeypatch.setenv("DESCEND_QUIT_GRACE", text)
        with pytest.raises(SystemExit) as info:
            entry.main([])
        err = capsys.readouterr().err
        assert info.value.code == 2 and err == (f"{entry.make_parser().prog}: error: DESCEND_QUIT_GRACE must be a "
                                                f"finite number > 0, got '{text}'\n") and not opened
