"""Train more in the app: space on a finished race continues it; the epochs changed while a run or a race
trains extend it (or end it after the epoch in progress) instead of starting it again. The end of
test_schedule_and_stopping's app at 80x24 (this module has no test of its own: an app start is most of a Pilot
test's CPU)."""

import threading

from textual.widgets import Input

from engine import build_experiment, race
from tests.tui.conftest import SMALL, hold_steps, screen_text, settle, until
from tui import i18n
from tui.background import REFUSAL_SECONDS
from tui.widgets.fields import Field
from tui.race.screen import RaceScreen
from tui.race.session import RaceSession
from tui.textual_private_pilot import notices

PACED = 10
"""Steps per second while the epochs are changed (the first step held until the change is made: ``hold_steps``);
then the test sets the speed to max (``app.speed = None``) to finish at once."""


def default_race(epochs: int):
    """The race view's default line-up on SMALL with ``epochs``, run to its end headless."""
    session = RaceSession(SMALL.replace(epochs=epochs), "optimizer", [(name, None) for name in race.DEFAULT_OPTIMIZERS])
    session.race.run()
    return session.race


def assert_same_race(ours, theirs):
    for a, b in zip(ours.contestants, theirs.contestants):
        assert a.history.history == b.history.history and a.status == b.status  # == on floats: the same bits
        assert all((x == y).all() for x, y in zip(a.get_weights(), b.get_weights()))


async def more_epochs_on_a_finished_race_and_while_a_run_or_a_race_trains(app, pilot) -> None:
    """At 80x24 from the main view, ready, at max speed (``make``'s): a finished race raced on; the main view's run
    extended, then a long one shortened; the race panel's epochs (f shows the panel) extending a race as it trains.
    Ends in the race view."""
    assert await app.rebuild(SMALL)  # 3 epochs
    await space_on_a_finished_race_races_e_more_epochs_as_one_longer_race(app, pilot)
    await pilot.press("escape")  # back to the main view
    await raising_the_epochs_while_the_run_trains_extends_it(app, pilot)
    assert await app.rebuild(SMALL.replace(epochs=1000))
    await lowering_the_epochs_while_the_run_trains_ends_it_after_the_epoch_in_progress(app, pilot)
    assert await app.rebuild(SMALL.replace(epochs=1000))
    await epochs_below_the_epoch_reached_show_where_the_run_ends(app, pilot)
    assert await app.rebuild(SMALL)
    await the_race_panels_epochs_extend_the_race_while_it_trains(app, pilot)


async def space_on_a_finished_race_races_e_more_epochs_as_one_longer_race(app, pilot) -> None:
    """From the main view on SMALL at max speed."""
    await pilot.press("c", "space")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, RaceScreen) and screen.status == "finished" and screen.race.epoch == 3
    generation = screen.session.generation
    await pilot.press("space")  # train more: every contestant 3 more epochs, no restart
    await settle(app, pilot)
    assert screen.status == "finished" and screen.race.epoch == 6 and screen.session.generation == generation
    assert all(track.updates == 6 * 5 for track in screen.tracks)  # no update lost, none drawn twice
    await until(pilot, lambda: "epoch6/6" in screen_text(app))  # the status line, at the redraw timer's next tick
    assert_same_race(screen.race, default_race(6))


async def raising_the_epochs_while_the_run_trains_extends_it(app, pilot) -> None:
    """From the main view on SMALL, ready."""
    app.speed = PACED
    gate = hold_steps(app.trainer)  # its first step waits until the change is made, however slow the machine
    app.action_toggle_run()  # space, without Pilot's wait for idle (the run would be over by then)
    generation = app.session.generation
    assert app.status == "running" and await app.apply_setting("epochs", 5)
    app.speed = None
    gate.set()
    await settle(app, pilot)
    assert app.session.generation == generation  # the same run, not a reset
    assert app.status == "finished" and app.trainer.epoch == 5 and "epoch5/5" in screen_text(app)
    longer = build_experiment(SMALL.replace(epochs=5)).trainer()
    longer.fit(verbose=0)
    assert app.trainer.history.history == longer.history.history


