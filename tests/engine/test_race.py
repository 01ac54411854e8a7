"""Races: shared start and batch order (observed), equality with solo runs, lockstep, divergence, CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest

from engine import losses
from engine.config import ConfigError, ExperimentConfig
from engine.experiment import build
from engine.race import Entry, Race, entries, parse_values
from engine import metrics as metrics_module
from engine.core.stack import broadcasts, loss_and_gradient, metric_totals
from tests.calls import counted
from tests.engine.conftest import run_cli

SMALL = ExperimentConfig(samples=200, epochs=3, validation_split=0.25, seed=3)
OPTIMIZERS = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw", "nadam", "adadelta"]


def solo(config: ExperimentConfig):
    """A solo run of ``config``: ``(trainer, history)``."""
    trainer = build(config).trainer()
    return trainer, trainer.fit(verbose=0)


def assert_same_as_solo(contestant) -> None:
    trainer, history = solo(contestant.config)
    assert contestant.history.history == history.history  # bit for bit: float == float
    assert contestant.history.epoch == history.epoch
    assert (contestant.status, contestant.diverged_at) == (history.status, history.diverged_at)
    assert (contestant.step, contestant.examples_seen) == (trainer.step_count, trainer.examples_seen)
    for ours, theirs in zip(contestant.get_weights(), trainer.model.get_weights()):
        np.testing.assert_array_equal(ours, theirs)


def flat(weights) -> np.ndarray:
    return np.concatenate([w.ravel() for w in weights])


def batch_gradient(config: ExperimentConfig, weights, rows: np.ndarray) -> np.ndarray:
    """∂L/∂θ of a solo model with ``weights`` on training samples ``rows`` (flat)."""
    experiment = build(config)
    trainer = experiment.trainer()
    model = experiment.model
    model.set_weights(weights)
    x, y = trainer.x[rows], trainer.y[rows]
    cache = model.forward(x)
    _, d_out = model.loss.value_and_gradient(y, cache[-1][1])
    model.backward(x, cache, d_out)
    return model.grads.copy()


@pytest.fixture(scope="module")
def optimizer_race():
    race = Race(entries(SMALL, "optimizer", OPTIMIZERS))
    race.run()
    return race


# -- same start, same batches: observed ------------------------------------------------------
def test_contestants_start_from_the_same_weights_as_a_solo_build():
    race = Race(entries(SMALL, "optimizer", ["sgd", "adam", "rmsprop"]))
    solo_weights = build(SMALL).model.get_weights()
    for c in race.contestants:
        for ours, theirs in zip(c.get_weights(), solo_weights):
            np.testing.assert_array_equal(ours, theirs)


def test_every_contestant_trains_on_the_same_batch_each_epoch():
    # Plain SGD: θ₁ = θ₀ - g·lr exactly, so each update reveals the gradient, hence the batch.
    base = SMALL.replace(optimizer="sgd", validation_split=0.0, batch_size=16)
    race = Race(entries(base, "learning_rate", [0.01, 0.1, 0.5]))
    n = race.n
    orders = np.random.default_rng([base.seed, 1])
    for epoch in range(2):
        order = orders.permutation(n)
        if epoch:
            race.run_epoch()  # finish epoch 1 (ipe - 1 more steps)
        before = [c.get_weights() for c in race.contestants]
        race.step()
        wrong = order[16:32]  # another batch of the same epoch: must not explain the update
        for c, w0 in zip(race.contestants, before):
            lr = c.optimizer.learning_rate
            g = batch_gradient(base, w0, order[:16])
            np.testing.assert_array_equal(flat(c.get_weights()), flat(w0) - g * lr)
            assert not np.array_equal(flat(c.get_weights()), flat(w0) - batch_gradient(base, w0, wrong) * lr)
        np.testing.assert_array_equal(race.batch_order, order)


# -- race == solo ---------------------------------------------------------------------------
@pytest.mark.parametrize("name", OPTIMIZERS)
def test_each_optimizer_in_a_race_equals_its_solo_run(optimizer_race, name):
    (contestant,) = [c for c in optimizer_race.contestants if c.label == name]
    assert contestant.status == "finished" and len(contestant.history.epoch) == SMALL.epochs
    assert_same_as_solo(contestant)


def test_one_optimizer_race_is_one_stacked_computation():
    race = Race(entries(SMALL, "optimizer", OPTIMIZERS), processes=1)  # (two processes: test_race_partner.py)
    assert len(race.heats) == 1
    assert race.heats[0].stack.params.shape == (len(OPTIMIZERS), 337)
    (heat,) = race.heats
    race.keep_only([0, 2, 5])  # what a second process leaves this one: the heat narrowed, not built again
    assert race.heats == [heat] and sorted(m.index for m in heat.members) == [0, 2, 5]
    np.testing.assert_array_equal(heat.stack.params, [m.model.params for m in heat.members])


def test_learning_rate_race_equals_solo_runs():
    race = Race(entries(SMALL.replace(optimizer="rmsprop"), "learning_rate", [0.001, 0.01, 0.1]))
    race.run()
    for c in race.contestants:
        assert_same_as_solo(c)


def test_clipnorm_race_equals_solo_runs_clipping_each_variable():
    base = SMALL.replace(optimizer_options={"clipnorm": 0.05})
    race = Race(entries(base, "learning_rate", [0.01, 0.1]))
    race.run()
    for c in race.contestants:
        assert_same_as_solo(c)


def test_loss_race_equals_solo_runs():
    race = Race(entries(SMALL, "loss", ["mse", "binary_crossentropy", "hinge", "categorical_crossentropy"]))
    race.run()
    assert [c.loss.name for c in race.contestants] == ["mean_squared_error", "binary_crossentropy", "hinge",
                                                       "categorical_crossentropy"]
    for c in race.contestants:
        assert_same_as_solo(c)
    for c, y, validation in zip(race.contestants, race.targets, race.validation_data):  # as each loss prepared them
        trainer = build(c.config).trainer()
        np.testing.assert_array_equal(y, trainer.y)
        for ours, theirs in zip(validation, trainer.validation, strict=True):
            np.testing.assert_array_equal(ours, theirs)


def test_multiclass_race_with_integer_targets_equals_solo_runs():
    base = ExperimentConfig(dataset="blobs", classes=3, samples=150, epochs=2, loss="sparse_categorical_crossentropy")
    race = Race(entries(base, "optimizer", ["sgd", "adam", "sgd:learning_rate=0.1:clipnorm=0.5"]))
    race.run()
    for c in race.contestants:
        assert_same_as_solo(c)


@pytest.mark.parametrize("name", losses.names())
def test_stacked_loss_equals_each_row(name):
    loss = losses.get(name)
    rng = np.random.default_rng(1)
    units = 3 if loss.targets in ("one_hot", "integer") else 1
    y_pred = rng.uniform(0.05, 0.95, size=(4, 9, units))
    if loss.output == "softmax":
        y_pred /= y_pred.sum(axis=-1, keepdims=True)
    y = {"one_hot": np.eye(3)[rng.integers(0, 3, 9)], "integer": rng.integers(0, 3, 9),
         "binary": rng.integers(0, 2, 9), "counts": rng.poisson(2.0, 9)}.get(loss.targets, rng.normal(size=9))
    y_true = loss.prepare(y, y_pred[0])
    y_rows = np.repeat(y_true[None], 4, axis=0) if broadcasts(loss) else None  # as a heat's y_rows
    for given in (None, y_rows):
        values, grad = loss_and_gradient(loss, y_true, y_pred, given)
        for row in range(4):
            value, g = loss.value_and_gradient(y_true, y_pred[row])
            assert values[row] == value
            np.testing.assert_array_equal(grad[row], g)


@pytest.mark.parametrize("name", ["binary_accuracy", "mae", "categorical_accuracy"])
def test_stacked_metric_totals_equal_each_row(name):
    units = 3 if name == "categorical_accuracy" else 1
    _, metric = metrics_module.compiled(name, output_units=units, sparse_targets=False)
    rng = np.random.default_rng(2)
    y_pred = rng.uniform(0, 1, size=(5, 11, units))
    y_true = np.eye(3)[rng.integers(0, 3, 11)] if units == 3 else rng.integers(0, 2, (11, 1)).astype(float)
    for given in (None, np.repeat(y_true[None], 5, axis=0)):
        totals, count = metric_totals(metric, y_true, y_pred, given)
        for row in range(5):
            assert (float(totals[row]), count) == metric.batch_total(y_true, y_pred[row])


def test_backward_through_a_one_unit_layer_has_the_solo_bits_signed_zeros_included():
    # Stack.backward computes that da, with K > 1 rows, as the product a·b, where a lone network's
    # matmul computes 0 + a·b: they differ only in zeros' signs, which no gradient may show
    from engine.core.stack import Stack
    config = SMALL.replace(validation_split=0.0)
    models = [build(config.replace(seed=s)).model for s in range(3)]
    stack = Stack.of(models)
    rng = np.random.default_rng(4)
    signed_zeros = 0
    for trial in range(200):
        x = rng.normal(size=(16, 2)) * 10.0 ** rng.integers(-3, 3)
        d_out = rng.normal(size=(3, 16, 1))
        d_out[rng.uniform(size=d_out.shape) < 0.3] = 0.0
        d_out[rng.uniform(size=d_out.shape) < 0.3] *= -0.0  # ±0.0 both
        cache = stack.forward(x)
        stack.backward(x, cache, d_out)
        ws = stack._workspace(len(x))
        for row, model in enumerate(models):
            model.backward(x, model.forward(x), d_out[row])
            assert stack.grads[row].tobytes() == model.grads.tobytes()
            plain = np.matmul(ws.dz[-1][row], model.layers[-1].kernel.T)  # the 2-D matmul it stands for
            assert np.array_equal(ws.da[-2][row], plain)  # ±0.0 aside
            signed_zeros += np.count_nonzero(np.signbit(ws.da[-2][row]) != np.signbit(plain))
            assert model.stack._workspace(len(x)).da[-2][0].tobytes() == plain.tobytes()
    assert signed_zeros > 0  # the case the gradients must not show did occur


# -- batch sizes: lockstep by epochs ----------------------------------------------------------
def test_batch_size_race_iterations_per_epoch_and_solo_equality():
    base = ExperimentConfig(samples=2000, epochs=1, validation_split=0.0, optimizer="sgd")
    race = Race(entries(base, "batch_size", [1, 32, "full"]))
    assert [c.iterations_per_epoch for c in race.contestants] == [2000, 63, 1]
    first = race.step()
    assert [s.iteration for s in first.steps] == [1, 1, 1]
    assert first.steps[2].epoch_logs is not None  # B = N: its whole epoch in one update
    second = race.step()
    assert second.steps[2] is None and second.steps[1].iteration == 2  # full batch waits for the others
    events = race.run_epoch()
    assert len(events) == 2000 - 2 and events[-1].epoch_done and race.done
    assert [c.examples_seen for c in race.contestants] == [2000, 2000, 2000]
    for c in race.contestants:
        assert_same_as_solo(c)


def test_a_contestant_with_fewer_iterations_does_not_start_the_next_epoch_early():
    base = SMALL.replace(validation_split=0.0, epochs=2)
    race = Race(entries(base, "batch_size", [50, "full"]))
    epochs_seen = [(s.epoch if s else None) for e in race.run_epoch() for s in e.steps]
    assert set(epochs_seen) == {1, None}
    assert [c.epoch for c in race.contestants] == [1, 1]


# -- divergence ---------------------------------------------------------------------------
def test_a_diverging_contestant_is_frozen_and_the_others_finish():
    base = ExperimentConfig(dataset="sine", loss="mse", samples=300, epochs=3, seed=0)
    race = Race(entries(base, "optimizer", ["sgd:learning_rate=50", "adam"]))
    frozen, after = None, []
    while not race.done:
        event = race.step()
        step = event.steps[0]
        if step is not None and step.status == "diverged":
            frozen = race.contestants[0].get_weights()
        elif frozen is not None:
            after.append(step)
    sgd, adam = race.contestants
    assert sgd.status == "diverged" and sgd.diverged_at is not None
    assert frozen is not None and after and all(s is None for s in after)
    for ours, theirs in zip(sgd.get_weights(), frozen):
        np.testing.assert_array_equal(ours, theirs)
    assert adam.status == "finished" and len(adam.history.epoch) == 3
    assert_same_as_solo(sgd)
    assert_same_as_solo(adam)


def test_after_one_diverges_mid_epoch_the_rest_still_equal_their_solo_runs():
    # the heat shrinks from 3 rows to 2: stack, totals and y buffers follow
    base = ExperimentConfig(dataset="sine", loss="mse", samples=300, epochs=3, seed=0)
    race = Race(entries(base, "optimizer", ["adam", "sgd:learning_rate=50", "sgd"]))
    race.run()
    assert [c.status for c in race.contestants] == ["finished", "diverged", "finished"]
    assert race.contestants[1].diverged_at[1] < race.contestants[1].iterations_per_epoch
    for c in race.contestants:
        assert_same_as_solo(c)


# -- step machine and targets ---------------------------------------------------------------
def test_run_and_run_epoch_decide_once_whether_a_second_process_steps(monkeypatch):
    race = Race(entries(SMALL, "optimizer", ["sgd", "adam"]), processes=1)
    asked = counted(monkeypatch, (race, "_partnered"))
    assert race.run_epoch()[-1].epoch_done and asked["_partnered"] == 1
    race.run()
    assert race.done and race.race_step > 2 * race.contestants[0].iterations_per_epoch and asked["_partnered"] == 2


def test_events_carry_each_contestants_progress():
    race = Race(entries(SMALL, "optimizer", ["sgd", "adam"]))
    events = race.run_epoch()
    ipe = race.contestants[0].iterations_per_epoch
    assert len(events) == ipe and events[-1].epoch_done and not events[0].epoch_done
    for i, event in enumerate(events, 1):
        assert event.epoch == 1
        for k, s in enumerate(event.steps):
            assert (s.index, s.label, s.iteration, s.step, s.iterations_per_epoch) == (k, race.contestants[k].label,
                                                                                      i, i, ipe)
            assert s.examples_seen == min(i * 32, race.n) and s.seconds > 0
    assert events[-1].steps[0].epoch_logs == {k: v[0] for k, v in race.contestants[0].history.history.items()}
    race.run()
    assert race.done and race.step() is None and race.epoch == SMALL.epochs


def test_time_to_target_is_the_first_epoch_at_or_below_it():
    race = Race(entries(SMALL, "learning_rate", [0.001, 0.05]), target_loss=0.55)
    race.run()
    for c in race.contestants:
        hit = [e for e, v in enumerate(c.history.history["loss"], 1) if v <= 0.55]
        if hit:
            assert (c.reached.epoch, c.reached.step) == (hit[0], hit[0] * c.iterations_per_epoch)
            assert c.reached.examples_seen == hit[0] * race.n and 0 < c.reached.seconds <= c.seconds
        else:
            assert c.reached is None
    assert {c.reached is None for c in race.contestants} == {True, False}


def test_default_target_is_half_the_initial_training_loss():
    race = Race(entries(SMALL, "loss", ["mse", "binary_crossentropy"]))
    for c in race.contestants:
        experiment = build(c.config)
        trainer = experiment.trainer()
        assert c.initial_loss == experiment.model.evaluate(trainer.x, trainer.y, return_dict=True)["loss"]
        assert c.target_loss == 0.5 * c.initial_loss


def test_contestants_must_share_data_network_and_seed():
    with pytest.raises(ConfigError, match="share seed"):
        Race([Entry("a", SMALL), Entry("b", SMALL.replace(seed=4, optimizer="sgd"))])
    with pytest.raises(ConfigError, match="same run"):
        Race([Entry("a", SMALL), Entry("b", SMALL)])


@pytest.mark.parametrize("field, text, message", [
    ("optimizer", "sgd,adm", "did you mean 'adam'"),
    ("optimizer", "", "empty"),
    ("optimizer", "adam,ADAM", "duplicate"),
    ("loss", "mse,mean_squared_error", "duplicate"),
    ("learning_rate", "0.1,0", "> 0"),
    ("batch_size", "1,x", "batch size"),
    ("optimizer", "sgd:momentum=1.10", r"^sgd:momentum=1.10: momentum must be in \[0, 1\], got '1.10'$"),  # as typed
    ("optimizer", "adam:lr=-0.00001", r"learning_rate must be a finite number > 0, got '-0.00001'$"),  # (not -1e-05)
])
def test_parse_values_rejects_bad_lists(field, text, message):
    with pytest.raises(ConfigError, match=message):
        parse_values(field, text)


def test_parse_values_reads_per_optimizer_settings():
    assert parse_values("optimizer", "sgd:lr=0.1:nesterov=true, adam") == [
        ("sgd", {"learning_rate": 0.1, "nesterov": True}), ("adam", {})]


def test_rank_orders_by_best_val_loss_then_metric_with_diverged_and_missing_values_last():
    from engine.core import rank, ranks_by_metric, status_text
    by_loss = [("a", "running", 0.3, 0.5), ("b", "finished", 0.9, None), ("c", "diverged", 0.1, 0.1),
               ("d", "running", None, None)]
    keys = {name: rank(status, loss, best, "val_accuracy", None, False) for name, status, loss, best in by_loss}
    assert sorted(keys, key=keys.get) == ["a", "b", "d", "c"]  # b has no validation: its loss 0.9
    by_metric = {"acc 0.9": rank("finished", 5.0, None, "accuracy", 0.9, True),
                 "acc 0.6": rank("finished", 0.1, None, "accuracy", 0.6, True),
                 "none yet": rank("diverged", None, None, "val_accuracy", None, True)}
    assert sorted(by_metric, key=by_metric.get) == ["acc 0.9", "acc 0.6", "none yet"]
    rmse = {x: rank("finished", 1.0, None, "root_mean_squared_error", x, True) for x in (0.2, 0.1)}
    assert sorted(rmse, key=rmse.get) == [0.1, 0.2]  # an error ranks higher when smaller
    assert ranks_by_metric(["mse", "hinge"]) and not ranks_by_metric(["mse", "mse"])
    history = build(SMALL).trainer().history
    assert status_text(history) == "ready"
    history.status, history.diverged_at = "diverged", (2, 7)
    assert status_text(history) == "diverged at epoch 2, iteration 7"
    history.diverged_at = (1200, 1500)  # B = 1: grouped as every counter
    assert status_text(history) == "diverged at epoch 1,200, iteration 1,500"


# -- CLI ----------------------------------------------------------------------------------
RUN = ["--samples", "120", "--epochs", "2"]


def run_race(capsys, *argv):
    """``python -m engine race`` on a small setup (``RUN``) and ``argv``: ``(exit code, stdout, stderr)``."""
    return run_cli(capsys, "race", *RUN, *argv)


def test_cli_prints_a_leaderboard(capsys):
    code, out, err = run_race(capsys)
    assert code == 0 and not err
    lines = out.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("# "))
    assert "steps→target" in lines[header] and "status" in lines[header]
    rows = lines[header + 1:]
    assert [r.split()[0] for r in rows] == ["1", "2", "3", "4", "5"]
    assert sorted(r.split()[1] for r in rows) == sorted(["sgd", "momentum", "adagrad", "rmsprop", "adam"])


def test_cli_json_has_config_and_one_run_per_contestant(capsys):
    code, out, _ = run_race(capsys, "--learning-rates", "0.01,0.1", "--optimizer", "sgd", "--json")
    assert code == 0
    data = json.loads(out)
    assert set(data) == {"config", "field", "runs"} and data["field"] == "learning_rate"
    assert data["config"]["learning_rate"] is None and data["config"]["optimizer"] == "sgd"
    assert [r["label"] for r in data["runs"]] == ["lr=0.01", "lr=0.1"]
    run = data["runs"][1]
    assert run["settings"]["learning_rate"] == 0.1 and run["status"] == "finished" and run["diverged_at"] is None
    assert len(run["history"]["loss"]) == 2
    assert {"steps_to_target", "examples_to_target", "seconds_to_target"} <= set(run)


def test_cli_reports_divergence(capsys):
    code, out, _ = run_race(capsys, "--dataset", "sine", "--loss", "mse", "--optimizers", "sgd:learning_rate=50,adam")
    assert code == 0
    assert "diverged at epoch" in out.splitlines()[-1]  # ranked last


@pytest.mark.parametrize("argv", [
    ["--optimizers", "sgd,adm"],
    ["--optimizers", ""],
    ["--optimizers", "sgd,sgd"],
    ["--optimizers", "sgd,,adam"],
    ["--optimizers", "sgd:momentum=2"],
    ["--losses", "mse,nope"],
    ["--dataset", "sine", "--losses", "mse,binary_crossentropy"],
    ["--learning-rates", "0.1,abc"],
    ["--batch-sizes", "1,0"],
    ["--batch-sizes", "96,full"],  # 120 samples, 96 train: the same run twice
    ["--optimizers", "sgd", "--losses", "mse"],
    ["--target-loss", "-1"],
])
def test_cli_bad_input_is_one_line_and_exit_2(capsys, argv):
    code, out, err = run_race(capsys, *argv)
    assert code == 2 and not out
    assert len(err.strip().splitlines()) == 1 and "error:" in err and "Traceback" not in err
