"""`python -m bot.safety check | try "消息" | eval [-v] | tune [--write] [-v] | counts [--days N]`.

For staff and CI."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.knowledge.phonetic import SYLLABLES, code, merge
from bot.linear import SOUND_MARK
from bot.safety import safety_net, tune
from bot.safety.check import cue_problems
from bot.safety.counts import daily_counts
from bot.safety.detector import Detector
from bot.safety.evaluate import DEFAULT_DEVSET, evaluate, load_devset, report
from bot.safety.model import EVIDENCE, settings
from bot.safety.tune import RECALL_TARGET


def cmd_check(args: argparse.Namespace) -> int:
    problems = cue_problems()
    for problem in problems:
        print(f"ERROR   {problem}")
    print(f"danger cues: {len(problems)} problems")
    return 1 if problems else 0


def cmd_try(args: argparse.Namespace) -> int:
    detector = safety_net().wait().detector
    for verdict in detector.verdicts(args.message):
        fate = verdict.dropped_by or "STANDS"
        print(f"  {verdict.category:<16} {fate:<11} {verdict.pattern}")
    model = detector.model
    stands = detector.rule_features(args.message) >= {"cue:stands"}
    if model is not None and stands and model.veto is not None:
        score = model.score(detector.features(args.message, stands=True))
        fate = "overrules the cues" if score < model.veto else "leaves the cues standing"
        print(f"  model: log-odds with the cues {score:+.2f} (veto below {model.veto:+.2f}): {fate}")
    if model is not None and not stands:
        features = detector.features(args.message)
        score = model.score(features)
        fate = "DANGER" if model.heard(features) else "not danger"
        print(f"  model: log-odds {score:+.2f} (threshold {model.threshold:+.2f}), strongest n-gram"
              f" {model.evidence(features):+.2f} (needs {EVIDENCE}): {fate}; n-grams that decided:")
        for gram, weight in model.danger.explain(features):
            print(f"    {weight:+.2f}  {_shown(gram)}")
    danger = detector.detect(args.message)
    if danger is None:
        print("no danger to life heard")
    else:
        print(f"DANGER {danger.category} ({', '.join(danger.categories)}): "
              + "  ".join(f"{n.number} {n.label}" for n in danger.numbers))
    return 0


def _shown(gram: str) -> str:
    """An n-gram as staff can read it: sound n-grams as pinyin-like codes, cue features as named."""
    if gram.startswith(SOUND_MARK):
        syllables = {code(s): merge(s) for s in SYLLABLES}
        return "sound " + " ".join(syllables.get(ch, ch) for ch in gram[1:])
    return gram.replace("\n", "|")


def cmd_tune(args: argparse.Namespace) -> int:
    detector = safety_net().wait().detector
    rules = Detector(detector.book)
    regularisation = settings().regularisation
    scores = tune.cross_validate(rules, regularisation)
    threshold = tune.choose(tune.curve(scores), args.recall).threshold
    chosen = tune.choose_veto(scores, threshold)
    points = tune.curve(scores, chosen.veto)
    if args.verbose:
        print("\n".join(tune.mistakes(scores, chosen)))
    print("\n".join(tune.report(points, chosen, args.recall, scores)))
    if args.write:
        tune.write(chosen, regularisation, points, args.recall)
        print("written to bot/safety/model.yaml")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    result = evaluate(safety_net().wait().detect, load_devset(Path(args.devset)))
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
    tuning = commands.add_parser("tune", help="cross-validate the second stage and choose its threshold")
    tuning.add_argument("--write", action="store_true", help="store the threshold in model.yaml")
    tuning.add_argument("--recall", type=float, default=RECALL_TARGET,
                        help=f"cross-validated recall the threshold must keep (default {RECALL_TARGET})")
    tuning.add_argument("-v", "--verbose", action="store_true",
                        help="list the held-back misses and false alarms at the chosen point")
    tuning.set_defaults(run=cmd_tune)
    counting = commands.add_parser("counts", help="danger messages per day and category (REDIS_URL)")
    counting.add_argument("--days", type=int, default=30)
    counting.set_defaults(run=cmd_counts)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    raise SystemExit(main())
