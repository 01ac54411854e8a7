"""Setup files: save → load gives the same config and the same numbers; bad files are one line, exit 2."""

import json

import pytest

from engine import ExperimentConfig, build_experiment, sharing
from engine.command_line import command_line
from engine.race import Race, entries, parse_values
from tests.engine.conftest import run_cli as cli

FAST = ["--samples", "200", "--epochs", "3"]


def history(config):
    trainer = build_experiment(config).trainer()
    return trainer.fit(verbose=0).history


def test_save_then_load_gives_the_same_config_and_identical_history(tmp_path):
    config = ExperimentConfig(dataset="spiral", samples=300, noise=0.15, classes=3, hidden=(8, 4),
                              activation="tanh", loss="sparse_categorical_crossentropy", optimizer="sgd",
                              learning_rate=0.05, optimizer_options={"momentum": 0.5, "nesterov": True},
                              batch_size=16, epochs=4, validation_split=0.25, seed=7)
    path = tmp_path / "setup.toml"
    sharing.save(path, sharing.Setup(config))
    loaded = sharing.load(path)
    assert loaded.config == config and loaded.race is None
    assert history(loaded.config) == history(config)  # bit for bit: == on lists of floats
    sharing.save(tmp_path / "again.toml", loaded)
    assert (tmp_path / "again.toml").read_text() == path.read_text()


def test_full_batch_and_defaults_left_out_round_trip(tmp_path):
    config = ExperimentConfig(batch_size="full", hidden=(), learning_rate=None)
    sharing.save(tmp_path / "s.toml", sharing.Setup(config))
    text = (tmp_path / "s.toml").read_text()
    assert 'batch_size = "full"' in text and "learning_rate" not in text and "noise" not in text
    assert sharing.load(tmp_path / "s.toml").config == config


def test_a_race_round_trips_and_races_the_same(tmp_path):
    base = ExperimentConfig(samples=200, epochs=2)
    values = parse_values("optimizer", "sgd:learning_rate=0.1,adam")
    setup = sharing.Setup(base, sharing.RaceSetup("optimizer", sharing.race_values("optimizer", values), 0.4))
    sharing.save(tmp_path / "race.toml", setup)
    loaded = sharing.load(tmp_path / "race.toml")
    assert loaded == setup
    again = parse_values(loaded.race.field, loaded.race.text())
    first = Race(entries(base, "optimizer", values), target_loss=0.4).run()
    second = Race(entries(loaded.config, "optimizer", again), target_loss=0.4).run()
    assert [c.history.history for c in first] == [c.history.history for c in second]


def test_cli_save_config_then_config_gives_the_same_numbers(capsys, tmp_path):
    path = tmp_path / "exp.toml"
    code, out1, err = cli(capsys, "run", *FAST, "--optimizer", "rmsprop", "--lr", "0.01", "--opt", "rho=0.8",
                          "--json", "--save-config", str(path))
    assert code == 0 and f"saved the setup to {path}" in err
    code, out2, _ = cli(capsys, "run", "--config", str(path), "--json")
    assert code == 0
    first, second = json.loads(out1), json.loads(out2)
    assert second["history"] == first["history"] and second["config"] == first["config"]
    code, out3, _ = cli(capsys, "run", "--config", str(path), "--epochs", "1", "--json")  # a flag overrides the file
    assert json.loads(out3)["history"]["loss"] == first["history"]["loss"][:1]


def test_cli_race_config_keeps_its_field_unless_a_list_flag_replaces_it(capsys, tmp_path):
    path = tmp_path / "race.toml"
    code, out1, _ = cli(capsys, "race", *FAST, "--batch-sizes", "1,full", "--json", "--save-config", str(path))
    assert code == 0 and 'field = "batch_size"' in path.read_text()
    code, out2, _ = cli(capsys, "race", "--config", str(path), "--json")
    assert [r["history"] for r in json.loads(out2)["runs"]] == [r["history"] for r in json.loads(out1)["runs"]]
    code, out3, _ = cli(capsys, "race", "--config", str(path), "--learning-rates", "0.01,0.1", "--json")
    assert [r["label"] for r in json.loads(out3)["runs"]] == ["lr=0.01", "lr=0.1"]


def test_a_relative_csv_path_is_kept_relative_to_the_setup_file(tmp_path):
    (tmp_path / "data").mkdir()
    csv = tmp_path / "data" / "d.csv"
    csv.write_text("a,b,y\n" + "".join(f"{i},{i % 3},{i % 2}\n" for i in range(40)))
    setup = sharing.Setup(ExperimentConfig(dataset=str(csv), epochs=1))
    sharing.save(tmp_path / "s.toml", setup)
    assert 'dataset = "data/d.csv"' in (tmp_path / "s.toml").read_text()
    assert sharing.load(tmp_path / "s.toml").config.dataset == str(csv)


