"""Per-target maxima by the padded table are exactly numpy's reduceat, whatever the run lengths."""

from __future__ import annotations

import numpy as np
import pytest

from bot.knowledge.segments import WIDTH, Segments


@pytest.mark.parametrize("longest", [1, 5, WIDTH, WIDTH + 1, 3 * WIDTH + 2])
def test_maxima_are_reduceats(longest: int) -> None:
    rng = np.random.default_rng(longest)
    lengths = rng.integers(1, longest + 1, 300)
    ends = np.cumsum(lengths)
    starts = ends - lengths
    segments = Segments(starts, ends)
    for dtype in (np.float32, np.float64):
        values = rng.random(int(ends[-1])).astype(dtype)
        values[rng.random(len(values)) < 0.3] = 0.0  # ties and zeros, as similarities have
        best = segments.max(values)
        assert best.dtype == dtype
        assert np.array_equal(best, np.maximum.reduceat(values, starts))


def test_one_run() -> None:
    assert Segments(np.array([0]), np.array([3])).max(np.array([0.2, 0.9, 0.1])).tolist() == [0.9]
