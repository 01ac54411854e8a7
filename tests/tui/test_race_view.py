"""The race view, driven through the real app with Pilot: keys, shared start, axes, divergence, refusals, sizes."""

from __future__ import annotations

import threading
import time
from dataclasses import replace

import numpy as np
from textual.widgets import Checkbox, Input, Select

from engine import ExperimentConfig, budget, core, race
from engine.experiment import footprint
from engine.race.report import ranking_key
from tests.tui.conftest import (PACE, SMALL, assert_no_worker_thread, make, post_keys, press_together, receive,
                                resize, screen_text, settle, squash, type_text, until)
from tests.tui.speed_keys import \
    minus_and_plus_step_through_the_speeds_the_counters_and_palette_show_it_and_a_reset_keeps_it
from tests.tui.test_learned_map import \
    a_learning_rate_change_is_marked_on_the_loss_plot_a_healthy_run_is_just_finished_a_saturated_one_says_so
from tui.race.screen import RaceScreen
from tui.race.session import RaceSession
from tui.race.track import X_LABELS
from tui.report import X_AXES
from tui.widgets.help_screen import HelpScreen
from tui.textual_private import screen_lines
from tui.textual_private_pilot import notices

LONG_AT_B1 = ExperimentConfig(samples=2000, batch_size=1, epochs=100_000)
"""A race that cannot finish during a test, at B = 1 (not quick to build: footprint 9.2 MB > QUICK_BYTES)."""

SINE = ExperimentConfig(dataset="sine", loss="mse", samples=200, epochs=3)


async def open_race(app, pilot) -> RaceScreen:
    """The race view ``c`` opens, mounted: at once on a quick race, else once built in its thread (``is_quick``:
    B = 1 on 2000 samples is not, and one pause did not see it open on a loaded machine)."""
    await pilot.press("c")
    await until(pilot, lambda: isinstance(app.screen, RaceScreen) and app.screen.is_mounted, why=lambda: app.screen)
    return app.screen


async def before_the_start_the_x_axis_runs_from_zero_not_around_it(app, pilot, screen) -> None:
    await until(pilot, lambda: screen.plot.curves)  # the initial losses, drawn at the view's first redraw
    assert screen.plot._x_range == (0.0, 1.0)
    assert "-0.2" not in screen_text(app)  # a lone point at x = 0 used to centre the axis on it


async def c_opens_the_default_five_from_the_same_weights(app, pilot, screen) -> None:
    labels = [c.label for c in screen.race.contestants]
    assert labels == list(race.DEFAULT_OPTIMIZERS) == ["sgd", "momentum", "adagrad", "rmsprop", "adam"]
    first = screen.race.contestants[0].get_weights()
    for c in screen.race.contestants[1:]:
        assert all(np.array_equal(a, b) for a, b in zip(first, c.get_weights()))
    assert len({c.initial_loss for c in screen.race.contestants}) == 1
    assert screen.race.config.to_dict() == {**SMALL.to_dict(), "optimizer": "sgd", "learning_rate": None}
    await until(pilot, lambda: "Run/Pause" in screen_text(app))  # the footer composes after a refresh
    text = screen_text(app)
    for label in labels:
        assert label in text
    assert "Compare" not in text and "Run/Pause" in text  # the race view's footer, not the main one's
    assert "l Log scale" in screen_lines(screen)[-1]  # the main view's name for l (it read 'l Log')


async def help_and_palette_list_the_race_keys(app, pilot, screen) -> None:
    titles = [c.title for c in app.get_system_commands(screen)]
    assert {"Race: X axis", "Race: Run/Pause", "Race: Reset"} <= set(titles)
    await pilot.press("question_mark")
    await pilot.pause()
    assert isinstance(app.screen, HelpScreen)
    assert screen.is_current  # it shows through the help
    assert "Xaxis" in screen_text(app)
    await pilot.press("escape")
    await pilot.pause()
    assert app.screen is screen


