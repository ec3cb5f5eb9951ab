"""`python -m bot.safety check | try "消息" | eval [-v] | counts [--days N]` for staff and CI."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.safety import safety_net
from bot.safety.check import cue_problems
from bot.safety.counts import daily_counts
from bot.safety.evaluate import DEFAULT_DEVSET, evaluate, load_devset, report


def cmd_check(args: argparse.Namespace) -> int:
    problems = cue_problems()
    for problem in problems:
        print(f"ERROR   {problem}")
    print(f"danger cues: {len(problems)} problems")
    return 1 if problems else 0


def cmd_try(args: argparse.Namespace) -> int:
    detector = safety_net().detector
    for verdict in detector.verdicts(args.message):
        fate = verdict.dropped_by or "STANDS"
        print(f"  {verdict.category:<16} {fate:<11} {verdict.pattern}")
    danger = detector.detect(args.message)
    if danger is None:
        print("no danger to life heard")
    else:
        print(f"DANGER {danger.category} ({', '.join(danger.categories)}): "
              + "  ".join(f"{n.number} {n.label}" for n in danger.numbers))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    result = evaluate(safety_net().detect, load_devset(Path(args.devset)))
    print("\n".join(report(result, args.verbose)))
    return 0 if result.passed else 1


def cmd_counts(args: argparse.Namespace) -> int:
    from bot.errors import BotError
    from bot.settings import get_settings
    from bot.storage import server_redis

    async def run() -> list[tuple[str, dict[str, int]]]:
        async with server_redis(get_settings()) as redis:
            return await daily_counts(redis, args.days)

    try:
        rows = asyncio.run(run())
    except BotError as exc:  # no REDIS_URL, or Redis unreachable
        print(f"cannot read the counts: {exc}", file=sys.stderr)
        return 2
    total = 0
    for date, counts in rows:
        if counts:
            total += sum(counts.values())
            print(f"{date}  " + "  ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    print(f"{total} danger messages in the last {args.days} days (no user or text is kept)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.safety", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="validate the cue file and its examples").set_defaults(run=cmd_check)
    trying = commands.add_parser("try", help="show which cues a message raises and why")
    trying.add_argument("message")
    trying.set_defaults(run=cmd_try)
    evaluating = commands.add_parser("eval", help="recall and false alarms on the development set")
    evaluating.add_argument("--devset", default=str(DEFAULT_DEVSET))
    evaluating.add_argument("-v", "--verbose", action="store_true")
    evaluating.set_defaults(run=cmd_eval)
    counting = commands.add_parser("counts", help="danger messages per day and category (REDIS_URL)")
    counting.add_argument("--days", type=int, default=30)
    counting.set_defaults(run=cmd_counts)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    raise SystemExit(main())
