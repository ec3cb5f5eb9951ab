"""`python -m bot.safety check | try "消息" | eval [-v] | tune [--write] [-v] | record [--write]
| counts [--days N]`.

For staff and CI."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from bot.knowledge.phonetic import SYLLABLES, code, merge
from bot.linear import SOUND_MARK
from bot.safety import record, safety_net, tune
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
    held_out = tune.cross_validate(rules, regularisation, by_corpus=True)  # chooses
    folds = tune.cross_validate(rules, regularisation)  # reported beside it
    # --at: a point chosen elsewhere, reported (and written) instead of choosing
    chosen = tune.choose(held_out, args.recall) if args.at is None else tune.point(held_out, *args.at)
    points, folded_points = tune.curve(held_out, chosen.veto), tune.curve(folds, chosen.veto)
    folded = tune.point(folds, chosen.threshold, chosen.veto)
    if args.verbose:
        print("\n".join(tune.mistakes(held_out, chosen)))
        print(tune.by_form(held_out, chosen))
    print("\n".join(tune.report(points, folded_points, chosen, folded, args.recall, held_out)))
    strict = tune.choose_veto(held_out, chosen.threshold)
    print(f"a veto that costs no held-back danger message at {chosen.threshold:+.2f}: {strict.veto}"
          f" (recall {strict.recall:.3f}, false alarms {strict.false_alarms:.3f})")
    if args.write:
        tune.write(chosen, folded, regularisation, points, folded_points, args.recall)
        print("written to bot/safety/model.yaml")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    result = evaluate(safety_net().wait().detect, load_devset(Path(args.devset)))
    print("\n".join(report(result, args.verbose)))
    return 0 if result.passed else 1


def cmd_record(args: argparse.Namespace) -> int:
    texts = record.messages()
    now = record.verdicts(safety_net().wait().detect, texts)
    try:
        data, recorded = record.read()
    except (OSError, ValueError, KeyError):
        data, recorded = "", {}
    lines = record.changes(recorded, now, texts)
    print("\n".join(lines))
    fresh = data == record.data_digest()
    print(f"{len(lines)} of {len(now)} verdicts differ from the record"
          + ("" if fresh else " (the cue file or the training data changed since it was written)"))
    if args.write:
        record.write(now)
        print(f"written to {record.RECORD_PATH.relative_to(Path.cwd())}")
        return 0
    return 1 if lines or not fresh else 0


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
    tuning = commands.add_parser(
        "tune", help="choose the second stage's threshold and veto, a corpus held out")
    tuning.add_argument("--write", action="store_true", help="store the threshold in model.yaml")
    tuning.add_argument("--recall", type=float, default=RECALL_TARGET,
                        help=f"recall (a corpus held out) the threshold must keep (default {RECALL_TARGET})")
    tuning.add_argument("--at", type=float, nargs=2, metavar=("THRESHOLD", "VETO"),
                        help="report (and with --write store) this threshold and veto instead of choosing")
    tuning.add_argument("-v", "--verbose", action="store_true",
                        help="list the held-back misses and false alarms at the chosen point")
    tuning.set_defaults(run=cmd_tune)
    recording = commands.add_parser("record", help="today's verdicts on the sets against the recorded ones")
    recording.add_argument("--write", action="store_true", help="record today's verdicts")
    recording.set_defaults(run=cmd_record)
    counting = commands.add_parser("counts", help="danger messages per day and category (REDIS_URL)")
    counting.add_argument("--days", type=int, default=30)
    counting.set_defaults(run=cmd_counts)
    args = parser.parse_args(argv)
    return args.run(args)


if __name__ == "__main__":
    raise SystemExit(main())
