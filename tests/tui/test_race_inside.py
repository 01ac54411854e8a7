"""The race's small multiples: one map per contestant on the same plane, their step sizes over
epochs, and a saturated contestant named in the leaderboard — at 80×24 and 120×40. And learning-rate
changes made mid-race: ``[`` / ``]`` halve / double every contestant's rate from its next update (never a
diverged contestant's), and each change is a line on the race's loss plot in the contestant's colour (one
shared line where several changed at the same x)."""

from __future__ import annotations

import dataclasses
import re

import numpy as np

from engine import build_experiment
from tests.tui.conftest import SMALL, make, resize, screen_text, settle, squash, until
from tests.tui.test_lifecycle import a_worker_error_stops_the_run_and_says_so_then_a_paced_run_and_q_mid_run, \
    q_mid_run_left_no_thread_and_did_not_sleep_out_the_period
from tests.tui.test_learned_map import m_cycles_why_map_optimizer_at_80x24, map_beside_the_panel_at_120x40, shown
from tests.tui.plot_keys import one_colour_per_contestant_in_the_race_and_in_the_surface_view, \
    the_main_views_plot_keys_on_its_border
from tests.tui.test_race_view import at_120x40_bad_field_input_is_refused_in_place_then_a_batch_size_race_lets_batch_gd_wait
from tui import learned
from tui.colors import contestant_color
from tui.race.plot import SHARED_MARK_COLOR
from tui.race.screen import RaceScreen
from tui.textual_private import on_terminal_write, screen_lines
from tui.textual_private_pilot import notices
from tui.widgets.footer import KeysFooter


