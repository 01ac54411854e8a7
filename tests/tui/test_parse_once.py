"""Each stylesheet is parsed once per process (``tui.textual_patches.parse_each_stylesheet_once``): a second app's
stylesheet reuses the rules, and a theme's other colours are parsed anew."""

from __future__ import annotations

from textual.css.stylesheet import Stylesheet

from tui.textual_patches import parse_each_stylesheet_once

CSS = "Label { color: $primary; }"


def rules(variables: dict[str, str]) -> list:
    stylesheet = Stylesheet(variables=variables)
    stylesheet.add_source(CSS, ("descend.tcss", ""))
    return stylesheet.rules


def test_a_second_stylesheet_reuses_the_rules_parsed_with_the_same_variables():
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
