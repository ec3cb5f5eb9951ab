"""Knowledge matching speed: load time and p50/p99 of `KnowledgeBase.ask` on one core.

Run: `.venv/bin/python bench/knowledge_bench.py [--synthetic 10000]`.
Targets (issue 3): p99 < 5 ms at the shipped size, < 20 ms with 10,000 synthetic entries,
load < 1 s at the shipped size. Questions are the dev set's (or the entries' own phrasings).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.knowledge import KnowledgeBase
from bot.knowledge.evaluate import DEFAULT_DEVSET, load_devset


def _questions(kb: KnowledgeBase) -> list[str]:
    if DEFAULT_DEVSET.exists():
        return [case.question for case in load_devset()]
    return [p for entry in kb.snapshot.entries.values() for p in entry.phrasings]


def _latency(kb: KnowledgeBase, questions: list[str], rounds: int) -> tuple[float, float, float]:
    for question in questions[:50]:  # warm caches
        kb.ask(question)
    samples = []
    for _ in range(rounds):
        for question in questions:
            start = time.perf_counter()
            kb.ask(question)
            samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99)], samples[-1]


def _synthetic(kb: KnowledgeBase, count: int, directory: Path) -> None:
    """Entries made by recombining shipped phrasings, so vocabulary and lengths stay realistic."""
    rng = random.Random(7)
    entries = list(kb.snapshot.entries.values())
    phrasings = [p for e in entries for p in e.phrasings]
    chars = sorted({ch for p in phrasings for ch in p if "\u4e00" <= ch <= "\u9fff"})
    rows = []

    def mutate(text: str) -> str:
        return text[: rng.randint(2, len(text))] + "".join(rng.choices(chars, k=rng.randint(2, 6)))

    for n in range(count):
        base = rng.choice(entries)
        rows.append(
            {
                "id": f"synthetic-{n}",
                "question": mutate(base.question),
                "alternatives": [mutate(rng.choice(phrasings)) for _ in range(rng.randint(3, 6))],
                "answer": base.answer,
                "refs": list(base.refs),
                "topic": base.topic,
                "reviewed": base.reviewed,
            }
        )
    (directory / "synthetic.yaml").write_text(yaml.safe_dump(rows, allow_unicode=True), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--synthetic", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})

    start = time.perf_counter()
    kb = KnowledgeBase.from_directory()
    load = time.perf_counter() - start
    questions = _questions(kb)
    p50, p99, worst = _latency(kb, questions, args.rounds)
    print(f"shipped: {len(kb.snapshot.entries)} entries, load {load * 1000:.0f} ms")
    print(f"  ask x{len(questions) * args.rounds}: p50 {p50:.2f} ms  p99 {p99:.2f} ms  max {worst:.2f} ms")

    if args.synthetic:
        with tempfile.TemporaryDirectory() as tmp:
            _synthetic(kb, args.synthetic, Path(tmp))
            tracemalloc.start()
            start = time.perf_counter()
            big = KnowledgeBase.from_directory(tmp)
            load = time.perf_counter() - start
            memory = tracemalloc.get_traced_memory()[0]
            tracemalloc.stop()
            p50, p99, worst = _latency(big, questions, 1)
            size = len(big.snapshot.entries)
            print(f"synthetic: {size} entries, load {load:.1f} s, index memory {memory / 2**20:.0f} MiB")
            print(f"  ask x{len(questions)}: p50 {p50:.2f} ms  p99 {p99:.2f} ms  max {worst:.2f} ms")


if __name__ == "__main__":
    main()
