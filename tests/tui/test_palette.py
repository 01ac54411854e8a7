"""The command palette under fast typing: keys queued before it reacts never pop a screen that is not its own."""

from __future__ import annotations

from textual.binding import Binding
from textual.command import CommandList

from tests.tui.conftest import make
from tests.tui.test_fuzz import key_event
from tui.palette import DescendPalette, binding_commands
from tui.race.screen import RaceScreen


async def open_palette_on(app, pilot, query: str) -> None:
    """ctrl+p, type ``query``, and wait until the palette lists what matches it."""
    await pilot.press("ctrl+p", *query)
    for _ in range(100):
        await pilot.pause(0.02)
        if app.screen.query_one(CommandList).option_count:
            return
    raise AssertionError(f"the palette listed nothing for {query!r}")


def type_at_once(app, *keys: str) -> None:
    """Keys typed faster than the app reacts: all queued before the first is handled."""
    for key in keys:
        app.post_message(key_event(key))


async def test_a_double_enter_runs_the_entry_once_and_keeps_the_main_view():
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("n")
        await open_palette_on(app, pilot, "reset")
        assert isinstance(app.screen, DescendPalette)
        type_at_once(app, "enter", "enter")  # the second pick used to pop the main view: ScreenStackError
        await pilot.pause(0.1)
        await pilot.pause()
        assert len(app.screen_stack) == 1 and not isinstance(app.screen, DescendPalette)
        assert app.status == "ready" and app.trainer.step_count == 0  # Reset ran


async def test_a_double_enter_in_the_race_view_keeps_the_race_view():
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        race = app.screen
        assert isinstance(race, RaceScreen)
        await open_palette_on(app, pilot, "race: log")
        log_scale = race.plot.log_scale
        type_at_once(app, "enter", "enter")  # the second pick used to close the race view unasked
        await pilot.pause(0.1)
        await pilot.pause()
        assert app.screen is race
        assert race.plot.log_scale != log_scale  # toggled once, not twice


async def test_enter_then_escape_at_once_closes_the_palette_only():
    for opened in ([], ["c"]):
        app = make()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.press(*opened)
            under = app.screen
            await open_palette_on(app, pilot, "r")
            type_at_once(app, "enter", "escape", "down", "enter")
            await pilot.pause(0.1)
            await pilot.pause()
            assert app.screen_stack[-1] is under or isinstance(app.screen, RaceScreen)


async def test_an_entry_for_a_view_that_was_left_does_nothing():
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        race = app.screen
        await open_palette_on(app, pilot, "race: run")
        type_at_once(app, "enter", "escape", "escape")  # the second escape leaves the race view first
        await pilot.pause(0.1)
        await pilot.pause()
        assert not race.is_attached or app.screen is race
        if app.screen is not race:
            assert race.status == "ready"  # "Race: Run/Pause" did not start a race nobody can see


async def test_page_keys_typed_as_the_palette_opens():
    app = make()
    async with app.run_test(size=(80, 24)) as pilot:
        type_at_once(app, "ctrl+p", "a", "pagedown", "pagedown", "pageup", "pagedown")
        await pilot.pause(0.1)
        await pilot.pause()
        assert isinstance(app.screen, DescendPalette)
        await pilot.press("escape")


async def test_a_double_enter_in_the_lesson_menu_keeps_the_main_view():
    app = make()
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("L")
        type_at_once(app, "enter", "enter")  # the second pick used to pop the main view: ScreenStackError
        await pilot.pause(0.2)
        await pilot.pause()
        assert len(app.screen_stack) >= 1 and app.lesson is not None


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
