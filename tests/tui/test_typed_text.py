"""Text typed into a field is quoted literally in its refusal: markup characters ("[", "]") never crash the app."""

from __future__ import annotations

from textual.widgets import Input, Select

from tests.tui.conftest import make, screen_text, squash
from tui.race.screen import RaceScreen
from tui.surface.screen import SurfaceScreen

TYPED = "[a=?T46e'"
"""Markup-like text (a tag with a bad value): the long randomized run typed such text, and the app died of a MarkupError."""


async def test_a_main_view_field_quotes_markup_in_its_refusal():
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        app.query_one("#set-epochs").query_one(Input).focus()
        await pilot.press("ctrl+a", "ctrl+k", *TYPED, "enter")
        await pilot.pause()
        assert TYPED in app.query_one("#set-epochs").reason
        assert squash(TYPED) in screen_text(app)
        assert app.config.epochs == 3  # refused: nothing changed


async def test_the_race_panel_quotes_markup_in_its_refusal():
    app = make()
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.press("c")
        race = app.screen
        assert isinstance(race, RaceScreen)
        race.panel.query_one("#race-list-learning_rate", Input).value = TYPED
        race.panel.query_one("#race-field", Select).value = "learning_rate"
        await pilot.pause()
        race.panel.submit()
        await pilot.pause()
        assert TYPED in race.panel.reason


async def test_the_surface_edit_line_quotes_markup_in_its_refusal():
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("s")
        assert isinstance(app.screen, SurfaceScreen)
        await pilot.press("i", *f"lr={TYPED}", "enter")
        await pilot.pause()
        assert isinstance(app.screen, SurfaceScreen)
        assert "T46e" in str(app.screen.query_one("#surface-edit").border_subtitle)  # the refusal, quoting it
