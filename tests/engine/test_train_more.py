"""Train more: ``Trainer.extend`` continues a run as Keras's ``fit(initial_epoch=…)`` does."""

import numpy as np
import pytest

from engine import ExperimentConfig, build_experiment
from engine.race import Race, entries, parse_values


def fitted(epochs, **changes):
    trainer = build_experiment(ExperimentConfig(**{"samples": 200, "epochs": epochs, **changes})).trainer()
    trainer.fit(verbose=0)
    return trainer


@pytest.mark.parametrize("changes", [{}, {"optimizer": "sgd", "batch_size": 48}, {"batch_size": "full"}])
def test_e_epochs_then_f_more_are_bit_for_bit_one_run_of_e_plus_f(changes):
    once = fitted(5, **changes)
    twice = fitted(3, **changes)
    assert twice.status == "finished" and twice.history.params["epochs"] == 3
    twice.extend(2)
    assert twice.status == "ready" and twice.epochs == 5 and twice.history.params["epochs"] == 5
    twice.fit(verbose=0)
    assert twice.status == "finished" and twice.epoch == 5
    assert twice.history.history == once.history.history  # == on floats: the same bits
    assert twice.history.epoch == list(range(5)) and twice.step_count == once.step_count
    assert twice.model.optimizer.iterations == once.model.optimizer.iterations
    assert all((a == b).all() for a, b in zip(twice.model.get_weights(), once.model.get_weights()))


def test_a_diverged_run_cannot_continue_and_epochs_must_be_whole():
    diverged = fitted(3, dataset="sine", samples=2000, loss="mse", optimizer="sgd", learning_rate=10.0)
    assert diverged.status == "diverged"
    with pytest.raises(ValueError, match="diverged run cannot continue"):
        diverged.extend(1)
    with pytest.raises(ValueError, match="epochs"):
        fitted(1).extend(0)


def weights(run):
    return run.model.get_weights() if hasattr(run, "step_count") else run.get_weights()


def assert_same(ours, theirs):
    assert ours.history.history == theirs.history.history and ours.history.epoch == theirs.history.epoch
    assert (ours.status, ours.epoch, ours.examples_seen) == (theirs.status, theirs.epoch, theirs.examples_seen)
    for a, b in zip(weights(ours), weights(theirs)):
        np.testing.assert_array_equal(a, b)  # NaN where both diverged


@pytest.mark.parametrize("epochs, stepped, shorter, ends", [(10, 12, 1, 3), (10, 10, 1, 2), (10, 13, 6, 6)])
def test_fewer_epochs_end_the_run_after_the_epoch_in_progress(epochs, stepped, shorter, ends):
    # 200 samples, split 0.2 → 160 training samples, B = 32 → 5 iterations an epoch
    trainer = build_experiment(ExperimentConfig(samples=200, epochs=epochs)).trainer()
    for _ in range(stepped):
        trainer.step()
    assert trainer.set_epochs(shorter) == ends == trainer.epochs
    trainer.fit(verbose=0)
    assert trainer.status == "finished" and trainer.epoch == ends
    assert_same(trainer, fitted(ends))


def race_of(epochs, field="optimizer", values=("sgd", "adam", "sgd:learning_rate=50")):
    base = ExperimentConfig(dataset="sine", loss="mse", samples=200, epochs=epochs, seed=0)
    return Race(entries(base, field, parse_values(field, ",".join(map(str, values)))))


@pytest.mark.parametrize("field, values", [("optimizer", ("sgd", "adam", "sgd:learning_rate=50")),
                                           ("batch_size", ("full", 16, 48))])
def test_a_race_extended_is_one_longer_race_and_each_contestant_its_solo_run(field, values):
    once = race_of(5, field, values)
    once.run()
    twice = race_of(3, field, values)
    twice.run()
    assert twice.done and twice.epoch == 3
    twice.extend(2)
    assert not twice.done and twice.epochs == 5
    twice.run()
    assert twice.done and twice.epoch == once.epoch == 5
    for ours, theirs in zip(twice.contestants, once.contestants):
        assert_same(ours, theirs)
        solo = build_experiment(ours.config.replace(epochs=3)).trainer()
        solo.fit(verbose=0)
        if solo.status != "diverged":
            solo.extend(2)
            solo.fit(verbose=0)
        assert_same(ours, solo)  # race ≡ solo, extended too
    if field == "optimizer":
        assert [c.status for c in twice.contestants] == ["finished", "finished", "diverged"]


def test_a_race_made_shorter_ends_after_the_race_epoch_in_progress():
    # B = full makes one update an epoch and waits while B = 16 finishes the epoch (10 updates)
    race = race_of(6, "batch_size", ("full", 16))
    for _ in range(13):  # epoch 2 in progress: B=full has done it, B=16 has 7 updates to go
        race.step()
    assert race.set_epochs(1) == 2 and race.epochs == 2
    assert race.contestants[0].status == "finished" and not race.done
    race.run()
    shorter = race_of(2, "batch_size", ("full", 16))
    shorter.run()
    for ours, theirs in zip(race.contestants, shorter.contestants):
        assert_same(ours, theirs)


def test_a_race_with_every_contestant_diverged_cannot_continue():
    race = race_of(2, "optimizer", ("sgd:learning_rate=50", "sgd:learning_rate=80"))
    race.run()
    with pytest.raises(ValueError, match="every contestant has diverged"):
        race.extend(1)