async def n_is_one_update_each_and_e_one_epoch(app, pilot, screen) -> None:
    ipe = screen.race.contestants[0].iterations_per_epoch
    await pilot.press("n")
    await settle(app, pilot)
    assert screen.status == "paused" and screen.race.race_step == 1
    assert [c.step for c in screen.race.contestants] == [1] * 5
    await pilot.press("e")
    await settle(app, pilot)
    assert [c.step for c in screen.race.contestants] == [ipe] * 5 and screen.race.epoch == 1
    await pilot.press("e")
    await settle(app, pilot)
    assert screen.race.epoch == 2 and screen.race_epoch == 2
    await until(pilot, lambda: squash("epoch 2/3") in screen_text(app))  # at the view's next redraw


async def an_epochs_reports_redraw_the_leaderboard_without_laying_the_view_out(app, pilot, screen) -> None:
    """After n and e: the board's numbers change with each report, its height does not, so it asks for no layout
    of the view (a layout of the race view is ~10x a redraw of its table; each report asked for one)."""
    board, refresh, layouts = screen.leaderboard, screen.leaderboard.refresh, []

    def recording(*regions, layout=False, **kwargs):
        layouts.append(layout)
        return refresh(*regions, layout=layout, **kwargs)
    board.refresh, height = recording, board.size.height
    await pilot.press("e")
    await settle(app, pilot)
    await until(pilot, lambda: squash("epoch 3/3") in screen_text(app))  # and the view's redraw tick after them
    del board.refresh
    assert layouts and not any(layouts) and board.size.height == height
    assert screen.race.epoch == 3 and board.content_region.height == 1 + len(screen.race.contestants)  # + header


async def restart(pilot, screen) -> None:
    """``r``: the race as it was lined up, nothing raced, nothing drawn."""
    old = screen.race
    await pilot.press("r")
    await pilot.pause()
    assert screen.race is not old and screen.race.race_step == 0 and screen.status == "ready"
    assert screen.tracks[0].updates == 0 and len(screen.tracks[0].batch_loss["step"]) == 0


async def r_restarts_from_the_same_weights_and_batches(app, pilot, screen) -> None:
    start = [c.get_weights() for c in screen.race.contestants]
    await pilot.press("e")
    await settle(app, pilot)
    first_run = [c.history.history["loss"][:] for c in screen.race.contestants]
    await restart(pilot, screen)
    for weights, c in zip(start, screen.race.contestants):
        assert all(np.array_equal(a, b) for a, b in zip(weights, c.get_weights()))
    await pilot.press("e")
    await settle(app, pilot)
    assert [c.history.history["loss"] for c in screen.race.contestants] == first_run


async def x_cycles_the_axis_and_its_label(app, pilot, screen) -> None:
    """After one epoch raced."""
    seen, ipe = [], screen.race.contestants[0].iterations_per_epoch

    def last_x() -> tuple[float, int | None]:
        """Where the curves end now on this axis, as the plot draws them; what the epoch's end is there."""
        return screen.plot.curves[0].xs[-1], {"epoch": 1, "step": ipe, "examples": ipe * 32}.get(screen.x_axis)

    for _ in X_AXES:  # the label and the curves, both drawn at the view's next redraw (the epoch's too, at first)
        await until(pilot, lambda: squash(X_LABELS[screen.x_axis]) in screen_text(app) and last_x()[1] in (None, last_x()[0]),
                    why=last_x)
        seen.append(screen.x_axis)
        xs_end, expected = last_x()
        if expected is not None:
            assert xs_end == expected
        await pilot.press("x")
    assert seen == list(X_AXES) and screen.x_axis == "epoch"
    assert screen.plot.log_scale
    await pilot.press("l")
    assert not screen.plot.log_scale


async def space_runs_every_contestant_to_the_end_and_the_leaderboard_ranks_them(app, pilot, screen) -> None:
    await pilot.press("space")
    await settle(app, pilot)
    assert screen.status == "finished" and screen.race.done
    assert all(c.status == "finished" and c.epoch == 3 for c in screen.race.contestants)
    steps = 3 * screen.race.contestants[0].iterations_per_epoch
    for c, track in zip(screen.race.contestants, screen.tracks):
        assert track.updates == steps  # no update lost between worker and UI
        assert len(track.epoch_loss["epoch"]) == 4  # the initial loss and three epochs
    engine_order = [c.label for c in sorted(screen.race.contestants, key=ranking_key(screen.race))]
    assert screen.leaderboard.order == engine_order
    # the head line says both at the view's next redraw (the board's rows say finished at once)
    await until(pilot, lambda: "finished" in screen_text(app) and squash("epoch 3/3") in screen_text(app))
    # (space now races on: tests/tui/more_epochs.py)


