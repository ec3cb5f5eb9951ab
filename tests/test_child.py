"""Work done in a child process: its result comes back, and so do its exceptions."""

from __future__ import annotations

import math
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from bot.child import ROOT, in_child


def test_the_result_and_the_exceptions_come_back() -> None:
    assert in_child(math.factorial, 10) == 3628800
    with pytest.raises(ValueError):
        in_child(int, "not a number")


def test_a_child_whose_parent_has_gone_ends_quietly(tmp_path: Path) -> None:
    gone = tmp_path / "removed" / "result.pickle"  # the parent's folder no longer exists
    job = pickle.dumps((len, ("abc",), str(gone)))
    done = subprocess.run([sys.executable, "-m", "bot.child"], input=job, cwd=ROOT, capture_output=True)
    assert (done.returncode, done.stderr) == (0, b"")
