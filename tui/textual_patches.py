"""Textual 8's methods the app replaces so that a key, a focus move, a resize or a screen switch does less work.

Each function here patches one private piece of Textual (tested on Textual 8, pinned from above in pyproject.toml;
a new major release may move them, and this module is the one to mend), says what Textual did and what it does
now, and is idempotent. ``DescendApp.__init__`` applies them; ``SettledScreen`` calls
``leave_layout_to_first_resize``. The private names the app's widgets use are fenced in ``tui/textual_private.py``.
"""

from __future__ import annotations

import types
import weakref
from collections.abc import Callable

from textual.layout import DockArrangeResult, WidgetPlacement

__all__ = ["count_callback_parameters_once", "dim_what_changed_below", "draw_overlays_when_scrolled",
           "find_handlers_once_per_class", "flush_screens_below_after_a_batch", "hide_what_opaque_screens_cover",
           "keep_wide_characters_whole_under_layers", "lay_out_once_per_reflow", "lay_out_screens_below_only_when_resized",
           "leave_layout_to_first_resize", "leave_the_shown_screen_when_one_is_removed", "name_the_sign_keys", "parse_each_stylesheet_once", "resize_in_one_layout",
           "settle_layouts_before_drawing", "type_without_layout"]


def count_callback_parameters_once() -> None:
    """Count a callback's parameters once per function, not at every call.

    Textual 8 passes a callback as many arguments as it takes (``textual._callback.count_parameters``), and
    remembers the count on the callable. ``call_later``, ``call_after_refresh`` and ``call_next`` wrap each
    callback in a new ``functools.partial``, so the count was never found again: ``inspect.signature`` ran at
    every call (Pilot's every key and pause waits with one on each of the main view's ~140 widgets: 2–4 ms of
    a key's ~25 ms of CPU at 80x24). Here a plain function's count, and a bound method's (by its function:
    every instance's is the same), is counted once and kept while the function lives. Idempotent.
    """
    from textual import _callback

    if getattr(_callback._count_parameters, "once", False):
        return
    count_by_signature, counts = _callback._count_parameters, weakref.WeakKeyDictionary()

    def count_once(func: Callable) -> int:
        if isinstance(func, types.MethodType):
            function, bound = func.__func__, 1
        elif isinstance(func, types.FunctionType):
            function, bound = func, 0
        else:  # a class, a builtin, a callable object: as Textual counts it
            return count_by_signature(func)
        if function not in counts:
            counts[function] = count_by_signature(function)
        return counts[function] - bound
    count_once.once = True
    _callback._count_parameters = count_once


def draw_overlays_when_scrolled() -> None:
    """Keep an open overlay (a menu: ``Select``'s list) on screen when anything on the screen scrolls.

    A scroll only (no layout change) makes Textual 8 re-place just the widgets inside each container's
    visible area (``Compositor.reflow_visible``, through ``DockArrangeResult.get_visible_placements``).
    An overlay is drawn over the whole screen, outside its container: a ``Select``'s list opens below the
    ``Select``'s own line, so it was culled, and an open menu vanished as the control panel scrolled (focus
    moving to a row below the fold, the mouse wheel). What showed was the panel as if the menu were closed;
    once the full layout was rebuilt for a query (``widget.region``), the list was drawn cut at the old
    widths. Here a container's overlays are placed on every reflow, as a full one places them. Idempotent.
    """
    if getattr(DockArrangeResult.get_visible_placements, "keeps_overlays", False):
        return
    visible_placements = DockArrangeResult.get_visible_placements

    def with_overlays(self: DockArrangeResult, region) -> list[WidgetPlacement]:
        placements = visible_placements(self, region)
        overlays = [placement for placement in self.placements if placement.overlay]
        if not overlays:
            return placements
        placed = {id(placement) for placement in placements}
        return placements + [placement for placement in overlays if id(placement) not in placed]
    with_overlays.keeps_overlays = True
    DockArrangeResult.get_visible_placements = with_overlays


