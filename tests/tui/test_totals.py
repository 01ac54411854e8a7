"""The counters' lengths come from what the view holds — a config on its way, the reports — never the live trainer."""

from __future__ import annotations

import threading

from engine import ExperimentConfig, build_experiment
from tests.tui.conftest import SMALL, make, receive
from tui.main import totals
from tui.main.session import Session
from tui.widgets.counters import Counts, counter_lines


def test_a_config_on_its_way_has_the_totals_its_experiment_will_have():
    config = ExperimentConfig(samples=25_900_000, batch_size=64, epochs=7)
    expected = totals.of_config(config)
    assert (expected.epochs, expected.iterations, expected.last_batch, expected.mode) == (7, 323_750, 64, "mini-batch")
    assert expected.metric == "accuracy" and totals.of_config(config.replace(dataset="sine", loss="mse")).metric == \
        "root_mean_squared_error"  # known from a few samples: the counters say rmse while 25.9 M sine points build
    small = config.replace(samples=2000, batch_size=48)
    built = totals.of_experiment(build_experiment(small))
    assert built == totals.of_config(small) and (built.iterations, built.last_batch) == (34, 16)  # 1600 = 33·48 + 16
    unread = totals.of_config(config.replace(dataset="houses.csv"))  # rows known once the file is read
    assert (unread.epochs, unread.iterations, unread.last_batch, unread.mode, unread.metric) == (7, None, None, "", "metric")
    line = " ".join(counter_lines(Counts(iterations=None, last_batch=None), 100))
    assert "iteration 0/—" in line and "last batch —" in line  # not known yet: the race board's and the README's —


class Untouchable:
    """A trainer no one but the driving thread may read."""

    def __getattr__(self, name):
        raise AssertionError(f"the view read the live trainer's {name!r}")


def test_the_counters_never_read_the_live_trainer():
    app = make(SMALL.replace(batch_size=48))  # not run: its counters are computed from what the view holds
    app.set_reactive(type(app).status, "ready")  # no widget to show it on: no watcher
    app.session.trainer = Untouchable()
    counts = app._counts()
    assert (counts.epochs, counts.iterations, counts.last_batch, counts.mode) == (3, 4, 16, "mini-batch")


def test_the_reports_carry_the_runs_length_as_changed_between_steps():
    session = Session(build_experiment(SMALL))
    length = session.set_epochs(5)  # no drive: made now, and says what the run has become
    assert (length.epochs, length.done, length.started) == (5, False, False)
    reports = []

    def report(r):
        reports.append(r)
        r.received()
        if len(reports) == 1:
            assert session.set_epochs(1) is None  # a drive holds the run: made before its next step

    session.driver.drive("end", threading.Event(), report, interval=0)
    assert reports[0].snapshot.epochs == 5 and reports[-1].snapshot.epochs == 1 and reports[-1].status == "finished"
    length = session.extend(2)  # the run ended: two more epochs, made now
    assert (length.epochs, length.done, length.started) == (3, False, True)


def test_a_races_reports_carry_its_length_and_its_lr_keys_go_by_the_last_report():
    import dataclasses

    from tui.race.session import DEFAULT_LINE_UP
    from tui.race.session import RaceSession

    session = RaceSession(SMALL, "optimizer", DEFAULT_LINE_UP[:2])
    length = session.set_epochs(2)
    assert (length.epochs, length.done, length.started) == (2, False, False) and session.standings().epochs == 2
    reports = []
    session.driver.drive("end", threading.Event(), receive(reports), interval=0)
    assert reports[-1].snapshot.epochs == 2 and reports[-1].status == "finished"
    stood = reports[-1].snapshot
    rates = [float(c.optimizer.learning_rate) for c in session.contestants]
    first_diverged = dataclasses.replace(stood, rows=(dataclasses.replace(stood.rows[0], status="diverged"),
                                                      *stood.rows[1:]))
    scaled, now = session.scale_learning_rates(2.0, first_diverged)
    assert scaled == [1]  # as the report says, not the live race
    assert [s.learning_rate for s in now.rows] == [rates[0], 2 * rates[1]]  # made at once: the rates as they are
    assert [float(c.optimizer.learning_rate) for c in session.contestants] == [rates[0], 2 * rates[1]]
    length = session.extend(1)
    assert (length.epochs, length.done, length.started) == (3, False, True)
