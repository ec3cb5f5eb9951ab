"""`python -m bot.dialogs.tune_intents [--write]`: the intent model's settings by cross-validation.

Each fold of the training corpora (all files together, stratified by label) is classified by the
word lists and a model trained on the other folds (plus the lists' words), at a step of the
context the item was written for; an item is right when a command label gets an intent doing the
same (that intent, or the offer of its flow) and any other label (answer, question, chit-chat) gets
no command or, as `Engine.route` decides, the running flow's own intent (好 测一下 at the consent).
Every combination of regularisation, threshold (a command the model hears counts from this
probability) and overrule (an answer or question label this sure cancels a listed pattern) is
scored. The chosen one follows the one-standard-error rule: among those within one standard error
of the best accuracy, the highest threshold, then the highest overrule — the model deciding least —
since a command started on a question costs the resident more than a question passed on to the
knowledge base.

Beside the k-fold figure, leave-one-corpus-out: each corpus is classified by a model trained on the
others (and the lists' words), at the same settings. The k-fold model has seen the held-out
item's writer, style and pet phrases in its other folds; a corpus held back whole is wording the
model never saw, as the residents' will be — the honest estimate of unseen wording. (The word lists
were grown partly from earlier corpora's misses, so for those corpora it is still a little kind.)
"""

from __future__ import annotations

import argparse
import math
from collections import Counter
from dataclasses import dataclass, replace

import numpy as np
import yaml
from sklearn.model_selection import StratifiedKFold

from bot.dialogs import default_flows
from bot.dialogs.evaluate_intents import CONTEXTS
from bot.dialogs.intent_model import MODEL_PATH, NOT_COMMANDS, TRAINING_PATHS, corpus, fit
from bot.dialogs.intents import Intent, trained_intents

FOLDS = 5
REGULARISATIONS = (1.0, 3.0, 10.0)
THRESHOLDS = tuple(round(float(t), 2) for t in np.arange(0.2, 1.01, 0.05))
OVERRULES = (0.5, 0.6, 0.7, 0.8, 0.9, 1.01)  # 1.01: a listed pattern always stands
Setting = tuple[float, float, float]  # regularisation, threshold, overrule
_FLOWS = default_flows()


def _step(context: str) -> str | None:
    where = CONTEXTS.get(context)
    return f"{where[0]}:{where[1]}" if where else None


Figures = dict[Setting, float]
Rights = dict[Setting, Counter[int]]  # right answers per setting and corpus


@dataclass(frozen=True, slots=True)
class Trial:
    """One held-out item, classified by a model of the other folds at the two extremes."""
    index: int  # in `corpus()`
    heard: Intent | None  # every command the model hears; no overrule
    kept: bool  # the decision survives when every listed word may be overruled
    probability: float  # the model's probability for its own label

    def decided(self, threshold: float, overrule: float) -> str | None:
        return _decided(self.heard, self.kept, self.probability, threshold, overrule)


Trials = dict[float, list[Trial]]  # per regularisation


Split = list[tuple[list[int], list[int]]]  # (trained on, held out), indices into `corpus()`


def k_folds() -> Split:
    """FOLDS folds of all the corpora together, stratified by label."""
    labels = np.array([label for _, _, label in corpus()])
    folds = StratifiedKFold(FOLDS, shuffle=True, random_state=0).split(np.zeros(len(labels)), labels)
    return [(train.tolist(), test.tolist()) for train, test in folds]


def by_corpus() -> Split:
    """One fold per corpus: held back whole, the model trained on the others."""
    source = sources()
    return [([i for i, s in enumerate(source) if s != held], [i for i, s in enumerate(source) if s == held])
            for held in range(len(TRAINING_PATHS))]


def sources() -> list[int]:
    """The corpus (index into TRAINING_PATHS) of each item of `corpus()`."""
    return [i for i, path in enumerate(TRAINING_PATHS) for _ in corpus([path])]


