"""Cost of the safety check per message, one core: p50/p99 on ordinary questions and on danger messages.

Every message goes through `bot.safety.detect` before anything else, so its cost is paid on the
whole traffic. Messages: the knowledge dev set (ordinary questions, mostly no cue at all) and the
danger dev set (half danger, half look-alikes: the expensive case, every cue judged). Each text is
made unique per round so no cache helps. As a baseline in the same run, the one normaliser
`bot.text.fold` alone (which every path pays anyway) is timed on the same texts: on a busy
machine both slow down together, so the ratio is the steadier figure.

    PYTHONPATH=. .venv/bin/python bench/safety_bench.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from bot.safety import safety_net
from bot.safety.evaluate import load_devset
from bot.text import fold

ROOT = Path(__file__).resolve().parents[1]
LIMIT_MS = 0.2


def _timed(call: Callable[[str], object], texts: list[str], rounds: int) -> tuple[list[float], list[float]]:
    """Every run, and per message the fastest of its runs (what it costs when the scheduler does
    not preempt the process: on a shared machine a 4 ms time slice lands on random messages)."""
    runs: list[float] = []
    best: list[float] = []
    for index, text in enumerate(texts):
        mine = []
        for r in range(rounds):
            unique = f"{text} {r}-{index}"  # unique: no cache helps
            start = time.perf_counter()
            call(unique)
            mine.append(time.perf_counter() - start)
        runs.extend(mine)
        best.append(min(mine))
    return sorted(runs), sorted(best)


def _pct(times: list[float], q: float) -> float:
    return times[min(len(times) - 1, int(len(times) * q))] * 1000


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    knowledge = yaml.safe_load((ROOT / "tests/knowledge/devset.yaml").read_text("utf-8"))
    questions = [str(item["q"]) for item in knowledge]
    danger = [c.text for c in load_devset()]
    detect = safety_net().wait().detect
    for text in questions + danger:  # compile every pattern once, as a running server has
        detect(text)
    fold_raw = fold.__wrapped__
    print(f"safety check, one core, {args.rounds} rounds (limit p99 < {LIMIT_MS} ms on a quiet machine)")
    sets = (("ordinary questions", questions), ("danger set", danger), ("all", questions + danger))
    for name, texts in sets:
        runs, best = _timed(detect, texts, args.rounds)
        _, base = _timed(fold_raw, texts, args.rounds)
        print(f"  {name:<19} n={len(texts):4d}  every run: p50 {_pct(runs, .5):.3f}"
              f" p99 {_pct(runs, .99):.3f} ms  | fastest of {args.rounds} per message:"
              f" p50 {_pct(best, .5):.3f} p99 {_pct(best, .99):.3f} ms"
              f"  (fold alone p99 {_pct(base, .99):.3f} ms, ratio {_pct(best, .99) / _pct(base, .99):.1f}x)")


if __name__ == "__main__":
    main()
