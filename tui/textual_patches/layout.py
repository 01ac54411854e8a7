"""Textual 8's layout, done once where it did it twice or more: a reflow, a key typed in a field, a resize,
a screen's first layout, layouts asked for before a frame is drawn, the screens below a resized one.

Fenced: each function patches one private piece of Textual; see ``tui/textual_patches/__init__.py``.
"""

from __future__ import annotations

__all__ = ["lay_out_once_per_reflow", "lay_out_screens_below_only_when_resized", "leave_layout_to_first_resize", "resize_in_one_layout", "settle_layouts_before_drawing", "type_without_layout"]


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


def asked_again_while_settling(screen) -> bool:
    """While ``settle_layouts_before_drawing`` settles ``screen``, a mounted widget asked for a layout again: the screen
    is marked to settle once more, and a draw now would show what is about to move (so it waits)."""
    from textual.widget import Widget

    if screen.__dict__.get("_settling") and any(widget._layout_required for widget in screen.walk_children(Widget)
                                                if widget.is_mounted):
        screen._settling = "again"
        return True
    return False


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
        if not asked_again_while_settling(screen):
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