def lay_out_once_per_reflow() -> None:
    """A layout no longer asks for a second one.

    Textual 8's layout (``Screen._refresh_layout``) hands each widget its new size and virtual size
    (``Widget._size_updated``), which sets the widget's ``virtual_size`` reactive; that reactive asks for a layout,
    so every layout that resized anything was followed by a second whole-screen layout, which found everything
    where the first had put it (a third of the main view's layouts in the Pilot tests, ~10 ms of CPU each at
    100x30). Here the size is taken as Textual takes it when a scroll reflows the visible widgets
    (``layout=False``: set without the request). What does need another layout still asks for one: a scrollbar
    that appears or goes (its ``display``), a widget's own ``Resize`` handler. Idempotent.
    """
    from textual.widget import Widget

    if getattr(Widget._size_updated, "once", False):
        return
    size_updated = Widget._size_updated

    def without_second_layout(widget: Widget, size, virtual_size, container_size, layout: bool = True) -> bool:
        return size_updated(widget, size, virtual_size, container_size, layout=False)
    without_second_layout.once = True
    Widget._size_updated = without_second_layout


def type_without_layout() -> None:
    """A key typed in a text field (``Input``) repaints it, and no longer lays the whole screen out.

    Textual 8's ``Input._watch_value`` sets the field's ``virtual_size`` (its text's width, for scrolling), a
    reactive that asks for a layout of the screen at every key (~6 ms of CPU of a key's ~20 at 100x30). An
    ``Input`` keeps its own virtual size (``ScrollView``): no layout reads it, and a field whose width follows its
    text (``width: auto``) still asks for its layout in that method. Here the size is set just before, as the
    method sets it (so the method finds it unchanged); the new value's own repaint draws the field. Idempotent.
    """
    from textual.geometry import Size
    from textual.widgets import Input

    if getattr(Input._watch_value, "no_layout", False):
        return
    watch_value = Input._watch_value

    def without_layout(field: Input, value: str) -> None:
        field.set_reactive(Input.virtual_size, Size(field.content_width, 1))
        watch_value(field, value)
    without_layout.no_layout = True
    Input._watch_value = without_layout


def resize_in_one_layout() -> None:
    """A screen that says its breakpoint classes for a size (a ``classes_at(size)`` method: ``SettledScreen``)
    takes a ``Resize`` in one layout where Textual 8's ``Screen._on_resize`` made two or three.

    Textual lays the screen out at the new size, then sets the breakpoint classes (``-narrow``/``-wide``…),
    restyling every widget whose rules depend on them; the layout that restyle needs came from a second
    ``Resize``, the one each layout posts to a screen whose size it changed, which laid the whole screen out
    again (and every screen under it). Here the classes are set first, then the screen (and those under it) is
    laid out once, with the restyle's layout requests taken in: the restyled widgets' own requests are
    cleared and every arrangement forgotten, as the layout that follows arranges everything anew. A ``Resize``
    at the size the screen was last laid out at that changes no class (the second one) changes nothing,
    and is left. A screen under another takes its classes from that second ``Resize``, as in Textual.

    Textual's handler is replaced, not prevented: the app posts one ``Resize`` object to every screen it shows,
    and a handler's ``prevent_default`` marked it for the screens after (a size note over the main view never
    took the new size). Other screens keep Textual's handler. Idempotent.
    """
    from textual.screen import Screen
    from textual.widget import Widget

    if getattr(Screen._on_resize, "one_layout", False):
        return
    textual_on_resize = Screen._on_resize

    async def on_resize(screen: Screen, event) -> None:
        classes_at = getattr(screen, "classes_at", None)
        if classes_at is None:
            await textual_on_resize(screen, event)
            return
        event.stop()
        size, classes = event.size, classes_at(event.size)
        changed = any((name in screen.classes) != wanted for name, wanted in classes.items())
        if size == screen._compositor.size and not changed:
            return
        screen.update_classes(classes, animate=False)
        if screen.stack_updates and screen.is_attached:  # it will be laid out now (``Screen._screen_resized``)
            for node in screen.walk_children(Widget, with_self=True):
                node._arrangement_cache.clear()
                node._layout_required = False
        screen._screen_resized(size)
        for below in screen.app._background_screens:
            below._screen_resized(size)
    on_resize.one_layout = True
    Screen._on_resize = on_resize


