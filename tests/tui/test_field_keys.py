"""The fields under the keyboard: space runs or pauses from every widget but a text field, the focused
field is marked in any colour depth, tick boxes say on or off, menus open framed with whole names."""

from __future__ import annotations

import pytest
from rich.color import ColorSystem
from textual.widgets import Input, Select

from tests.tui.conftest import SIZES_AND_LANGUAGES, SMALL, make, press_together, resize, screen_text, squash, until
from tests.tui.focus_in_view import assert_all_in_view, tab_through_keeps_the_focus_in_view
from tests.tui.test_field_palette import MOMENTUM, the_palette_reaches_every_field_as_the_panel_does
from tests.tui.test_field_steps import arrows_step_a_field_and_apply_it_as_typed
from tests.tui.test_room import (at_60x20_the_race_lessons_card_and_quit_still_show, drawing_rows,
                                 f_leaves_the_leaderboard_each_name_loss_and_state,
                                 m_shows_the_lower_panel_y_hid_and_a_lesson_shows_its_card,
                                 the_loss_plot_gets_its_rows_y_collapses_the_why_panel_and_the_footer_shows_it,
                                 the_race_view_hides_its_notes_with_y_for_the_plot)
from tui import i18n, lessons
from tui.race.screen import RaceScreen
from tui.textual_private_pilot import notices
from tui.widgets.fields import Choice, Field, Flag, Setting
from tui.widgets.tick import Tick


def count_runs(view) -> list:
    """Replace ``view``'s run/pause action by one that notes the widget focused when it ran."""
    calls: list = []
    view.action_toggle_run = lambda: calls.append(view.focused)
    return calls


def state(widget) -> object:
    """What space must not change on a widget that is not a text field."""
    if isinstance(widget, Tick):
        return widget.value
    if isinstance(widget, Select):
        return widget.value, widget.expanded
    return None


def one_of_each_kind(widgets) -> list:
    """The first focusable widget of each class (the sweep stays cheap; widgets of a class share their keys)."""
    kinds: dict = {}
    for widget in widgets:
        kinds.setdefault(type(widget), widget)
    return list(kinds.values())


async def space_everywhere(view, screen, pilot) -> None:
    """Space on each focusable widget of ``screen``: ``view`` runs or pauses, except in a text field, which
    types it."""
    calls = count_runs(view)
    kinds = (Tick, Select, Input)
    # a panel mounted by the key before (the race view's f) is in the focus chain once its children are composed
    await until(pilot, lambda: all(any(isinstance(w, kind) for w in screen.focus_chain) for kind in kinds))
    widgets = one_of_each_kind(screen.focus_chain)
    for widget in widgets:
        widget.focus()
        before = widget.value if isinstance(widget, Input) else state(widget)
        await pilot.press("space")
        if isinstance(widget, Input):
            assert calls == [] and widget.value == before + " ", widget
            widget.value = before  # leaving it must not commit a change
        else:
            assert calls == [widget] and state(widget) == before, widget
        calls.clear()
    select = next(w for w in widgets if isinstance(w, Select))
    select.focus()
    await pilot.press("enter")
    await until(pilot, lambda: select.expanded)
    await pilot.press("space")  # inside an open menu too
    assert len(calls) == 1
    await pilot.press("escape")


def sixteen(color) -> object:
    """A colour as a 16-colour terminal draws it."""
    return color.rich_color.downgrade(ColorSystem.STANDARD)


async def focus_marks_one_row(app, pilot) -> None:
    """Focus a row of each kind: that row's label, and no other, stands out in 16 colours; the control
    itself is drawn in reverse video (an attribute every terminal and the browser keep)."""
    rows = [row for row in app.query(Setting) if row.display]
    panel = sixteen(app.controls.styles.background)
    for row in one_of_each_kind(rows):
        control = row.query_one(Input if isinstance(row, Field) else Select if isinstance(row, Choice) else Tick)
        control.focus()
        await pilot.pause()
        marked = [r for r in rows if sixteen(r.query_one(".label").styles.background) != panel]
        assert marked == [row], row.id
        drawn = control.query_one("SelectCurrent") if isinstance(control, Select) else control
        assert drawn.rich_style.reverse, row.id


ON_OFF = {"en": ("on", "off"), "ko": ("켬", "끔")}
"""A tick box's words in each language."""


async def tick_says_on_or_off(app, pilot, lang: str) -> None:
    flag, (on, off) = app.query_one("#set-stop", Flag), ON_OFF[lang]
    flag.tick.focus()
    assert f"▐ ▌ {off}" in str(flag.tick.render()) and not flag.tick.value
    await pilot.press("enter")
    await pilot.pause()  # the word follows the box when the change has bubbled to the row
    assert f"▐X▌ {on}" in str(flag.tick.render()) and app.config.early_stopping is not None


