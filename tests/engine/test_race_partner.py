"""A race whose every other contestant steps in a second process (``engine.race.partner``): bit for bit
the one-process race (itself its contestants' solo runs) through changes between steps, divergence and
epochs added; the process ends with the race, brings its errors back, and dies with its parent."""

from __future__ import annotations

import os
import signal
import time

import numpy as np
import pytest

from engine.config import ExperimentConfig
from engine.race import Race, entries
from engine.race import partner as partner_module

SINE = ExperimentConfig(dataset="sine", loss="mse", samples=200, epochs=2, seed=0)

pytestmark = pytest.mark.skipif(not partner_module.possible(), reason="no fork here, or more than one thread")


def state(c) -> tuple:
    """Everything a contestant shows but its timings, its arrays as bytes."""
    optimizer = c.optimizer
    slots = [getattr(optimizer, name)[0].tobytes() for name in optimizer.slots if optimizer.built]
    return (c.history.history, c.history.epoch, c.status, c.diverged_at, c.epoch, c.iteration, c.step,
            c.examples_seen, c.reached and (c.reached.epoch, c.reached.step, c.reached.examples_seen), c.initial_loss, c.target_loss, optimizer.iterations, optimizer.get_config(),
            slots, [w.tobytes() for w in c.get_weights()], c.params.tobytes(), c.grads.tobytes(),
            c.predict(np.array([[0.5]])).tobytes())


def shown(event) -> tuple:
    """A ``RaceEvent`` without the timings."""
    return (event.epoch, event.epoch_done, event.done,
            tuple(None if s is None else (s.epoch, s.iteration, s.iterations_per_epoch, s.step, s.examples_seen,
                                          s.batch_size, s.loss, s.epoch_logs, s.status, s.index, s.label)
                  for s in event.steps))


def changes_between_bursts(race) -> list:
    """Bursts of every kind, with hyperparameters changed and epochs added between them; the events read."""
    events = race.run_epoch()  # a burst whose events are read
    for c in race.contestants:  # a change between bursts, on both sides of the split
        if c.status != "diverged":
            c.optimizer.learning_rate = c.optimizer.learning_rate * 3
    events.append(race.step())  # a burst of one
    events.append(race.step())
    race.run()  # a quiet burst to the end
    race.extend(1)
    race.run(should_stop=lambda: False)  # bursts, should_stop between them
    return events


def quiet(race) -> list:
    """A quiet burst to the end, then one more epoch (in which the second process has no one left to step)."""
    race.run()
    if not all(c.status == "diverged" for c in race.contestants):
        race.extend(1)
        race.run()
    assert race.done and race.run_epoch() == [] and race.step() is None
    return []


def step_by_step_with_changes(race) -> list:
    """One step at a time (bursts of one); at step 4 the first contestant's learning rate changes, at step 7
    the last one's beta_1 (its rows' group breaks, in whichever process it is)."""
    events = []
    while not race.done:
        if race.race_step == 4:
            race.contestants[0].optimizer.learning_rate = 0.2
        if race.race_step == 7:
            race.contestants[-1].optimizer.beta_1 = 0.5
        events.append(race.step())
    return events


