"""Textual 8's screens over screens, drawn for less: what an opaque view covers is hidden, what a see-through
menu dims is dimmed again only where it changed, and the screen shown again is not laid out twice.

Fenced: each function patches one private piece of Textual; see ``tui/textual_patches/__init__.py``.
"""

from __future__ import annotations

__all__ = ["dim_what_changed_below", "flush_screens_below_after_a_batch", "hide_what_opaque_screens_cover", "leave_the_shown_screen_when_one_is_removed"]


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

    from tui.textual_patches.layout import asked_again_while_settling

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
        if asked_again_while_settling(screen):  # as ``settle_layouts_before_drawing`` waits
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
