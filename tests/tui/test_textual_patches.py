"""What ``tui.textual_patches`` promise, with no app or a small one: each stylesheet is parsed once per
process (a second app's stylesheet reuses the rules, a theme's other colours are parsed anew), a message's handlers
are found once per class yet called as Textual calls them (MRO order, ``@on`` first in its class, a method replaced
on a class is the one called, a prevented default stops the classes after), a widget of a higher layer keeps its
double-width characters whole over the edge between two widgets under it, and a see-through screen dims what changed
below it alone, as Textual dims it."""

from __future__ import annotations

from textual import on
from textual.app import App, ComposeResult
from textual.css.stylesheet import Stylesheet
from textual.message import Message
from textual.message_pump import MessagePump
from textual.renderables.background_screen import BackgroundScreen
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from tests.tui.conftest import until
from tui.textual_patches import (dim_what_changed_below, find_handlers_once_per_class,
                                 flush_screens_below_after_a_batch, keep_wide_characters_whole_under_layers,
                                 lay_out_screens_below_only_when_resized, leave_the_shown_screen_when_one_is_removed,
                                 parse_each_stylesheet_once)
from tui.textual_private import screen_lines
from tui.textual_private_pilot import dimmed_below, handlers as dispatched

CSS = "Label { color: $primary; }"


def rules(variables: dict[str, str]) -> list:
    stylesheet = Stylesheet(variables=variables)
    stylesheet.add_source(CSS, ("descend.tcss", ""))
    return stylesheet.rules


def test_a_second_stylesheet_reuses_the_rules_parsed_with_the_same_variables():
    """``parse_each_stylesheet_once``: a second stylesheet of the same source and CSS variables gets the very rule
    objects of the first (not parsed again), another theme's variables their own rules in their own colours, and a
    stylesheet whose variables change (a theme change: ``set_variables``, then ``reparse``) the new colours."""
    parse_each_stylesheet_once()
    parse_each_stylesheet_once()  # idempotent
    red = rules({"primary": "#ff0000"})
    assert rules({"primary": "#ff0000"})[0] is red[0]  # not parsed again
    blue = rules({"primary": "#0000ff"})  # another theme: parsed with its own colours
    assert blue[0] is not red[0]
    assert (red[0].styles.color.hex, blue[0].styles.color.hex) == ("#FF0000", "#0000FF")
    stylesheet = Stylesheet(variables={"primary": "#ff0000"})
    stylesheet.add_source(CSS, ("descend.tcss", ""))
    assert stylesheet.rules[0] is red[0]
    stylesheet.set_variables({"primary": "#00ff00"})  # as a theme change does, then reparse
    stylesheet.reparse()
    assert stylesheet.rules[0].styles.color.hex == "#00FF00"


class Ping(Message):
    pass


class Base(MessagePump):
    def on_ping(self, message: Ping) -> None:
        pass


class Middle(Base):
    pass


class Child(Middle):
    @on(Ping)
    def heard(self, message: Ping) -> None:
        pass

    def on_ping(self, message: Ping) -> None:
        pass


def called(pump: MessagePump, message: Message, stop_after: int | None = None) -> list[str]:
    """The handlers Textual would call for ``message``, by qualified name; ``stop_after``: the handler after which
    one prevents the default."""
    names = []
    for _, method in dispatched(pump, message, "on_ping"):
        names.append(method.__qualname__)
        if len(names) == stop_after:
            message.prevent_default()
    return names


def test_a_messages_handlers_are_found_once_and_called_as_textual_calls_them():
    """``find_handlers_once_per_class``: a child's ``@on`` handler, its named handler, then its base's, in that order
    and the same when found again; a prevented default stops the classes after the handler's own (not the rest of
    its class, as Textual); a base's handler replaced after the lookup is the one called."""
    find_handlers_once_per_class()
    find_handlers_once_per_class()  # idempotent
    child = Child()
    assert called(child, Ping()) == ["Child.heard", "Child.on_ping", "Base.on_ping"]
    assert called(child, Ping()) == ["Child.heard", "Child.on_ping", "Base.on_ping"]  # found again, the same
    assert called(child, Ping(), stop_after=2) == ["Child.heard", "Child.on_ping"]  # the default prevented
    assert called(child, Ping(), stop_after=1) == ["Child.heard", "Child.on_ping"]  # within its class: as Textual
    original = Base.on_ping

    def replaced(self, message: Ping) -> None:
        pass
    replaced.__qualname__ = "replaced"
    Base.on_ping = replaced  # as a patch replaces a handler, after its class's handlers were found
    try:
        assert called(child, Ping()) == ["Child.heard", "Child.on_ping", "replaced"]
    finally:
        Base.on_ping = original
    assert called(Middle(), Ping()) == ["Base.on_ping"]


