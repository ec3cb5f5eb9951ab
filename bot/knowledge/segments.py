"""Each target's maximum over its phrasings: maxima of contiguous runs of an array, by one gather.

The matcher takes, for every target, the best of its phrasings' similarities, five times a
question. numpy's `maximum.reduceat` does that at about 90 ns a run: 15 µs at the shipped size
and 0.9 ms at 10,000 targets, most of a question's fixed cost there. Here the runs are laid out once
as a table of positions, WIDTH × runs (a run longer than WIDTH goes on in further columns, merged
afterwards), so a maximum is one gather and one max along the rows. Padding repeats a run's first
position, so every maximum is exactly reduceat's.
"""

from __future__ import annotations

import numpy as np

WIDTH = 16  # positions per row: targets have 4–14 phrasings


class Segments:
    def __init__(self, starts: np.ndarray, ends: np.ndarray) -> None:
        """Runs `starts[i]:ends[i]`, each at least one long."""
        lengths = ends - starts
        width = int(min(WIDTH, lengths.max(initial=1)))
        rows = np.maximum(1, -(-lengths // width))  # rows per run
        owner = np.repeat(np.arange(len(starts)), rows)  # the run of each row
        first = np.cumsum(rows) - rows  # each run's first row
        within = np.arange(width)[:, None] + (np.arange(len(owner)) - first[owner]) * width
        begin = starts[owner]
        # width × rows: the max over the first axis is an elementwise maximum of whole rows
        self._table = np.where(within < lengths[owner], begin + within, begin)
        self._first = first
        later = np.flatnonzero(np.arange(len(owner)) != first[owner])  # rows that continue a run
        self._later, self._later_owner = later, owner[later]

    def max(self, values: np.ndarray) -> np.ndarray:
        """The maximum of each run of `values`."""
        rows = values[self._table].max(axis=0)
        best: np.ndarray = rows[self._first]
        if len(self._later):
            np.maximum.at(best, self._later_owner, rows[self._later])
        return best