async def escape_and_c_go_back_to_the_main_view(app, pilot, main) -> None:
    """From the race view (the main run untouched so far)."""
    await pilot.press("escape")
    await pilot.pause()
    assert app.screen is main
    await open_race(app, pilot)
    assert not main.is_current  # hidden under the race view: not laid out nor redrawn there
    await pilot.press("c")
    await pilot.pause()
    assert app.screen is main
    await pilot.press("n")  # the main view's keys act on the main run again
    await settle(app, pilot)
    assert app.trainer.step_count == 1


async def c_is_refused_when_five_runs_side_by_side_do_not_fit(app, pilot, monkeypatch) -> None:
    solo = footprint([SMALL]).total
    monkeypatch.setattr(budget, "MEMORY_BUDGET", 2 * solo)  # one run fits; five side by side (5.7x) do not
    await pilot.press("c")  # the BudgetError ended the app (exit status 1)
    await pilot.pause()
    assert app.is_running and not isinstance(app.screen, RaceScreen)
    assert [n.message for n in notices(app)][-1].startswith("this race needs about")
    monkeypatch.undo()


async def test_the_race_views_keys_from_the_start_to_the_end_of_a_race_and_back(monkeypatch):
    """c (refused when the race does not fit), ?, the palette, n, e, r, x, l, space, escape and c again, then a
    race with a diverging contestant: one app at 100x30, each from the state it needs (``r`` between them: the
    race as it was lined up; a rebuilt experiment for a new race). A long race paced, paused and quit: the next
    test, in an app of its own (the two run side by side under xdist)."""
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        main = app.screen
        assert any(b.action == "race" and b.key == "c" for b in app.BINDINGS)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Compare" in titles
        await c_is_refused_when_five_runs_side_by_side_do_not_fit(app, pilot, monkeypatch)
        screen = await open_race(app, pilot)
        await before_the_start_the_x_axis_runs_from_zero_not_around_it(app, pilot, screen)
        await c_opens_the_default_five_from_the_same_weights(app, pilot, screen)
        await help_and_palette_list_the_race_keys(app, pilot, screen)
        await n_is_one_update_each_and_e_one_epoch(app, pilot, screen)
        await an_epochs_reports_redraw_the_leaderboard_without_laying_the_view_out(app, pilot, screen)
        await restart(pilot, screen)
        await r_restarts_from_the_same_weights_and_batches(app, pilot, screen)
        await x_cycles_the_axis_and_its_label(app, pilot, screen)
        await restart(pilot, screen)
        await space_runs_every_contestant_to_the_end_and_the_leaderboard_ranks_them(app, pilot, screen)
        await escape_and_c_go_back_to_the_main_view(app, pilot, main)
        assert await app.rebuild(SINE)  # then, from the main view, a race on the sine data, one contestant diverging
        await a_diverging_contestant_is_frozen_and_marked_while_the_others_finish(app, pilot)
        await pilot.press("escape")
        assert app.screen is main


async def test_speed_keys_a_learning_rate_mark_a_saturated_run_then_a_long_race_at_b_1_paced_paused_and_quit_flat_out():
    """One app at 100x30, opened at the default speed as ``python -m tui`` opens: the speed keys
    (tests/tui/speed_keys.py), then at max speed the main view's learning-rate mark and saturated run
    (test_learned_map's), then, rebuilt on LONG_AT_B1, a race that cannot finish: paced by - and +, paused,
    resumed, q mid-race flat out."""
    from tui.app import make_app

    app = make_app(SMALL, cursor_blink=False)  # the default speed
    async with app.run_test(size=(100, 30)) as pilot:
        await minus_and_plus_step_through_the_speeds_the_counters_and_palette_show_it_and_a_reset_keeps_it(app, pilot)
        app.speed = None  # max, as make() opens: the runs below are not what is paced
        await a_learning_rate_change_is_marked_on_the_loss_plot_a_healthy_run_is_just_finished_a_saturated_one_says_so(
            app, pilot)
        assert await app.rebuild(LONG_AT_B1)
        screen = await a_long_race_is_paced_by_minus_and_plus_pauses_resumes_and_q_quits_mid_race(app, pilot)
    assert not app.is_running
    await assert_no_worker_thread()
    assert not screen.race.done


