"""``ScrollText``: a lesson's card (race notes, surface view) scrolls to its last line when the view leaves it fewer
rows than its text has, in a bare app (no descend app started: ~0.1 s); in place, by hand and test_room's race."""

from textual.app import App

from tui.textual_private import screen_lines
from tui.widgets.scroll_text import ScrollText

LINES = [f"line {i} of the card" for i in range(1, 9)]


class Box(App):
    CSS = "#card { height: 6; border: round white; }"

    def compose(self):
        yield ScrollText(id="card", text_id="card-text")


async def test_a_card_taller_than_its_box_scrolls_to_its_last_line():
    app = Box()
    async with app.run_test(size=(40, 10)) as pilot:
        card = app.query_one(ScrollText)
        card.update("\n".join(LINES))
        await pilot.pause()
        assert card.max_scroll_y == len(LINES) - 4  # 4 rows inside the border
        card.focus()
        await pilot.press("end")
        await pilot.pause()
        shown = [line.strip("│ ▁▂▃▄▅▆▇█") for line in screen_lines(app.screen)]
        assert LINES[-1] in shown and LINES[0] not in shown