def cross_validate(regularisations: tuple[float, ...] = REGULARISATIONS,
                   split: Split | None = None) -> Trials:
    """Every item of the corpora held out once per regularisation (by `split`, k-fold unless
    given), with what decides it."""
    intents = trained_intents()
    shipped = intents.model
    items = corpus()
    trials: Trials = {}
    for regularisation in regularisations:
        for train_index, test_index in split if split is not None else k_folds():
            model = fit([items[i] for i in train_index] + intents.examples(), regularisation, 0.0)
            hears = replace(model, threshold=0.0, overrule=1.01)  # every command it hears; no overrule
            yields = replace(model, threshold=0.0, overrule=0.0)  # every listed word it can overrule
            for i in test_index:
                text, context, _ = items[i]
                step = _step(context)
                intents.model = hears
                heard = intents.classify(text, step)
                intents.model = yields
                kept = intents.classify(text, step) is not None
                trials.setdefault(regularisation, []).append(
                    Trial(int(i), heard, kept, model.guess(text, context).probability))
    intents.model = shipped
    return trials


def right(label: str, name: str | None, context: str) -> bool:
    """A command label is right when an intent doing what it does is decided (report_need: the
    report, or the offer of one, as `evaluate_intents` counts it); any other label when no command
    is, or the running flow's own (`Engine.route`: 好 测一下 at the consent is its yes)."""
    known = trained_intents().intents
    if name is not None and name in known and _answers(known[name], context):
        name = None
    if label in NOT_COMMANDS:
        return name in (None, "chit_chat")
    if name is None or name == label:
        return name == label
    return name in known and label in known and _does(known[name]) == _does(known[label])


def _answers(intent: Intent, context: str) -> bool:
    """Whether the engine hands the running flow an intent that names that flow: an answer there,
    except after the flow's last step (再测一次 after a result starts it again)."""
    where = CONTEXTS.get(context)
    if where is None or where[0] not in (intent.flow, intent.offer):
        return False
    return where[1] not in _FLOWS[where[0]].done_steps


def _does(intent: Intent) -> str | None:
    return intent.flow or intent.offer or intent.command


def score(trials: Trials) -> tuple[Figures, Rights]:
    """Accuracy per setting over the corpora, and the right answers per setting and corpus."""
    items = corpus()
    source = sources()
    rights: Rights = {}
    for regularisation, held_out in trials.items():
        for threshold in THRESHOLDS:
            for overrule in OVERRULES:
                count = rights.setdefault((regularisation, threshold, overrule), Counter())
                for trial in held_out:
                    decided = trial.decided(threshold, overrule)
                    count[source[trial.index]] += right(items[trial.index][2], decided, items[trial.index][1])
    return {s: sum(c.values()) / len(items) for s, c in rights.items()}, rights


def _decided(heard: Intent | None, kept: bool, probability: float, threshold: float,
             overrule: float) -> str | None:
    """What `Intents.classify` decides at this threshold and overrule, from two runs at the
    extremes (every guess counts / every listed word the model can overrule is) and the model's
    probability: the settings change the outcome only through that probability."""
    if heard is None:
        return None
    if heard.guessed:
        return heard.name if probability >= threshold else None
    if not kept:  # a listed word the model takes for an answer or a question
        return None if probability >= overrule else heard.name
    return heard.name


def choose(figures: Figures, size: int) -> Setting:
    """The one-standard-error rule: the model deciding least among the near-best settings."""
    best = max(figures.values())
    error = math.sqrt(best * (1 - best) / size)
    near = [s for s, a in figures.items() if a >= best - error]
    return max(near, key=lambda s: (s[1], s[2], figures[s]))


def by_label(trials: list[Trial], setting: Setting) -> dict[str, tuple[int, int]]:
    """(right, total) per label at a setting."""
    items = corpus()
    total: Counter[str] = Counter()
    good: Counter[str] = Counter()
    for trial in trials:
        label = items[trial.index][2]
        total[label] += 1
        good[label] += right(label, trial.decided(setting[1], setting[2]), items[trial.index][1])
    return {label: (good[label], total[label]) for label in sorted(total)}