async def test_a_wide_character_over_the_edge_of_two_widgets_below_shows_whole():
    """A line of Korean in a higher layer (as a notice: the race view's ``언어: 한국어`` over the leaderboard and the
    field panel read ``언  : 한국어``) across the edge at column 11 between two widgets: ``마`` takes columns 10-11."""
    from textual.containers import Horizontal

    class Two(App):
        CSS = """
        Screen { layers: base above; }
        #a { width: 11; } #b { width: 1fr; }
        #note { layer: above; offset: 2 0; width: 20; height: 1; }
        """

        def compose(self):
            with Horizontal():
                yield Static("a" * 11, id="a")
                yield Static("b" * 19, id="b")
            yield Static("가나다라마바사아", id="note")

    keep_wide_characters_whole_under_layers()
    keep_wide_characters_whole_under_layers()  # idempotent
    async with Two().run_test(size=(30, 2)) as pilot:
        await pilot.pause()
        assert screen_lines(pilot.app.screen)[0] == "aa가나다라마바사아    bbbbbbbb"  # (Textual's: 가나다라  바사아)


class Below(Screen):
    def compose(self) -> ComposeResult:
        for row in range(6):
            yield Static(f"row {row} under the menu", id=f"row{row}")


class Menu(ModalScreen):
    DEFAULT_CSS = "Menu { align: center middle; } Menu Static { width: 8; height: 1; }"

    def compose(self) -> ComposeResult:
        yield Static("menu")


class TwoScreens(App):
    def get_default_screen(self) -> Screen:
        return Below()


async def test_a_menu_dims_again_only_what_changed_below_it_and_shows_a_batchs_changes(monkeypatch):
    """Under a see-through screen the dimmed lines are Textual's own, made once: a row changed below is dimmed again
    alone, the rest kept; a change made in a batch (as the language key changes every view) shows too."""
    lay_out_screens_below_only_when_resized()  # as the app does: the menu's first Resize leaves the view below be
    dim_what_changed_below()
    flush_screens_below_after_a_batch()
    dimmed = []
    process_segments = BackgroundScreen.process_segments.__func__

    def counted(cls, segments, color):
        dimmed.append(segments.text if hasattr(segments, "text") else "all")
        return process_segments(cls, segments, color)
    monkeypatch.setattr(BackgroundScreen, "process_segments", classmethod(counted))
    app = TwoScreens()
    async with app.run_test(size=(30, 6)) as pilot:
        await until(pilot, lambda: app.screen.query_one("#row5").region.bottom == 6)  # the view below laid out,
        await pilot.pause()  # and drawn: a first layout still to come when the menu opens dims it all a second time
        await app.push_screen(Menu())
        await pilot.pause()
        assert len(dimmed) == 6  # each row once, however many repaints the menu's opening made
        drawn, textual = dimmed_below(app.screen)  # Textual's dims the whole screen below in one call
        assert drawn == textual and drawn[2].text.startswith("row 2 under")
        below = app.screen_stack[0]
        with app.batch_update():  # the view below takes in the change during the batch, and draws nothing then
            below.query_one("#row4", Static).update("row 4 changed")
            await pilot.pause()
        await pilot.pause()
        drawn, textual = dimmed_below(app.screen)
        assert drawn == textual and "row 4 changed" in screen_lines(app.screen)[4]
        dimmed.clear()
        below.query_one("#row1", Static).update("row 1 changed")
        await pilot.pause()
        assert set(dimmed) == {"row 1 changed" + " " * 17}, dimmed  # that row alone dimmed again
        drawn, textual = dimmed_below(app.screen)
        assert drawn == textual and "row 1 changed" in screen_lines(app.screen)[1]


async def test_a_closed_menus_removal_leaves_the_screen_shown_as_its_pop_drew_it(monkeypatch):
    """Escape from a menu: the view shown again is drawn once, whole, by the pop; the removal of the menu's screen
    after it lays nothing out (Textual's laid the view out and repainted it again)."""
    leave_the_shown_screen_when_one_is_removed()
    app = TwoScreens()
    async with app.run_test(size=(30, 6)) as pilot:
        await pilot.pause()  # the view below laid out and drawn
        menu = Menu()
        await app.push_screen(menu)
        await pilot.pause()
        layouts = []
        refresh_layout = Screen._refresh_layout
        monkeypatch.setattr(Screen, "_refresh_layout", lambda screen, *args, **kwargs: (
            layouts.append(type(screen).__name__), refresh_layout(screen, *args, **kwargs))[1])
        app.pop_screen()
        await pilot.pause()
        assert not menu.is_attached and isinstance(app.screen, Below)
        assert layouts == [], layouts
        assert "row 3 under the menu" in screen_lines(app.screen)[3]
