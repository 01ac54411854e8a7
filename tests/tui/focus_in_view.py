"""Tab through a scrolling panel (the control panel, the race's field panel): each widget it focuses lies
within the panel's visible region, so a keyboard user sees what they are on."""

from __future__ import annotations

from textual.widget import Widget

from tests.tui.conftest import until


def inside(panel: Widget, widget: Widget | None) -> bool:
    return widget is not None and widget is not panel and panel in widget.ancestors


async def tab_through_keeps_the_focus_in_view(app, pilot, panel: Widget) -> int:
    """From ``panel``'s first focusable widget, tab (the app's own ``focus_next``, as the key does) until
    the focus leaves the panel; after each, the focused widget's region (and its row's, for a setting with
    a label) is within the panel's visible region. Returns how many widgets were visited."""
    screen = app.screen
    first = next(w for w in screen.focus_chain if inside(panel, w))
    first.focus()
    await pilot.pause()
    visited = 0
    while inside(panel, app.focused):
        widget = app.focused
        row = next((a for a in widget.ancestors if a.has_class("setting")), widget)
        # Textual scrolls a widget focused out of view after a refresh, animated over a few frames: one pause may
        # meet the scroll part way (at 60x20 under load it did: scroll_y 8.19, the field a row below the region)
        await until(pilot, lambda: in_view(panel, widget) and in_view(panel, row),
                    why=lambda: (app.size, panel.id, widget, widget.region, row.id, row.region, panel.content_region,
                                 panel.scroll_y))
        visited += 1
        screen.focus_next()
        await pilot.pause()
    return visited


def in_view(panel: Widget, widget: Widget) -> bool:
    """``widget`` lies within ``panel``'s visible region as last laid out."""
    return panel.content_region.contains_region(widget.region)


def assert_all_in_view(screen, panel: Widget) -> None:
    """Every focusable widget of ``panel`` lies within its visible region as it stands (a panel that fits
    without scrolling: the race's field panel)."""
    shown = panel.content_region
    widgets = [w for w in screen.focus_chain if inside(panel, w)]
    assert len(widgets) > 10 and panel.max_scroll_y == 0
    assert [w for w in widgets if not shown.contains_region(w.region)] == [], shown
