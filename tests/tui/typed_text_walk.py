"""A walk test_menus runs in its app: text typed into a field is quoted literally in its refusal;
markup characters ("[", "]") never crash the app."""

from __future__ import annotations

from textual.widgets import Input, Select

from tests.tui.conftest import screen_text, squash, type_text
from tui.race.screen import RaceScreen
from tui.surface.screen import SurfaceScreen

TYPED = "[a=?T46e'"
"""Markup-like text (a tag with a bad value): the long randomized run typed such text, and the app died of a MarkupError."""


async def the_main_view_field_the_race_panel_and_the_surface_edit_line_quote_markup_in_their_refusals(app, pilot):
    """At 120 columns (room for the race panel), 3 epochs, the main view: a main view field, then the race panel,
    then the surface view's edit line. Run by test_menus, in its app (an app start fewer)."""
    app.query_one("#set-epochs").query_one(Input).focus()
    await pilot.press("ctrl+a", "ctrl+k")
    await type_text(pilot, TYPED, "enter")  # as typed fast: the screen catches up once
    await pilot.pause()
    assert TYPED in app.query_one("#set-epochs").reason
    assert squash(TYPED) in screen_text(app)
    assert app.config.epochs == 3  # refused: nothing changed

    await pilot.press("escape", "c")  # the race panel
    race = app.screen
    assert isinstance(race, RaceScreen)
    race.panel.query_one("#race-list-learning_rate", Input).value = TYPED
    race.panel.query_one("#race-field", Select).value = "learning_rate"
    await pilot.pause()
    race.panel.submit()
    await pilot.pause()
    assert TYPED in race.panel.reason

    race.plot.focus()  # the surface view's edit line
    await pilot.press("escape")
    await pilot.pause()
    assert not isinstance(app.screen, RaceScreen)
    await pilot.press("s")
    assert isinstance(app.screen, SurfaceScreen)
    await pilot.press("i", *f"lr={TYPED}", "enter")
    await pilot.pause()
    assert isinstance(app.screen, SurfaceScreen)
    assert "T46e" in str(app.screen.query_one("#surface-edit").border_subtitle)  # the refusal, quoting it
