"""The one worker driver, headless: batched reports bounded in size, pacing, stop, changes between steps."""

from __future__ import annotations

import statistics
import threading
import time

import numpy as np

from engine import ExperimentConfig, build_experiment, race
from tests.tui.conftest import receive
from tui.main.session import Session
from tui.race.session import RaceSession
from tui.report import ROWS, Rows, fold

LONG = ExperimentConfig(samples=200, epochs=100_000)
"""A run that cannot finish during a test."""

OPTIMIZERS = [(name, None) for name in race.DEFAULT_OPTIMIZERS]


def test_solo_reports_are_batched_and_lose_nothing():
    session = Session(build_experiment(ExperimentConfig(samples=200, epochs=200)))
    reports = []
    started = time.perf_counter()
    assert session.driver.drive("end", threading.Event(), receive(reports), interval=0.02) == "finished"
    elapsed = time.perf_counter() - started
    total = session.trainer.total_steps
    assert sum(r.updates[0] for r in reports) == total
    steps = np.concatenate([r.rows[0][:, 1] for r in reports])
    assert steps[0] == 1 and steps[-1] == total and np.all(np.diff(steps) > 0)
    assert [int(xs[0]) for r in reports for _, xs, _ in r.epochs] == list(range(1, 201))
    assert len(reports) <= elapsed / 0.02 + 2  # at most one per interval, plus the final one
    assert reports[-1].done and sum(r.done for r in reports) == 1
    assert reports[-1].last[0].step == total and reports[-1].snapshot.status_text == "finished"


def true_batch_losses(entries, steps: int) -> list[np.ndarray]:
    """Each contestant's batch losses over ``steps`` race steps, read off a twin race step by step."""
    twin = race.Race(entries)
    losses: list[list[float]] = [[] for _ in twin.contestants]
    for _ in range(steps):
        for s in twin.step().steps:
            if s is not None:
                losses[s.index].append(s.loss)
    return [np.array(x) for x in losses]


def test_a_report_is_bounded_whatever_the_step_count_and_keeps_the_extremes():
    # B = 1: every example is a step. A UI that never takes a report gets one, then the final one
    # carrying everything since — still at most ROWS rows per contestant, its lowest and highest loss kept.
    config = ExperimentConfig(samples=700, batch_size=1, epochs=2)  # 560 training examples: 1120 steps
    session = RaceSession(config, "optimizer", OPTIMIZERS)
    reports = []
    session.driver.drive("end", threading.Event(), reports.append, interval=0.0)
    steps = session.race.contestants[0].step
    assert steps == 1120 > 4 * ROWS
    assert len(reports) == 2 and reports[-1].done  # the first was never received: nothing in between
    truth = true_batch_losses(session.entries, steps)
    for k, c in enumerate(session.contestants):
        assert sum(r.updates[k] for r in reports) == c.step == steps
        for r in reports:
            assert len(r.rows[k]) <= ROWS
        y = np.concatenate([r.rows[k][:, 4] for r in reports])
        assert y.min() == truth[k].min() and y.max() == truth[k].max()
        x = np.concatenate([r.rows[k][:, 1] for r in reports])
        assert np.all(np.diff(x) > 0) and x[-1] == steps


def test_fold_halves_keeping_order_and_each_blocks_extremes():
    rows = np.zeros((10, 5))
    rows[:, 1] = np.arange(10)
    rows[:, 4] = [3, 1, 4, np.nan, 5, 9, 2, 6, 7, 8]
    kept = fold(rows)
    assert kept[:, 1].tolist() == [1, 2, 5, 6, 8, 9]  # block 1: min 1, max 4 (NaN never picked); then 2, 9; tail as is
    buffer = Rows(limit=16)
    for i in range(1000):
        buffer.add((i, i, i, 0.0, float(np.sin(i))))
    taken, count = buffer.take()
    assert count == 1000 and len(taken) <= 16 and np.all(np.diff(taken[:, 1]) > 0)
    assert taken[:, 4].min() == np.sin(np.arange(1000)).min()


