"""Choosing the second stage's threshold by cross-validation on the training corpus (`tune`).

The corpus is split into folds (stratified, fixed seed); each fold is scored by a model trained
on the other folds plus the cue file's examples, as the net would score a message it has never
seen. A message counts as heard when a cue stands or its score reaches the threshold; the chosen
threshold is the highest one (the fewest false alarms) whose recall on the held-back folds is at
least RECALL_TARGET. `python -m bot.safety tune --write` stores it, with the figures, in model.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from sklearn.model_selection import StratifiedKFold

from bot.safety.detector import Detector
from bot.safety.model import EVIDENCE, MODEL_PATH, corpus, examples, fit, rows_for

RECALL_TARGET = 0.95  # see README: 0.98 costs 12 % false alarms on the development set (gate 5 %)
FOLDS = 5


@dataclass(frozen=True, slots=True)
class Point:
    threshold: float
    recall: float
    false_alarms: float
    model_recall: float  # the model alone, without the cues
    model_false_alarms: float


def cross_validate(rules: Detector, regularisation: float, folds: int = FOLDS
                   ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(held-back score, a cue stands, is danger) for every corpus item; the score of an item
    without an n-gram of EVIDENCE weight is -inf (the model does not decide it)."""
    items = corpus()
    rows = rows_for(rules, items)
    extra = rows_for(rules, examples(rules.book))
    labels = np.array([danger for _, danger, _ in items])
    stands = np.array(["cue:stands" in features for features, _, _ in rows])
    scores = np.zeros(len(items))
    split = StratifiedKFold(folds, shuffle=True, random_state=0)
    for train_index, test_index in split.split(np.zeros(len(items)), labels):
        model = fit([rows[i] for i in train_index] + extra, regularisation, 0.0)
        for i in test_index:
            features = rows[i][0] - {"cue:stands"}
            strong = model.evidence(features) >= EVIDENCE
            scores[i] = model.score(features) if strong else -np.inf
    return scores, stands, labels


def curve(scores: np.ndarray, stands: np.ndarray, labels: np.ndarray) -> list[Point]:
    points = []
    for threshold in np.arange(-4.0, 2.01, 0.25):
        model = scores >= threshold
        heard = model | stands
        points.append(Point(round(float(threshold), 2), float(heard[labels].mean()),
                            float(heard[~labels].mean()), float(model[labels].mean()),
                            float(model[~labels].mean())))
    return points


def choose(points: list[Point], target: float = RECALL_TARGET) -> Point:
    good = [p for p in points if p.recall >= target]
    return max(good, key=lambda p: p.threshold) if good else min(points, key=lambda p: p.threshold)


def write(point: Point, regularisation: float, points: list[Point], target: float,
          path: Path = MODEL_PATH) -> None:
    header = ("# The safety net's second stage (bot/safety/model.py): written by\n"
              "# `python -m bot.safety tune --write` from cross-validation on training.yaml.\n")
    body = {"threshold": point.threshold, "regularisation": regularisation,
            "cross_validation": {"folds": FOLDS, "recall_target": target,
                                 "recall": round(point.recall, 3),
                                 "false_alarms": round(point.false_alarms, 3)},
            "curve": [f"{p.threshold:+.2f}: recall {p.recall:.3f} false alarms {p.false_alarms:.3f}"
                      for p in points]}
    path.write_text(header + yaml.safe_dump(body, allow_unicode=True, sort_keys=False), encoding="utf-8")


def report(points: list[Point], chosen: Point, target: float) -> list[str]:
    lines = ["threshold  cues+model: recall  false alarms  | model alone: recall  false alarms"]
    for p in points:
        mark = "  <- chosen" if p == chosen else ""
        lines.append(f"  {p.threshold:+.2f}   {p.recall:.3f}  {p.false_alarms:.3f}"
                     f"   |   {p.model_recall:.3f}  {p.model_false_alarms:.3f}{mark}")
    lines.append(f"chosen threshold {chosen.threshold:+.2f}: cross-validated recall {chosen.recall:.3f}, "
                 f"false alarms {chosen.false_alarms:.3f} ({FOLDS} folds, recall target {target})")
    return lines


