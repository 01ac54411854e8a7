"""The control panel's menus: every entry does what it says (no "custom" entry that does nothing)."""

from __future__ import annotations

from textual.widgets import OptionList, Select

from engine import activations, datasets, losses, optimizers
from tests.tui.conftest import SMALL, make, settle
from tests.tui.typed_text_walk import (
    the_main_view_field_the_race_panel_and_the_surface_edit_line_quote_markup_in_their_refusals as typed_text_quoted)


async def entries(app, pilot, row: str, close: bool = True) -> list[str]:
    """What the menu of control panel row ``row`` lists, top to bottom, opened (enter) as a person opens it
    (a menu builds its list on its first open), then closed (escape) unless ``close`` is false."""
    select = app.query_one(f"#{row}").query_one(Select)
    select.focus()
    await pilot.press("enter")
    menu = select.query_one(OptionList)
    listed = [str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count)]
    if close:
        await pilot.press("escape")
    return listed


async def test_menus_list_the_registry_names_show_aliases_and_a_custom_b_as_theirs_and_the_top_entry_applies():
    """One app on a config written with aliases and a B that is no menu entry (48), at 120x30; then, in the same
    app, text typed into a field is quoted in its refusal (typed_text_walk.py)."""
    app = make(SMALL.replace(optimizer="Adam", activation="ReLU", loss="mse", dataset="two_moons", batch_size=48))
    async with app.run_test(size=(120, 30)) as pilot:
        # aliases show as their registry names
        shown = {row: app.query_one(f"#{row}").query_one(Select).value
                 for row in ("set-optimizer", "set-activation", "set-loss", "set-dataset")}
        assert shown == {"set-optimizer": "adam", "set-activation": "relu", "set-loss": "mean_squared_error",
                         "set-dataset": "moons"}  # not a blank "custom"

        # the batch menu names a typed B custom and keeps it
        menu = app.query_one("#set-batch-choice").query_one(Select)
        assert menu.value is Select.NULL and (await entries(app, pilot, "set-batch-choice"))[0] == "mini-batch (custom)"
        assert app.config.batch_size == 48

        # registry menus list exactly the registry names
        assert await entries(app, pilot, "set-dataset") == list(datasets.names())
        assert await entries(app, pilot, "set-activation") == list(activations.names())
        assert await entries(app, pilot, "set-loss") == list(losses.names())
        assert await entries(app, pilot, "set-optimizer", close=False) == list(optimizers.names())

        # the top optimizer entry is an optimizer and picking it applies (in the menu just read, still open)
        await pilot.press("home", "enter")  # the top entry used to be "custom", which did nothing
        await settle(app, pilot)
        assert app.config.optimizer == optimizers.names()[0]
        assert app.query_one("#set-optimizer").query_one(Select).value == optimizers.names()[0]
        await typed_text_quoted(app, pilot)
