"""Worker start and memory: time to /healthz and /readyz, RSS and peak RSS, against the echo baseline.

Starts, on loopback, the baseline `bench/load/echo_server.py` (FastAPI + wechatpy, no bot) and
`python server.py` on REDIS_URL, each `--rounds` times. For ours it prints the seconds from
launch to `/healthz` (the app built, knowledge loaded) and to `/readyz` (the danger and intent
models in use), the RSS and peak RSS (VmHWM) at ready, and the peak again after `--questions`
policy questions of the knowledge development sets through `POST /api/v1/ask` (matching caches
filled). Start time and memory are printed as ratios to the baseline's of the same run.

`--steps` instead builds the pieces one by one in this process and prints, after each, the time,
RSS and peak RSS (`--traced`: also what Python's allocator holds): what holds a worker's memory.

    REDIS_URL=redis://127.0.0.1:6379/9 PYTHONPATH=. python bench/startup_bench.py [--rounds 3]
    PYTHONPATH=. python bench/startup_bench.py --steps [--traced]
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.load.processes import Process, start_bot, start_echo


def _status(pid: int | str = "self") -> dict[str, float]:
    """VmRSS and VmHWM of a process, in MB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0]) / 1024
    return found


def steps(traced: bool) -> None:
    """Each load step of a worker in turn, with what it leaves in memory. `traced`: also what
    Python's allocator holds (tracemalloc, which slows everything and inflates RSS itself)."""
    if traced:
        tracemalloc.start()
    mark = time.perf_counter()

    def show(name: str) -> None:
        nonlocal mark
        memory = _status()
        line = (f"{name:<22} {time.perf_counter() - mark:6.2f} s  RSS {memory['VmRSS']:4.0f} MB  "
                f"peak {memory['VmHWM']:4.0f} MB")
        if traced:
            current, peak = tracemalloc.get_traced_memory()
            tracemalloc.reset_peak()
            line += f"  Python-allocated {current / 2**20:4.0f} MiB (peak in step {peak / 2**20:4.0f})"
        print(line, flush=True)
        mark = time.perf_counter()

    show("interpreter")
    import bot.app  # noqa: F401  (everything a worker imports)

    show("import bot.app")
    from bot.safety import safety_net

    net = safety_net()
    show("danger cues")
    net.wait()
    show("danger model in use")
    from bot.dialogs.intents import trained_intents

    trained_intents()
    show("intent model in use")
    from bot.knowledge import KnowledgeBase

    kb = KnowledgeBase.from_directory(isolated=True)  # as a server builds it
    show("knowledge base")
    gc.collect()
    show("after gc")
    print(f"scikit-learn imported: {'sklearn' in sys.modules}; modules loaded: {len(sys.modules)}; "
          f"{len(kb.snapshot.entries)} entries")


def _wait(url: str, deadline: float) -> float:
    while time.perf_counter() < deadline:
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return time.perf_counter()
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise SystemExit(f"{url} not ready in time")


def _questions(count: int) -> list[str]:
    from bot.knowledge.evaluate import load_devset, sets

    found = [case.question for path in sets().values() for case in load_devset(path)]
    return found[:count]


def measure(start: Callable[[], Process], port: int, questions: list[str]) -> dict[str, float]:
    launched = time.perf_counter()
    process = start()
    try:
        base = f"http://127.0.0.1:{port}"
        up = _wait(base + "/healthz", launched + 120)
        ready = _wait(base + "/readyz", launched + 240) if questions else up
        pid = process.workers()[0]
        at_ready = _status(pid)
        for question in questions:
            httpx.post(base + "/api/v1/ask", json={"question": question}, timeout=10)
        after = _status(pid)
        return {"healthz": up - launched, "readyz": ready - launched, "rss": at_ready["VmRSS"],
                "peak_ready": at_ready["VmHWM"], "peak_after": after["VmHWM"]}
    finally:
        process.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", action="store_true", help="what each load step holds, in this process")
    parser.add_argument("--traced", action="store_true", help="with --steps: tracemalloc figures too")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--questions", type=int, default=300)
    parser.add_argument("--port", type=int, default=18620)
    args = parser.parse_args()
    if args.steps:
        steps(args.traced)
        return
    redis_url = os.environ.get("REDIS_URL")
    if not redis_url:
        raise SystemExit("set REDIS_URL (a Redis database this benchmark may use)")
    questions = _questions(args.questions)
    print(f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores; {len(questions)} questions")

    runs: dict[str, list[dict[str, float]]] = {"baseline (echo)": [], "ours": []}
    for _ in range(args.rounds):  # alternate, so both see the same neighbours
        runs["baseline (echo)"].append(measure(lambda: start_echo(args.port), args.port, []))
        runs["ours"].append(measure(lambda: start_bot(redis_url, args.port + 1), args.port + 1, questions))
    medians = {name: {k: statistics.median(r[k] for r in found) for k in found[0]}
               for name, found in runs.items()}
    for name, m in medians.items():
        print(f"{name}: /healthz {m['healthz']:.1f} s, /readyz {m['readyz']:.1f} s, RSS at ready "
              f"{m['rss']:.0f} MB, peak at ready {m['peak_ready']:.0f} MB, peak after the questions "
              f"{m['peak_after']:.0f} MB (median of {args.rounds})")
    echo, ours = medians["baseline (echo)"], medians["ours"]
    print(f"ratios to the baseline: start to /healthz {ours['healthz'] / echo['healthz']:.1f}x, "
          f"peak RSS {ours['peak_after'] / echo['peak_after']:.1f}x")


if __name__ == "__main__":
    main()
