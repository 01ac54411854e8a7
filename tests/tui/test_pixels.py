"""The half-block pixel canvas: cells carry the right two pixels, marks land on their cells, lines are drawn and clipped."""

from __future__ import annotations

import numpy as np
from textual.app import App, ComposeResult

from tui.widgets.pixels import Mark, PixelCanvas, clip_segments, draw_polyline, half_block_strips


def cells(strip):
    """``[(char, fg rgb, bg rgb)]`` per cell of ``strip``."""
    out = []
    for seg in strip:
        fg, bg = seg.style.color.triplet, seg.style.bgcolor.triplet
        out += [(ch, tuple(fg), tuple(bg)) for ch in seg.text]
    return out


def test_each_cell_is_top_pixel_on_bottom_pixel():
    rng = np.random.default_rng(0)
    img = rng.integers(0, 256, size=(5, 7, 3), dtype=np.uint8)
    strips = half_block_strips(img)
    assert len(strips) == 3  # odd height: the last row pairs with itself
    for row, strip in enumerate(strips):
        got = cells(strip)
        assert len(got) == 7
        for x, (ch, fg, bg) in enumerate(got):
            top = img[2 * row, x]
            bottom = img[min(2 * row + 1, 4), x]
            assert ch == "▀" and fg == tuple(top) and bg == tuple(bottom)


def test_equal_cells_merge_into_one_segment():
    img = np.zeros((2, 50, 3), dtype=np.uint8)
    img[:, 25:] = 200
    (strip,) = half_block_strips(img)
    assert [len(seg.text) for seg in strip] == [25, 25]


def test_marks_replace_their_cell_on_the_mean_colour():
    img = np.zeros((4, 6, 3), dtype=np.uint8)
    img[2] = 100
    img[3] = 50
    strips = half_block_strips(img, [Mark(3, 2, "★", (255, 255, 0)), Mark(99, 0, "x", (1, 2, 3))])
    row = cells(strips[1])
    assert len(row) == 6
    assert row[3] == ("★", (255, 255, 0), (75, 75, 75))
    assert all(ch == "▀" for i, (ch, _, _) in enumerate(row) if i != 3)
    assert all(ch == "▀" for ch, _, _ in cells(strips[0]))


def test_polyline_joins_points_and_clips_far_points():
    img = np.zeros((10, 10, 3), dtype=np.uint8)
    draw_polyline(img, np.array([[0.0, 0.0], [9.0, 9.0]]), (255, 0, 0))
    lit = np.argwhere(img[..., 0] == 255)
    assert sorted(map(tuple, lit)) == [(i, i) for i in range(10)]
    img[:] = 0
    # a diverging path: a point at 1e12 draws the visible part of the line towards it, quickly
    draw_polyline(img, np.array([[5.0, 5.0], [1e12, 5.0], [np.nan, 1.0]]), (0, 255, 0))
    assert sorted(np.flatnonzero(img[5, :, 1] == 255)) == list(range(5, 10))
    assert (img[..., 1] == 255).sum() == 5


def test_clip_segments_keeps_the_inside_part():
    a, b = clip_segments(np.array([[-10.0, 0.0], [20.0, 20.0]]), np.array([[10.0, 0.0], [30.0, 30.0]]),
                         (0.0, -1.0, 5.0, 5.0))
    np.testing.assert_allclose(a, [[0.0, 0.0]])
    np.testing.assert_allclose(b, [[5.0, 0.0]])


class CanvasApp(App):
    def compose(self) -> ComposeResult:
        yield PixelCanvas(id="canvas")


async def test_canvas_shows_a_frame_at_its_pixel_size():
    app = CanvasApp()
    async with app.run_test(size=(30, 10)) as pilot:
        canvas = app.query_one(PixelCanvas)
        w, h = canvas.pixel_size
        assert (w, h) == (30, 20)
        img = np.zeros((h, w, 3), dtype=np.uint8)
        img[:, :, 2] = 255
        canvas.show(img, [Mark(0, 0, "@", (255, 255, 255))])
        await pilot.pause()
        line = canvas.render_line(0)
        assert line.text[0] == "@" and line.text[1:] == "▀" * 29
        assert canvas.render_line(9).cell_length == 30
