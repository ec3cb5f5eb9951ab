"""Work done in a child process: its result comes back, and so do its exceptions."""

from __future__ import annotations

import math

import pytest

from bot.child import in_child


def test_the_result_and_the_exceptions_come_back() -> None:
    assert in_child(math.factorial, 10) == 3628800
    with pytest.raises(ValueError):
        in_child(int, "not a number")