@pytest.mark.parametrize("line_up, epochs, steps, partner_side, statuses", [
    # sgd at 50 diverges at the end of epoch 1, in the second process, in a burst whose events are read
    (["sgd:learning_rate=50", "adam", "momentum", "rmsprop"], 2, changes_between_bursts,
     ["momentum", "sgd:learning_rate=50"], ["diverged", "finished", "finished", "finished"]),
    # sgd at 3 diverges mid-epoch 2, in the second process, in a quiet burst (no events read)
    (["sgd:learning_rate=3", "adam"], 4, quiet, ["sgd:learning_rate=3"], ["diverged", "finished"]),
    # every contestant diverges, one in each process: a race left with no one
    (["sgd:learning_rate=50", "sgd:learning_rate=80"], 2, quiet, ["sgd:learning_rate=50"], ["diverged"] * 2),
    # one formula: each process steps its rows as one group (engine.optimizers.rows), through changes
    ([f"adam:learning_rate={lr}" for lr in (0.003, 0.01, 0.05, 0.02)], 1, step_by_step_with_changes,
     ["adam:learning_rate=0.003", "adam:learning_rate=0.05"], ["finished"] * 4),
])
def test_two_processes_equal_one_bit_for_bit(line_up, epochs, steps, partner_side, statuses):
    races = [Race(entries(SINE.replace(epochs=epochs), "optimizer", line_up), processes=p) for p in (1, 2)]
    seen = []
    for race in races:
        events = steps(race)
        seen.append(([shown(e) for e in events], [state(c) for c in race.contestants], race.epoch, race.race_step))
    one, two = races
    assert one.partner is None and sorted(m.label for m in two.partner.all) == partner_side
    assert [c.status for c in two.contestants] == statuses
    assert seen[0] == seen[1]
    two.close()
    assert two.partner.process is None


def test_a_short_race_or_one_of_different_batch_sizes_runs_in_one_process(monkeypatch):
    monkeypatch.delenv("DESCEND_RACE_PROCESSES", raising=False)  # the automatic choice
    short = Race(entries(SINE, "optimizer", ["sgd", "adam"]))
    short.run()
    assert short.partner is None and short.done
    mixed = Race(entries(SINE, "batch_size", [16, 32]), processes=2)
    mixed.run()
    assert mixed.partner is None and mixed.done
    same_count = Race(entries(SINE, "batch_size", [40, 53]), processes=2)  # 4 iterations an epoch each, last batches differ
    assert len({c.iterations_per_epoch for c in same_count.contestants}) == 1
    same_count.run()
    assert same_count.partner is None and same_count.done


def test_an_error_in_the_second_process_is_the_races_error(monkeypatch):
    def broken(*args):
        raise ValueError("broken burst")

    monkeypatch.setattr(partner_module, "_burst", broken)  # the forked process inherits it
    race = Race(entries(SINE, "optimizer", ["sgd", "adam"]), processes=2)
    with pytest.raises(ValueError, match="broken burst"):
        race.run()
    assert race.partner.process is None  # closed: the race ends there
    with pytest.raises(RuntimeError, match="second process has ended"):
        race.run()


def test_the_second_process_dies_with_its_parent():
    read, write = os.pipe()
    parent = os.fork()  # a parent to kill: this process, forked (cheaper than a new interpreter)
    if parent == 0:
        try:
            race = Race(entries(ExperimentConfig(samples=100, epochs=1), "optimizer", ["sgd", "adam"]), processes=2)
            race.step()
            os.write(write, f"{race.partner.process.pid}\n".encode())
            time.sleep(60)
        finally:
            os._exit(0)
    try:
        child = int(os.read(read, 64))
        assert alive(child)
    finally:
        os.kill(parent, signal.SIGKILL)  # no handler, no atexit: only the kernel can tell the child
        os.waitpid(parent, 0)
    deadline = time.monotonic() + 5
    while alive(child) and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not alive(child)


def alive(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_loss_race_in_two_processes_equals_one_weights_and_all():
    """One heat per loss: a heat the second process keeps whole trains its own stack, and its contestants'
    weights are read from that stack (not the one-row stacks they were given before the fork)."""
    base = ExperimentConfig(dataset="moons", samples=120, epochs=2, seed=0)
    races = [Race(entries(base, "loss", ["mse", "binary_crossentropy", "hinge"]), processes=p) for p in (1, 2)]
    for race in races:
        race.run()
    one, two = races
    assert one.partner is None and two.partner is not None and two.partner.all
    def learned(c) -> tuple:
        return (c.history.history, c.status, c.step, [w.tobytes() for w in c.get_weights()], c.params.tobytes(),
                c.predict(np.array([[0.5, -0.25]])).tobytes())
    assert [learned(c) for c in one.contestants] == [learned(c) for c in two.contestants]
    two.close()
