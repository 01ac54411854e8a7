"""Every private name of Textual the app (and its tests) use, in one place.

Textual 8 is what these are tested on (pinned from above in pyproject.toml); a new major
release may move them, and this module is the one to mend.
"""

from __future__ import annotations

from textual.widgets._footer import FooterKey

__all__ = ["FooterKey", "screen_lines"]


def screen_lines(screen) -> list[str]:
    """The text of every line ``screen`` shows now, as its compositor renders it (tests)."""
    return [strip.text for strip in screen._compositor.render_strips()]
