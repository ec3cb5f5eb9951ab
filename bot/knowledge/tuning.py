"""Fit the matcher's weights and thresholds by cross-validation on the training corpus.

The training corpus's questions become out-of-fold samples (samples.py): each question's
shortlist and labelled feature rows as they come from an index whose need classifier did not
learn it, as a new resident's question does to the shipped index. A logistic regression
(scikit-learn) on those rows gives calibrated probabilities; the answer/clarify/referral
thresholds are then chosen by a grid search of a utility (right answers, options offered, minus
wrong answers) held within the issue's limits on wrong answers and out-of-scope questions
answered. The weight of a corpus question in the classifier is chosen from a small grid the same
way, by the one-standard-error rule: the smallest weight whose cross-validated utility is within one
standard error of the best. The folds measure corpus-style questions only, so they favour a heavier
corpus, which crowds out the entries' own phrasings in the need classifier (its complement-size
term penalises the needs the corpus asks most, e.g. a plain "低保咋个申请" read as 医保); a heavier
weight is taken only when it is better beyond the noise of the estimate.

The reported figures are cross-validated: each fold is decided by a model and thresholds fitted
on the other folds. The development sets are not used here; they measure the result
(`python -m bot.knowledge eval`).
"""

from __future__ import annotations

import dataclasses
import itertools
from dataclasses import dataclass

import numpy as np
from sklearn.linear_model import LogisticRegression

from bot.knowledge.answer import CLARIFY_OPTIONS, EXACT
from bot.knowledge.calibration import DECISION, FEATURES, Linear, Model, Thresholds, decision_row
from bot.knowledge.samples import FOLDS, Sample, folds, out_of_fold_samples
from bot.knowledge.snapshot import Snapshot

REGULARISATION = 1.0  # inverse strength (C) of the logistic regression's L2 penalty
WRONG_COST = 1.75
WRONG_MAX = 0.08  # wrong answers beyond this share are penalised as well
OUTSIDE_ANSWERED_MAX = 0.05
PENALTY = 20.0
OFFERED_VALUE = 0.4
GRID_ANSWER = np.round(np.arange(0.10, 0.95, 0.025), 3)
GRID_CLARIFY = np.round(np.arange(0.02, 0.60, 0.02), 3)
GRID_REFERRAL = np.round(np.arange(0.20, 0.95, 0.05), 3)
OPTION = 0.05
GRID_TRAINING_WEIGHT = (1.0, 2.0, 3.0, 4.0)


def calibrate(snapshot: Snapshot) -> Model:
    """Training weight, candidate and decision models and thresholds, all by cross-validation.

    For each training weight of the grid the out-of-fold samples are cross-validated; the smallest
    weight within one standard error of the best utility wins (`one_standard_error`), and the
    shipped model is fitted on all its samples.
    """
    tried: list[tuple[float, float, float, list[Sample], dict[str, dict[str, float]]]] = []
    for weight in GRID_TRAINING_WEIGHT:
        found = out_of_fold_samples(snapshot, float(weight))
        labels, outside = cross_decisions(found)
        score, error = utility_of(found, labels), standard_error(labels)
        tried.append((float(weight), score, error, found, shares(found, labels, outside)))
    pick = one_standard_error([(score, error) for _, score, error, _, _ in tried])
    weight, _, _, found, cross = tried[pick]
    model = fit(found)
    report = {
        "folds": FOLDS,
        "questions": len(found),
        "training_weight_grid": list(map(float, GRID_TRAINING_WEIGHT)),
        "training_weight_utility": [[round(score, 4), round(error, 4)] for _, score, error, _, _ in tried],
        "cross_validated": cross,
    }
    return dataclasses.replace(model, report=report, training_weight=weight)


def _logistic(rows: np.ndarray, labels: np.ndarray) -> Linear:
    if len(set(labels.tolist())) < 2:  # nothing to learn from (a tiny set): a neutral model
        return Linear(tuple(0.0 for _ in range(rows.shape[1])), 0.0)
    model = LogisticRegression(C=REGULARISATION, max_iter=5000).fit(rows, labels)
    return Linear(tuple(float(w) for w in model.coef_[0]), float(model.intercept_[0]))


