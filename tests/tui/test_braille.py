"""Tests for tui.widgets.braille: hand-drawn goldens, and dot-for-dot agreement with plotext's own drawing."""

import numpy as np
import pytest
from plotext._dict import braille_codes
from textual_plotext.plot import Plot

from tui.widgets.braille import BRAILLE, DOT_BITS, line_pixels, pixels, rasterise
from tui.widgets.plotext_private import build_matrix, set_size


def drawn(codes: np.ndarray) -> list[str]:
    """The canvas as text, top row first (row 0 of ``codes`` is the bottom)."""
    return ["".join(BRAILLE[c] for c in row) for row in codes[::-1]]


def test_a_dot_in_each_corner_of_one_cell():
    # a 1x1 canvas is 2 dots wide and 4 high: x = 0..1 maps to dots 0..1, y = 0..3 to dots 0..3
    for (x, y), char in [((0, 0), "⡀"), ((1, 0), "⢀"), ((0, 3), "⠁"), ((1, 3), "⠈"), ((0, 1), "⠄"), ((1, 2), "⠐")]:
        codes, owner = rasterise([(np.array([x], float), np.array([y], float), False)], (0, 1), (0, 3), 1, 1)
        assert drawn(codes) == [char] and owner[0, 0] == 0


def test_a_diagonal_across_two_cells():
    # dots (0,0) (1,1) | (2,2) (3,3): 0x40+0x20 = ⡠, then 0x02+0x08 = ⠊
    codes, _ = rasterise([(np.array([0.0, 3.0]), np.array([0.0, 3.0]), True)], (0, 3), (0, 3), 2, 1)
    assert drawn(codes) == ["⡠⠊"]


def test_a_steep_line_fills_every_row_it_crosses():
    # (0,0) -> (1,7): 8 dots, x = trunc(k/7) stays 0 until the end point
    codes, _ = rasterise([(np.array([0.0, 1.0]), np.array([0.0, 7.0]), True)], (0, 1), (0, 7), 1, 2)
    assert drawn(codes) == ["⡎", "⡇"]


def test_a_flat_line_and_unjoined_dots():
    x = np.array([0.0, 5.0])
    line, _ = rasterise([(x, np.zeros(2), True)], (0, 5), (0, 3), 3, 1)
    dots, _ = rasterise([(x, np.zeros(2), False)], (0, 5), (0, 3), 3, 1)
    assert drawn(line) == ["⣀⣀⣀"] and drawn(dots) == ["⡀ ⢀"]


def test_a_later_curve_owns_a_shared_cell_with_its_own_dots_only():
    first = (np.array([0.0]), np.array([0.0]), False)
    second = (np.array([1.0]), np.array([3.0]), False)
    codes, owner = rasterise([first, second], (0, 1), (0, 3), 1, 1)
    assert drawn(codes) == ["⠈"] and owner[0, 0] == 1  # the first curve's ⡀ is gone, as in plotext


def test_points_off_the_canvas_are_dropped_and_their_segments_clipped():
    codes, _ = rasterise([(np.array([-10.0, 10.0]), np.array([0.0, 0.0]), True)], (0, 3), (0, 3), 2, 1)
    assert drawn(codes) == ["⣀⣀"]
    far = np.array([-1e12, 2.0]), np.array([0.0, 0.0])
    xs, ys = line_pixels(pixels(far[0], 0, 3, 4), pixels(far[1], 0, 3, 4), 4, 4)
    assert xs.size < 20  # a segment from a trillion dots away costs only its visible part
    assert drawn(rasterise([(*far, True)], (0, 3), (0, 3), 2, 1)[0]) == ["⣀⡀"]


def test_pixels_round_as_plotext_does_near_integers():
    # 0.5 + 9 * v / 9: v = 0.49999999999 lands at 0.99999999999, which plotext rounds to 1 (8 digits)
    assert pixels(np.array([0.0, 0.49999999999, 9.0]), 0.0, 9.0, 10).tolist() == [0, 1, 9]


def test_the_characters_are_plotexts_braille_table():
    for code, char in braille_codes.items():
        rows = np.array(code).reshape(4, 2)[::-1]  # plotext lists the top row first
        assert BRAILLE[int((rows * DOT_BITS).sum())] == char


def plotext_canvas(curves, xlim, ylim, width, height, with_data=True):
    """plotext's own matrix for the curves (``with_data``) or for its empty frame."""
    plt = Plot()
    plt.plotsize(width, height)
    set_size(plt, width, height)
    for xs, ys, joined, color in curves if with_data else [([], [], True, None)]:
        (plt.plot if joined else plt.scatter)(list(xs), list(ys), color=color, marker="braille")
    plt.xlim(*xlim)
    plt.ylim(*ylim)
    plt.xticks([])
    plt.yticks([])
    return build_matrix(plt)


@pytest.mark.parametrize("seed", range(4))
def test_random_curves_are_drawn_dot_for_dot_as_plotext_draws_them(seed):
    rng = np.random.default_rng(seed)
    colors = [(90, 170, 245), (235, 195, 120), (140, 210, 110)]
    for _ in range(25):
        width, height = int(rng.integers(6, 30)), int(rng.integers(4, 14))
        curves = []
        for c in range(int(rng.integers(1, 4))):
            n = int(rng.integers(1, 25))
            xs = np.sort(rng.uniform(-4, 14, n)) if rng.random() < 0.5 else np.linspace(0, 10, n)
            curves.append((xs, rng.normal(size=n).cumsum(), bool(rng.random() < 0.7), colors[c]))
        xlim, ylim = (0.0, 10.0), (-3.0, 3.0)  # points fall outside both ways
        reference = plotext_canvas(curves, xlim, ylim, width, height)
        frame = plotext_canvas(curves, xlim, ylim, width, height, with_data=False)
        cols, rows = reference.Cols_canvas, reference.Rows_canvas
        codes, owner = rasterise([c[:3] for c in curves], xlim, ylim, len(cols), len(rows))
        for r in range(len(rows)):
            for c in range(len(cols)):
                row, col = rows.start + r, cols.start + c
                if owner[r, c] >= 0:
                    ours = BRAILLE[codes[r, c]], tuple(curves[owner[r, c]][3])
                else:
                    ours = frame.marker[row][col], frame.fullground[row][col]
                theirs = reference.marker[row][col], reference.fullground[row][col]
                theirs = theirs[0], tuple(theirs[1]) if isinstance(theirs[1], (list, tuple)) else theirs[1]
                assert ours == theirs, (r, c)
