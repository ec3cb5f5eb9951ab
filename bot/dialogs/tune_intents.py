"""`python -m bot.dialogs.tune_intents [--write]`: the intent model's settings, leaving one corpus out.

Each training corpus (`intents_training*.yaml`, each written blind by a different writer) is held
back whole and classified by the word lists and a model trained on the other corpora (plus the
lists' words), at a step of the context the item was written for, and routed by
`bot.routing.decide` — the very function `Engine.route` acts on — so an item is right exactly when
the engine would do what its label asks (`evaluate_intents.accepted`: a command label its command
or flow, report_need also the offer of a report; an answer the running flow; chit-chat idle a
friendly reply; a question the knowledge base idle or the running flow). A corpus held back whole is
wording the model never saw, as the residents' will be: the honest estimate of unseen wording, and
the one the settings are chosen on. (The word lists were grown partly from earlier corpora's
misses, so for those corpora it is still a little kind.)

Every combination of regularisation, threshold (a command or chit-chat the model hears counts from
this probability) and overrule (an answer or question label this sure cancels a listed pattern) is
scored. The chosen one follows the one-standard-error rule: among those within one standard error
of the best accuracy, the highest threshold, then the highest overrule — the model deciding least —
since a command started on a question costs the resident more than a question passed on to the
knowledge base. `--folds` also prints 5-fold cross-validation over all the corpora together (a
model that has seen the held-out item's writer in its other folds: kinder, for comparison).
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
from bot.dialogs.evaluate_intents import CONTEXTS, Case, accepted
from bot.dialogs.intent_model import MODEL_PATH, TRAINING_PATHS, corpus, fit
from bot.dialogs.intents import Intent, trained_intents
from bot.routing import decide
from bot.sessions import FlowState

FOLDS = 5
REGULARISATIONS = (1.0, 3.0, 10.0)
THRESHOLDS = tuple(round(float(t), 2) for t in np.arange(0.2, 1.01, 0.05))
OVERRULES = (0.5, 0.6, 0.7, 0.8, 0.9, 1.01)  # 1.01: a listed pattern always stands
Setting = tuple[float, float, float]  # regularisation, threshold, overrule
_FLOWS = default_flows()
_OFFERED = frozenset(_FLOWS)  # a full configuration: every flow offered


def _step(context: str) -> str | None:
    where = CONTEXTS.get(context)
    return f"{where[0]}:{where[1]}" if where else None


def route(text: str, intent: Intent | None, context: str) -> str:
    """Where the engine sends `text` heard as `intent` at a step of `context` (`decide`)."""
    where = CONTEXTS.get(context)
    state = FlowState(name=where[0], step=where[1]) if where else None
    return decide(text, intent, state, _FLOWS[where[0]] if where else None, _OFFERED)


def right(item: tuple[str, str, str], intent: Intent | None) -> bool:
    """Whether the engine, hearing `intent` in the item, does what the item's label asks."""
    text, context, label = item
    return route(text, intent, context) in accepted(Case(text, label, context, ""))


Figures = dict[Setting, float]
Rights = dict[Setting, Counter[int]]  # right answers per setting and corpus


@dataclass(frozen=True, slots=True)
class Trial:
    """One held-out item, classified by a model of the other folds at the two extremes."""
    index: int  # in `corpus()`
    heard: Intent | None  # every command the model hears; no overrule
    kept: bool  # the decision survives when every listed word may be overruled
    probability: float  # the model's probability for its own label
    if_heard: bool  # right when `heard` is decided
    if_none: bool  # right when nothing is

    def decided(self, threshold: float, overrule: float) -> Intent | None:
        return _decided(self.heard, self.kept, self.probability, threshold, overrule)

    def right(self, threshold: float, overrule: float) -> bool:
        return self.if_heard if self.decided(threshold, overrule) is not None else self.if_none


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
                    Trial(int(i), heard, kept, model.guess(text, context).probability,
                          right(items[i], heard), right(items[i], None)))
    intents.model = shipped
    return trials


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
                    count[source[trial.index]] += trial.right(threshold, overrule)
    return {s: sum(c.values()) / len(items) for s, c in rights.items()}, rights


def _decided(heard: Intent | None, kept: bool, probability: float, threshold: float,
             overrule: float) -> Intent | None:
    """What `Intents.classify` decides at this threshold and overrule, from two runs at the
    extremes (every guess counts / every listed word the model can overrule is) and the model's
    probability: the settings change the outcome only through that probability."""
    if heard is None:
        return None
    if heard.guessed:
        return heard if probability >= threshold else None
    if not kept:  # a listed word the model takes for an answer or a question
        return None if probability >= overrule else heard
    return heard


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
        good[label] += trial.right(setting[1], setting[2])
    return {label: (good[label], total[label]) for label in sorted(total)}