def fit_candidates(train: list[Sample]) -> Linear:
    rows = np.vstack([s.rows for s in train if len(s.rows)])
    labels = np.concatenate([s.labels for s in train if len(s.rows)])
    return _logistic(rows, labels)


@dataclass(frozen=True, slots=True)
class Summary:
    """What the decision needs of each sample under one candidate model (arrays over samples)."""

    rows: np.ndarray  # decision rows (calibration.DECISION)
    best: np.ndarray  # score of the best entry
    best_right: np.ndarray
    offer: np.ndarray  # best score of a right entry among the options, else 0
    out_of_scope: np.ndarray  # the label
    vague: np.ndarray
    exact: np.ndarray  # the best entry has a phrasing said exactly so
    group: np.ndarray


def summarise(candidates: Linear, group: list[Sample]) -> Summary:
    rows, best, best_right, offer, exact = [], [], [], [], []
    for s in group:
        p = candidates.probability(s.rows) if len(s.rows) else np.zeros(0)
        order = np.argsort(-p, kind="stable")
        entries = [i for i in order if not s.referral[i]]
        referrals = [i for i in order if s.referral[i]]
        top = p[entries[0]] if entries else 0.0
        first = entries[0] if entries else 0
        cues = (
            dict(zip(FEATURES, s.rows[first], strict=True)) if len(s.rows) else dict.fromkeys(FEATURES, 0.0)
        )
        rows.append(
            decision_row(
                top,
                p[entries[1]] if len(entries) > 1 else 0.0,
                p[referrals[0]] if referrals else 0.0,
                cues,
                s.clauses,
                s.outside_read,
            )
        )
        best.append(top)
        exact.append(cues["ratio"] >= EXACT)
        best_right.append(bool(entries) and bool(s.labels[entries[0]]))
        offer.append(max((p[i] for i in entries[:CLARIFY_OPTIONS] if s.labels[i]), default=0.0))
    return Summary(
        np.asarray(rows).reshape(len(group), len(DECISION)),
        np.asarray(best),
        np.asarray(best_right, bool),
        np.asarray(offer),
        np.asarray([s.case.out_of_scope for s in group], bool),
        np.asarray([s.vague for s in group], bool),
        np.asarray(exact, bool),
        np.asarray([s.group for s in group]),
    )


def decisions(model: Model, summary: Summary) -> tuple[np.ndarray, np.ndarray]:
    """The outcome label of each sample, and whether it was flagged out of scope."""
    t = model.thresholds
    confidence = model.right.probability(summary.rows)
    outside = (model.outside.probability(summary.rows) >= t.referral) & (summary.best > 0)
    sure = (confidence >= t.answer) & (~summary.vague | summary.exact)
    answered = ~outside & sure & (summary.best > 0)
    clarified = ~outside & ~answered & (confidence >= t.clarify)
    labels = np.full(len(summary.best), "fallback", dtype=object)
    labels[answered & summary.best_right] = "right"
    labels[answered & ~summary.best_right] = "wrong"
    labels[clarified & (summary.offer >= t.option)] = "offered"
    labels[summary.out_of_scope] = "not answered"
    labels[summary.out_of_scope & answered] = "answered"
    return labels, outside


def utility(model: Model, summary: Summary) -> float:
    """Mean over the dev sets of the value of the decisions, within the issue's error limits.

    A right answer counts 1, a right option offered OFFERED_VALUE, a wrong answer (or an
    out-of-scope question answered) -WRONG_COST; shares beyond WRONG_MAX / OUTSIDE_ANSWERED_MAX
    cost PENALTY each, so the chosen thresholds answer as much as those limits allow.
    """
    return _utility(decisions(model, summary)[0], summary)


def _utility(labels: np.ndarray, summary: Summary) -> float:
    values = []
    for group in np.unique(summary.group):
        mine = summary.group == group
        inside, outside = labels[mine & ~summary.out_of_scope], labels[mine & summary.out_of_scope]
        right, offered, wrong = (
            (inside == k).mean() if len(inside) else 0.0 for k in ("right", "offered", "wrong")
        )
        answered = (outside == "answered").mean() if len(outside) else 0.0
        excess = max(0.0, wrong - WRONG_MAX) + max(0.0, answered - OUTSIDE_ANSWERED_MAX)
        share_inside = len(inside) / max(int(mine.sum()), 1)  # per question: OOS weigh by their number
        gain = share_inside * (right + OFFERED_VALUE * offered - WRONG_COST * wrong)
        values.append(gain - (1 - share_inside) * WRONG_COST * answered - PENALTY * excess)
    return float(np.mean(values))


