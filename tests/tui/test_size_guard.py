"""Below 60×20 the app says how big it needs to be; grown back, it is whole again."""

from __future__ import annotations

from engine import ExperimentConfig
from tests.tui.conftest import PACE, make, resize, screen_text, squash
from tui.race.screen import RaceScreen
from tui.widgets.size_guard import SizeGuard

LONG = ExperimentConfig(samples=200, epochs=100_000)
"""A run that cannot finish during a test."""

WHOLE = ("experiment", "iteration", "loss", "Run/Pause")
"""What the main view shows at 80×24 (panel titles, the run lines and the footer)."""


async def test_a_small_terminal_is_told_the_size_needed_and_80x24_brings_the_app_back_in_either_view_q_quits():
    """Started at 40x12: the note from the start; grown to 80x24, the main view under a note and back, then the
    race view; under a note again, q quits (one app)."""
    app = make(LONG)
    async with app.run_test(size=(40, 12)) as pilot:
        await pilot.pause()
        assert squash("descend needs at least 60×20; this terminal is 40×12.") in screen_text(app)
        await resize(pilot, 80, 24)
        app.speed = PACE  # paced: the note, not the training, is what is tested
        await pilot.press("space")  # training carries on under the note
        await resize(pilot, 20, 10)
        assert isinstance(app.screen, SizeGuard)
        assert squash("descend needs at least 60×20; this terminal is 20×10.") in screen_text(app)
        assert "experiment" not in screen_text(app)  # no broken layout behind the note
        await pilot.press("space", "c", "r")  # the views' keys wait under the note
        await resize(pilot, 45, 30)
        assert squash("this terminal is 45×30.") in screen_text(app)
        await resize(pilot, 80, 24)
        assert not any(isinstance(s, SizeGuard) for s in app.screen_stack) and len(app.screen_stack) == 1
        text = screen_text(app)
        assert all(squash(word) in text for word in WHOLE)
        assert app.status == "running" and app.trainer.step_count > 0
        await pilot.press("space")
        await the_race_view_is_guarded_too_and_is_still_there_after(app, pilot)
        await resize(pilot, 40, 12)
        assert isinstance(app.screen, SizeGuard)
        await pilot.press("q")
    assert app.return_code == 0


async def the_race_view_is_guarded_too_and_is_still_there_after(app, pilot) -> None:
    """From the main view at 80x24."""
    await pilot.press("c")
    race = app.screen
    assert isinstance(race, RaceScreen)
    await resize(pilot, 59, 24)
    assert squash("this terminal is 59×24.") in screen_text(app)
    await resize(pilot, 60, 20)
    assert app.screen is race
    assert "leaderboard" in screen_text(app)