def misses(trials: list[Trial], setting: Setting) -> list[str]:
    """The items the setting gets wrong: context, label, what was decided and by what."""
    items = corpus()
    lines = []
    for trial in trials:
        text, context, label = items[trial.index]
        decided = trial.decided(setting[1], setting[2])
        if not trial.right(setting[1], setting[2]):
            by = decided.by if decided is not None else ""
            lines.append(f"MISS [{context}/{label}] {text} -> {route(text, decided, context)} {by}")
    return sorted(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.dialogs.tune_intents")
    parser.add_argument("--write", action="store_true")
    parser.add_argument("--misses", nargs="?", const="corpus", choices=("corpus", "folds"),
                        help="the items missed at the chosen setting (each corpus held back, or k-fold)")
    parser.add_argument("--folds", action="store_true", help="also 5-fold cross-validation, for comparison")
    parser.add_argument("--regularisations", type=float, nargs="+", default=list(REGULARISATIONS))
    args = parser.parse_args(argv)
    regularisations = tuple(args.regularisations)
    held_back = cross_validate(regularisations, split=by_corpus())
    unseen, unseen_per_corpus = score(held_back)
    sizes = [len(corpus([path])) for path in TRAINING_PATHS]
    chosen = choose(unseen, sum(sizes))
    best = max(unseen, key=unseen.__getitem__)
    alone = (chosen[0], 1.0, 1.01)

    def line(name: str, s: Setting, found: Figures = unseen, per: Rights = unseen_per_corpus) -> str:
        parts = "  ".join(f"{path.name} {per[s][i] / n:.3f}" for i, (path, n) in
                          enumerate(zip(TRAINING_PATHS, sizes, strict=True)))
        return (f"  {name:<18} regularisation {s[0]:g} threshold {s[1]:.2f} overrule {s[2]:.2f}"
                f"  accuracy {found[s]:.3f}  ({parts})")

    print("leave-one-corpus-out (each corpus classified by a model of the others; per corpus):")
    for regularisation in regularisations:
        top = max((s for s in unseen if s[0] == regularisation), key=unseen.__getitem__)
        print(line(f"best at C={regularisation:g}", top))
    print(line("best", best))
    print(line("chosen (1 SE)", chosen))
    print(line("word lists alone", alone))
    for threshold in THRESHOLDS:
        print(f"    threshold {threshold:.2f}: accuracy {unseen[(chosen[0], threshold, chosen[2])]:.3f}")
    print("  by label (chosen): " + "  ".join(
        f"{label} {good}/{n}" for label, (good, n) in by_label(held_back[chosen[0]], chosen).items()))
    trials = cross_validate(regularisations) if args.folds or args.misses == "folds" else None
    if trials is not None:
        figures, per_corpus = score(trials)
        print(f"{FOLDS}-fold cross-validation (all corpora together), for comparison:")
        print(line("best", max(figures, key=figures.__getitem__), figures, per_corpus))
        print(line("chosen", chosen, figures, per_corpus))
        print("  by label (chosen): " + "  ".join(
            f"{label} {good}/{n}" for label, (good, n) in by_label(trials[chosen[0]], chosen).items()))
    if args.misses:
        shown = trials if args.misses == "folds" and trials is not None else held_back
        print("\n".join(misses(shown[chosen[0]], chosen)))
    if args.write:
        header = ("# The intent classifier's second stage (bot/dialogs/intent_model.py): written by\n"
                  "# `python -m bot.dialogs.tune_intents --write`, leaving one corpus out of\n"
                  "# " + " and ".join(p.name for p in TRAINING_PATHS) + ".\n")
        body = {"threshold": chosen[1], "overrule": chosen[2], "regularisation": chosen[0],
                "leave_one_corpus_out": {
                    "items": sum(sizes),
                    "best_accuracy": round(unseen[best], 3),
                    "chosen_accuracy": round(unseen[chosen], 3),
                    "rules_alone": round(unseen[alone], 3),
                    "per_corpus": {path.name: round(unseen_per_corpus[chosen][i] / n, 3)
                                   for i, (path, n) in enumerate(zip(TRAINING_PATHS, sizes, strict=True))}}}
        MODEL_PATH.write_text(header + yaml.safe_dump(body, sort_keys=False), encoding="utf-8")
        print("written to", MODEL_PATH.name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
