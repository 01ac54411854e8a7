"""``SizeGuard``: what a terminal too small for descend shows instead of a broken layout."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.geometry import Size
from textual.screen import ModalScreen
from textual.widgets import Static

from tui import i18n

MIN_WIDTH, MIN_HEIGHT = 60, 20
"""The smallest terminal the views fit. Width: the 31-column control panel beside the run counters
and a plot ~25 columns wide. Height: at 20 rows the loss plot keeps ~7 rows with its axes and labels
(below that it is cut to a frame); the race view keeps its plot and leaderboard."""


def fits(size: Size) -> bool:
    return size.width >= MIN_WIDTH and size.height >= MIN_HEIGHT


def too_small_text(size: Size) -> str:
    """How big the terminal must be and is, in the app's language."""
    return i18n.t("ui.size", min_width=MIN_WIDTH, min_height=MIN_HEIGHT, width=size.width, height=size.height)


class SizeGuard(ModalScreen[None]):
    """Covers the app while the terminal is too small; leaves by itself once it is big enough.

    Modal: the views' keys wait under it (only q and ctrl+c act). Its style is its own (a
    self-contained screen), hence ``DEFAULT_CSS``.
    """

    DEFAULT_CSS = """
    SizeGuard { align: center middle; background: $background; }
    SizeGuard > Static { width: 100%; height: auto; text-align: center; color: $warning; }
    """

    BINDINGS = [Binding("q", "app.quit", "Quit", id="size-quit")]

    def compose(self) -> ComposeResult:
        yield Static(too_small_text(self.app.size), id="size-message")

    def follow(self, size: Size) -> None:
        """The terminal is now ``size``: leave if it fits, else say how big it is."""
        if fits(size):
            if self.is_active:  # something opened over the guard leaves first; it re-checks on resume
                self.dismiss()
        elif self.is_mounted:
            self.query_one("#size-message", Static).update(too_small_text(size))

    def on_screen_resume(self) -> None:
        self.follow(self.app.size)
