"""Choosing the second stage's threshold and veto on the training corpora, held back (`tune`).

Each corpus item is scored by a model that did not see it, trained on the rest plus the cue
file's examples, as the net would score a message it has never seen, in two ways: leaving one
corpus out (trained on the other writers' corpora, tested on the held-back writer's) and 5-fold
cross-validation over all the corpora together (stratified, fixed seed). The first chooses: a
new writer's wording is what the net meets in use, and the k-fold split, where every fold has
items of every writer, flattered the held-out figures (README). A message counts as heard when a
cue stands and the model does not overrule it (log-odds with the standing cue below the veto),
or when no cue stands and its score reaches the threshold. The chosen threshold is the highest
threshold and veto are the pair with the fewest held-back false alarms whose held-back recall is
at least the recall target (`choose`: the target bounds what the veto may cost; `choose_veto`,
the highest veto that costs no held-back danger message at all, is what `tune` reports beside).
`python -m bot.safety tune --write` stores both, with both sets of figures, in model.yaml.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import yaml
from sklearn.model_selection import StratifiedKFold

from bot.safety.detector import Detector
from bot.safety.model import (
    EVIDENCE,
    MODEL_PATH,
    TRAINING_PATHS,
    corpus,
    examples,
    fit,
    rows_for,
    training_items,
)

# The recall target (README: what it costs in false alarms, held back by corpus).
RECALL_TARGET = 0.98
FOLDS = 5
THRESHOLDS = np.arange(-4.0, 2.01, 0.25)
# Above 0 the model would overrule a cue where it finds danger likelier than not.
VETOES = np.arange(-4.0, 0.01, 0.5)


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
    forms: tuple[str, ...] = ()  # the writer's form of each item (pinyin, voice …), for `by_form`

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


def cross_validate(rules: Detector, regularisation: float, folds: int = FOLDS, by_corpus: bool = False
                   ) -> Scores:
    """Every corpus item scored by a model that did not see it: trained on the other `folds` folds
    or, `by_corpus`, on the other corpora (leave one corpus out), always with the cue file's examples."""
    items, source, forms = [], [], []
    for path in TRAINING_PATHS:
        found = corpus((path,))
        items += found
        source += [path.name] * len(found)
        forms += [str(i.get("form", "")) for i in training_items(path)]
    names = np.array(source)
    rows = rows_for(rules, items)
    extra = rows_for(rules, examples(rules.book, rules))
    labels = np.array([danger for _, danger, _ in items])
    free = np.zeros(len(items))
    standing = np.zeros(len(items))
    if by_corpus:
        splits = [(np.flatnonzero(names != name), np.flatnonzero(names == name))
                  for name in dict.fromkeys(source)]
    else:
        split = StratifiedKFold(folds, shuffle=True, random_state=0)
        splits = list(split.split(np.zeros(len(items)), labels))
    for train_index, test_index in splits:
        model = fit([rows[i] for i in train_index] + extra, regularisation, 0.0)
        for i in test_index:
            features = rows[i][0] - {"cue:stands"}
            strong = model.evidence(features) >= EVIDENCE
            free[i] = model.score(features) if strong else -np.inf
            standing[i] = model.score(rows[i][0])
    stands = np.array(["cue:stands" in features for features, _, _ in rows])
    return Scores(free, standing, stands, labels, names, tuple(t for t, _, _ in items),
                  tuple(c for _, _, c in items), tuple(forms))


def point(scores: Scores, threshold: float, veto: float | None) -> Point:
    heard, labels = scores.heard(threshold, veto), scores.labels
    model = scores.free >= threshold
    by_corpus = tuple((name, float(heard[(scores.source == name) & labels].mean()),
                       float(heard[(scores.source == name) & ~labels].mean()))
                      for name in dict.fromkeys(scores.source.tolist()))
    return Point(round(float(threshold), 2), None if veto is None else round(float(veto), 2),
                 float(heard[labels].mean()), float(heard[~labels].mean()),
                 float(model[labels].mean()), float(model[~labels].mean()), by_corpus)


def by_form(scores: Scores, chosen: Point) -> str:
    """Held-back recall and false alarms at `chosen` for each form the writers gave (pinyin …)."""
    heard = scores.heard(chosen.threshold, chosen.veto)
    forms = np.array(scores.forms)
    parts = []
    for form in sorted(set(scores.forms)):
        danger, alike = (forms == form) & scores.labels, (forms == form) & ~scores.labels
        parts.append(f"{form or '-'} {int(heard[danger].sum())}/{int(danger.sum())}"
                     f" false {int(heard[alike].sum())}/{int(alike.sum())}")
    return "by form, held back (danger heard; look-alikes raised): " + "  ".join(parts)


