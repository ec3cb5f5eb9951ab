"""Command line for staff and CI.

`python -m bot.knowledge check | try "问题" | misses | eval | calibrate | thresholds | review`.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot import clock
from bot.knowledge.base import KnowledgeBase
from bot.knowledge.calibration import DEFAULT_PATH as DEFAULT_CALIBRATION
from bot.knowledge.calibration import FEATURES, load_model, save_model
from bot.knowledge.check import check
from bot.knowledge.evaluate import GATES, Evaluation, evaluate, load_devset, sets
from bot.knowledge.misses import Miss, list_misses
from bot.knowledge.snapshot import KnowledgeError, Sources


def _sources(args: argparse.Namespace) -> Sources:
    sources = Sources(faq_dir=Path(args.dir)) if args.dir else Sources()
    return dataclasses.replace(sources, training=Path(args.training)) if args.training else sources


def _load(args: argparse.Namespace, **changes: Any) -> KnowledgeBase:
    try:
        return KnowledgeBase(dataclasses.replace(_sources(args), **changes))
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
    for message in data:
        print(f"ERROR   {message}")
    print(f"danger cues, intents, referrals: {len(data)} errors")
    return 0 if report.ok and not data else 1


def cmd_try(args: argparse.Namespace) -> int:
    kb = _load(args)
    key = kb.key(args.question)
    answer = kb.ask(args.question)
    ranking = kb.rank(args.question, args.limit)
    print(f"normalised: {key.text!r}" + (f"  ({len(key.clauses)} clauses)" if key.clauses else ""))
    outside = f", out of scope: {answer.referral or 'yes'}" if answer.out_of_scope else ""
    print(f"outcome:    {answer.status} (best score {answer.score:.1f}{outside})")
    thresholds = kb.snapshot.index.model.thresholds
    print(
        f"thresholds: answer at P(right) {thresholds.answer}, options at {thresholds.clarify}, "
        f"out of scope at P(out) {thresholds.referral}"
    )
    print(
        f"decision:   P(best entry right) {ranking.confidence:.2f}, P(out of scope) {ranking.outside:.2f}"
        + (f", closest referral {ranking.referral} {ranking.referral_score:.1f}" if ranking.referral else "")
    )
    print(
        "needs read: "
        + ", ".join(f"{name} {p:.2f}" for name, p in ranking.needs)
        + f"; another office's question {ranking.outside_read:.2f}"
        + f"  (classifier learned {len(kb.snapshot.training)} training questions and the phrasings)"
    )
    print("candidates (score = calibrated probability x 100; then the strongest features):")
    weights = dict(zip(FEATURES, kb.snapshot.index.model.candidates.weights, strict=True))
    for rank, scored in enumerate(ranking.entries, start=1):
        needs = ",".join(scored.entry.needs)
        print(f"  {rank}. {scored.score:6.2f}  {scored.entry.id:<32} {needs:<28} {scored.entry.question}")
        parts = sorted(scored.features.items(), key=lambda fv: -abs(fv[1] * weights[fv[0]]))[:4]
        print("             " + "  ".join(f"{name}={value:.2f}" for name, value in parts))
    if answer.answer:
        print("\nanswer:\n" + answer.answer)
    return 0


def cmd_misses(args: argparse.Namespace) -> int:
    from bot.crypto import Sealer
    from bot.errors import BotError
    from bot.settings import get_settings
    from bot.storage import server_redis

    settings = get_settings()  # the server's REDIS_URL, DATA_KEYS and SECRET_KEY
    sealer = Sealer.from_settings(settings.data_keys, settings.data_key_id, settings.secret_key)

    async def run() -> list[Miss]:
        async with server_redis(settings) as redis:
            return await list_misses(redis, sealer, args.limit)

    try:
        misses = asyncio.run(run())
    except BotError as exc:  # no REDIS_URL, or Redis unreachable
        print(f"cannot read the misses: {exc}", file=sys.stderr)
        return 2
    if not misses:
        print("no unanswered questions recorded")
    for miss in misses:
        seen = clock.local(miss.last_seen).strftime("%Y-%m-%d %H:%M") if miss.last_seen else "-"
        print(f"{miss.count:5d}  {miss.status:<8} {seen}  {miss.question}")
    return 0


def _print_misses(name: str, result: Evaluation) -> None:
    for outcome in result.in_scope:
        if outcome.label != "right":
            a = outcome.answer
            best = a.candidates[0] if a.candidates else None
            got = f"{best.entry_id} {best.score:.1f}" if best else "-"
            want: list[str] | list[int] = sorted(outcome.case.needs) or sorted(outcome.case.refs)
            print(
                f"{outcome.label.upper():<8} {name} [{outcome.case.kind}] {outcome.case.question}"
                f"  want {want}  got {a.status}: {got}"
            )
    for outcome in result.out_of_scope:
        if outcome.answer.status == "answer":
            print(
                f"ANSWERED {name} {outcome.case.question}"
                f" -> {outcome.answer.entry_id} {outcome.answer.score:.1f}"
            )


def cmd_eval(args: argparse.Namespace) -> int:
    kb = _load(args)
    chosen = {"given": Path(args.devset)} if args.devset else sets()
    passed = True
    for name, path in chosen.items():
        result = evaluate(kb, load_devset(path))
        if args.verbose:
            _print_misses(name, result)
        print(f"{name} ({path.name}): {result.summary()}")
        for kind, (hits, total) in sorted(result.by_kind().items()):
            print(f"    {kind:<14} {hits}/{total}")
        gate = GATES.get(name, GATES["devset"])
        ok = result.passes(gate)
        passed &= ok
        print(
            f"  gate: right >= {gate.right_min}, wrong <= {gate.wrong_max}, "
            f"out-of-scope answered <= {gate.oos_answered_max}: {'pass' if ok else 'FAIL'}"
        )
    return 0 if passed else 1


def cmd_calibrate(args: argparse.Namespace) -> int:
    from bot.knowledge import tuning

    target = _sources(args).calibration or DEFAULT_CALIBRATION
    kb = _load(args, calibration=None)  # features do not depend on the model; start from the prior
    if not kb.snapshot.training:
        print(f"no training corpus at {kb.sources.training}: nothing to calibrate on", file=sys.stderr)
        return 2
    model = tuning.calibrate(kb.snapshot)
    if not args.dry_run:
        save_model(model, target)
    _print_model(model.to_dict())
    return 0


def _print_model(data: dict[str, Any]) -> None:
    for part in ("candidates", "right", "outside"):
        weights = data[part]["weights"]
        print(
            f"{part + ':':<11}"
            + "  ".join(f"{k} {v:+.2f}" for k, v in weights.items())
            + f"  bias {data[part]['bias']:+.2f}"
        )
    print("thresholds (probability): " + "  ".join(f"{k} {v}" for k, v in data["thresholds"].items()))
    print(f"training-corpus weight (against one phrasing): {data['training_weight']}")
    report = data.get("report") or {}
    for name, figures in (report.get("cross_validated") or {}).items():
        print(
            f"cross-validated ({report.get('folds')} folds) {name}: "
            + "  ".join(f"{k} {v}" for k, v in figures.items())
        )


def cmd_thresholds(args: argparse.Namespace) -> int:
    _print_model(load_model(_sources(args).calibration).to_dict())
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from bot.knowledge import review
    from bot.knowledge.sources import read_sources
    from bot.rules.parameters import load_parameters

    kb = _load(args)
    text = review.REVIEW_PATH.read_text(encoding="utf-8")
    parts = review.generated_parts(
        kb.snapshot, load_parameters(), read_sources(kb.sources.sources), review.review_date(text)
    )
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
    parser.add_argument(
        "--training", help="training corpus: a file or a directory of them (default bot/knowledge/training/)"
    )
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
    evaluating.add_argument("--devset", help="one dev-set file (default: every set in tests/knowledge)")
    evaluating.add_argument("-v", "--verbose", action="store_true", help="list every miss")
    evaluating.set_defaults(run=cmd_eval)
    calibrating = commands.add_parser(
        "calibrate", help="fit weights and thresholds by cross-validation on the training corpus"
    )
    calibrating.add_argument("--dry-run", action="store_true", help="print, do not write calibration.yaml")
    calibrating.set_defaults(run=cmd_calibrate)
    commands.add_parser("thresholds", help="print the weights and thresholds in force").set_defaults(
        run=cmd_thresholds
    )
    reviewing = commands.add_parser("review", help="refresh the generated parts of policy_texts/REVIEW.md")
    reviewing.add_argument("--check", action="store_true", help="only say whether REVIEW.md is up to date")
    reviewing.set_defaults(run=cmd_review)
    args = parser.parse_args(argv)
    run: Callable[[argparse.Namespace], int] = args.run
    return run(args)


if __name__ == "__main__":
    raise SystemExit(main())