def misses(trials: list[Trial], setting: Setting) -> list[str]:
    """The items the setting gets wrong: context, label, what was decided and by what."""
    items = corpus()
    lines = []
    for trial in trials:
        text, context, label = items[trial.index]
        name = trial.decided(setting[1], setting[2])
        if not right(label, name, context):
            by = trial.heard.by if trial.heard is not None and name is not None else ""
            lines.append(f"MISS [{context}/{label}] {text} -> {name} {by}")
    return sorted(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.dialogs.tune_intents")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--misses", nargs="?", const="folds", choices=("folds", "corpus"),
                        help="the items missed at the chosen setting (k-fold, or each corpus held back)")
    args = parser.parse_args(argv)
    trials = cross_validate()
    figures, per_corpus = score(trials)
    held_back = cross_validate(split=by_corpus())
    unseen, unseen_per_corpus = score(held_back)
    sizes = [len(corpus([path])) for path in TRAINING_PATHS]
    chosen = choose(figures, sum(sizes))
    best = max(figures, key=figures.__getitem__)
    alone = (chosen[0], 1.0, 1.01)

    def line(name: str, s: Setting, found: Figures = figures, per: Rights = per_corpus) -> str:
        parts = "  ".join(f"{path.name} {per[s][i] / n:.3f}" for i, (path, n) in
                          enumerate(zip(TRAINING_PATHS, sizes, strict=True)))
        return (f"  {name:<18} regularisation {s[0]:g} threshold {s[1]:.2f} overrule {s[2]:.2f}"
                f"  accuracy {found[s]:.3f}  ({parts})")

    print(f"{FOLDS}-fold cross-validation (all corpora together):")
    for regularisation in REGULARISATIONS:
        top = max((s for s in figures if s[0] == regularisation), key=figures.__getitem__)
        print(line(f"best at C={regularisation:g}", top))
    print(line("best", best))
    print(line("chosen (1 SE)", chosen))
    print(line("word lists alone", alone))
    for threshold in THRESHOLDS:
        print(f"    threshold {threshold:.2f}: accuracy {figures[(chosen[0], threshold, chosen[2])]:.3f}")
    print("  by label (chosen): " + "  ".join(
        f"{label} {good}/{n}" for label, (good, n) in by_label(trials[chosen[0]], chosen).items()))
    print("leave-one-corpus-out (each corpus classified by a model of the others; per corpus):")
    print(line("best", max(unseen, key=unseen.__getitem__), unseen, unseen_per_corpus))
    print(line("chosen (k-fold)", chosen, unseen, unseen_per_corpus))
    print(line("word lists alone", alone, unseen, unseen_per_corpus))
    print("  by label (chosen): " + "  ".join(
        f"{label} {good}/{n}" for label, (good, n) in by_label(held_back[chosen[0]], chosen).items()))
    if args.misses:
        print("\n".join(misses((trials if args.misses == "folds" else held_back)[chosen[0]], chosen)))
    if args.write:
        header = ("# The intent classifier's second stage (bot/dialogs/intent_model.py): written by\n"
                  "# `python -m bot.dialogs.tune_intents --write` from cross-validation on\n"
                  "# " + " and ".join(p.name for p in TRAINING_PATHS) + ".\n")
        body = {"threshold": chosen[1], "overrule": chosen[2], "regularisation": chosen[0],
                "cross_validation": {"folds": FOLDS, "items": sum(sizes),
                                     "best_accuracy": round(figures[best], 3),
                                     "chosen_accuracy": round(figures[chosen], 3),
                                     "rules_alone": round(figures[alone], 3)},
                "leave_one_corpus_out": {
                    "chosen_accuracy": round(unseen[chosen], 3),
                    "rules_alone": round(unseen[alone], 3),
                    "per_corpus": {path.name: round(unseen_per_corpus[chosen][i] / n, 3)
                                   for i, (path, n) in enumerate(zip(TRAINING_PATHS, sizes, strict=True))}}}
        MODEL_PATH.write_text(header + yaml.safe_dump(body, sort_keys=False), encoding="utf-8")
        print("written to", MODEL_PATH.name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
