"""Command line for staff and CI: `python -m bot.knowledge check | try "问题" | misses | eval | review`."""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import sys
from pathlib import Path

from bot.knowledge.base import KnowledgeBase, KnowledgeError, Sources
from bot.knowledge.check import check
from bot.knowledge.evaluate import DEFAULT_DEVSET, FALSE_ANSWER_MAX, TOP1_MIN, evaluate, load_devset
from bot.knowledge.misses import list_misses


def _sources(args: argparse.Namespace) -> Sources:
    return Sources(faq_dir=Path(args.dir)) if args.dir else Sources()


def _load(args: argparse.Namespace) -> KnowledgeBase:
    try:
        return KnowledgeBase(_sources(args))
    except KnowledgeError as exc:
        for problem in exc.problems:
            print(f"ERROR {problem}", file=sys.stderr)
        raise SystemExit(2) from exc


def cmd_check(args: argparse.Namespace) -> int:
    from bot.dialogs.intents import check_intents
    from bot.referrals import check_referrals
    from bot.safety.check import cue_problems

    report = check(_sources(args))
    for problem in report.errors:
        print(f"ERROR   {problem}")
    for problem in report.warnings:
        print(f"WARNING {problem}")
    print(f"{report.entries} entries, {len(report.errors)} errors, {len(report.warnings)} warnings")
    data = [*cue_problems(), *check_intents(), *check_referrals()]  # the other staff-edited word files
    for problem in data:
        print(f"ERROR   {problem}")
    print(f"danger cues, intents, referrals: {len(data)} errors")
    return 0 if report.ok and not data else 1


def cmd_try(args: argparse.Namespace) -> int:
    kb = _load(args)
    key = kb.key(args.question)
    answer = kb.ask(args.question)
    print(f"normalised: {key.text!r}")
    print(f"outcome:    {answer.status} (best score {answer.score:.1f})")
    print("candidates:")
    for rank, scored in enumerate(kb.search(args.question, args.limit), start=1):
        refs = ",".join(map(str, scored.entry.refs))
        print(f"  {rank}. {scored.score:6.2f}  {scored.entry.id:<32} refs {refs:<8} {scored.entry.question}")
    if answer.answer:
        print("\nanswer:\n" + answer.answer)
    return 0


def cmd_misses(args: argparse.Namespace) -> int:
    from redis.asyncio import Redis

    from bot.crypto import Sealer
    from bot.settings import get_settings

    settings = get_settings()  # the server's DATA_KEYS and SECRET_KEY open the sealed questions
    sealer = Sealer.from_settings(settings.data_keys, settings.data_key_id, settings.secret_key)

    async def run() -> list:
        redis = Redis.from_url(os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
        try:
            return await list_misses(redis, sealer, args.limit)
        finally:
            await redis.aclose()

    misses = asyncio.run(run())
    if not misses:
        print("no unanswered questions recorded")
    for miss in misses:
        seen = dt.datetime.fromtimestamp(miss.last_seen).strftime("%Y-%m-%d %H:%M") if miss.last_seen else "-"
        print(f"{miss.count:5d}  {miss.status:<8} {seen}  {miss.question}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    kb = _load(args)
    result = evaluate(kb, load_devset(Path(args.devset)))
    if args.verbose:
        for outcome in result.in_scope:
            if not outcome.top1:
                a = outcome.answer
                best = a.candidates[0] if a.candidates else None
                got = f"{best.entry_id} {list(best.refs)} {best.score:.1f}" if best else "-"
                print(
                    f"MISS  [{outcome.case.kind}] {outcome.case.question}  want {sorted(outcome.case.refs)}"
                    f"  got {a.status}: {got}"
                )
        for outcome in result.out_of_scope:
            if outcome.answer.status == "answer":
                print(
                    f"FALSE {outcome.case.question} -> {outcome.answer.entry_id} {outcome.answer.score:.1f}"
                )
    for kind, (hits, total) in sorted(result.by_kind().items()):
        print(f"  {kind:<14} {hits}/{total}")
    print(
        f"in-scope {len(result.in_scope)}  top-1 {result.top1:.3f}  top-3 {result.top3:.3f}  "
        f"out-of-scope {len(result.out_of_scope)}  false answers {result.false_answer_rate:.3f}  "
        f"(need top-1 >= {TOP1_MIN}, false answers <= {FALSE_ANSWER_MAX})"
    )
    return 0 if result.passed else 1


def cmd_review(args: argparse.Namespace) -> int:
    from bot.knowledge import review
    from bot.knowledge.sources import read_sources
    from bot.rules.parameters import load_parameters

    kb = _load(args)
    text = review.REVIEW_PATH.read_text(encoding="utf-8")
    parts = review.generated_parts(kb.snapshot, load_parameters(), read_sources(kb.sources.sources),
                                   review.review_date(text))
    fresh = review.refresh(text, parts)
    if args.check:
        stale = "REVIEW.md is stale: run python -m bot.knowledge review"
        print("REVIEW.md is up to date" if fresh == text else stale)
        return 0 if fresh == text else 1
    review.REVIEW_PATH.write_text(fresh, encoding="utf-8")
    print(f"wrote {review.REVIEW_PATH} ({len(kb.snapshot.entries)} entries)")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.knowledge", description=__doc__)
    parser.add_argument("--dir", help="knowledge directory (default bot/knowledge/faq)")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("check", help="validate every knowledge file").set_defaults(run=cmd_check)
    trying = commands.add_parser("try", help="show how a question is matched")
    trying.add_argument("question")
    trying.add_argument("--limit", type=int, default=5)
    trying.set_defaults(run=cmd_try)
    misses = commands.add_parser("misses", help="list unanswered questions with counts (REDIS_URL)")
    misses.add_argument("--limit", type=int, default=50)
    misses.set_defaults(run=cmd_misses)
    evaluating = commands.add_parser("eval", help="measure accuracy on the development set")
    evaluating.add_argument("--devset", default=str(DEFAULT_DEVSET))
    evaluating.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    evaluating.set_defaults(run=cmd_eval)
    reviewing = commands.add_parser("review", help="refresh the generated parts of policy_texts/REVIEW.md")
    reviewing.add_argument("--check", action="store_true", help="only say whether REVIEW.md is up to date")
    reviewing.set_defaults(run=cmd_review)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    raise SystemExit(main())