async def a_long_race_is_paced_by_minus_and_plus_pauses_resumes_and_q_quits_mid_race(app, pilot) -> RaceScreen:
    """- and + pace the race as they pace a run, space pauses and resumes, q mid-race flat out (the app ends): from
    the main view on LONG_AT_B1 at max speed."""
    screen = await open_race(app, pilot)
    await press_together(pilot, *["minus"] * 7)  # max → 300 → … → 1 step a second (one press more than needed)
    assert app.speed == 1 and screen.driver.max_rate == 1
    started = time.perf_counter()
    await pilot.press("space")
    await until(pilot, lambda: screen.race.race_step >= 1)  # a step at once
    steps, elapsed = screen.race.race_step, time.perf_counter() - started
    assert steps <= 1 + elapsed, (steps, elapsed)  # then one a second: a paced race can fall behind, never run ahead
    await until(pilot, lambda: squash("speed 1/s") in screen_text(app))
    assert squash("/100,000") in screen_text(app)  # the race's epochs grouped as the main view's counters are
    # in its first (long) epoch the race moves on screen: the status line counts its iterations as the main view's
    # counters do, and the plot draws its updates' batch losses (it stayed empty until an epoch ended)
    await until(pilot, lambda: screen.race_iteration is not None)  # the first report taken
    epoch, iteration, iterations, name = screen.race_iteration
    assert (epoch, iterations, name) == (1, 1600, None) and iteration >= 1  # one length: no one named
    await until(pilot, lambda: squash(f"epoch 1/100,000 · iteration {screen.race_iteration[1]}/1,600") in screen_text(app)
                and any(curve.style == "scatter" and len(curve.xs) for curve in screen.plot.curves))
    await pilot.press("plus")
    assert app.speed == 3 and screen.driver.max_rate == 3
    await pilot.press("space")
    await settle(app, pilot)
    assert screen.status == "paused"

    app.speed = PACE  # space pauses and resumes
    await pilot.press("space")
    await pilot.pause(0.05)
    assert screen.status == "running"
    await pilot.press("space")
    await settle(app, pilot)
    assert screen.status == "paused"
    paused_at = screen.race.race_step
    assert paused_at > 0 and not screen.race.done
    await pilot.press("space")
    await pilot.pause(0.05)
    await pilot.press("space")
    await settle(app, pilot)
    assert screen.race.race_step > paused_at
    assert screen.tracks[0].updates == screen.race.contestants[0].step

    # q mid-race flat out: at B = 1 the reports used to flood the view until it froze (q, ctrl+c, SIGTERM unheard)
    app.speed, updates = None, screen.tracks[0].updates
    post_keys(app, " ")  # (pilot.press would wait 2 s for an idle that never comes while the race trains)
    await until(pilot, lambda: screen.tracks[0].updates > updates)  # reports arrive and are taken
    assert screen.status == "running"
    await pilot.press("q")
    await pilot.pause()
    assert not app.is_running  # inside the app's block: after it, it always holds
    return screen


async def a_diverging_contestant_is_frozen_and_marked_while_the_others_finish(app, pilot) -> None:
    """From the main view on SINE at 100x30."""
    screen = await open_race(app, pilot)
    assert screen.panel.parent is None  # too narrow to show it: mounted when f first shows it
    await pilot.press("f")
    sgd_lr = screen.panel.query_one("#race-lr-sgd", Input)
    sgd_lr.focus()
    await type_text(pilot, "50", "enter")
    await pilot.pause()
    assert [c.label for c in screen.race.contestants][0] == "sgd lr=50"
    await pilot.press("escape")  # leaves the field, stays in the race view
    assert isinstance(app.screen, RaceScreen)
    await pilot.press("space")
    await settle(app, pilot)
    sgd, *others = screen.race.contestants
    assert sgd.status == "diverged" and sgd.diverged_at == (1, 5)
    assert all(c.status == "finished" for c in others)
    assert screen.status == "finished" and app.is_running
    assert screen.leaderboard.order[-1] == "sgd lr=50"
    assert screen.tracks[0].batch_loss["step"].nonfinite == 0  # the updates before it blew up are drawn
    await pilot.press("f")  # the panel away: the leaderboard has the width
    await until(pilot, lambda: squash("diverged at epoch 1, iteration 5") in screen_text(app))
    await words_that_fold_make_the_board_taller_and_their_end_shorter_again(app, pilot, screen)


