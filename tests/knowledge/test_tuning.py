"""The choice of the corpus weight among cross-validated candidates (bot/knowledge/tuning.py)."""

from __future__ import annotations

import numpy as np

from bot.knowledge.tuning import one_standard_error, standard_error


def test_the_simplest_within_one_error_of_the_best_is_chosen() -> None:
    # the best (index 3) is not better than index 1 beyond its standard error
    assert one_standard_error([(0.50, 0.01), (0.595, 0.01), (0.60, 0.01), (0.605, 0.012)]) == 1


def test_a_clearly_better_weight_is_chosen() -> None:
    assert one_standard_error([(0.50, 0.01), (0.55, 0.01), (0.60, 0.01)]) == 2


def test_standard_error_of_the_outcome_values() -> None:
    labels = np.asarray(["right", "wrong", "fallback", "offered"], dtype=object)
    values = np.asarray([1.0, -1.75, 0.0, 0.4])
    assert np.isclose(standard_error(labels), values.std(ddof=1) / 2.0)
    assert standard_error(np.asarray(["right"], dtype=object)) == 0.0
