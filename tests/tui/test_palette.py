"""The command palette under fast typing: keys queued before it reacts never pop a screen that is not its own."""

from __future__ import annotations

from textual.binding import Binding
from textual.command import CommandList

from tests.tui.conftest import make, post_keys, press_together, until
from tui.palette import DescendPalette, binding_commands
from tui.race.screen import RaceScreen


async def open_palette_on(app, pilot, query: str) -> None:
    """ctrl+p, type ``query`` (at once, as a typist does: one wait, not two for every key and a search for every
    prefix), and wait until the palette lists what matches it (its search runs in a worker: on a loaded machine
    it may take a while)."""
    await pilot.press("ctrl+p")
    await press_together(pilot, *query)
    await until(pilot, lambda: app.screen.query_one(CommandList).option_count > 0)


async def back_to_the_main_view(app, pilot) -> None:
    """Escape until only the main view is left (a race view, the palette, a menu)."""
    for _ in range(4):
        if len(app.screen_stack) == 1:
            break
        await pilot.press("escape")
        await pilot.pause()
    assert len(app.screen_stack) == 1


async def page_keys_typed_as_the_palette_opens(app, pilot) -> None:
    post_keys(app, "ctrl+p", "a", "pagedown", "pagedown", "pageup", "pagedown")
    await pilot.pause(0.1)
    await pilot.pause()
    assert isinstance(app.screen, DescendPalette)
    await pilot.press("escape")


async def a_double_enter_runs_the_entry_once_and_keeps_the_main_view(app, pilot) -> None:
    await pilot.press("n")
    await open_palette_on(app, pilot, "reset")
    assert isinstance(app.screen, DescendPalette)
    post_keys(app, "enter", "enter")  # the second pick used to pop the main view: ScreenStackError
    await pilot.pause(0.1)
    await pilot.pause()
    assert len(app.screen_stack) == 1 and not isinstance(app.screen, DescendPalette)
    assert app.status == "ready" and app.trainer.step_count == 0  # Reset ran


async def enter_then_escape_at_once_closes_the_palette_only(app, pilot, opened: list[str]) -> None:
    await pilot.press(*opened)
    under = app.screen
    await open_palette_on(app, pilot, "r")
    post_keys(app, "enter", "escape", "down", "enter")
    await pilot.pause(0.1)
    await pilot.pause()
    assert app.screen_stack[-1] is under or isinstance(app.screen, RaceScreen)


async def a_double_enter_in_the_race_view_keeps_the_race_view(app, pilot) -> None:
    await pilot.press("c")
    race = app.screen
    assert isinstance(race, RaceScreen)
    await open_palette_on(app, pilot, "race: log")
    log_scale = race.plot.log_scale
    post_keys(app, "enter", "enter")  # the second pick used to close the race view unasked
    await pilot.pause(0.1)
    await pilot.pause()
    assert app.screen is race
    assert race.plot.log_scale != log_scale  # toggled once, not twice


async def an_entry_for_a_view_that_was_left_does_nothing(app, pilot) -> None:
    await pilot.press("c")
    race = app.screen
    await open_palette_on(app, pilot, "race: run")
    post_keys(app, "enter", "escape", "escape")  # the second escape leaves the race view first
    await pilot.pause(0.1)
    await pilot.pause()
    assert not race.is_attached or app.screen is race
    if app.screen is not race:
        assert race.status == "ready"  # "Race: Run/Pause" did not start a race nobody can see


async def a_double_enter_in_the_lesson_menu_keeps_the_main_view(app, pilot) -> None:
    await pilot.press("L")
    post_keys(app, "enter", "enter")  # the second pick used to pop the main view: ScreenStackError
    await pilot.pause(0.2)
    await pilot.pause()
    assert len(app.screen_stack) >= 1 and app.lesson is not None


async def test_keys_typed_faster_than_the_palette_reacts_never_pop_a_screen_not_its_own():
    """Page keys as it opens, a double enter (main view, race view, lesson menu), enter then escape at once
    (main view, race view), an entry for a view that was left: one app, back in the main view between them."""
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await page_keys_typed_as_the_palette_opens(app, pilot)
        await a_double_enter_runs_the_entry_once_and_keeps_the_main_view(app, pilot)
        for opened in ([], ["c"]):
            await back_to_the_main_view(app, pilot)
            await enter_then_escape_at_once_closes_the_palette_only(app, pilot, opened)
        await back_to_the_main_view(app, pilot)
        await a_double_enter_in_the_race_view_keeps_the_race_view(app, pilot)
        await back_to_the_main_view(app, pilot)
        await an_entry_for_a_view_that_was_left_does_nothing(app, pilot)
        await back_to_the_main_view(app, pilot)
        await a_double_enter_in_the_lesson_menu_keeps_the_main_view(app, pilot)


async def test_an_entry_from_a_binding_runs_its_action_itself_with_the_bindings_arguments():
    class View:
        def __init__(self) -> None:
            self.picked: list[int] = []

        def check_action(self, action, parameters) -> bool:
            return False  # what a key would be refused by (a text field focused) does not stop a palette pick

        async def action_select(self, index: int) -> None:
            self.picked.append(index)

    view = View()
    entries = list(binding_commands(view, [Binding("2", "select(1)", "Select walker 2"),
                                           Binding("3", "select(2)", "Select walker 3")]))
    assert [e.title for e in entries] == ["Select walker 2", "Select walker 3"]
    await entries[1].callback()
    await entries[0].callback()
    assert view.picked == [2, 1]
