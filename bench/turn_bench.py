"""The questionnaire's per-turn question choice (`next_step`) over the rules' household cases.

Run: `.venv/bin/python bench/turn_bench.py`. Each case of tests/rules/cases is played through the
chat once (the simulated resident of tests/dialogs/test_screening_cases.py, fakeredis), recording
the answers at every turn; then the choice is timed on each recorded turn with the rules' caches
emptied (a turn of a conversation this process has not seen), beside `screen` of the same
household as the baseline. "from scratch" is the choice with each candidate question's household
evaluated on its own and every candidate tried, as before `reach.rebase` and `inputs.floor`; both
choose the same questions (checked here, and by tests/dialogs/test_screening_cases.py).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from fakeredis import FakeAsyncRedis

from bot.dialogs import screening_needs
from bot.dialogs.screening_household import build
from bot.rules import Household, screen
from bot.rules.inputs import _base, _open_inputs
from tests.dialogs.test_screening_cases import _CHOSEN, CASE_LIST, _converse, from_scratch

Turn = tuple[dict[str, Any], date]


def record() -> list[Turn]:
    """The answers and day of every turn at which the chat chose a question, over all cases."""
    for case in CASE_LIST:
        asyncio.run(_converse(case, FakeAsyncRedis()))
    return [(answers, as_of) for case in CASE_LIST for answers, as_of, _ in _CHOSEN[case["name"]]]


def _time(call: Callable[[Turn], object], turns: list[Turn]) -> tuple[list[float], list[object]]:
    samples, results = [], []
    for turn in turns:
        _base.cache_clear()
        _open_inputs.cache_clear()
        start = time.perf_counter()
        results.append(call(turn))
        samples.append((time.perf_counter() - start) * 1000)
    return samples, results


def _line(name: str, samples: list[float], base: float) -> str:
    median, p99 = statistics.median(samples), statistics.quantiles(samples, n=100)[98]
    return (f"  {name:26s} median {median:6.2f} ms  p99 {p99:7.2f} ms"
            f"  ({median / base:5.1f} × screen, p99 {p99 / base:5.1f} ×)")


def main() -> None:
    turns = record()
    framed = [t for t in turns if screening_needs.next_step(*t) not in screening_needs.ALWAYS]
    households = {id(t): Household.from_dict(build(*t).request()) for t in turns}
    for group, chosen in (("every turn", turns), ("after the framing questions", framed)):
        base, _ = _time(lambda t: screen(households[id(t)], t[1]), chosen)
        fast, now = _time(lambda t: screening_needs.next_step(*t), chosen)
        with from_scratch():
            slow, before = _time(lambda t: screening_needs.next_step(*t), chosen)
        assert now == before, "the choice changed"
        median = statistics.median(base)
        print(f"{group}: {len(chosen)} turns over {len(CASE_LIST)} cases, same questions chosen")
        print(_line("screen", base, median))
        print(_line("choice, from scratch", slow, median))
        print(_line("choice (rebase + floor)", fast, median))


if __name__ == "__main__":
    main()
