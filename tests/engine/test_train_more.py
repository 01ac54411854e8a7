"""Train more: ``Trainer.extend`` continues a run as Keras's ``fit(initial_epoch=…)`` does."""

import pytest

from engine import ExperimentConfig, build_experiment


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