def name_the_sign_keys() -> None:
    """Let Textual know that the keys ``minus`` and ``plus`` type ``-`` and ``+``.

    Textual 8 leaves a binding out of the footer while the focused widget takes its key as text (an ``Input``),
    finding the key's character with ``textual.keys.key_to_character``, which knows a key's character by its
    Unicode name in ``KEY_TO_UNICODE_NAME`` or its own name: ``minus`` and ``plus`` are neither (their names are
    HYPHEN-MINUS and PLUS SIGN), so in a text field the footer offered ``-+ Speed`` while those keys typed a
    sign. Idempotent."""
    from textual import keys

    keys.KEY_TO_UNICODE_NAME.update(minus="HYPHEN-MINUS", plus="PLUS SIGN")
    keys.key_to_character.cache_clear()


def hide_what_opaque_screens_cover() -> None:
    """Count the screens under an opaque top screen as hidden, as they are.

    Textual 8's ``App._background_screens`` (the screens that may show through the top one) always lists the
    screen right under the top one, opaque or not. With the race or surface view over the main view, the main
    view thus counted as shown (``Screen.is_current``): each ``Resize`` of the view laid the main view out too,
    its footer was rebuilt as the view opened and again as it closed, and each of its redraws repainted the
    view's regions (a race view's open and close at 100x30: 0.21 → 0.14 s of CPU; a surface view's 0.17 → 0.10). Here under an opaque top
    screen nothing shows; under a translucent one (help, the lesson menu, the palette) what Textual lists. A
    screen resized while hidden is laid out as it shows again (``Screen._on_screen_resume`` compares sizes; that
    layout hands the screen a ``Resize``, which sets its breakpoint classes).
    Idempotent.
    """
    from textual.app import App

    listed = App._background_screens.fget
    if getattr(listed, "opaque_hides", False):
        return

    def background_screens(app: App) -> list:
        stack = app._screen_stack
        return [] if stack and stack[-1].styles.background.a == 1 else listed(app)
    background_screens.opaque_hides = True
    App._background_screens = property(background_screens, doc=App._background_screens.__doc__)


