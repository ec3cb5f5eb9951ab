"""`python -m bot.dialogs.tune_intents [--write]`: the intent model's threshold by cross-validation.

Each fold of the training corpus is classified by the word lists and a model trained on the other
folds (plus the lists' words), at a step of the context the item was written for; an item is right
when a command label gets that intent and any other label (answer, question, chit-chat) gets no
command. The chosen threshold follows the one-standard-error rule: the highest threshold whose
cross-validated accuracy is within one standard error of the best, since a command started on a
question costs the resident more than a question passed on to the knowledge base.
"""

from __future__ import annotations

import argparse
import math
from dataclasses import replace

import numpy as np
import yaml
from sklearn.model_selection import StratifiedKFold

from bot.dialogs.evaluate_intents import CONTEXTS
from bot.dialogs.intent_model import MODEL_PATH, NOT_COMMANDS, corpus, fit, settings
from bot.dialogs.intents import trained_intents

FOLDS = 5
THRESHOLDS = tuple(round(float(t), 2) for t in np.arange(0.2, 1.01, 0.05))


def _contexts() -> list[str]:
    raw = yaml.safe_load(MODEL_PATH.with_name("intents_training.yaml").read_text(encoding="utf-8"))
    return [str(i["context"]) for i in raw]


def _step(context: str) -> str | None:
    where = CONTEXTS.get(context)
    return f"{where[0]}:{where[1]}" if where else None


def accuracy_by_threshold(regularisation: float) -> dict[float, float]:
    intents = trained_intents()
    items = corpus()
    contexts = _contexts()
    labels = np.array([label for _, _, label in items])
    right = {t: 0 for t in THRESHOLDS}
    split = StratifiedKFold(FOLDS, shuffle=True, random_state=0)
    for train_index, test_index in split.split(np.zeros(len(items)), labels):
        model = fit([items[i] for i in train_index] + intents.examples(), regularisation, 0.0)
        for i in test_index:
            text, _, label = items[i]
            step = _step(contexts[i])
            for threshold in THRESHOLDS:
                intents.model = replace(model, threshold=threshold)
                got = intents.classify(text, step)
                name = got.name if got is not None else None
                ok = name == label if label not in NOT_COMMANDS else name in (None, "chit_chat")
                right[threshold] += ok
    return {t: right[t] / len(items) for t in THRESHOLDS}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.dialogs.tune_intents")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    regularisation = float(settings()["regularisation"])
    shipped = trained_intents().model
    figures = accuracy_by_threshold(regularisation)
    best = max(figures.values())
    error = math.sqrt(best * (1 - best) / len(corpus()))
    chosen = max(t for t, a in figures.items() if a >= best - error)
    for threshold, accuracy in figures.items():
        print(f"  threshold {threshold:.2f}  cross-validated accuracy {accuracy:.3f}"
              + ("  <- chosen" if threshold == chosen else "")
              + ("  (1.00: the word lists alone)" if threshold == 1.0 else ""))
    trained_intents().model = shipped
    if args.write:
        header = ("# The intent classifier's second stage (bot/dialogs/intent_model.py): written by\n"
                  "# `python -m bot.dialogs.tune_intents --write` from cross-validation on\n"
                  "# intents_training.yaml.\n")
        body = {"threshold": chosen, "regularisation": regularisation,
                "cross_validation": {"folds": FOLDS, "best_accuracy": round(best, 3),
                                     "chosen_accuracy": round(figures[chosen], 3),
                                     "rules_alone": round(figures[1.0], 3)}}
        MODEL_PATH.write_text(header + yaml.safe_dump(body, sort_keys=False), encoding="utf-8")
        print("written to", MODEL_PATH.name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