async def menu_is_framed_with_whole_names(app, pilot) -> None:
    menu = app.query_one("#set-loss", Choice).select
    menu.focus()
    await pilot.press("enter")
    await pilot.pause()
    overlay = menu.query_one("SelectOverlay")
    assert overlay.styles.border_top[0] not in ("", "none", "hidden")
    assert overlay.region.right > app.controls.region.right  # over the panel's edge, not squeezed in it
    assert "sparse_categorical_crossentropy" in screen_text(app)  # on one line, not cut mid-word
    panel = app.controls
    if app.size.height < 40:  # there the early-stopping rows ticked on make the panel scroll
        panel.scroll_down(animate=False)  # as the wheel, or focus moving below the fold, scrolls it
        await until(pilot, lambda: panel.scroll_y > 0)
        await pilot.pause()
        assert "sparse_categorical_crossentropy" in screen_text(app)  # the open menu is still drawn, whole
    await pilot.press("escape")


@pytest.mark.parametrize("size,lang", SIZES_AND_LANGUAGES)
async def test_focus_marks_a_tick_box_a_menu_arrows_and_the_palette_set_the_fields_then_the_room_of_each_panel(size, lang):
    """On MOMENTUM: the focus marks, a tick box, a menu, then ↑ / ↓ on the numeric fields (test_field_steps),
    then back to the start and the palette's field entries (test_field_palette); then, on SMALL, the plot focused,
    the room each panel gets (test_room; at 80x24 also the footer, the palette, help and the counters from 60 to 200
    columns: the palette walk ended at 80x23, and the room walk's start size is 80x24 again). One app."""
    app = make(MOMENTUM, lang=lang)
    async with app.run_test(size=size) as pilot:
        await focus_marks_one_row(app, pilot)
        await tick_says_on_or_off(app, pilot, lang)
        await menu_is_framed_with_whole_names(app, pilot)
        await arrows_step_a_field_and_apply_it_as_typed(app, pilot)
        assert await app.rebuild(MOMENTUM)  # the start again, as a lesson sets one up
        await pilot.pause()
        await the_palette_reaches_every_field_as_the_panel_does(app, pilot, size, lang)
        assert await app.rebuild(SMALL)
        if size == (80, 24):
            await resize(pilot, 80, 24)  # the palette walk ended at 80x23
        app.loss_plot.focus()
        await the_loss_plot_gets_its_rows_y_collapses_the_why_panel_and_the_footer_shows_it(app, pilot, size, lang)


