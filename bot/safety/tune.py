"""Choosing the second stage's threshold and veto by cross-validation on the training corpora (`tune`).

The corpora (three, by three independent writers) are split into folds together (stratified, fixed
seed); each fold is scored by a model trained on the other folds plus the cue file's examples, as
the net would score a message it has never seen. A message counts as heard when a cue stands and
the model does not overrule it (log-odds with the standing cue below the veto), or when no cue
stands and its score reaches the threshold. The chosen threshold is the highest one (the fewest
false alarms) whose recall on the held-back folds is at least the recall target; the veto, the
highest one at that threshold that costs no held-back danger message at all (a cue is hand-written
safety: the model may only overrule it where that never lost a danger message). `python -m
bot.safety tune --write` stores both, with the figures, in model.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from sklearn.model_selection import StratifiedKFold

from bot.safety.detector import Detector
from bot.safety.model import EVIDENCE, MODEL_PATH, TRAINING_PATHS, corpus, examples, fit, rows_for

# See README: 0.98 (the issue's) costs 6 % false alarms on the development set (gate 5 %).
RECALL_TARGET = 0.98
FOLDS = 5
THRESHOLDS = np.arange(-4.0, 2.01, 0.25)
VETOES = np.arange(-4.0, 2.01, 0.5)


@dataclass(frozen=True, slots=True)
class Scores:
    """Every corpus item's held-back scores (-inf: no n-gram of EVIDENCE weight, the model does
    not decide it), whether a cue stands on it, its label and which corpus it is from."""

    free: np.ndarray  # without the standing cue: what decides when none stands
    standing: np.ndarray  # with it: what the veto is compared with
    stands: np.ndarray
    labels: np.ndarray
    source: np.ndarray
    texts: tuple[str, ...] = ()  # for reading the held-back misses (`tune -v`)
    categories: tuple[str, ...] = ()

    def heard(self, threshold: float, veto: float | None) -> np.ndarray:
        kept = self.stands if veto is None else self.stands & (self.standing >= veto)
        return kept | (self.free >= threshold)


@dataclass(frozen=True, slots=True)
class Point:
    threshold: float
    veto: float | None
    recall: float
    false_alarms: float
    model_recall: float  # the model alone, without the cues
    model_false_alarms: float
    by_corpus: tuple[tuple[str, float, float], ...] = ()  # (file, recall, false alarms)


def cross_validate(rules: Detector, regularisation: float, folds: int = FOLDS) -> Scores:
    items, source = [], []
    for path in TRAINING_PATHS:
        found = corpus((path,))
        items += found
        source += [path.name] * len(found)
    rows = rows_for(rules, items)
    extra = rows_for(rules, examples(rules.book, rules))
    labels = np.array([danger for _, danger, _ in items])
    free = np.zeros(len(items))
    standing = np.zeros(len(items))
    split = StratifiedKFold(folds, shuffle=True, random_state=0)
    for train_index, test_index in split.split(np.zeros(len(items)), labels):
        model = fit([rows[i] for i in train_index] + extra, regularisation, 0.0)
        for i in test_index:
            features = rows[i][0] - {"cue:stands"}
            strong = model.evidence(features) >= EVIDENCE
            free[i] = model.score(features) if strong else -np.inf
            standing[i] = model.score(rows[i][0])
    stands = np.array(["cue:stands" in features for features, _, _ in rows])
    return Scores(free, standing, stands, labels, np.array(source), tuple(t for t, _, _ in items),
                  tuple(c for _, _, c in items))


def point(scores: Scores, threshold: float, veto: float | None) -> Point:
    heard, labels = scores.heard(threshold, veto), scores.labels
    model = scores.free >= threshold
    by_corpus = tuple((name, float(heard[(scores.source == name) & labels].mean()),
                       float(heard[(scores.source == name) & ~labels].mean()))
                      for name in dict.fromkeys(scores.source.tolist()))
    return Point(round(float(threshold), 2), None if veto is None else round(float(veto), 2),
                 float(heard[labels].mean()), float(heard[~labels].mean()),
                 float(model[labels].mean()), float(model[~labels].mean()), by_corpus)


def curve(scores: Scores, veto: float | None = None) -> list[Point]:
    return [point(scores, t, veto) for t in THRESHOLDS]


def choose(points: list[Point], target: float = RECALL_TARGET) -> Point:
    good = [p for p in points if p.recall >= target]
    return max(good, key=lambda p: p.threshold) if good else min(points, key=lambda p: p.threshold)


def choose_veto(scores: Scores, threshold: float) -> Point:
    """At `threshold`, the highest veto under which every held-back danger message heard without
    a veto is still heard (none: no veto)."""
    without = scores.heard(threshold, None) & scores.labels
    safe = [v for v in VETOES if not (without & ~scores.heard(threshold, v)).any()]
    return point(scores, threshold, max(safe) if safe else None)


def write(point: Point, regularisation: float, points: list[Point], target: float,
          path: Path = MODEL_PATH) -> None:
    header = ("# The safety net's second stage (bot/safety/model.py): written by\n"
              "# `python -m bot.safety tune --write` from cross-validation on the training corpora.\n")
    body = {"threshold": point.threshold, "veto": point.veto, "regularisation": regularisation,
            "cross_validation": {"folds": FOLDS, "recall_target": target,
                                 "recall": round(point.recall, 3),
                                 "false_alarms": round(point.false_alarms, 3),
                                 "by_corpus": {name: {"recall": round(r, 3), "false_alarms": round(f, 3)}
                                               for name, r, f in point.by_corpus}},
            "curve": [f"{p.threshold:+.2f}: recall {p.recall:.3f} false alarms {p.false_alarms:.3f}"
                      for p in points]}
    path.write_text(header + yaml.safe_dump(body, allow_unicode=True, sort_keys=False), encoding="utf-8")


def mistakes(scores: Scores, chosen: Point) -> list[str]:
    """The held-back danger messages the net missed and the look-alikes it raised at `chosen`,
    by corpus: what to read when improving the cues, the modifiers or the features."""
    heard = scores.heard(chosen.threshold, chosen.veto)
    wrong = np.flatnonzero(heard != scores.labels)
    return [f"{'MISS ' if scores.labels[i] else 'FALSE'} [{scores.source[i]}/{scores.categories[i] or '-'}]"
            f" {'cue' if scores.stands[i] else 'no cue'}, free {scores.free[i]:+.2f} standing "
            f"{scores.standing[i]:+.2f}: {scores.texts[i]}"
            for i in sorted(wrong, key=scores.source.__getitem__)]


def report(points: list[Point], chosen: Point, target: float, scores: Scores | None = None) -> list[str]:
    lines = [f"threshold  cues+model (veto {chosen.veto}): recall  false alarms"
             "  | model alone: recall  false alarms"]
    for p in points:
        mark = "  <- chosen" if p.threshold == chosen.threshold else ""
        lines.append(f"  {p.threshold:+.2f}   {p.recall:.3f}  {p.false_alarms:.3f}"
                     f"   |   {p.model_recall:.3f}  {p.model_false_alarms:.3f}{mark}")
    lines.append(f"chosen threshold {chosen.threshold:+.2f}, veto {chosen.veto}: cross-validated recall "
                 f"{chosen.recall:.3f}, false alarms {chosen.false_alarms:.3f} ({FOLDS} folds, recall target "
                 f"{target}); " + "; ".join(f"{name} {r:.3f} / {f:.3f}" for name, r, f in chosen.by_corpus))
    if scores is not None:
        lines.append(f"cues alone: recall {scores.stands[scores.labels].mean():.3f}, false alarms "
                     f"{scores.stands[~scores.labels].mean():.3f}")
    return lines
