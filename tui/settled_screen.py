"""``SettledScreen``: a screen whose widgets are styled once as it opens, not three times.

Textual styles every widget as it mounts, then restyles the whole screen twice more while it opens:
once on its first ``ScreenResume`` (to catch a stylesheet changed while a screen was away — a screen
that has just mounted has nothing to catch), and once when its first ``Resize`` sets its breakpoint
classes (``-narrow``/``-wide``, ``-short``/``-tall``), which the stylesheet's rules depend on. For the
main view (~200 widgets, most of them the control panel) each restyle cost ~60–80 ms of CPU, a quarter
of the app's start. Here the breakpoint classes are set before any widget is styled, so that ``Resize``
changes nothing, and no resume restyles (a change of the stylesheet restyles every screen at once); every later
resume (back from a view on top) refreshes its bindings for its footer, which a view on top left as it was.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events
from textual.app import App
from textual.geometry import Size
from textual.reactive import Reactive
from textual.screen import Screen, ScreenResultType
from textual.widget import Widget

from tui.textual_patches import leave_layout_to_first_resize


def breakpoint_classes(screen: Screen, app: App, size: Size) -> dict[str, bool]:
    """The breakpoint classes Textual gives ``screen`` at ``size`` (each class: whether it applies):
    per axis, the one whose threshold is the largest at most the size."""
    classes: dict[str, bool] = {}
    for own, default, cells in ((screen.HORIZONTAL_BREAKPOINTS, app.HORIZONTAL_BREAKPOINTS, size.width),
                                (screen.VERTICAL_BREAKPOINTS, app.VERTICAL_BREAKPOINTS, size.height)):
        breakpoints = sorted((default if own is None else own) or [])
        classes.update({name: False for _, name in breakpoints})
        reached = [name for threshold, name in breakpoints if cells >= threshold]
        if reached:
            classes[reached[-1]] = True
    return classes


class SettledScreen(Screen[ScreenResultType]):
    """A screen that takes its breakpoint classes at construction and skips the restyle of its first resume;
    a focus move repaints what it restyles, not the whole screen."""

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    """Textual's ``Screen.focused``, without its repaint of the whole screen at every focus move (~8 ms of CPU
    at 80x24, and the whole screen sent to the terminal: over SSH, every tab). What a focus move changes is
    restyled, and so repainted, by Textual's focus styles (the focused and blurred widgets, and their
    ``:focus-within`` rows); a widget scrolled into view is repainted by its scroll."""

    def __init__(self, name: str | None = None, id: str | None = None, classes: str | None = None, *,
                 follow_size: Callable[[Size], None] | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._resumed = False
        self.follow_size = follow_size
        """Shows or hides what depends on the screen's size (the main view's lower panels), called with each new size
        before the screen's one restyle and layout of it (``resize_in_one_layout``), or of a resume at a size changed
        while the screen was away. Called where the app's own ``Resize`` called it, the screen was laid out once more
        at its old size between the two (the app hands its size to its screens a timer's tick later)."""
        self._followed: Size | None = None
        try:
            app = self.app
        except RuntimeError:  # no active app (built outside one): Textual's first Resize sets them
            return
        self.update_classes(breakpoint_classes(self, app, app.size), update=False)

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        """Runs before Textual's own handler (subclass first), which restyles the whole screen when the resume asks it
        (a push; never a pop: ``App.pop_screen`` asks only if the screen popped has a background alpha below 0). The
        first resume follows the mount, whose styles are current; a later one finds them current too (a change of
        the stylesheet or theme restyles every screen of the stack, ``App.refresh_css``), except for the breakpoint
        classes of a size the terminal took while a view was on top: those are set here, restyling the screen only if
        one changes (Textual's restyle of a resize, not a second one), and its lower panels follow the size before
        Textual lays the screen out at it."""
        event.refresh_styles = False
        if not self._resumed:
            if self.app.screen_stack == [self]:  # the app's first screen, as the app starts
                leave_layout_to_first_resize(self)
        else:  # its footer left as it was while a view was on top (KeysFooter.recompose): now up to date
            self.refresh_bindings()
            size = self.app.size
            if self.is_attached and self.outer_size != size:  # resized while away: Textual lays it out next
                self.update_classes(self.classes_at(size))  # restyled first if a breakpoint class changes
                self._follow(size)
        self._resumed = True

    def on_resize(self, event: events.Resize) -> None:
        """Before the screen's one restyle and layout (``resize_in_one_layout``, next): what follows the size."""
        self._follow(event.size)

    def _follow(self, size: Size) -> None:
        if self.follow_size is not None and size != self._followed:
            self._followed = size
            self.follow_size(size)

    def classes_at(self, size: Size) -> dict[str, bool]:
        """The breakpoint classes at ``size``: set before the layout of a resize (``resize_in_one_layout``)."""
        return breakpoint_classes(self, self.app, size)
