"""The loss plots in the app at 80x24: a one-line key on the frame's border, never over the curves, and one
colour per contestant in the race's plot, key, leaderboard and maps, apart from the main view's pair, and each
optimizer's the same in the surface view; the race run to its end shows its plot, leaderboard and keys.
Parts of test_race_inside's 80x24 walk, run in its app (this module has no test of its own)."""

from __future__ import annotations

import html
import re

from rich.style import Style

from tests.tui.conftest import settle, until
from tests.tui.test_race_view import at_80x24_the_race_run_to_its_end_shows_plot_leaderboard_and_keys
from tests.tui.test_room import drawing_rows
from tui.colors import TRAIN, VALIDATION, contestant_color, rich_color
from tui.race.screen import RaceScreen
from tui.surface.screen import SurfaceScreen


def key_row(plot) -> tuple[str, list[str]]:
    """The frame's top border (where the key is) and the rows of the canvas under it, as text."""
    lines = plot.render().plain.splitlines()
    top = next(i for i, line in enumerate(lines) if "┌" in line)
    bottom = next(i for i, line in enumerate(lines) if "└" in line)
    return lines[top], lines[top + 1:bottom]


def swatch_colors(plot) -> dict[str, tuple[int, int, int]]:
    """Each key entry's label → its swatch's colour, read off the drawn top border."""
    text = plot.render()
    top = next(i for i, line in enumerate(text.plain.splitlines()) if "┌" in line)
    line = text.split("\n")[top]
    colors, plain = {}, line.plain
    for span in line.spans:
        if plain[span.start] in "━⠪":
            label = plain[span.end + 1:].split("  ")[0].split(" ─")[0].strip()
            style = span.style if isinstance(span.style, Style) else Style.parse(span.style)
            colors[label] = tuple(style.color.triplet)
    return colors


# One app at 80x24 for the main view's plot, the race's and the surface view's colours, and test_race_inside's
# walk at 80x24 (the app's start-up is most of a Pilot test's CPU): the test is there, these are its parts.

async def the_main_views_plot_keys_on_its_border(app, pilot) -> None:
    """From the start of an app on SMALL at 80x24, at max speed; two epochs trained."""
    await pilot.press("e", "e")  # two epochs: batch dots, train and validation lines
    await settle(app, pilot)
    app._redraw()  # what the app's next redraw tick (10 a second) draws; then the screen shows it
    await pilot.pause()
    top, canvas = key_row(app.loss_plot)
    assert "━ train" in top and "━ validation" in top and "⠪ batch" in top
    assert not any(word in row for row in canvas for word in ("train", "validation", "batch"))
    colors = swatch_colors(app.loss_plot)
    assert colors["train"] == TRAIN and colors["validation"] == VALIDATION
    assert all(row.rstrip().endswith("│") for row in canvas)  # no curve past the right frame edge
    # ... nor in a screenshot: each braille cell is its own text element at its cell's x (12.2 per column),
    # so a renderer that ignores textLength (rsvg-convert) cannot push the curves past the frame
    cells = [(float(x), html.unescape(t)) for x, t in re.findall(r'<text [^>]*x="([-\d.]+)"[^>]*>([^<]*)</text>',
                                                                 app.export_screenshot())]
    braille = [(x, t) for x, t in cells if re.search("[\u2800-\u28ff]", t)]
    assert len(braille) > 20 and all(len(t) == 1 and abs(x / 12.2 - round(x / 12.2)) < 1e-6 for x, t in braille)


async def one_colour_per_contestant_in_the_race_and_in_the_surface_view(app, pilot) -> None:
    """From the main view on SMALL at 80x24, at max speed; ends in the surface view."""
    await pilot.press("c")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, RaceScreen)
    await pilot.press("e")
    await settle(app, pilot)
    await until(pilot, lambda: "━ target" in key_row(screen.plot)[0])  # drawn at the race's next redraw tick
    top, canvas = key_row(screen.plot)
    labels = [c.label for c in screen.race.contestants]
    assert all(label[:3] in top for label in labels)
    assert "━ target" in top and "target" not in screen.plot.border_subtitle  # the key names the grey line once
    assert not any(label in row for row in canvas for label in labels)
    keyed = swatch_colors(screen.plot)
    for c in screen.race.contestants:
        color = contestant_color(c.index)
        assert color not in (TRAIN, VALIDATION)
        assert [cv.color for cv in screen.plot.curves if cv.label == c.label] == [color]
        assert any(label.startswith(c.label[:3]) and rgb == color for label, rgb in keyed.items())
    table = screen.leaderboard.render()
    swatches = {str(cell).split()[-1]: cell.spans[0].style for cell in table.columns[1]._cells}
    assert swatches == {c.label: rich_color(contestant_color(c.index)) for c in screen.race.contestants}
    await at_80x24_the_race_run_to_its_end_shows_plot_leaderboard_and_keys(app, pilot, screen)
    await pilot.press("m")  # one small map per contestant, framed in its colour
    await pilot.pause()
    borders = [view.styles.border_top[1].rgb for view in screen.query(".race-map")]
    assert borders == [contestant_color(c.index) for c in screen.race.contestants]
    await maps_and_step_sizes_share_the_height_with_the_plot_at_80x24(screen, pilot)

    # an optimizer is the same colour in the surface view as in the race (rmsprop is the race's 4th, the surface's 3rd)
    await pilot.press("escape", "s")
    await pilot.pause()
    surface = app.screen
    assert isinstance(surface, SurfaceScreen)
    walkers = {}
    for line in surface.table.content.split("\n")[1:]:
        span = next(sp for sp in line.spans if "━━" in line.plain[sp.start:sp.end])
        walkers[line.plain[span.end:].split()[1]] = span.style.removeprefix("bold ")
    assert set(walkers) == {"sgd", "momentum", "rmsprop", "adam"}
    assert walkers == {label: color for label, color in swatches.items() if label in walkers}


async def maps_and_step_sizes_share_the_height_with_the_plot_at_80x24(screen, pilot) -> None:
    """The maps shown (m) under the finished race's plot: the two share the 22 rows, the leaderboard gives way (the
    plot had 2 rows to draw in, the maps 4); m: the step sizes get rows to draw in (they had none); m: the board
    is back."""
    board, inside = screen.leaderboard, screen.inside_view
    assert not board.display and drawing_rows(screen.plot) >= 4 and inside.size.height >= 9, inside.size
    assert all(view.size.height >= 7 for view in screen.query(".race-map"))
    await pilot.press("m")
    await pilot.pause()
    assert not board.display and drawing_rows(inside.plot) >= 4 and drawing_rows(screen.plot) >= 4
    await pilot.press("m")
    await pilot.pause()
    stage = screen.query_one("#race-stage")
    assert board.display and not inside.display and board.region.bottom <= stage.region.bottom
