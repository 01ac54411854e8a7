"""Tests for tui.widgets.series.Series: min/max-preserving decimation in bounded memory."""

import math

import numpy as np
import pytest

from tui.widgets.series import Series


def filled(n, ys=None, capacity=2048, chunk=10_000):
    """A Series fed x = 0..n-1 in UI-sized batches."""
    s = Series(capacity)
    ys = np.random.default_rng(0).random(n) if ys is None else ys
    for i in range(0, n, chunk):
        s.extend(np.arange(i, min(n, i + chunk)), ys[i : i + chunk])
    return s, ys


def test_empty():
    s = Series()
    assert len(s) == 0 and s.last is None
    xs, ys = s.points(100)
    assert xs.size == 0 and ys.size == 0


def test_few_points_are_returned_exactly():
    s = Series()
    for x, y in [(0, 3.0), (1, 1.0), (2, 2.0)]:
        s.append(x, y)
    xs, ys = s.points(100)
    np.testing.assert_array_equal(xs, [0, 1, 2])
    np.testing.assert_array_equal(ys, [3, 1, 2])
    assert len(s) == 3 and s.last == (2.0, 2.0)


def test_hand_computed_compaction():
    # capacity 16: the 16th point compacts the oldest 8 into 2 blocks of 4 -> 4 points on level 1.
    s = Series(16)
    ys = [5, 1, 9, 3, 2, 8, 0, 4] + [7] * 8
    s.extend(np.arange(16), ys)
    assert s.levels == 2
    # block [5,1,9,3] keeps x=1 (min 1) and x=2 (max 9); [2,8,0,4] keeps x=5 (8) and x=6 (0).
    xs, out = s.points(64)
    np.testing.assert_array_equal(xs, [0, 1, 2, 5, 6] + list(range(8, 16)))
    np.testing.assert_array_equal(out, [5, 1, 9, 8, 0] + [7] * 8)


@pytest.mark.parametrize("n", [1_000, 100_000, 1_000_000])
@pytest.mark.parametrize("max_points", [4, 37, 360])
def test_envelope_keeps_extremes_ends_and_order(n, max_points):
    s, ys = filled(n)
    xs, out = s.points(max_points)
    assert xs.size <= max_points
    assert xs[0] == 0 and xs[-1] == n - 1
    assert np.all(np.diff(xs) > 0)  # x order, no duplicates
    assert out.min() == ys.min() and out.max() == ys.max()
    # every returned point is a real appended point
    np.testing.assert_array_equal(out, ys[xs.astype(int)])


def test_single_spike_survives_a_long_run():
    n = 1_000_000
    ys = np.ones(n)
    ys[123_457] = 50.0
    ys[876_543] = -3.0
    s, _ = filled(n, ys)
    xs, out = s.points(60)
    assert (123_457.0, 50.0) in zip(xs, out)
    assert (876_543.0, -3.0) in zip(xs, out)


def test_envelope_brackets_the_raw_data_in_every_bucket():
    # Each x-bucket's raw min/max must show up in the plot, up to one neighbouring bucket
    # (a compacted block of a few hundred raw points may straddle a bucket edge).
    n, max_points = 200_000, 200
    x = np.arange(n)
    ys = np.exp(-x / 30_000) + 0.05 * np.sin(x / 7.0) * np.cos(x / 1_013.0)
    s, _ = filled(n, ys)
    xs, out = s.points(max_points)
    buckets = (max_points - 2) // 2
    raw_b = np.minimum(x * buckets // (n - 1), buckets - 1)
    plot_b = np.minimum(xs.astype(int) * buckets // (n - 1), buckets - 1)
    for j in range(buckets):
        near = out[np.abs(plot_b - j) <= 1]
        assert near.max() >= ys[raw_b == j].max()
        assert near.min() <= ys[raw_b == j].min()


def test_bounded_memory_after_a_million_appends():
    s = Series(2048)
    for i in range(1_000_000):
        s.append(i, math.sin(i))
    assert len(s) == 1_000_000
    assert s.levels <= 2 + math.log2(1_000_000 / 2048 + 0.5)
    assert s.nbytes == s.levels * 2 * 2048 * 8  # only the preallocated level arrays
    assert s.nbytes <= 330_000
    assert all(a.size == 2048 for a in s._xs + s._ys)
    xs, ys = s.points(300)
    assert xs[0] == 0 and xs[-1] == 999_999 and xs.size <= 300


def test_levels_grow_logarithmically():
    small, _ = filled(10_000)
    big, _ = filled(1_000_000)
    assert big.levels - small.levels <= math.ceil(math.log2(100)) and big.levels > small.levels


def test_extend_equals_repeated_append():
    rng = np.random.default_rng(1)
    xs = np.cumsum(rng.integers(0, 3, 50_000)).astype(float)  # repeated x allowed
    ys = rng.standard_normal(50_000)
    ys[[10, 20_000, 49_999]] = [np.nan, np.inf, -np.inf]
    a, b = Series(64), Series(64)
    for x, y in zip(xs, ys):
        a.append(x, y)
    for i in range(0, xs.size, 777):
        b.extend(xs[i : i + 777], ys[i : i + 777])
    assert len(a) == len(b) == 50_000
    assert a.nonfinite == b.nonfinite == 3
    assert a.last == b.last == (xs[-1], -math.inf)
    for k in range(a.levels):
        np.testing.assert_array_equal(a._xs[k][: a._counts[k]], b._xs[k][: b._counts[k]])
        np.testing.assert_array_equal(a._ys[k][: a._counts[k]], b._ys[k][: b._counts[k]])
    for m in (4, 100, 1000):
        np.testing.assert_array_equal(a.points(m), b.points(m))


def test_nonfinite_counted_and_shown_by_last_but_not_plotted():
    s = Series()
    s.extend([0, 1, 2, 3], [1.0, np.nan, 0.5, np.inf])
    assert len(s) == 4 and s.nonfinite == 2
    assert s.last == (3.0, math.inf)
    xs, ys = s.points(10)
    np.testing.assert_array_equal(xs, [0, 2])
    np.testing.assert_array_equal(ys, [1.0, 0.5])
    s.append(4, float("nan"))
    assert math.isnan(s.last[1]) and len(s) == 5 and s.points(10)[0].size == 2


def test_all_nonfinite_batch():
    s = Series()
    s.extend([0, 1], [np.nan, np.nan])
    assert len(s) == 2 and s.points(10)[0].size == 0 and math.isnan(s.last[1])


def test_decreasing_x_is_rejected():
    s = Series()
    s.extend([0, 1, 2], [1, 1, 1])
    with pytest.raises(ValueError):
        s.append(1, 1.0)
    with pytest.raises(ValueError):
        s.extend([3, 2], [1, 1])


def test_all_equal_x_and_y():
    s = Series(16)
    s.extend(np.full(1000, 7.0), np.full(1000, 2.0))
    xs, ys = s.points(10)
    assert 1 <= xs.size <= 10 and np.all(xs == 7.0) and np.all(ys == 2.0)


def test_clear_starts_a_new_run():
    s, _ = filled(100_000)
    s.clear()
    assert len(s) == 0 and s.last is None and s.levels == 1 and s.nonfinite == 0
    s.append(5, 1.0)  # smaller x than before clear is fine
    xs, ys = s.points(10)
    np.testing.assert_array_equal(xs, [5.0])


@pytest.mark.parametrize("bad", [0, 8, 12, 100])
def test_capacity_validation(bad):
    with pytest.raises(ValueError):
        Series(bad)


def test_max_points_validation():
    with pytest.raises(ValueError):
        Series().points(3)