async def lowering_the_epochs_while_the_run_trains_ends_it_after_the_epoch_in_progress(app, pilot) -> None:
    """From the main view on SMALL with 1000 epochs, ready."""
    app.speed = PACED
    gate = hold_steps(app.trainer)
    app.action_toggle_run()
    assert app.status == "running" and await app.apply_setting("epochs", 1)
    app.speed = None
    gate.set()
    await settle(app, pilot)
    t = app.trainer
    assert app.status == "finished" and t.iteration == 0 and 1 <= t.epoch <= 2 and t.epochs == t.epoch
    shorter = build_experiment(SMALL.replace(epochs=t.epoch)).trainer()
    shorter.fit(verbose=0)
    assert t.history.history == shorter.history.history


async def epochs_below_the_epoch_reached_show_where_the_run_ends(app, pilot) -> None:
    """From the main view on SMALL with 1000 epochs, ready: an epoch, then 1 set while the second trains (the run
    ends after it: the field said 1, the counter 2/2), then 1 again on the finished run."""
    await pilot.press("e")
    await settle(app, pilot)
    app.speed = PACED
    gate, step, stepping = threading.Event(), app.trainer.step, threading.Event()

    def held():  # the second epoch's first step, entered and held until 1 is set
        stepping.set()
        gate.wait(timeout=60)
        return step()
    app.trainer.step = held
    app.action_toggle_run()
    await until(pilot, stepping.is_set)  # the driving thread holds the run: the change waits for its next step
    epochs = app.query_one("#set-epochs", Field)
    assert await app.apply_setting("epochs", 1) and epochs.input.value == "1"
    app.speed = None
    gate.set()
    await settle(app, pilot)
    assert app.status == "finished" and app.trainer.epoch == 2
    await until(pilot, lambda: epochs.input.value == "2")  # the field, the counter and the run agree
    assert app.config.epochs == 2 and "epoch2/2" in screen_text(app)
    assert notices(app)[-1].message == i18n.t("ui.run.shortest", epoch="2", asked="1")
    assert notices(app)[-1].timeout == REFUSAL_SECONDS
    app.clear_notifications()
    assert await app.apply_setting("epochs", 1)  # on the finished run: said at once
    await until(pilot, lambda: epochs.input.value == "2")
    assert app.config.epochs == 2
    assert [n.message for n in notices(app)] == [i18n.t("ui.run.shortest", epoch="2", asked="1")]


async def the_race_panels_epochs_extend_the_race_while_it_trains(app, pilot) -> None:
    """From the main view on SMALL, at 80x24 (the race's field panel shown by f)."""
    app.speed = PACED
    await pilot.press("c")
    await pilot.pause()
    screen = app.screen
    await pilot.press("f")
    field = screen.panel.query_one("#race-epochs", Input)
    assert field.value == "3"
    gate = hold_steps(screen.race)  # its first step waits until the change is entered, however slow the machine
    screen.action_toggle_run()
    field.focus()
    field.value = "5"
    await pilot.press("enter")
    assert screen.status == "running"
    app.speed = None
    gate.set()
    await settle(app, pilot)
    assert screen.status == "finished" and screen.race.epoch == 5 and screen.base.epochs == 5
    assert_same_race(screen.race, default_race(5))
    field.value = "0"
    await pilot.press("enter")
    assert "epochs must be" in screen.panel.reason and screen.race.epochs == 5  # refused, nothing changes
    app.clear_notifications()
    field.value = "2"  # below the epoch the race has reached: the field says where it ends (it said 2)
    await pilot.press("enter")
    assert field.value == "5" and screen.base.epochs == 5 and screen.race.epochs == 5
    assert [n.message for n in notices(app)] == [i18n.t("ui.run.shortest", epoch="5", asked="2")]