async def words_that_fold_make_the_board_taller_and_their_end_shorter_again(app, pilot, screen) -> None:
    """The diverged contestant's words said four times over (wider than their column) fold onto more lines: the
    view is laid out for the board's new height, and for the old one once they are back (a report that changes
    no height lays nothing out: test above). At 100x30, the field panel hidden."""
    board = screen.leaderboard
    before, height = board.standings, board.content_region.height

    def measured() -> int:
        return board.get_content_height(board.size, app.size, board.content_region.width)
    diverged, *rest = before.rows
    said = "; ".join([diverged.status_text] * 4)
    board.standings = replace(before, rows=(replace(diverged, status_text=said), *rest))
    await pilot.pause()
    folded = board.content_region.height
    assert folded == measured() > height == 1 + len(before.rows)
    second = replace(rest[0], status="diverged", status_text=said)  # the column no wider: its words decide
    board.standings = replace(before, rows=(replace(diverged, status_text=said), second, *rest[1:]))
    await pilot.pause()
    assert board.content_region.height == measured() > folded
    board.standings = before
    await pilot.pause()
    assert board.content_region.height == height
    await widened_the_board_grows_to_hold_the_words_that_fold(app, pilot, screen)


async def widened_the_board_grows_to_hold_the_words_that_fold(app, pilot, screen) -> None:
    """The race finished, a contestant diverged (its words one line at 100x30): at 130 columns the board gains the
    wide columns (updates, examples, seconds), the words fold onto a second line and the board grows to show them
    whole (the last report came before: only the resize tells it; the layout measured the board with the columns
    of its old width, leaving the words cut); back at 100 columns, one line again (before 2e74f22 this second
    resize was lost in 4 of 13 runs with the race's redraw tick at 0.5 s, the screen left at 130 columns; 0 of 10
    since). At 100x30, the field panel hidden."""
    board = screen.leaderboard
    height, words = board.content_region.height, squash(board.standings.ranked()[-1].status_text)

    def shown() -> str:
        region = board.content_region
        return squash("".join(line[region.x:region.right] for line in screen_lines(screen)[region.y:region.bottom]))

    def fits() -> bool:
        return board.content_region.height == board.get_content_height(board.size, app.size, board.content_region.width)
    for width, grown in ((130, True), (100, False)):
        await resize(pilot, width, 30)
        await until(pilot, lambda: fits() and (board.content_region.height > height) == grown and words in shown(),
                    why=lambda: (board.content_region.height, shown()))


async def at_120x40_bad_field_input_is_refused_in_place_then_a_batch_size_race_lets_batch_gd_wait(app, pilot) -> None:
    """At 120x40 the race panel is shown: bad values refused in place, a good list raced, then a batch-size race
    in the same race view. From the main view on SMALL; ends in the race view. In test_race_inside's app at 120x40
    (an app start fewer)."""
    screen = await open_race(app, pilot)
    await bad_field_input_is_refused_in_place_and_changes_nothing(app, pilot, screen)
    await a_batch_size_race_lets_batch_gd_wait_for_the_others(app, pilot, screen)


