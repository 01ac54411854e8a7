"""The why panel (``tui.main.why_panel``), without an app."""

from __future__ import annotations

from tui.main.why_panel import WhyPanel


def test_showing_on_a_panel_without_its_text_does_nothing():
    """A setting committed as the app quits reached ``show`` after the panel's text was removed: NoMatches
    ended the app with exit status 1 (seen in the suite on a loaded machine). Unmounted, it has no text either."""
    WhyPanel().show(["summary"], ["a reason"], None)
