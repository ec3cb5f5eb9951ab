"""Rules speed: `screen`, `open_inputs` (all inputs, and one input as the questionnaire asks) per household.

Run: `.venv/bin/python bench/rules_bench.py`. Households: the rules' YAML cases (tests/rules/cases),
a fresh questionnaire (only the first answers known), and one after the questions that frame the
household (户籍, ages, health), as the chat has it when it starts choosing questions. Prints median
and p99 in milliseconds and each figure as a ratio to `screen` in the same run (caches cleared
between rounds, so every call evaluates; the chat's repeated calls within one message are cache
hits and cheaper).
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.rules import Household, open_inputs, screen
from bot.rules.inputs import _base, _open_inputs
from tests.rules.casefile import load_cases

DAY = date(2025, 8, 1)


def _groups() -> dict[str, list[Household]]:
    cases = [Household.from_dict(case["household"]) for _, case in load_cases()]
    fresh = [{"members": [{"relation": "applicant", "age": age}, {"relation": "spouse", "age": age - 2},
                          *([{"relation": "grandchild", "age": 9}] * extra)]}
             for age in (45, 66, 75) for extra in (0, 1)]
    healthy = {"disability_card": False, "serious_illness": False}
    framed = [{**data, "hukou": "yuanjiang", "area": "rural",
               "members": [{**m, **healthy} for m in data["members"]]} for data in fresh]
    return {"YAML cases (mostly answered)": cases,
            "fresh questionnaires (ages only)": [Household.from_dict(data) for data in fresh],
            "after the framing questions (place, ages, health)": [Household.from_dict(d) for d in framed]}


def _time(call: Callable[[Household], object], households: list[Household], rounds: int) -> list[float]:
    samples = []
    for _ in range(rounds):
        for household in households:
            _base.cache_clear()
            _open_inputs.cache_clear()
            start = time.perf_counter()
            call(household)
            samples.append((time.perf_counter() - start) * 1000)
    return samples


def main() -> None:
    calls = {
        "screen": lambda h: screen(h, DAY),
        "open_inputs (all)": lambda h: open_inputs(h, DAY),
        "open_inputs (only supporter)": lambda h: open_inputs(h, DAY, only={"supporter"}),
    }
    for group, households in _groups().items():
        for call in calls.values():  # warm imports and file caches
            call(households[0])
        results = {name: _time(call, households, rounds=3) for name, call in calls.items()}
        base = statistics.median(results["screen"])
        print(f"{group}: {len(households)} households, 3 rounds")
        for name, samples in results.items():
            p99 = statistics.quantiles(samples, n=100)[98]
            median = statistics.median(samples)
            print(f"  {name:30s} median {median:6.2f} ms  p99 {p99:7.2f} ms  ({median / base:5.1f} × screen)")


if __name__ == "__main__":
    main()
