"""Every private name of Textual the app (and its tests) use, in one place.

Textual 8 is what these are tested on (pinned from above in pyproject.toml); a new major
release may move them, and this module is the one to mend.
"""

from __future__ import annotations

from textual.widgets._footer import FooterKey, FooterLabel

__all__ = ["FooterKey", "FooterLabel", "on_terminal_write", "screen_lines"]


def screen_lines(screen) -> list[str]:
    """The text of every line ``screen`` shows now, as its compositor renders it (tests)."""
    return [strip.text for strip in screen._compositor.render_strips()]


def on_terminal_write(app, callback) -> None:
    """Call ``callback(text)`` with every screen update ``app`` displays, rendered to the terminal
    sequence a real terminal would receive (under ``run_test`` too, where the headless driver skips
    that rendering): what a person would see, and when (benchmarks)."""
    display = app._display

    def tee(screen, renderable) -> None:
        if renderable is not None and hasattr(renderable, "render_segments"):
            callback(renderable.render_segments(app.console))
        display(screen, renderable)
    app._display = tee
