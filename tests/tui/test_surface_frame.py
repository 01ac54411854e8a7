"""The surface view's frame: shading with contours, the plane → pixel mapping, paths and marks."""

from __future__ import annotations

import numpy as np

from engine import surfaces
from tui.surface.frame import HEAD_MARK, MINIMUM_MARK, START_MARK, Plane, compose, grid_background, surface_background
from tui.widgets.heatmap import RAMP, normalise, shade


def test_shade_runs_from_dark_low_to_bright_high_with_contours():
    values = np.tile(np.linspace(0, 1, 50), (4, 1))
    img = shade(values, levels=5)
    assert img.shape == (4, 50, 3) and img.dtype == np.uint8
    assert img[0, 0].sum() < img[0, -1].sum()
    assert img[0, -1, 0] > 200 and img[0, -1, 2] < 120  # the warm end of the ramp
    brightness = img[0].astype(int).sum(axis=1)
    dips = np.flatnonzero((brightness[1:-1] < brightness[:-2]) & (brightness[1:-1] < brightness[2:])) + 1
    assert len(dips) == 4  # the lines between 5 bands
    assert shade(values, levels=0)[0].astype(int).sum(axis=1).tolist() == sorted(
        shade(values, levels=0)[0].astype(int).sum(axis=1).tolist())


def test_normalise_handles_log_and_non_finite():
    t = normalise(np.array([1.0, 10.0, 100.0, np.inf, np.nan]), log=True)
    assert t[0] == 0.0 and t[2] == 1.0 and 0.5 < t[1] < 1 and t[3] == t[4] == 1.0  # log10(9 + ε): past the middle
    assert normalise(np.full(3, 2.0)).tolist() == [0.0, 0.0, 0.0]


def test_plane_maps_corners_and_rejects_off_image_points():
    plane = Plane((-1.0, 1.0, 0.0, 2.0), 21, 11)
    np.testing.assert_allclose(plane.to_pixels(np.array([[-1.0, 2.0], [1.0, 0.0], [0.0, 1.0]])),
                               [[0, 0], [20, 10], [10, 5]])
    assert plane.mark((5.0, 0.0), "x", (1, 2, 3)) is None
    assert plane.mark((np.nan, 0.0), "x", (1, 2, 3)) is None
    assert plane.mark((1.0, 0.0), "x", (1, 2, 3)).x == 20


def test_compose_draws_paths_over_the_surface_and_marks_start_minimum_heads():
    surface = surfaces.get("quadratic")
    plane = Plane(surface.box, 80, 40)
    background = surface_background(surface, plane)
    path = np.array([[-3.0, 1.0], [-1.0, -1.0], [2.0, 0.5]])
    pixels, marks = compose(background, plane, [(path, (255, 0, 255))], start=path[0], minima=surface.minima)
    assert (pixels == (255, 0, 255)).all(axis=2).sum() > 40  # the polyline, not only its points
    assert not (background == (255, 0, 255)).all(axis=2).any()  # the cached background is untouched
    chars = {m.char: (m.x, m.y) for m in marks}
    assert chars[MINIMUM_MARK] == tuple(np.rint(plane.to_pixels(np.zeros(2))[0]).astype(int))
    assert chars[START_MARK] == tuple(np.rint(plane.to_pixels(path[0])[0]).astype(int))
    assert chars[HEAD_MARK] == tuple(np.rint(plane.to_pixels(path[-1])[0]).astype(int))


def test_grid_background_puts_the_highest_beta_row_on_top():
    grid = np.array([[0.0, 0.0], [1.0, 1.0]])  # row 0 = lowest β
    img = grid_background(grid, Plane((-1, 1, -1, 1), 4, 6), log=False)
    assert img[0].astype(int).sum() > img[-1].astype(int).sum()