@pytest.mark.parametrize("lang", ["en", "ko"])
async def test_m_and_a_lesson_fill_the_lower_panel_y_hides_the_race_views_notes_and_its_panel_fits_60x20(lang):
    """At 80x24 on SMALL, the plot focused: m and a lesson's card in the lower panel, then a race lesson's card and
    the race view's notes hidden with y (test_room); there f leaves the leaderboard each name, loss and state, and
    the field panel needs no scrolling, even at 60x20; in Korean, back in the main view at 60x20, a lesson's card
    shows under the plot and the lessons menu keeps its hint in view."""
    app = make(SMALL, lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        app.loss_plot.focus()
        await m_shows_the_lower_panel_y_hid_and_a_lesson_shows_its_card(app, pilot)
        await the_race_view_hides_its_notes_with_y_for_the_plot(app, pilot, lang)
        assert isinstance(app.screen, RaceScreen)
        await f_leaves_the_leaderboard_each_name_loss_and_state(app.screen, pilot)  # the field panel open
        await resize(pilot, 60, 20)
        assert_all_in_view(app.screen, app.screen.panel)  # it needs no scrolling, even at 60x20
        await at_60x20_the_race_lessons_card_and_quit_still_show(app.screen, pilot, lang)
        if lang == "en":  # the layout is the language's (the card's rows): in Korean, whose words wrap more
            return
        await pilot.press("escape")  # the main view at 60x20: a lesson's card shows under the plot (it was below
        lesson = lessons.get("overfitting")  # the screen: the plot kept its 16 rows of a stage of 15)
        await app.open_lesson(lesson)
        why, stage = app.why_panel, app.query_one("#stage")
        await until(pilot, lambda: why.region.height >= 6 and why.region.bottom <= stage.region.bottom
                    and squash(lesson.text("title"))[:8] in screen_text(app), why=lambda: (why.region, stage.region))
        assert drawing_rows(app.loss_plot) >= 3
        await pilot.press("L")  # the lessons menu at 60x20: its list scrolls, its keys' hint stays in view (it was cut)
        await until(pilot, lambda: squash(i18n.t("ui.lessons.hint")) in screen_text(app), why=lambda: screen_text(app))
        await pilot.press("escape")


async def test_tab_keeps_the_focus_in_view_at_60x20_and_space_runs_from_every_kind_of_widget_but_a_text_field():
    """In Korean (its labels are the wider: rows wrap and the panel scrolls most) at 60x20, the smallest usable
    size, on MOMENTUM: tab through the control panel, every focused widget in view (tests/tui/focus_in_view.py);
    then space from every kind of widget, main and race view (keys do not depend on size or language: one case).
    One app (the two walks were split to cut the file's tail; with the room walks folded in there is none)."""
    app = make(MOMENTUM, lang="ko")
    async with app.run_test(size=(60, 20)) as pilot:
        assert await tab_through_keeps_the_focus_in_view(app, pilot, app.controls) > 10
        await space_runs_from_every_kind_of_widget_but_a_text_field(app, pilot)


async def space_runs_from_every_kind_of_widget_but_a_text_field(app, pilot) -> None:
    """The main view (ready, 3 epochs), then the race view (c f), whose numbers step; back in the main view."""
    await space_everywhere(app, app.screen, pilot)
    del app.action_toggle_run  # the real one again: space on a tick box trains, the box stays as it was
    app.query_one("#set-stop", Flag).tick.focus()
    await pilot.press("space")
    assert app.status in ("running", "finished") and app.config.early_stopping is None
    await app.workers.wait_for_complete()
    app.loss_plot.focus()
    await pilot.press("c", "f")
    race = app.screen
    assert isinstance(race, RaceScreen)
    await space_everywhere(race, race, pilot)
    await race_numbers_step(race, pilot)
    race.plot.focus()
    await pilot.press("escape")
    await until(pilot, lambda: not isinstance(app.screen, RaceScreen))


NO_MAGNITUDE = "0 has no order of magnitude to step: type a value"
"""The refusal of ↑ / ↓ on a field holding 0 (tui/widgets/steps.py), in English."""


async def race_numbers_step(race, pilot) -> None:
    """A contestant's learning rate steps ×10 / ÷10 from its default (blank) and is raced at that rate at
    line-up; the race's epochs step ±1 and apply at once, as entered, and escape puts back the length taken."""
    rate = race.panel.query_one("#race-lr-adam", Input)
    rate.value = ""
    rate.focus()
    await pilot.press("up")
    assert rate.value == "0.01"  # adam's default 0.001, ×10
    await press_together(pilot, "down", "down")
    assert rate.value == "0.0001" and ("adam", 0.0001) in race.panel.values()
    rate.action_end()
    await press_together(pilot, "backspace", *"xyz")  # a burst (as over SSH) edits in the order typed
    assert (rate.value, race.focused) == ("0.000xyz", rate)
    rate.value = "-0.00001"
    await pilot.press("enter")  # lined up: refused quoting the rate as typed (it said -1e-05)
    assert "'-0.00001'" in race.panel.reason, race.panel.reason
    rate.value = "0"
    await pilot.press("up")  # nothing to scale: refused in one line, the value stays
    assert rate.value == "0" and race.panel.reason == i18n.message(NO_MAGNITUDE)  # in the app's language
    # the main view's rule: the refusal scrolled into view (under the button, below the fold at 60x20) and
    # whole in a notice; escape puts back the value in use (adam races at its default: blank) and leaves the field
    panel, reason = race.panel, race.panel.query_one("#race-reason")
    await until(pilot, lambda: 0 < reason.region.height and reason.region.bottom <= panel.content_region.bottom,
                why=lambda: (reason.region, panel.content_region))
    assert notices(race.app)[-1].message == race.panel.reason
    await pilot.press("escape")
    assert (rate.value, panel.reason, race.focused) == ("", "", race.plot)
    epochs = race.panel.query_one("#race-epochs", Input)
    epochs.focus()
    await pilot.press("up")
    assert epochs.value == "4" and race.base.epochs == 4 and race.panel.reason == ""
    epochs.value = "abc"
    await pilot.press("enter")  # refused; escape puts back the length in use: the one just taken, not the first
    assert "'abc'" in race.panel.reason
    await pilot.press("escape")
    assert (epochs.value, race.panel.reason) == ("4", "")


def test_no_rule_styles_what_is_in_a_panel_by_the_panels_own_focus():
    """The control panel and the race's field panel restyle only themselves when they gain or lose focus
    (``OwnFocusStyle``): a rule styling what is in them by their own focus (``#controls:focus .label``) would be
    left stale, so the stylesheet has none (``:focus-within`` is Textual's to restyle, and it does)."""
    import re
    from pathlib import Path

    import tui

    css = re.sub(r"/\*.*?\*/", "", (Path(tui.__file__).parent / "descend.tcss").read_text(), flags=re.S)
    selectors = [s.strip() for head in re.findall(r"([^{}]+)\{", css) for s in head.split(",")]
    panels = ("#controls", "#race-panel", "ControlPanel", "RacePanel")
    assert {"#controls", "#race-panel"} <= set(selectors)  # the scan reads the panels' own rules
    own_focus_then_inside = r"[\w.#:-]*:focus(?!-within)[\w.#:-]*[\s>]+\S"
    by_own_focus = [s for s in selectors for p in panels if re.search(p + own_focus_then_inside, s)]
    assert by_own_focus == []
