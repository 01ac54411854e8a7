"""The race's small multiples: one map per contestant on the same plane, their step sizes over
epochs, and a saturated contestant named in the leaderboard — at 80×24 and 120×40."""

from __future__ import annotations

import numpy as np

from engine import ExperimentConfig
from tests.tui.conftest import SMALL, make, screen_text, settle, squash
from tui import learned


async def test_m_shows_a_map_per_contestant_then_their_step_sizes_at_80x24():
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await m_shows_a_map_per_contestant_then_their_step_sizes(app, pilot)


async def test_at_120x40_m_shows_maps_and_step_sizes_adagrad_shrinks_rmsprop_does_not_a_saturated_one_is_named():
    """One app at 120x40: the maps and step sizes on SMALL; then, rebuilt on 400 samples and 6 epochs, the default
    line-up's step sizes; then a race of two learning rates, one saturating."""
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        await m_shows_a_map_per_contestant_then_their_step_sizes(app, pilot)
        await pilot.press("escape")  # back to the main view
        assert await app.rebuild(ExperimentConfig(samples=400, epochs=6))
        await adagrad_shrinks_rmsprop_does_not_in_the_race_plot(app, pilot)
        await a_saturated_contestant_is_named_in_the_leaderboard(app, pilot)


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