async def test_at_80x24_plot_keys_m_maps_and_step_sizes_brackets_scale_rates_colours_then_a_worker_error_and_q_mid_run():
    """One app at 80x24: the main view's plot key (tests/tui/plot_keys.py) and m (why, map, optimizer:
    test_learned_map's) first, then in the race view the maps and step sizes after the race's first epoch, then (the
    race paused there, the maps hidden again) ``[`` and ``]``; then a new race's colours, run to its end (plot,
    leaderboard, keys), and the surface view's (plot_keys.py); then an error in the training worker, a paced run and
    q mid-run (test_lifecycle's)."""
    app = make()
    first: list[str] = []
    on_terminal_write(app, first.append, updates=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await the_first_frame_shows_the_control_panel_laid_out_with_its_scrollbar(app, pilot, first)
        await the_main_views_plot_keys_on_its_border(app, pilot)
        await m_cycles_why_map_optimizer_at_80x24(app, pilot)  # the race is built from the config: the main run's
        opened: list[str] = []
        on_terminal_write(app, opened.append, updates=1)
        await m_shows_a_map_per_contestant_then_their_step_sizes(app, pilot)  # epochs change nothing there
        assert footer_row(app, opened[0]) == footer_row(app), "\n".join(frame_rows(opened[0]))  # as the race view opened
        await brackets_scale_every_rate_from_the_next_update_and_mark_it(app, pilot)
        await pilot.press("escape")  # back to the main view
        await one_colour_per_contestant_in_the_race_and_in_the_surface_view(app, pilot)
        await pilot.press("escape")  # back to the main view
        quit_at, before = await a_worker_error_stops_the_run_and_says_so_then_a_paced_run_and_q_mid_run(app, pilot)
    await q_mid_run_left_no_thread_and_did_not_sleep_out_the_period(app, quit_at, before)


async def the_first_frame_shows_the_control_panel_laid_out_with_its_scrollbar(app, pilot, first: list[str]) -> None:
    """At 80x24 from the start: the terminal's first frame shows the control panel as it stays (its fields overflow,
    so it scrolls). The frame was drawn before the scrollbar took its column, the menus a cell wider, then drawn
    again (textual_patches.settle_layouts_before_drawing)."""
    await pilot.pause()
    assert len(first) == 1 and app.controls.show_vertical_scrollbar
    drawn = frame_rows(first[0])
    width = app.controls.outer_size.width
    shown = screen_lines(app.screen)
    rows = range(app.controls.region.y, app.controls.region.bottom)
    assert [drawn[y][:width] for y in rows] == [shown[y][:width] for y in rows], "\n".join(drawn)
    assert footer_row(app, first[0]) == footer_row(app), "\n".join(drawn)  # and the footer's keys


def footer_row(app, frame: str | None = None) -> str:
    """The footer's keys in ``frame`` (``on_terminal_write``), or on the screen now: in the first frame of a view since
    the footer composes its keys with the view's first layout (it was laid out and drawn empty first, then again)."""
    y = app.screen.query_one(KeysFooter).region.y
    return (frame_rows(frame)[y] if frame is not None else screen_lines(app.screen)[y])[:app.size.width].rstrip()


def frame_rows(frame: str) -> list[str]:
    """The rows of a frame the terminal received (``on_terminal_write``), as text without the terminal's codes."""
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", frame).split("\n")


async def test_at_120x40_map_beside_the_panel_race_maps_panel_refusals_batch_size_race_step_sizes_saturation():
    """One app at 120x40: the main view's map beside the panel first (test_learned_map's), then the race's maps and
    step sizes on SMALL, and the race panel's refusals and a batch-size race (test_race_view's); then, rebuilt on
    SMALL with 6 epochs, the default line-up's step sizes; then a race of two learning rates, one
    saturating."""
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await map_beside_the_panel_at_120x40(app, pilot)
        await m_shows_a_map_per_contestant_then_their_step_sizes(app, pilot)
        await pilot.press("escape")  # back to the main view
        await at_120x40_bad_field_input_is_refused_in_place_then_a_batch_size_race_lets_batch_gd_wait(app, pilot)
        await pilot.press("escape")
        assert await app.rebuild(SMALL.replace(epochs=6))  # 6 epochs: rmsprop's step size rises once, adagrad's never
        await adagrad_shrinks_rmsprop_does_not_in_the_race_plot(app, pilot)
        await a_saturated_contestant_is_named_in_the_leaderboard(app, pilot)
        await resize(pilot, 80, 24)  # the race view takes it; the main view, hidden under it, when it shows again
        back: list[str] = []  # the main view's frames: one the race view draws before escape is taken is not one back
        on_terminal_write(app, lambda text: None if isinstance(app.screen, RaceScreen) else back.append(text), updates=4)
        await pilot.press("escape")
        await until(pilot, lambda: app.screen.outer_size == (80, 24))
        assert "-narrow" in app.screen.classes and shown(app) == (False, True, False)  # as at 80x24 from the start
        # and from the first frame back: it was laid out at 80x24 with the classes of 120x40 (the panel wider, the
        await pilot.pause()  # accuracy plot beside the loss plot), then again. The footer's keys follow a frame later
        drawn, now = frame_rows(back[0]), screen_lines(app.screen)
        assert drawn[:23] == [row[:80] for row in now[:23]], "\n".join(drawn)


async def m_shows_a_map_per_contestant_then_their_step_sizes(app, pilot) -> None:
    """From the main view on SMALL, at max speed."""
    await pilot.press("c")
    await pilot.pause()
    screen = app.screen
    inside = screen.inside_view
    assert not inside.display
    await pilot.press("m")
    await pilot.pause()
    assert inside.display and inside.mode == "maps" and len(inside.maps) == 5
    await pilot.press("e")
    await settle(app, pilot)
    screen._redraw()
    boxes = set()
    for contestant, view in zip(screen.race.contestants, inside.maps):
        pic = view.last
        assert pic is not None, contestant.label
        width, height = view.pixel_size
        box = learned.fit(view.source.box, width, height)
        boxes.add(view.source.box)
        expected = contestant.predict(learned.grid(box, width, height))
        assert np.array_equal(pic.values.reshape(expected.shape), expected), contestant.label
    assert len(boxes) == 1  # the same plane for every contestant
    text = screen_text(app)
    assert all(label in text for label in ("sgd", "momentum", "adagrad", "rmsprop", "adam"))
    await pilot.press("m")
    await pilot.pause()
    assert inside.mode == "steps" and inside.plot.display
    screen._redraw()
    assert [c.label for c in inside.plot.curves] == ["sgd", "momentum", "adagrad", "rmsprop", "adam"]
    sgd = inside.plot.curves[0]
    assert sgd.ys.tolist() == [0.01]  # SGD's step size is its learning rate
    await pilot.press("m")
    await pilot.pause()
    assert not inside.display


async def adagrad_shrinks_rmsprop_does_not_in_the_race_plot(app, pilot) -> None:
    """From the main view, 6 epochs."""
    await pilot.press("c", "m", "m", "space")
    await settle(app, pilot)
    app.screen._redraw()
    curves = {c.label: c.ys.tolist() for c in app.screen.inside_view.plot.curves}
    adagrad, rmsprop = curves["adagrad"], curves["rmsprop"]
    assert len(adagrad) == 6 and all(b < a for a, b in zip(adagrad, adagrad[1:]))
    assert any(b >= a for a, b in zip(rmsprop, rmsprop[1:]))


async def a_saturated_contestant_is_named_in_the_leaderboard(app, pilot) -> None:
    """In the race view: a new race of SGD at two learning rates on SMALL, lr=1000 saturating."""
    from tui.race.session import RaceSession
    screen = app.screen
    screen._new_race(RaceSession(SMALL.replace(optimizer="sgd"), "learning_rate", "0.01,1000"))
    await pilot.press("space")
    await settle(app, pilot)
    details = {s.label: s.detail for s in screen.leaderboard.standings.rows}
    assert details == {"lr=0.01": None, "lr=1000": "saturated: outputs pinned at the 1e-7 clip"}
    row = next(s for s in screen.leaderboard.standings.rows if s.label == "lr=1000")
    assert row.status_text == "finished · saturated: outputs pinned at the 1e-7 clip"
    text = screen_text(app)  # the status cell wraps where the column widths put it: its words are shown
    assert all(squash(word) in text for word in ("saturated:", "outputs", "pinned", "1e-7", "clip"))


async def brackets_scale_every_rate_from_the_next_update_and_mark_it(app, pilot) -> None:
    """In the race view of the default line-up on SMALL, paused after its first epoch."""
    screen = app.screen
    assert isinstance(screen, RaceScreen)
    rates = [float(c.optimizer.learning_rate) for c in screen.race.contestants]
    await pilot.press("right_square_bracket")
    assert [(k, xs[:3]) for k, xs in screen.lr_changes] == [(k, (1.0, 5, 160)) for k in range(5)]
    # paused: no report will come before the next step, so the leaderboard shows the doubled rates at once
    assert [s.learning_rate for s in screen.leaderboard.standings.rows] == [2 * r for r in rates]
    await pilot.pause()
    text = screen_text(app)
    assert squash(f"{screen.leaderboard.standings.rows[0].label} {2 * rates[0]:g}") in text
    assert text.count("paused") == 6 and "running" not in text  # the race's and each contestant's state
    await pilot.press("e")
    await settle(app, pilot)
    assert [float(c.optimizer.learning_rate) for c in screen.race.contestants] == [2 * r for r in rates]
    assert [s.learning_rate for s in screen.leaderboard.standings.rows] == [2 * r for r in rates]
    screen._redraw()
    assert screen.plot.marks == [(1.0, SHARED_MARK_COLOR)]  # all five at once: one shared line
    assert squash("│ lr changed") in screen_text(app)
    screen.lr_changes[0] = (0, (1.5, 7, 224, 0.0))  # one apart (as a contestant of another batch size)
    await pilot.press("x")  # the marks follow the x axis: updates
    screen._redraw()
    assert screen.plot.marks == [(7, contestant_color(0)), (5, SHARED_MARK_COLOR)]

    # SGD's second epoch at the doubled rate is a solo run's whose rate doubled after epoch 1
    experiment = build_experiment(SMALL.replace(optimizer="sgd"))
    trainer = experiment.trainer()
    trainer.run_epoch()
    experiment.model.optimizer.learning_rate = 2 * rates[0]
    trainer.run_epoch()
    assert all(np.array_equal(a, b) for a, b in zip(screen.race.contestants[0].get_weights(),
                                                     experiment.model.get_weights()))

    await pilot.press("space")  # to the end; a finished race's rates change for when it trains more
    await settle(app, pilot)
    await pilot.press("left_square_bracket")
    assert len(screen.lr_changes) == 10
    rates = [float(c.optimizer.learning_rate) for c in screen.race.contestants]
    stood = screen.leaderboard.standings
    screen.leaderboard.standings = dataclasses.replace(  # the last report says each has diverged: the view
        stood, rows=tuple(dataclasses.replace(s, status="diverged") for s in stood.rows))  # goes by it
    await pilot.press("left_square_bracket")
    assert len(screen.lr_changes) == 10 and [float(c.optimizer.learning_rate) for c in screen.race.contestants] == rates
    assert "each has diverged" in " ".join(str(n.message) for n in notices(app))
    await pilot.press("r")  # a reset clears the marks
    await pilot.pause()
    screen._redraw()
    assert screen.lr_changes == [] and screen.plot.marks == []
