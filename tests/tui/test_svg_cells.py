"""Tests for tui.svg_cells: braille in a screenshot is pinned to its cells, the rest is left as Rich wrote it."""

from tui.svg_cells import pin_braille


def test_a_run_with_braille_is_split_at_each_braille_cell():
    svg = ('<text class="r1" x="24.4" y="20" textLength="61" clip-path="url(#l1)">a&#160;⠉⠒b</text>'
           '<text class="r2" x="0" y="44" textLength="36.6">─┐x</text>')
    assert pin_braille(svg) == (
        '<text class="r1" x="24.4" y="20" textLength="24.4" clip-path="url(#l1)">a&#160;</text>'
        '<text class="r1" x="48.8" y="20" textLength="12.2" clip-path="url(#l1)">⠉</text>'
        '<text class="r1" x="61" y="20" textLength="12.2" clip-path="url(#l1)">⠒</text>'
        '<text class="r1" x="73.2" y="20" textLength="12.2" clip-path="url(#l1)">b</text>'
        '<text class="r2" x="0" y="44" textLength="36.6">─┐x</text>')


def test_a_single_braille_cell_and_escapes_are_kept():
    svg = '<text class="r1" x="12.2" y="20" textLength="12.2">⠉</text><text x="0" textLength="24.4">&lt;&amp;</text>'
    assert pin_braille(svg) == svg