def dim_what_changed_below() -> None:
    """A see-through screen (help, the lessons menu, the palette) dims again only the lines of the screen below it
    that changed, not the whole screen at each of its own repaints.

    Textual 8 draws what shows through a translucent screen as the screen's own content (``Screen.render`` returns a
    ``BackgroundScreen``): the whole screen below composed anew and every segment tinted (``process_segments``), at
    every repaint of the top screen, whatever changed: a menu opening repainted it 3-4 times (~15 ms of CPU each at
    120x40, most of the menu's cost), and while training ran below, every frame below re-made all of it. Here the
    dimmed lines are kept with the top screen; what the screen below changes reaches the top screen as its dirty
    regions (Textual's ``_compositor_refresh`` of a background screen), and a widget below repainted since (its
    styles cache's dirty lines) is taken as changed too: those lines alone are composed and dimmed again, the same
    segments Textual's render makes, from the same state. The screen below no longer marks those regions dirty in
    itself (Textual's ``_set_dirty`` and ``_repaint_required`` there, as its inline branch does not): they were
    reported again at its next update, with all it had marked before (the whole screen, from its last repaint),
    so every change below re-made every line; it repaints whole as it shows again (``_on_screen_resume``).
    The lines are made anew when the size, the tint, the screen's
    own style or the screen below change, and dropped when another screen covers the top one (the one below may then
    change unseen). Idempotent.
    """
    from rich.segment import Segment
    from textual.geometry import Region
    from textual.renderables.background_screen import BackgroundScreen
    from textual.screen import Screen
    from textual.strip import Strip
    from textual.visual import RichVisual
    from textual.widget import Widget

    if getattr(Screen.render, "dims_once", False):
        return
    render, compositor_refresh, on_suspend = Screen.render, Screen._compositor_refresh, Screen._on_screen_suspend

    class Dimmed:
        """The dimmed lines of ``below`` (``None``: to make), for one size, tint and style of the screen above."""

        def __init__(self, below: Screen, key: tuple, height: int) -> None:
            self.below, self.key, self.lines = below, key, [None] * height

        def forget(self, regions) -> None:
            for region in regions:
                self.lines[region.y:region.bottom] = [None] * len(self.lines[region.y:region.bottom])

    class DimmedBelow(RichVisual):
        """Textual's ``BackgroundScreen`` as the top screen's content, from the lines dimmed before."""

        def render_strips(self, width: int, height: int | None, style, options) -> list[Strip]:
            top, shown = self._widget, self._renderable
            below, compositor = shown.screen, shown.screen._compositor
            size, rich_style = compositor.size, style.rich_style
            key = size, shown.color, rich_style, width
            dimmed = top.__dict__.get("_dimmed_below")
            if dimmed is None or dimmed.below is not below or dimmed.key != key:
                dimmed = top._dimmed_below = Dimmed(below, key, size.height)
            lines = dimmed.lines
            for widget, (region, clip) in compositor.visible_widgets.items():
                if widget._styles_cache._dirty_lines:  # repainted, not yet reported by the screen below
                    dimmed.forget([region.intersection(clip)])
            stale = [y for y, line in enumerate(lines) if line is None]
            if stale:
                crop = Region(0, stale[0], size.width, stale[-1] - stale[0] + 1)
                chops = compositor._render_chops(crop, set(stale).__contains__)
                apply = rich_style.__add__ if rich_style else None  # as ``Widget.post_render``'s ``_Styled``
                for y in stale:
                    segments = BackgroundScreen.process_segments(Strip.join(chops[y].values()), shown.color)
                    if apply is not None:
                        segments = (Segment(text, apply(segment_style), None) for text, segment_style, _ in segments)
                    line = Strip(list(segments))
                    lines[y] = line.crop(0, width) if line.cell_length > width else line
            return lines[:height]

    def dimmed_render(screen: Screen):
        shown = render(screen)
        return DimmedBelow(screen, shown) if isinstance(shown, BackgroundScreen) else shown

    def refresh_noting_changes(screen: Screen) -> None:
        app = screen.app
        regions = screen._compositor._dirty_regions
        if not regions or screen is app.screen or screen not in app._background_screens:
            compositor_refresh(screen)
            return
        for above in app.screen_stack:
            dimmed = above.__dict__.get("_dimmed_below")
            if dimmed is not None and dimmed.below is screen:
                dimmed.forget(regions)
        if app.is_inline:
            compositor_refresh(screen)
            return
        if screen.__dict__.get("_settling") and any(widget._layout_required for widget in screen.walk_children(Widget)
                                                    if widget.is_mounted):  # as ``settle_layouts_before_drawing``
            screen._settling = "again"
            return
        app.screen.refresh(*regions)  # as Textual's inline branch: the screen below marks nothing of its own
        regions.clear()
        screen._dirty_widgets.clear()
        app._update_mouse_over(screen)

    def suspend_forgetting(screen: Screen) -> None:
        screen.__dict__.pop("_dimmed_below", None)
        on_suspend(screen)
    dimmed_render.dims_once = True
    Screen.render = dimmed_render
    Screen._compositor_refresh = refresh_noting_changes
    Screen._on_screen_suspend = suspend_forgetting