async def bad_field_input_is_refused_in_place_and_changes_nothing(app, pilot, screen) -> None:
    panel = screen.panel
    assert panel.display  # wide enough: shown from the start
    before = screen.race
    panel.query_one("#race-lr-adam", Input).value = "fast"
    panel.submit()
    await pilot.pause()
    assert "fast" in panel.reason and screen.race is before
    panel.query_one("#race-lr-adam", Input).value = "-1"
    panel.submit()
    await pilot.pause()
    assert "learning rate must be a finite number > 0" in panel.reason and screen.race is before
    assert "\n" not in panel.reason
    panel.query_one("#race-lr-adam", Input).value = ""
    for name in race.DEFAULT_OPTIMIZERS:
        panel.query_one(f"#race-opt-{name}", Checkbox).value = False
    panel.submit()
    await pilot.pause()
    assert "at least one optimizer" in panel.reason and screen.race is before
    panel.query_one("#race-field", Select).value = "learning_rate"
    await pilot.pause()
    panel.query_one("#race-list-learning_rate", Input).value = "0.1, 0.1"
    panel.submit()
    await pilot.pause()
    assert "duplicate" in panel.reason and screen.race is before
    assert squash(panel.reason[:30]) in screen_text(app)
    panel.query_one("#race-list-learning_rate", Input).value = "0.001, 0.1"
    panel.submit()
    await pilot.pause()
    assert panel.reason == "" and [c.label for c in screen.race.contestants] == ["lr=0.001", "lr=0.1"]
    assert screen.leaderboard.content_region.height == 1 + 2  # the view laid out for the board's new height


async def a_batch_size_race_lets_batch_gd_wait_for_the_others(app, pilot, screen) -> None:
    screen.panel.query_one("#race-field", Select).value = "batch_size"
    await pilot.pause()
    screen.panel.submit()  # the default list: full, 1, 32
    await pilot.pause()
    assert [c.label for c in screen.race.contestants] == ["B=full", "B=1", "B=32"]
    assert screen.leaderboard.content_region.height == 1 + 3
    await pilot.press("e")
    await settle(app, pilot)
    full, one, mini = screen.race.contestants
    assert (full.step, one.step, mini.step) == (1, one.iterations_per_epoch, mini.iterations_per_epoch)
    assert screen.tracks[0].updates == len(screen.tracks[0].batch_loss["step"]) == 1
    # the status line counts the longest epoch's iterations and names whose they are (it said the epoch alone)
    assert screen.race_iteration == (1, one.iterations_per_epoch, one.iterations_per_epoch, "B=1")
    await until(pilot, lambda: squash(f"epoch 1/3 · B=1: iteration {one.iterations_per_epoch}/"
                                      f"{one.iterations_per_epoch}") in screen_text(app), why=lambda: screen_text(app))


async def at_80x24_the_race_run_to_its_end_shows_plot_leaderboard_and_keys(app, pilot, screen) -> None:
    """At 80x24, the default race on SMALL, its panel not shown yet (collapsed; f shows it, f again hides it).
    In test_race_inside's 80x24 app (tests/tui/plot_keys.py), which races at 80x24 too: an app start and a race built
    fewer."""
    assert not screen.panel.display
    await pilot.press("space")
    await settle(app, pilot)
    await until(pilot, lambda: "finished" in screen_text(app))  # at the view's next redraw
    text = screen_text(app)
    for label in race.DEFAULT_OPTIMIZERS:
        assert label in text
    for word in ("finished", "epochs", "bestval", "Run/Pause", "leaderboard"):
        assert word in text
    target = f"targetloss≤{screen.session.race.contestants[0].target_loss:.4g}"  # its number, not a bare "≤"
    assert target in text
    assert screen.plot.size.height >= 8
    await pilot.press("f")
    assert screen.panel.display
    await pilot.press("f")


def test_driver_reports_are_batched_and_rank_like_the_engine():
    session = RaceSession(SINE, "optimizer", [("sgd", 50.0), ("momentum", None), ("adam", None)])
    reports = []
    assert session.driver.drive("end", threading.Event(), receive(reports), interval=0.0) == "finished"
    assert reports[-1].done and reports[-1].status == "finished" and not any(r.done for r in reports[:-1])
    per_contestant = [sum(r.updates[k] for r in reports) for k in range(3)]
    assert per_contestant == [c.step for c in session.contestants]
    assert [s.label for s in reports[-1].snapshot.ranked()] == \
        [c.label for c in sorted(session.contestants, key=ranking_key(session.race))]
    assert reports[-1].snapshot.rows[0].status_text == core.status_text(session.contestants[0])
    losses = RaceSession(SMALL, "loss", "binary_crossentropy, mse, hinge")
    losses.driver.drive("end", threading.Event(), lambda p: None)
    assert [s.label for s in losses.standings().ranked()] == \
        [c.label for c in sorted(losses.contestants, key=ranking_key(losses.race))]