def fit(train: list[Sample]) -> Model:
    candidates = fit_candidates(train)
    summary = summarise(candidates, train)
    right = _logistic(summary.rows, summary.best_right & ~summary.out_of_scope)
    outside = _logistic(summary.rows, summary.out_of_scope)
    best, chosen = -np.inf, Model(candidates, right, outside)
    for answer, referral in itertools.product(GRID_ANSWER, GRID_REFERRAL):
        for clarify in GRID_CLARIFY[answer > GRID_CLARIFY]:
            model = Model(
                candidates, right, outside, Thresholds(float(answer), float(clarify), OPTION, float(referral))
            )
            score = utility(model, summary)
            if score > best:
                best, chosen = score, model
    return chosen


def cross_decisions(all_samples: list[Sample], count: int = FOLDS) -> tuple[np.ndarray, np.ndarray]:
    """Each sample's outcome, decided by a model fitted on the other folds."""
    fold_of = np.asarray(folds(all_samples, count))
    labels = np.empty(len(all_samples), dtype=object)
    outside = np.zeros(len(all_samples), bool)
    for fold in range(count):
        train = [s for s, f in zip(all_samples, fold_of, strict=True) if f != fold]
        test = [s for s, f in zip(all_samples, fold_of, strict=True) if f == fold]
        model = fit(train)
        labels[fold_of == fold], outside[fold_of == fold] = decisions(
            model, summarise(model.candidates, test)
        )
    return labels, outside


def utility_of(all_samples: list[Sample], labels: np.ndarray) -> float:
    """The utility of given outcomes (as `utility`, for the cross-validated decisions)."""
    summary = Summary(
        np.zeros((len(all_samples), len(DECISION))),
        np.ones(len(all_samples)),
        np.zeros(len(all_samples), bool),
        np.zeros(len(all_samples)),
        np.asarray([s.case.out_of_scope for s in all_samples], bool),
        np.zeros(len(all_samples), bool),
        np.zeros(len(all_samples), bool),
        np.asarray([s.group for s in all_samples]),
    )
    return _utility(labels, summary)


def one_standard_error(scores: list[tuple[float, float]]) -> int:
    """Index of the first (simplest) of (utility, standard error) within one error of the best."""
    best = max(range(len(scores)), key=lambda i: scores[i][0])
    floor = scores[best][0] - scores[best][1]
    return next(i for i, (score, _) in enumerate(scores) if score >= floor)


def standard_error(labels: np.ndarray) -> float:
    """Standard error of the mean value per question of given outcomes (values as in `utility`)."""
    value = {"right": 1.0, "offered": OFFERED_VALUE, "wrong": -WRONG_COST, "answered": -WRONG_COST}
    values = np.asarray([value.get(str(label), 0.0) for label in labels])
    return float(values.std(ddof=1) / np.sqrt(len(values))) if len(values) > 1 else 0.0


def shares(all_samples: list[Sample], labels: np.ndarray, outside: np.ndarray) -> dict[str, dict[str, float]]:
    table: dict[str, dict[str, float]] = {}
    groups = np.asarray([s.group for s in all_samples])
    out_label = np.asarray([s.case.out_of_scope for s in all_samples])
    for group in map(str, sorted(set(groups))):
        inside, oos = (groups == group) & ~out_label, (groups == group) & out_label
        n, m = max(int(inside.sum()), 1), max(int(oos.sum()), 1)
        table[group] = {
            **{
                k: round(float((labels[inside] == k).sum()) / n, 3)
                for k in ("right", "offered", "wrong", "fallback")
            },
            "oos_answered": round(float((labels[oos] == "answered").sum()) / m, 3),
            "oos_recognised": round(float(outside[oos].sum()) / m, 3),
        }
    return table