def flush_screens_below_after_a_batch() -> None:
    """The screens that show through the top one take in their changes when a batch of updates ends, as it does.

    Textual 8 leaves a screen's repaints to its idle handler, which skips them during a batch
    (``App.batch_update``, e.g. the language key's re-wording of every view) and is called again when the batch ends
    only for the top screen (``App._end_batch`` checks the app's idle). A view under help or the lessons menu thus kept
    its widgets' new words (K) unshown, dimmed in the old language, until something else of that view asked for a
    layout (its footer recomposing happened to). Here each screen that shows below the top one is checked too. Idempotent.
    """
    from textual.app import App

    if getattr(App._end_batch, "flushes_below", False):
        return
    end_batch = App._end_batch

    def end_batch_flushing(app: App) -> None:
        end_batch(app)
        if not app._batch_count:
            for screen in app._background_screens:
                screen.check_idle()
    end_batch_flushing.flushes_below = True
    App._end_batch = end_batch_flushing


def leave_the_shown_screen_when_one_is_removed() -> None:
    """Removing a screen taken off the stack (help, a menu, the race view closed) no longer lays out and repaints the
    screen shown.

    Textual 8 removes a node through ``App._prune``, which then refreshes the node's parent with a layout: a screen's
    parent is the app, whose ``refresh(layout=True)`` lays out and repaints the whole screen shown, a second time: the
    pop had already repainted it whole (``App._replace_screen``, then its ``ScreenResume``), and a screen removed off
    the stack is no part of it (escape from the lessons menu at 120x40: one layout that found everything in place,
    and a second full frame). Here a removal of screens alone updates the mouse-over (as Textual's does then) and
    leaves the screen shown as it is; any other removal is Textual's. Idempotent.
    """
    from textual.app import App
    from textual.screen import Screen

    if getattr(App._prune, "leaves_shown", False):
        return
    prune = App._prune

    def prune_screens_alone(app: App, *nodes, parent=None):
        if parent is not app or not nodes or not all(isinstance(node, Screen) for node in nodes):
            return prune(app, *nodes, parent=parent)
        removed = prune(app, *nodes, parent=None)

        def update_mouse_over() -> None:
            if app._screen_stack and app.screen._running:
                app._update_mouse_over(app.screen)
        app.call_next(update_mouse_over)  # after the removal, which ``prune`` queued first
        return removed
    prune_screens_alone.leaves_shown = True
    App._prune = prune_screens_alone


def leave_layout_to_first_resize(screen) -> None:
    """Let the app's first screen be laid out once as the app starts, not twice.

    Textual 8 lays out and draws a screen on its first resume when the screen's size differs from the
    app's, and again on every ``Resize``. The app's first screen always gets both, resume first: the app
    dispatches a ``Resize`` to itself as it starts, which (the app having no size yet) it hands to its
    screen, behind the ``ScreenResume`` of the screen's push. Giving the screen the app's size before its
    first resume leaves the layout to that ``Resize`` (for the main view, ~20 ms of a start's CPU).
    Call only for the app's first screen on its first resume (``SettledScreen``).
    """
    screen._size = screen.app.size


def parse_each_stylesheet_once() -> None:
    """Parse each stylesheet once per process, not once per app.

    Textual 8 keeps the rules it parsed from each CSS source (``descend.tcss``, every widget class's
    ``DEFAULT_CSS``) in a cache of the app's own ``Stylesheet`` (``Stylesheet._parse_rules``), so every new app
    parsed all of them again, and the cache's 64 entries, fewer than the ~140 sources the main view reads,
    lost some between two of an app's eleven parses (~25 ms of a start's CPU at 100x30; a test process starts
    dozens of apps). Here the parsed rules are kept for the process, by source and by the CSS variables they were
    parsed with (a theme's colours); they are only read once parsed (rules are matched and their values copied
    onto each node's styles), as Textual's own cache already shares them between its parses. Idempotent.
    """
    from textual.css.stylesheet import Stylesheet

    if getattr(Stylesheet._parse_rules, "shared", False):
        return
    parse_rules, by_variables = Stylesheet._parse_rules, {}

    def parse_rules_once(stylesheet: Stylesheet, css: str, read_from, is_default_rules: bool = False,
                         tie_breaker: int = 0, scope: str = "") -> list:
        variables = stylesheet._variables  # replaced, not changed, when the theme changes (``set_variables``)
        held = stylesheet.__dict__.get("_rules_by_source")
        if held is None or held[0] is not variables:
            held = variables, by_variables.setdefault(tuple(sorted(variables.items())), {})
            stylesheet._rules_by_source = held
        key = css, read_from, is_default_rules, tie_breaker, scope
        rules = held[1].get(key)
        if rules is None:
            rules = held[1][key] = parse_rules(stylesheet, css, read_from, is_default_rules, tie_breaker, scope)
        return rules
    parse_rules_once.shared = True
    Stylesheet._parse_rules = parse_rules_once


