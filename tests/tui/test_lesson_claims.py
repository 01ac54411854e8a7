"""Every lesson's claims, checked on the real run of its preset (the numbers its texts quote are its facts)."""

import math
import re
from functools import cache

import numpy as np
import pytest

from engine import build_experiment
from engine.callbacks import replay
from engine.core import status_text
from engine.race import Race, entries, parse_values
from tui import i18n, lessons
from tui.main.settings import DEFAULT_PATIENCE
from tui.widgets.counters import Counts, counter_lines


def solo(lesson):
    """The lesson's run to its end: (trainer, history dict, first update's event); run once a process (the checks
    only read it: sparse-cce's compares with cce's, and each lesson's length is checked on it too)."""
    return _solo(lesson.name)


@cache
def _solo(name: str):
    trainer = build_experiment(lessons.get(name).setup.config).trainer()
    first = trainer.step()
    trainer.fit(verbose=0)
    return trainer, trainer.history.history, first


def race(lesson):
    r = lesson.setup.race
    contestants = Race(entries(lesson.setup.config, r.field, parse_values(r.field, r.text())),
                       target_loss=r.target_loss).run()
    return {c.label: c for c in contestants}


def near(value, stated, digits):
    """``value`` shows as ``stated`` when rounded to ``digits`` decimals."""
    return round(value, digits) == pytest.approx(stated)


def check_iterations(lesson, f):
    trainer, history, _ = solo(lesson)
    assert trainer.n == f["samples"] and trainer.batch_size == f["batch"]
    assert trainer.iterations_per_epoch == f["iterations"] == f["samples"] // f["batch"]
    assert trainer.epochs == f["epochs"] and trainer.step_count == f["steps"]


def check_batch_modes(lesson, f):
    c = race(lesson)
    sgd, mini, full = c["B=1"], c["B=32"], c["B=full"]
    assert sgd.iterations_per_epoch == f["sgd_updates"] and full.iterations_per_epoch == 1
    assert sgd.reached.step == f["sgd_target"] and sgd.reached.epoch == 1
    assert mini.reached.step == f["mini_target"]
    assert full.reached is None and full.step == f["full_updates"]


def check_batch_paths(lesson, f):
    from tui.surface.scene import Scene

    scene = Scene(lesson.surface["name"])  # the surface view's own walkers: B = N, 32, 1, as the app opens them
    assert lesson.surface.get("optimizers") is None and scene.steps == f["steps"]
    while scene.advance(50):
        pass
    walks = {w.batch_size: w for w in scene.walks}
    assert [w.optimizer.learning_rate for w in scene.walks] == [f["lr"]] * 3 and set(walks) == {200, 32, 1}

    def turns(walk):
        """Each step's turn from the one before, in degrees; and how far the walk went against the straight line."""
        steps = np.diff(np.array(walk.path), axis=0)
        norms = np.linalg.norm(steps, axis=1)
        cos = np.sum(steps[1:] * steps[:-1], axis=1) / (norms[1:] * norms[:-1])
        return np.degrees(np.arccos(np.clip(cos, -1, 1))), norms.sum() / np.linalg.norm(walk.path[-1] - walk.path[0])

    gd, sgd = walks[200], walks[1]
    gd_turns, _ = turns(gd)
    assert gd.status == "reached" and gd.ended_at == f["gd_step"] and gd_turns.max() < 5  # smooth: no turn over 5°
    sgd_turns, sgd_ratio = turns(sgd)
    assert sgd.status == "stopped" and sgd.step_count == f["steps"]
    assert np.sum(sgd_turns > 90) == 77 and round(sgd_ratio) == 8  # zig-zags: turns back 77 times, 8× the distance
    # what the walkers' table and the line under it say: "✓ 36", "stopped after 150 steps, 0.484 from the minimum"
    assert i18n.message(gd.status_text(), "en").endswith(f"at step {f['gd_step']}")
    assert f"{f['steps']} steps, {f['sgd_distance']} from the minimum" in i18n.message(sgd.status_text(), "en")


def check_mse(lesson, f):
    trainer, history, first = solo(lesson)
    assert trainer.model.layers[-1].units == 1 and trainer.model.layers[-1].activation.name == "linear"
    assert "-".join(map(str, [trainer.x.shape[1], *(layer.units for layer in trainer.model.layers)])) == f["layers"]
    assert near(history["val_loss"][-1], f["end"], 2)
    assert np.allclose(np.square(history["root_mean_squared_error"]), history["loss"], rtol=1e-13)
    assert np.allclose(np.square(history["val_root_mean_squared_error"]), history["val_loss"], rtol=1e-13)
    # what the counters show after epoch 1, at 80 columns (no rmse plot there: it shows from 110)
    epoch_1 = {key: values[0] for key, values in history.items()}
    counts = Counts(loss=epoch_1["loss"], val_loss=epoch_1["val_loss"], metric="root_mean_squared_error",
                    metric_value=epoch_1["root_mean_squared_error"],
                    val_metric_value=epoch_1["val_root_mean_squared_error"], logs_epoch=1, epochs=trainer.epochs)
    shown = " ".join(counter_lines(counts, 78))
    assert f"loss {f['first_loss']} " in shown and f"rmse {f['first_rmse']} " in shown, shown


