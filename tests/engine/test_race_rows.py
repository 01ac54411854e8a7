"""Contestants with one formula (a learning-rate or schedule race) step as one ``RowUpdate``: bit for
bit their solo runs, through learning-rate and hyperparameter changes mid-race. In one process
(``processes=1``): the tests read its heats (``test_race_partner.py`` splits such a race in two)."""

from __future__ import annotations

import numpy as np
import pytest

from engine.config import ExperimentConfig
from engine.experiment import build
from engine.race import Race, entries

BASE = ExperimentConfig(samples=160, epochs=2, validation_split=0.0, seed=5)


def solo_with_changes(config: ExperimentConfig, changes: dict):
    """A solo trainer of ``config`` stepped to its end, ``changes[step](optimizer)`` applied before that step."""
    trainer = build(config).trainer()
    while not trainer.done:
        if trainer.step_count in changes:
            changes[trainer.step_count](trainer.model.optimizer)
        trainer.step()
    return trainer


def assert_same_as(contestant, trainer) -> None:
    assert contestant.history.history == trainer.history.history  # float == float: bit for bit
    for ours, theirs in zip(contestant.get_weights(), trainer.model.get_weights()):
        assert ours.tobytes() == theirs.tobytes()
    for name in contestant.optimizer.slots:  # the state, read from the contestant's own optimizer
        assert getattr(contestant.optimizer, name)[0].tobytes() == getattr(trainer.model.optimizer, name)[0].tobytes()


@pytest.mark.parametrize("optimizer, options", [
    ("sgd", {}), ("sgd", {"momentum": 0.9}), ("sgd", {"momentum": 0.9, "nesterov": True}), ("adagrad", {}),
    ("rmsprop", {}), ("rmsprop", {"centered": True, "momentum": 0.5}), ("adam", {}), ("adam", {"amsgrad": True}),
    ("adadelta", {}),
])
def test_a_learning_rate_race_steps_as_one_and_equals_its_solo_runs(optimizer, options):
    base = BASE.replace(optimizer=optimizer, optimizer_options=options)
    race = Race(entries(base, "learning_rate", [0.003, 0.01, 0.05]), processes=1)
    race.step()
    (heat,) = race.heats
    assert [(start, stop) for start, stop, _ in heat.groups] == [(0, 3)]
    race.run()
    for c in race.contestants:
        assert_same_as(c, solo_with_changes(c.config, {}))


def test_a_schedule_race_steps_as_one_and_equals_its_solo_runs():
    race = Race(entries(BASE.replace(optimizer="adam", learning_rate=0.01), "schedule", ["constant", "cosine", "step"]), processes=1)
    race.run()
    assert [(start, stop) for start, stop, _ in race.heats[0].groups] == [(0, 3)]
    for c in race.contestants:
        assert_same_as(c, solo_with_changes(c.config, {}))


def test_changes_mid_race_keep_each_row_its_solo_run():
    # step 4: the first contestant's learning rate changes (the group goes on, its rate column follows);
    # step 7: the last one's beta_1 changes (the group breaks: rows step alone, then the two left regroup)
    race = Race(entries(BASE.replace(optimizer="adam"), "learning_rate", [0.003, 0.01, 0.05]), processes=1)
    changes = [{4: lambda o: setattr(o, "learning_rate", 0.2)}, {}, {7: lambda o: setattr(o, "beta_1", 0.5)}]
    groups = []
    while not race.done:
        for c, change in zip(race.contestants, changes):
            if c.step in change:
                change[c.step](c.optimizer)
        race.step()
        groups.append([(start, stop) for start, stop, _ in race.heats[0].groups])
    assert groups[0] == groups[6] == [(0, 3)] and groups[-1] == [(0, 2)]
    for c, change in zip(race.contestants, changes):
        assert_same_as(c, solo_with_changes(c.config, change))


def test_different_formulas_step_one_by_one():
    race = Race(entries(BASE, "optimizer", ["sgd", "momentum", "nesterov", "adam"]), processes=1)
    race.run()
    assert race.heats[0].groups == []
    assert np.isfinite(race.heats[0].stack.params).all()


def test_a_row_that_diverges_leaves_the_group_and_the_others_go_on_as_one():
    base = ExperimentConfig(dataset="sine", loss="mse", samples=200, epochs=3, validation_split=0.0, seed=0,
                            optimizer="sgd")
    race = Race(entries(base, "learning_rate", [0.01, 50, 0.02]), processes=1)
    race.run()
    assert [c.status for c in race.contestants] == ["finished", "diverged", "finished"]
    assert [(start, stop) for start, stop, _ in race.heats[0].groups] == [(0, 2)]
    for c in race.contestants:
        assert_same_as(c, solo_with_changes(c.config, {}))


def test_contestants_of_one_formula_are_stacked_side_by_side_whatever_the_line_up_order():
    race = Race(entries(BASE, "optimizer", ["adam:learning_rate=0.01", "sgd", "adam:learning_rate=0.003", "momentum"]), processes=1)
    race.step()
    (heat,) = race.heats
    assert [m.label for m in heat.members][:2] == ["adam:learning_rate=0.01", "adam:learning_rate=0.003"]
    assert [(start, stop) for start, stop, _ in heat.groups] == [(0, 2)]
    race.run()
    for c in race.contestants:
        assert_same_as(c, solo_with_changes(c.config, {}))
    assert [c.label for c in race.contestants][:2] == ["adam:learning_rate=0.01", "sgd"]  # the line-up's order