def settle_layouts_before_drawing() -> None:
    """A full layout takes in every layout request made before it, and one that a scrollbar's change makes during
    it, before it draws: no layout follows only to find everything where it is.

    Textual 8 decides a widget's scrollbars once the layout has given it its size (``Widget._refresh_scrollbars``, in
    ``_size_updated``); a scrollbar that appears narrows what the widget holds, so it asks for another layout. That
    one came after the first had drawn the screen: at start the control panel and the why panel (whose contents
    overflow below 40 rows) were drawn without their scrollbars, then laid out and drawn again a frame later with
    them. And a widget's request is posted to the screen only when the widget is next idle
    (``Widget._check_refresh``), so a request made before a layout (a panel hidden as the app mounts) came after it
    and laid the screen out again, unchanged. Here a full layout first takes in the requests waiting in the screen's
    widgets as ``_check_refresh`` would post them (their ancestors' arrangements forgotten; the request is then not
    posted), lays out, and if a widget asks again (its scrollbars changed) takes that in and lays out once more
    before drawing: only the last pass is drawn. What still changes after that asks as in Textual. A request from
    inside a container that is not displayed (the race's maps mounted while hidden) changes nothing shown, and is
    dropped too: the container asks for its own layout as it shows. Idempotent.
    """
    from textual._time import get_time
    from textual.screen import Screen
    from textual.widget import Widget

    if getattr(Screen._refresh_layout, "settles", False):
        return
    refresh_layout, compositor_refresh, textual_on_layout = (Screen._refresh_layout, Screen._compositor_refresh,
                                                             Screen._on_layout)

    def take_requests(screen: Screen) -> bool:
        """Take in the layout requests waiting in ``screen``'s mounted widgets; whether there were any."""
        taken = False
        for widget in screen.walk_children(Widget):
            if widget._layout_required and widget.is_mounted:
                taken = True
                widget._layout_required = False
                for ancestor in widget.ancestors:
                    if not isinstance(ancestor, Widget):
                        break
                    ancestor._clear_arrangement_cache()
                    ancestor._layout_updates += 1
                    if not ancestor.styles.auto_dimensions:
                        break
        return taken

    def draw_unless_asked(screen: Screen) -> None:
        if screen.__dict__.get("_settling") and any(widget._layout_required for widget in screen.walk_children(Widget)
                                                    if widget.is_mounted):
            screen._settling = "again"
            return
        compositor_refresh(screen)

    def settled_layout(screen: Screen, size=None, scroll: bool = False) -> None:
        if scroll and not screen._layout_widgets or not (size or screen.outer_size):  # a scroll; no size: no layout
            refresh_layout(screen, size, scroll)
            return
        screen._laid_out_at = get_time()
        screen._layout_required = False  # a request the screen took before: this layout is the one it asked for
        take_requests(screen)
        screen._settling = True
        try:
            refresh_layout(screen, size, scroll)
        finally:
            again, screen._settling = screen._settling == "again", False
        if again and take_requests(screen):
            refresh_layout(screen, size, scroll)
    def hidden_inside(widget: Widget) -> bool:
        """Whether a container of ``widget`` is not displayed: nothing it changes shows (a container shown again asks
        for its own layout)."""
        return any(not ancestor.display for ancestor in widget.ancestors if isinstance(ancestor, Widget))

    async def on_layout(screen: Screen, message) -> None:
        if message.time < screen.__dict__.get("_laid_out_at", float("-inf")) or hidden_inside(message.widget):
            message.stop()  # posted before the last full layout, or from inside what is not displayed
            message.prevent_default()
            return
        await textual_on_layout(screen, message)
    settled_layout.settles = True
    Screen._refresh_layout = settled_layout
    Screen._compositor_refresh = draw_unless_asked
    Screen._on_layout = on_layout


