"""Series: a run's (x, y) history in bounded memory, decimated for plotting by min/max envelope."""

from __future__ import annotations

import math

import numpy as np

_BLOCK = 4
"""Points per block when a level is compacted; each block keeps its min and its max (2 of 4)."""


class Series:
    """(x, y) points appended over a run, kept in bounded memory at several resolutions.

    Storage is a stack of levels, each a pair of preallocated float64 arrays of
    ``capacity`` points. Level 0 holds the most recent raw points. When a level is
    full, its oldest half is compacted -- cut into blocks of 4 points, each block
    keeping its min-y and its max-y point (with their x, in x order) -- and the
    result is appended to the next level. So a point on level k stands for about
    2**k raw points, higher levels hold older history, and::

        memory  = 2 arrays * 8 bytes * capacity * levels
        levels <= 2 + log2(N / capacity + 1/2)   (N = points appended)

    e.g. capacity 2048: N = 10**6 gives <= 10 levels, <= 320 KiB (N = 10**9: <= 20
    levels, 640 KiB). `points()` reads at most ``capacity * levels`` points, so it
    costs O(capacity * log N).

    Every compaction keeps each block's extremes, so the global min and max of y
    are never lost, nor is any single spike at the resolution it is plotted at.
    The first point is kept aside, so a plot always starts where the run did.

    Non-finite values: a point whose x or y is NaN or +-inf (a diverged run) counts
    in ``len()`` and is reported by ``last`` and ``nonfinite``, but is not stored, so
    it never enters a min/max or a plot. x must be non-decreasing (steps, epochs);
    `clear()` starts a new run. Not thread-safe: append from one thread (the UI's).
    """

    def __init__(self, capacity: int = 2048) -> None:
        """Args:
            capacity: points per level; a multiple of 8, at least 16. Plots stay
                full-resolution while ``max_points <= capacity // 2``.
        """
        if capacity < 16 or capacity % 8:
            raise ValueError(f"capacity must be a multiple of 8 and >= 16, got {capacity}")
        self.capacity = capacity
        self.clear()

    def clear(self) -> None:
        """Forget every point (the next append starts a new run)."""
        self._xs: list[np.ndarray] = []
        self._ys: list[np.ndarray] = []
        self._counts: list[int] = []
        self._add_level()
        self._total = 0
        self._nonfinite = 0
        self._last: tuple[float, float] | None = None
        self._last_x = -math.inf  # last *stored* x, for the ordering check
        self._first: tuple[float, float] | None = None  # first stored point; compaction may drop it

    def __len__(self) -> int:
        """How many points were appended in total (non-finite ones included)."""
        return self._total

    @property
    def last(self) -> tuple[float, float] | None:
        """The last appended point as given (may be non-finite), or None if empty."""
        return self._last

    @property
    def nonfinite(self) -> int:
        """How many appended points had a non-finite x or y (and were not stored)."""
        return self._nonfinite

    @property
    def levels(self) -> int:
        """How many resolution levels are in use."""
        return len(self._xs)

    @property
    def nbytes(self) -> int:
        """Bytes held in the store's arrays."""
        return sum(a.nbytes for a in self._xs) + sum(a.nbytes for a in self._ys)

    def append(self, x: float, y: float) -> None:
        """Add one point."""
        x, y = float(x), float(y)
        self._total += 1
        self._last = (x, y)
        if not (math.isfinite(x) and math.isfinite(y)):
            self._nonfinite += 1
            return
        if x < self._last_x:
            raise ValueError(f"x must be non-decreasing: {x} after {self._last_x}")
        self._last_x = x
        if self._first is None:
            self._first = (x, y)
        n = self._counts[0]
        self._xs[0][n] = x
        self._ys[0][n] = y
        self._counts[0] = n + 1
        if n + 1 == self.capacity:
            self._compact(0)

    def extend(self, xs, ys) -> None:
        """Add a batch of points; the same as appending them one by one, but vectorised.

        Args:
            xs, ys: array-likes of shape (n,).
        """
        xs = np.asarray(xs, dtype=np.float64).ravel()
        ys = np.asarray(ys, dtype=np.float64).ravel()
        if xs.shape != ys.shape:
            raise ValueError(f"xs and ys differ in length: {xs.size} != {ys.size}")
        if xs.size == 0:
            return
        self._total += xs.size
        self._last = (float(xs[-1]), float(ys[-1]))
        finite = np.isfinite(xs) & np.isfinite(ys)
        if not finite.all():
            self._nonfinite += int(xs.size - np.count_nonzero(finite))
            xs, ys = xs[finite], ys[finite]
            if xs.size == 0:
                return
        if xs[0] < self._last_x or (xs.size > 1 and np.any(np.diff(xs) < 0)):
            raise ValueError("x must be non-decreasing")
        self._last_x = float(xs[-1])
        if self._first is None:
            self._first = (float(xs[0]), float(ys[0]))
        self._push(0, xs, ys)

    def points(self, max_points: int) -> tuple[np.ndarray, np.ndarray]:
        """At most `max_points` points covering the whole history, for plotting.

        The x range [first x, last x] is cut into ``(max_points - 2) // 2`` equal
        buckets; each bucket contributes its min-y and its max-y point, and the
        first and last stored points are always included. The result is sorted by
        x. If no more than `max_points` points are
        stored they are all returned.

        Args:
            max_points: at least 4.

        Returns:
            (xs, ys): float64 arrays of the same shape (m,), m <= max_points.
        """
        if max_points < 4:
            raise ValueError(f"max_points must be >= 4, got {max_points}")
        # Oldest history lives on the highest level.
        xs = np.concatenate([a[:n] for a, n in zip(reversed(self._xs), reversed(self._counts))])
        ys = np.concatenate([a[:n] for a, n in zip(reversed(self._ys), reversed(self._counts))])
        if self._first is not None and (xs[0], ys[0]) != self._first:
            xs = np.concatenate(([self._first[0]], xs))
            ys = np.concatenate(([self._first[1]], ys))
        n = xs.size
        if n <= max_points:
            return xs.copy(), ys.copy()
        buckets = (max_points - 2) // 2
        span = xs[-1] - xs[0]
        if span > 0:
            b = np.minimum(((xs - xs[0]) * (buckets / span)).astype(np.int64), buckets - 1)
        else:
            b = np.zeros(n, dtype=np.int64)
        # x is sorted, so buckets are contiguous runs of b.
        new_run = np.empty(n, dtype=bool)
        new_run[0] = True
        np.not_equal(b[1:], b[:-1], out=new_run[1:])
        starts = np.flatnonzero(new_run)
        run = np.cumsum(new_run) - 1
        lo = _first_in_run(ys == np.minimum.reduceat(ys, starts)[run], run)
        hi = _first_in_run(ys == np.maximum.reduceat(ys, starts)[run], run)
        keep = np.zeros(n, dtype=bool)  # a mask, not np.unique: no sort (and no lazy numpy.ma import)
        keep[[0, n - 1]] = True
        keep[lo] = True
        keep[hi] = True
        return xs[keep], ys[keep]

    # -- storage --------------------------------------------------------------

    def _add_level(self) -> None:
        self._xs.append(np.empty(self.capacity, dtype=np.float64))
        self._ys.append(np.empty(self.capacity, dtype=np.float64))
        self._counts.append(0)

    def _push(self, level: int, xs: np.ndarray, ys: np.ndarray) -> None:
        """Append points (finite, x-sorted, all newer than the level's) to a level."""
        while xs.size:
            n = self._counts[level]
            m = min(self.capacity - n, xs.size)
            self._xs[level][n : n + m] = xs[:m]
            self._ys[level][n : n + m] = ys[:m]
            self._counts[level] = n + m
            xs, ys = xs[m:], ys[m:]
            if n + m == self.capacity:
                self._compact(level)

    def _compact(self, level: int) -> None:
        """Halve a full level: its oldest half, as min/max per block of 4, moves up a level."""
        half = self.capacity // 2
        bx = self._xs[level][:half].reshape(-1, _BLOCK)
        by = self._ys[level][:half].reshape(-1, _BLOCK)
        lo, hi = by.argmin(axis=1), by.argmax(axis=1)
        first, second = np.minimum(lo, hi), np.maximum(lo, hi)  # keep x order within a block
        rows = np.arange(bx.shape[0])
        up_x = np.column_stack((bx[rows, first], bx[rows, second])).ravel()
        up_y = np.column_stack((by[rows, first], by[rows, second])).ravel()
        # Move the newer half down before pushing (pushing may recurse into higher levels only).
        self._xs[level][:half] = self._xs[level][half:]
        self._ys[level][:half] = self._ys[level][half:]
        self._counts[level] = half
        if level + 1 == len(self._xs):
            self._add_level()
        self._push(level + 1, up_x, up_y)


def _first_in_run(mask: np.ndarray, run: np.ndarray) -> np.ndarray:
    """Index of the first True of `mask` in each run (runs given as sorted run ids)."""
    idx = np.flatnonzero(mask)
    r = run[idx]
    first = np.empty(idx.size, dtype=bool)
    first[0] = True
    np.not_equal(r[1:], r[:-1], out=first[1:])
    return idx[first]