@pytest.mark.parametrize("text, message", [
    ("[experiment]\nlerning_rate = 0.1\n",
     "unknown key 'experiment.lerning_rate'; did you mean 'experiment.learning_rate'?"),
    ("epochs = 3\n", "unknown key 'epochs' (valid: experiment, race, surface)"),
    ("[experiment]\nbatch_size = 0\n", "experiment.batch_size: batch size must be a whole number ≥ 1, got 0"),
    ("[experiment]\nbatch_size = \"x\"\n", "experiment.batch_size must be a whole number or \"full\", got 'x'"),
    ("[experiment]\nhidden = [16, \"a\"]\n", "experiment.hidden must be a list of whole numbers"),
    ("[experiment]\nsamples = 2.5\n", "experiment.samples must be a whole number, got 2.5"),
    ("[experiment]\nlearning_rate = -1\n", "experiment.learning_rate: learning rate must be a finite number > 0"),
    ("[experiment]\nlearning_rate = nan\n", "experiment.learning_rate must be a number, got nan"),
    ("[experiment]\noptimizer = \"adma\"\n", "experiment.optimizer: unknown optimizer 'adma'"),
    ("[experiment]\ndataset = \"moonz\"\n", "experiment.dataset: unknown dataset 'moonz'"),
    ("[experiment]\noptimizer = \"sgd\"\n[experiment.optimizer_options]\nbeta_1 = 0.3\n",
     "experiment.optimizer_options: unknown sgd argument 'beta_1'"),
    ("[race]\nfield = \"colour\"\nvalues = [1]\n", "race.field: unknown race field 'colour'"),
    ("[race]\nfield = \"optimizer\"\nvalues = [\"sgd\", \"adma\"]\n", "race.values: unknown optimizer 'adma'"),
    ("[race]\nfield = \"loss\"\nvalues = []\n", "race.values must be a non-empty list"),
    ("[race]\nfield = \"loss\"\nvalues = [\"mse\"]\nspeed = 3\n", "unknown key 'race.speed'"),
    ("[experiment\n", "not valid TOML"),
    ('[surface]\nname = "bowl"\nwalkers = [{optimizer = "sgd"}]', "surface.name: unknown surface 'bowl'"),
    ('[surface]\nname = "dip"\nwalkers = [{optimizer = "sgd", batch_size = 4}]', "surface.walkers[0].batch_size"),
    ('[surface]\nname = "dip"\nwalkers = [{optimizer = "sgd", lr = 3}]', "surface.walkers[0]: unknown sgd argument"),
    ('[surface]\nname = "dip"\nstart = [1]\nwalkers = [{optimizer = "sgd"}]', "surface.start: must"),
    ('[surface]\nname = "dip"\nwalkers = []', "surface.walkers"),
    ('[surface]\nname = "dip"\nspeed = 3\nwalkers = [{optimizer = "sgd"}]', "unknown key 'surface.speed'"),
])
def test_a_bad_file_is_one_line_naming_the_key_exit_2(capsys, tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    command = "race" if text.startswith("[race]") else "surface" if text.startswith("[surface]") else "run"
    code, out, err = cli(capsys, command, "--config", str(path))
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err and str(path) in err


def test_a_missing_file_and_a_race_file_given_to_run_are_one_line(capsys, tmp_path):
    code, _, err = cli(capsys, "run", "--config", str(tmp_path / "none.toml"))
    assert code == 2 and "cannot read" in err and err.count("\n") == 1
    path = tmp_path / "race.toml"
    sharing.save(path, sharing.Setup(ExperimentConfig(), sharing.RaceSetup("loss", ("mse",))))
    code, _, err = cli(capsys, "run", "--config", str(path))
    assert code == 2 and "holds a race: use python -m engine race --config" in err


def test_the_file_is_data_not_code(tmp_path):
    path = tmp_path / "evil.toml"
    path.write_text('[experiment]\ndataset = "__import__(\'os\').system(\'touch pwned\')"\n')
    with pytest.raises(sharing.SetupError, match="unknown dataset"):
        sharing.load(path)
    assert not (tmp_path / "pwned").exists()


def test_the_command_line_of_a_setup_parses_back_to_it():
    from engine.cli import config_from_args, make_parser

    config = ExperimentConfig(dataset="sine", loss="mse", hidden=(8,), optimizer="sgd", learning_rate=0.05,
                              optimizer_options={"momentum": 0.5, "nesterov": True}, batch_size="full",
                              validation_split=0.0, seed=3)
    words = command_line(sharing.Setup(config)).split()
    assert words[:4] == ["python", "-m", "engine", "run"]
    assert config_from_args(make_parser().parse_args(words[3:])) == config


def test_a_surface_walk_round_trips_and_walks_the_same(tmp_path, capsys):
    from engine.surfaces.setup import SurfaceSetup, WalkerSetup

    walk = SurfaceSetup("linreg", (-1.0, -2.0), 40, (
        WalkerSetup("sgd", {"learning_rate": 0.1}, 200),
        WalkerSetup("momentum", {"learning_rate": 0.02, "momentum": 0.5}, 1)), {"samples": 200, "noise": 0.5,
                                                                                         "seed": 0})
    path = tmp_path / "walk.toml"
    sharing.save(path, sharing.Setup(ExperimentConfig(), surface=walk))
    loaded = sharing.load(path)
    assert loaded.surface == walk and loaded.kind == "surface"
    ours = [w.run() for w in loaded.surface.walks()]
    assert [w.label for w in ours] == ["batch GD (B=200)", "SGD (B=1)"]
    assert ours[1].optimizer.momentum == 0.5 and len(ours[1].path) == 41
    code, out, _ = cli(capsys, "surface", "--config", str(path), "--json")
    runs = json.loads(out)["runs"]
    assert code == 0
    assert [r["path"] for r in runs] == [[p.tolist() for p in w.path] for w in ours]  # the same walk, headless


def test_a_surface_file_given_to_run_or_a_run_file_to_surface_is_one_line(capsys, tmp_path):
    walk = tmp_path / "walk.toml"
    walk.write_text('[surface]\nname = "dip"\nwalkers = [{optimizer = "sgd"}]\n')
    run = tmp_path / "run.toml"
    sharing.save(run, sharing.Setup(ExperimentConfig()))
    for argv, message in ((["run", "--config", str(walk)], "holds a surface walk: use python -m engine surface"),
                          (["surface", "--config", str(run)], "holds no surface walk"),
                          (["surface"], "name a surface")):
        code, out, err = cli(capsys, *argv)
        assert code == 2 and message in err and err.count("\n") == 1, err