def test_a_change_during_a_drive_waits_for_the_driving_thread_and_applies_at_once_when_idle():
    session = Session(build_experiment(ExperimentConfig(samples=200, epochs=1, optimizer="sgd")))
    optimizer = session.trainer.model.optimizer
    rates = []

    def report(r):  # called by the drive between two steps: a change made here waits for its next step
        r.received()
        if not rates:
            session.set_hyperparameter("learning_rate", 0.3)
        rates.append(optimizer.learning_rate)

    session.driver.drive("end", threading.Event(), report, interval=0.0)
    assert rates[:2] == [0.01, 0.3]
    session.set_hyperparameter("learning_rate", 0.5)  # no drive running: applied now
    assert optimizer.learning_rate == 0.5


def test_a_change_queued_as_a_drive_ends_is_applied_when_it_lets_go():
    session = Session(build_experiment(ExperimentConfig(samples=200, epochs=1, optimizer="sgd")))

    def report(r):  # the final report: the drive has made its last look at the queue
        r.received()
        if r.done:
            session.set_hyperparameter("learning_rate", 0.3)
            assert session.trainer.model.optimizer.learning_rate == 0.01

    session.driver.drive("iteration", threading.Event(), report)
    assert session.trainer.model.optimizer.learning_rate == 0.3


def test_a_final_report_says_whether_a_change_came_after_its_status_was_read():
    # The view takes the final status from the report alone: a finished run asked for more epochs as it
    # ended shows paused (it goes on); one whose changes all came before shows the status it was sent with.
    session = Session(build_experiment(ExperimentConfig(samples=200, epochs=1)))
    t, finals = session.trainer, []

    def report(r):
        r.received()
        if r.done:
            finals.append(r)
            if len(finals) == 1:  # after the drive's last look, while it still holds the run: queued
                assert not session.driver.between_steps(lambda: t.set_epochs(2))

    session.driver.drive("end", threading.Event(), report)
    assert finals[0].status == "finished" and not t.done  # the report's status is stale
    assert finals[0].final_status(session.driver.requested) == "paused"
    session.driver.drive("end", threading.Event(), report)
    assert finals[1].changes == session.driver.requested == 1
    assert finals[1].final_status(session.driver.requested) == "finished" == t.status
    assert session.driver.between_steps(lambda: t.set_epochs(3)) and not t.done  # no drive: made now


def test_stop_is_checked_every_step():
    session = Session(build_experiment(LONG))
    stop = threading.Event()
    reports = []

    def report(r):
        r.received()
        reports.append(r)
        stop.set()  # set from inside the first report: the loop must end at the next check

    assert session.driver.drive("end", stop, report, interval=0.0) == "paused"
    assert session.trainer.step_count == 1 and len(reports) == 2


def paced(driver, rate: float, seconds: float) -> tuple[list, float]:
    driver.max_rate = rate
    stop = threading.Event()
    reports = []
    timer = threading.Timer(seconds, stop.set)
    started = time.perf_counter()
    timer.start()
    driver.drive("end", stop, receive(reports), interval=0.1)
    return reports, time.perf_counter() - started


def test_solo_and_race_are_paced_alike_and_report_their_real_rate():
    solo = Session(build_experiment(LONG))
    racing = RaceSession(LONG, "optimizer", OPTIMIZERS)
    for driver, steps in ((solo.driver, lambda: solo.trainer.step_count),
                          (racing.driver, lambda: racing.race.race_step)):
        reports, elapsed = paced(driver, 50, 0.5)
        assert 1 <= steps() <= 50 * elapsed + 2
        rates = [r.steps_per_second for r in reports if r.steps_per_second]
        # What it did, not what the machine could do (thousands a second): a report covering few steps
        # right after a late wake-up can read higher, so the typical report is judged.
        assert rates and statistics.median(rates) <= 50 * 1.25, rates