def check_bce(lesson, f):
    trainer, history, _ = solo(lesson)
    assert trainer.model.layers[-1].units == 1 and trainer.model.layers[-1].activation.name == "sigmoid"
    assert near(history["loss"][0], f["first_epoch"], 2) and abs(history["loss"][0] - math.log(2)) < 0.01
    # the counters' val_acc, read epoch by epoch (e): the first over 90% is at the stated epoch
    shown = [" ".join(counter_lines(Counts(metric="accuracy", val_metric_value=acc, logs_epoch=e, epochs=trainer.epochs), 78))
             for e, acc in enumerate(history["val_accuracy"], 1)]
    percents = [float(re.search(r"val_acc (\d+\.\d)%", line).group(1)) for line in shown]
    assert [e for e, p in enumerate(percents, 1) if p > f["accuracy"]][0] == f["accuracy_epoch"]


def check_cce(lesson, f):
    trainer, history, first = solo(lesson)
    out = trainer.model.layers[-1]
    assert out.units == f["classes"] and out.activation.name == "softmax"
    assert trainer.y.shape[1] == f["classes"] and set(np.unique(trainer.y)) == {0.0, 1.0}  # one-hot
    assert near(math.log(f["classes"]), f["uniform"], 2) and near(first.loss, f["uniform"], 1)
    # what the counters show after n: the first batch's loss, before any epoch ended
    shown = " ".join(counter_lines(Counts(step=1, batch_loss=first.loss, epochs=trainer.epochs), 78))
    assert f"batch loss {f['start']} " in shown, shown


def check_sparse_cce(lesson, f):
    trainer, history, _ = solo(lesson)
    assert trainer.y.ndim == 1 and set(np.unique(trainer.y)) == set(range(f["classes"]))  # integer labels
    _, categorical, _ = solo(lessons.get("cce"))
    assert lessons.get("cce").setup.config.replace(loss=lesson.setup.config.loss) == lesson.setup.config
    for key, values in categorical.items():
        np.testing.assert_allclose(history[key], values, rtol=1e-12)
    assert near(history["loss"][-1], f["end"], 3)


def check_momentum(lesson, f):
    c = race(lesson)
    sgd, momentum = c["sgd"], c["momentum"]
    assert sgd.optimizer.learning_rate == momentum.optimizer.learning_rate == f["lr"] and sgd.epoch == 20
    assert momentum.reached.epoch == f["momentum_epoch"] and sgd.reached.epoch == f["sgd_epoch"]
    assert (momentum.reached.step, sgd.reached.step) == (f["momentum_updates"], f["sgd_updates"])  # the →target column
    assert near(momentum.history.history["loss"][-1], f["momentum_end"], 2)
    assert near(sgd.history.history["loss"][-1], f["sgd_end"], 2)


def check_momentum_dip(lesson, f):
    from engine import optimizers, surfaces

    surface = surfaces.get(lesson.surface["name"])
    assert surface.learning_rate == f["lr"] and surface.steps == f["steps"]
    walks = {}
    for name in lesson.surface["optimizers"]:
        walk = surfaces.Descent(surface, optimizers.get(name, learning_rate=surface.learning_rate), surface.start,
                                steps=surface.steps)
        while walk.step():
            pass
        walks[name] = walk
    sgd, momentum = walks["sgd"], walks["momentum"]
    assert sgd.status == "stopped" and sgd.step_count == f["steps"] and near(sgd.distance_to_minimum(), f["distance"], 1)
    assert momentum.status == "reached" and momentum.step_count == f["momentum_step"]
    # the walker the question picks (its number key) is momentum's; the surface view opens with the first selected
    assert lesson.surface["optimizers"][f["walker"] - 1] == "momentum" != lesson.surface["optimizers"][0]
    assert momentum.optimizer.momentum != f["low_momentum"]  # lowering it changes something


def check_adagrad_rmsprop(lesson, f):
    c = race(lesson)
    adagrad, rmsprop = c["adagrad"], c["rmsprop"]
    assert adagrad.optimizer.learning_rate == rmsprop.optimizer.learning_rate == f["lr"] and adagrad.epoch == 20
    assert rmsprop.reached.epoch == f["rmsprop_epoch"] and adagrad.reached.epoch == f["adagrad_epoch"]
    assert (rmsprop.reached.step, adagrad.reached.step) == (f["rmsprop_updates"], f["adagrad_updates"])  # →target
    drops = -np.diff(adagrad.history.history["loss"])  # drops[0]: epoch 1 → 2
    assert 0 < drops[-1] < drops[0] / 10  # its curve flattens: epoch 20 falls under a tenth of epoch 2's fall
    assert near(adagrad.history.history["loss"][-1], f["adagrad_end"], 2)
    assert near(rmsprop.history.history["loss"][-1], f["rmsprop_end"], 2)


