"""The experiment panel's schedule, early stopping and class weights at 80×24: curve, marks, counters, refusals;
then train more (tests/tui/more_epochs.py), in the same app."""

from __future__ import annotations

from textual.color import Color
from textual.widgets import Checkbox

from engine import ExperimentConfig, build_experiment
from engine.callbacks import replay
from tests.tui.conftest import make, screen_text, settle, squash, type_into, until
from tests.tui.more_epochs import more_epochs_on_a_finished_race_and_while_a_run_or_a_race_trains
from tui.main.schedule_curve import FLAT

SIZE = (80, 24)
QUICK = ExperimentConfig(samples=200, epochs=60, hidden=(8,), learning_rate=0.05)
SOONER = QUICK.replace(learning_rate=0.2)
"""Early stopping comes sooner at this rate, with less to train and draw: patience 5 stops after 18 epochs of 60
(at 0.05: 50); patience 3 would stop at 16 of 20 (at 0.05: 32 of 40)."""


async def test_schedule_class_weights_early_stopping_on_and_off_then_more_epochs_for_a_run_and_a_race():
    """One app at 80x24, rebuilt on each check's setup (as a lesson sets one up); then train more
    (tests/tui/more_epochs.py)."""
    app = make(QUICK.replace(epochs=4))
    async with app.run_test(size=SIZE) as pilot:
        await schedule_choice_options_and_curve(app, pilot)
        assert await app.rebuild(QUICK.replace(epochs=2))
        await class_weights_and_monitor_refused_in_place(app, pilot)
        assert await app.rebuild(SOONER)
        await early_stopping_on_stops_where_keras_would_and_marks_the_best_epoch(app, pilot)
        assert await app.rebuild(SOONER.replace(epochs=20))
        await early_stopping_off_marks_where_it_would_have_stopped(app, pilot)
        await pilot.press("escape")  # leaves the patience field
        await more_epochs_on_a_finished_race_and_while_a_run_or_a_race_trains(app, pilot)


async def schedule_choice_options_and_curve(app, pilot) -> None:
    """From the start on QUICK with 4 epochs."""
    # a constant rate: a flat line in the accent colour on the panel's background (not a field)
    curve, summary = app.query_one("#lr-curve"), app.query_one("#lr-summary")
    assert str(curve.content) == FLAT * 16 and str(summary.content) == "0.05 throughout"
    assert curve.styles.color == Color.parse(app.theme_variables["accent"])
    assert curve.styles.background.a == 0 and curve.region.width >= 16  # the whole line shows at 80x24
    app.query_one("#set-schedule").select.value = "cosine"
    await pilot.pause()
    assert app.config.schedule == "cosine" and app.status == "ready"
    await type_into(pilot, app, "set-schedule-options", "warmup_steps=10")
    assert app.config.schedule_options == {"warmup_steps": 10}
    curve = str(app.query_one("#lr-curve").content)
    assert curve.startswith("▁") and "█" in curve and str(summary.content) == "0 → 0.05 → 0.00122"  # warm-up, then cosine
    assert app.counters.counts.learning_rate == 0.0 and "lr0" in squash(app.counters.render())
    await pilot.press("escape")
    for _ in range(2):  # two epochs of 5 updates (160 training samples, B = 32)
        await pilot.press("e")
        await settle(app, pilot)
    # after 10 updates the next rate is the warm-up's end: the counters show 0.05
    assert app.learning_rate == 0.05 and "lr0.05" in squash(app.counters.render())
    await type_into(pilot, app, "set-schedule-options", "decay_steps=0")  # refused in place
    row = app.query_one("#set-schedule-options")
    assert "Argument `decay_steps` must be > 0" in row.reason
    assert app.config.schedule_options == {"warmup_steps": 10} and app.trainer.step_count == 10


async def class_weights_and_monitor_refused_in_place(app, pilot) -> None:
    """On QUICK with 2 epochs, ready."""
    await type_into(pilot, app, "set-class-weight", "0=1,5=2")
    row = app.query_one("#set-class-weight")
    assert "class weight for class 5, but 'moons' has classes 0 to 1" in row.reason
    assert app.config.class_weight is None
    await type_into(pilot, app, "set-class-weight", "balanced")
    assert app.config.class_weight == "balanced" and row.reason == ""
    assert app.session.experiment.class_weight is not None
    await type_into(pilot, app, "set-split", "0")  # no validation data: monitor val_loss can't be watched…
    assert app.config.validation_split == 0.0  # …but early stopping is off, so nothing refuses it
    offered = [value for _, value in app.query_one("#set-monitor").options]
    assert offered[:2] == ["loss", "accuracy"] and "val_accuracy" not in offered  # (the value kept is shown too)
    app.query_one("#set-class-weight").scroll_visible(animate=False)
    await pilot.pause()
    assert "classwtbalanced" in screen_text(app) and "monitor" in screen_text(app)


async def early_stopping_on_stops_where_keras_would_and_marks_the_best_epoch(app, pilot) -> None:
    """On SOONER (60 epochs), ready, early stopping off."""
    app.query_one("#set-stop").query_one(Checkbox).value = True
    await until(pilot, lambda: app.config.early_stopping is not None)  # the tick box's change, handled
    assert app.config.early_stopping == 5
    await pilot.press("escape", "space")
    await settle(app, pilot)
    assert app.status == "finished"
    watch = app.stop_watch
    stopped, best = watch.stopped_epoch, watch.best_epoch
    assert stopped is not None and stopped - best == 5 and app.trainer.epoch == stopped + 1 < 60
    # the same run through fit with Keras's callback stops at the same epoch
    experiment = build_experiment(app.config)
    history = experiment.trainer().fit(verbose=0, callbacks=experiment.callbacks())
    assert len(history.epoch) == stopped + 1
    # the marks are drawn at the plot's next redraw (its rate is bounded): wait for one after the run's end
    await until(pilot, lambda: {best + 1.0, stopped + 1.0} <= {x for x, _ in app.loss_plot.marks})
    assert app.loss_plot.border_subtitle == f"best epoch {best + 1} · stopped early at {stopped + 1}"


async def early_stopping_off_marks_where_it_would_have_stopped(app, pilot) -> None:
    """On SOONER with 20 epochs, ready, early stopping off."""
    await type_into(pilot, app, "set-patience", "3")
    assert app.config.early_stopping is None and app.patience == 3
    await pilot.press("escape", "space")
    await settle(app, pilot)
    assert app.trainer.epoch == 20  # it ran to the end
    stopped, best = replay(app.trainer.history.history, "val_loss", 3)
    assert (app.stop_watch.stopped_epoch, app.stop_watch.best_epoch) == (stopped, best)
    assert stopped is not None  # early stopping's words, not "best epoch": the run went on and may dip lower later
    assert app.loss_plot.border_subtitle == f"patience 3 would stop at {stopped + 1}, keep {best + 1}"
    await type_into(pilot, app, "set-patience", "-1")
    assert "early stopping patience must be a whole number ≥ 0" in app.query_one("#set-patience").reason
    assert app.patience == 3