def curve(scores: Scores, veto: float | None = None) -> list[Point]:
    return [point(scores, t, veto) for t in THRESHOLDS]


def choose(scores: Scores, target: float = RECALL_TARGET) -> Point:
    """The threshold and veto with the fewest held-back false alarms among those whose held-back
    recall reaches `target` (ties: the higher recall, then the safer side, the lower veto and the
    lower threshold); when none reaches it, the highest recall. The recall target bounds what the
    veto may cost too: held back by corpus, only no veto at all costs no danger message (a gas
    leak told inside a question about 临时救助 scores far below any veto with its cue standing),
    so "a veto that never costs one" would mean none, and twice the false alarms."""
    points = [point(scores, t, v) for t in THRESHOLDS for v in (None, *VETOES)]
    good = [p for p in points if p.recall >= target]
    if not good:
        return max(points, key=lambda p: (p.recall, -p.false_alarms))
    return min(good, key=lambda p: (p.false_alarms, -p.recall, -np.inf if p.veto is None else p.veto,
                                    p.threshold))


def choose_veto(scores: Scores, threshold: float) -> Point:
    """At `threshold`, the highest veto under which every held-back danger message heard without
    a veto is still heard (none: no veto)."""
    without = scores.heard(threshold, None) & scores.labels
    safe = [v for v in VETOES if not (without & ~scores.heard(threshold, v)).any()]
    return point(scores, threshold, max(safe) if safe else None)


def _figures(p: Point) -> dict[str, object]:
    return {"recall": round(p.recall, 3), "false_alarms": round(p.false_alarms, 3),
            "by_corpus": {name: {"recall": round(r, 3), "false_alarms": round(f, 3)}
                          for name, r, f in p.by_corpus}}


def write(point: Point, folded: Point, regularisation: float, points: list[Point], folded_points: list[Point],
          target: float, path: Path = MODEL_PATH) -> None:
    """Store the chosen point (`point`: leave one corpus out) with `folded`, the same point 5-fold."""
    header = ("# The safety net's second stage (bot/safety/model.py): written by\n"
              "# `python -m bot.safety tune --write`, chosen by leaving one training corpus out.\n")
    body = {"threshold": point.threshold, "veto": point.veto, "regularisation": regularisation,
            "recall_target": target,
            "leave_one_corpus_out": _figures(point),
            "cross_validation": {"folds": FOLDS, **_figures(folded)},
            "curve": [f"{p.threshold:+.2f}: one corpus out recall {p.recall:.3f} false alarms "
                      f"{p.false_alarms:.3f}; {FOLDS}-fold {q.recall:.3f} / {q.false_alarms:.3f}"
                      for p, q in zip(points, folded_points, strict=True)]}
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


def report(points: list[Point], folded_points: list[Point], chosen: Point, folded: Point, target: float,
           scores: Scores | None = None) -> list[str]:
    """The curve by leaving one corpus out beside the 5-fold one, and the chosen point in both."""
    lines = [f"threshold  (veto {chosen.veto}) one corpus out: recall  false alarms  | {FOLDS}-fold: recall"
             "  false alarms  | model alone, one corpus out: recall  false alarms"]
    for p, q in zip(points, folded_points, strict=True):
        mark = "  <- chosen" if p.threshold == chosen.threshold else ""
        lines.append(f"  {p.threshold:+.2f}   {p.recall:.3f}  {p.false_alarms:.3f}   |   {q.recall:.3f}  "
                     f"{q.false_alarms:.3f}   |   {p.model_recall:.3f}  {p.model_false_alarms:.3f}{mark}")
    for name, p in (("leaving one corpus out", chosen), (f"{FOLDS}-fold", folded)):
        lines.append(f"chosen threshold {chosen.threshold:+.2f}, veto {chosen.veto}, {name}: recall "
                     f"{p.recall:.3f}, false alarms {p.false_alarms:.3f} (recall target {target}); "
                     + "; ".join(f"{n} {r:.3f} / {f:.3f}" for n, r, f in p.by_corpus))
    if scores is not None:
        lines.append(f"cues alone: recall {scores.stands[scores.labels].mean():.3f}, false alarms "
                     f"{scores.stands[~scores.labels].mean():.3f}")
    return lines