def find_handlers_once_per_class() -> None:
    """Find a message's handlers in a class's MRO once per class and message type, not at every message.

    Textual 8 looks for the handlers of every message it dispatches (``MessagePump._get_dispatch_methods``) by
    walking the receiver's whole MRO (the app's: ~25 classes, its mixins and Textual's) and, in each class, the
    message's MRO for ``@on`` handlers: the costliest single function of an app's start (~3,900 messages), and of
    every key. Here the classes that hold a handler for a (receiver class, message class, handler name) are found
    once; at each message only they are visited, in MRO order, and everything else is as Textual does it: a handler
    is read from its class as the message comes (a method replaced on a class is the one called), ``@on`` selectors
    are matched against the message's widgets then, a method is called once, and a handler that prevents the default
    stops the classes after its own. Idempotent.
    """
    from textual.css.match import match
    from textual.message import Message
    from textual.message_pump import MessagePump
    from textual._on import OnNoWidget
    from textual.widget import Widget

    if getattr(MessagePump._get_dispatch_methods, "once_per_class", False):
        return
    plans: dict[tuple[type, type, str], tuple] = {}

    def plan(receiver: type, message: type, method_name: str) -> tuple:
        """(class, its ``@on`` handlers for the message (method, selectors), whether it has a handler by name)."""
        message_mro = [kind for kind in message.__mro__ if issubclass(kind, Message)]
        names = (f"_{method_name}", method_name)
        found = []
        for cls in receiver.__mro__:
            decorated = cls.__dict__.get("_decorated_handlers") or {}
            on = tuple(handler for kind in message_mro for handler in decorated.get(kind, ()))
            named = any(name in cls.__dict__ for name in names)
            if on or named:
                found.append((cls, on, named))
        return tuple(found)

    def dispatch_methods(pump: MessagePump, method_name: str, message: Message):
        key = (pump.__class__, message.__class__, method_name)
        found = plans.get(key)
        if found is None:
            found = plans[key] = plan(*key)
        dispatched: set = set()
        for cls, on, named in found:
            if message._no_default_action:
                return
            for method, selectors in on:
                if method in dispatched:
                    continue
                if not selectors:
                    yield cls, method.__get__(pump, cls)
                    dispatched.add(method)
                elif message._sender:
                    for attribute, selector in selectors.items():
                        node = getattr(message, attribute)
                        if node is None:
                            break
                        if not isinstance(node, Widget):
                            raise OnNoWidget(f"on decorator can't match against {attribute!r} as it is not a widget.")
                        if not match(selector, node):
                            break
                    else:
                        yield cls, method.__get__(pump, cls)
                        dispatched.add(method)
            if named:
                method = cls.__dict__.get(f"_{method_name}") or cls.__dict__.get(method_name)
                if method is not None and not getattr(method, "_textual_on", None):
                    yield cls, method.__get__(pump, cls)
    dispatch_methods.once_per_class = True
    MessagePump._get_dispatch_methods = dispatch_methods