def check_adam(lesson, f):
    c = race(lesson)
    assert {m.optimizer.learning_rate for m in c.values()} == {f["lr"]}
    assert c["rmsprop"].reached.epoch == c["adam"].reached.epoch == f["adaptive_epoch"]
    assert c["momentum"].reached.epoch == f["momentum_epoch"]
    assert c["rmsprop"].reached.step == c["adam"].reached.step == f["adaptive_updates"]  # the →target column
    assert c["momentum"].reached.step == f["momentum_updates"]
    ends = {label: m.history.history["loss"][-1] for label, m in c.items()}
    assert min(ends, key=ends.get) == "adam"
    assert near(ends["adam"], f["adam_end"], 2) and near(ends["momentum"], f["momentum_end"], 2)


def check_underfitting(lesson, f):
    trainer, history, _ = solo(lesson)
    assert trainer.epochs == f["epochs"] and trainer.n == 160
    loss, val = np.array(history["loss"]), np.array(history["val_loss"])
    assert np.all(np.diff(loss) < 0) and np.all(np.diff(val) < 0)  # both still falling
    assert near(loss[-1], f["loss"], 2) and near(val[-1], f["val_loss"], 2)
    assert abs(loss[-1] - val[-1]) < 0.05  # together: nothing learned that does not generalise


def check_overfitting(lesson, f):
    trainer, history, _ = solo(lesson)
    assert trainer.epochs == f["epochs"] and trainer.n == 160 and trainer.iterations_per_epoch == 1
    loss, val = np.array(history["loss"]), np.array(history["val_loss"])
    best = int(np.argmin(val))
    assert 10 < best < 100 and near(val[-1], f["end"], 2) and val[-1] > 2 * val[best]  # falls, then climbs back
    assert near(loss[-1], f["train_end"], 2)
    trend = np.convolve(loss[best:], np.ones(10) / 10, mode="valid")
    assert np.all(np.diff(trend) < 0)  # training loss keeps falling (10-epoch average)
    # the loss plot's marks: early stopping at the app's patience (off in the lesson) freezes on an early dip;
    # the longer patience the question offers keeps the true minimum (the app's StopWatch is this replay)
    assert lesson.setup.config.early_stopping is None and f["patience"] == DEFAULT_PATIENCE
    stopped, kept = replay(history, "val_loss", f["patience"])
    assert (stopped + 1, kept + 1) == (f["stop_epoch"], f["stop_best"]) and kept != best
    assert replay(history, "val_loss", f["long_patience"])[1] == best


def check_divergence(lesson, f):
    trainer, _, _ = solo(lesson)
    assert trainer.model.optimizer.learning_rate == f["lr"]
    assert trainer.status == "diverged" and trainer.diverged_at == (f["epoch"], f["iteration"])
    for lang in i18n.LANGUAGES:  # the card quotes the status line's own words
        assert f"'{i18n.message(status_text(trainer), lang)}'" in lesson.text("watch", lang)


CLAIMS = {name: globals()["check_" + name.replace("-", "_")] for name in lessons.names()}


@pytest.mark.parametrize("name", lessons.names())
def test_the_lesson_shows_what_it_says_in_a_run_of_one_to_ten_seconds(name):
    """The claims, then how long the same run lasts at the lesson's speed: a few seconds to watch (a diverging run
    to where it stopped). A race lesson, or one at max speed, runs as fast as the machine goes."""
    lesson = lessons.get(name)
    CLAIMS[name](lesson, lesson.facts)
    if lesson.surface is not None:
        from engine import surfaces

        assert 1 <= surfaces.get(lesson.surface["name"]).steps / lesson.speed <= 10
    elif lesson.speed is not None and lesson.setup.race is None:
        trainer, _, _ = solo(lesson)
        assert 1 <= trainer.step_count / lesson.speed <= 10, (trainer.step_count, lesson.speed)


def test_there_are_lessons_for_every_point_of_the_lecture():
    assert {"mse", "bce", "cce", "sparse-cce", "batch-modes", "batch-paths", "iterations", "momentum", "adagrad-rmsprop",
            "adam", "underfitting", "overfitting", "divergence"} <= set(lessons.names())


@pytest.mark.parametrize("name", lessons.names())
def test_every_fact_is_quoted_and_every_quote_is_a_fact(name):
    lesson = lessons.get(name)
    for lang in i18n.LANGUAGES:
        quoted = set().union(*(i18n.fields(i18n.t(f"lesson.{name}.{p}", lang)) for p in ("title", "lecture", *lessons.PARTS)))
        assert quoted == set(lesson.facts), (lang, quoted ^ set(lesson.facts))


@pytest.mark.parametrize("name", lessons.names())
def test_a_lesson_is_three_to_six_short_lines(name):
    lesson = lessons.get(name)
    for lang in i18n.LANGUAGES:
        lines = [lesson.text("title", lang), *lesson.lines(lang)]
        assert 3 <= len(lines) <= 6
        assert all(len(line) <= 240 for line in lines)


@pytest.mark.parametrize("name", lessons.names())
def test_the_numbers_in_both_languages_agree(name):
    lesson = lessons.get(name)
    numbers = {lang: sorted(re.findall(r"\d+(?:\.\d+)?", " ".join(lesson.lines(lang)))) for lang in i18n.LANGUAGES}
    assert numbers["en"] == numbers["ko"]