def keep_wide_characters_whole_under_layers() -> None:
    """Draw a notice (any widget of a higher layer) whole where it covers an edge between two widgets under it.

    Textual 8's compositor cuts each screen line at every widget's edges (``Compositor.cuts``), also where a
    widget of a higher layer covers the edge, and divides each widget's line at those cuts (``_render_chops``):
    a double-width character astride a cut is split into two blanks (Rich's ``Segment.divide``). The Korean
    notice ``언어: 한국어`` over the race view's leaderboard and field panel read ``언  : 한국어``. Here a line is not
    cut inside a widget whose placement is in a higher layer (a toast, a tooltip, an overlay), unless the edge is
    of a widget in front of that one; and a widget whose start is thus hidden is divided from its first cut on
    (the piece before it is covered). Without such a widget on screen the cuts are Textual's. Idempotent.
    """
    from textual._compositor import Compositor

    textual_cuts = Compositor.cuts.fget
    if getattr(textual_cuts, "layers_kept_whole", False):
        return

    def cuts(compositor: Compositor) -> list[list[int]]:
        if compositor._cuts is not None:
            return compositor._cuts
        lines = textual_cuts(compositor)
        geometry = compositor._visible_map if compositor._visible_map is not None else (compositor._full_map or {})
        placed = [(geometry[widget].order, region.intersection(clip))
                  for widget, (region, clip) in compositor.visible_widgets.items() if widget in geometry]
        for order, span in placed:
            if not span.width or not any(level[0] for level in order):  # in the base layer at every level
                continue
            front = [other for other_order, other in placed if other_order > order]
            left, right = span.x, span.right
            for y in span.line_range:
                if y < len(lines):
                    edges = {x for other in front if other.y <= y < other.bottom for x in (other.x, other.right)}
                    lines[y] = [x for x in lines[y] if not left < x < right or x in edges]
        return lines
    cuts.layers_kept_whole = True

    def render_chops(compositor: Compositor, crop, is_rendered_line):
        """Textual's ``_render_chops``, but a widget's line whose start is not a cut (hidden, see above) is divided
        from its first cut on."""
        line_cuts = compositor.cuts
        chops = [dict.fromkeys(cut_set[:-1]) for cut_set in line_cuts]
        for region, clip, strips in compositor._get_renders(crop):
            render_region = region.intersection(clip)
            render_x = render_region.x
            first_cut, last_cut = render_region.column_span
            for y, strip in zip(render_region.line_range, strips):
                if not is_rendered_line(y):
                    continue
                final_cuts = [cut for cut in line_cuts[y] if last_cut >= cut >= first_cut]
                if not final_cuts:  # the whole line is under a widget in front
                    continue
                if final_cuts[0] == first_cut:
                    pieces = strip.divide([cut - render_x for cut in final_cuts[1:]])
                else:
                    pieces = strip.divide([cut - render_x for cut in final_cuts])[1:]
                chops_line = chops[y]
                for cut, piece in zip(final_cuts, pieces):  # painted front to back: the first piece at a cut wins
                    if chops_line.get(cut) is None:
                        chops_line[cut] = piece
        return chops

    Compositor.cuts = property(cuts, doc=Compositor.cuts.__doc__)
    Compositor._render_chops = render_chops


def lay_out_screens_below_only_when_resized() -> None:
    """A screen under the top one is laid out on the top one's ``Resize`` only if its size changed.

    Textual 8 lays out every screen that shows under the top one at each ``Resize`` of the top one
    (``Screen._screen_resized``), and a screen just opened gets one after its first layout: each time help, the lesson
    menu or the palette opened, the main view under it was laid out again at the size it had, with a repaint of the
    whole view (~20 ms of CPU at 120x40), and the see-through screen re-tinted it all. The top screen itself, and a
    screen under it whose size did change, are laid out as in Textual. Idempotent.
    """
    from textual.screen import Screen

    screen_resized = Screen._screen_resized
    if getattr(screen_resized, "only_when_resized", False):
        return

    def resized(screen: Screen, size) -> None:
        if screen is not screen.app.screen and screen._compositor.size == size:
            return
        screen_resized(screen, size)
    resized.only_when_resized = True
    Screen._screen_resized = resized
