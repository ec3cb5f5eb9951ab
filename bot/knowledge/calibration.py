"""The learned part of matching: weights and decision thresholds (calibration.yaml).

`python -m bot.knowledge calibrate` fits them by cross-validation on the development sets
(tuning.py) and writes this file; `python -m bot.knowledge thresholds` prints what is in force.
Three small logistic models, each explainable by its weights:
- candidates: a candidate's features -> the probability that it is a right answer (its score);
- right: the shape of the whole ranking (best and second score, referral score, cues, length)
  -> the probability that the best entry is right: it decides answer / clarify / fallback;
- outside: the same ranking features -> the probability that the question is out of scope.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml

DEFAULT_PATH = Path(__file__).resolve().parent / "calibration.yaml"
TRAINING_WEIGHT = 3.0  # before calibration: a training-corpus question weighs three phrasings
FEATURES = (
    "text_cosine",  # best phrasing, character n-grams
    "sound_cosine",  # best phrasing, sound-key n-grams
    "sound_contained",  # share of the best phrasing's sounds found in the question
    "centroid",  # cosine with the target's centroid (all its phrasings together)
    "clause",  # best cosine of one clause of a long message
    "fuzzy",  # rapidfuzz partial ratio, sound keys
    "ratio",  # rapidfuzz ratio, sound keys
    "terms",  # share of the question's domain terms the target uses
    "relative",  # retrieval score relative to the best candidate's
    "lead",  # retrieval score minus the best other candidate's
    "centroid_lead",  # centroid cosine minus the best other candidate's
    "referral",  # the target is a referral category, not an entry
    "in_scope_cue",  # the question names social assistance
    "out_cue",  # the question has an out-of-scope cue
    "length",  # question length (saturating)
    "last",  # best cosine of the last two clauses of a long message (where the question usually is)
    "need",  # the need classifier's probability that the question is about one of the target's needs
    "top_need",  # the classifier's likeliest need is one of the target's
    "text_centroid",  # cosine with the target's centroid, character n-grams
)
DECISION = (
    "best",  # score of the best entry
    "second",  # score of the second entry
    "margin",  # best minus second
    "referral",  # score of the best referral category
    "referral_lead",  # referral score minus best entry score
    "in_scope_cue",
    "out_cue",
    "length",
    "long",  # the message has several clauses
    "need",  # the need classifier's probability for the best entry's needs (its `need` feature)
    "outside_read",  # the classifier's probability that the question is out of scope (referral classes)
)


@dataclass(frozen=True, slots=True)
class Thresholds:
    answer: float = 0.5  # P(best entry right) for a direct answer
    clarify: float = 0.15  # P(best entry right) for offering options
    option: float = 0.05  # candidate score an option needs to be offered
    referral: float = 0.5  # P(out of scope) for handing the question to the referral directory


def decision_row(
    best: float, second: float, referral: float, cues: dict[str, float], clauses: int, outside_read: float
) -> np.ndarray:
    """The ranking's shape, as the decision models read it (scores are probabilities 0–1).

    `cues` are the feature values of the best entry (the scope cues and length are the same for
    every candidate of a question).
    """
    return np.asarray(
        [
            best,
            second,
            best - second,
            referral,
            referral - best,
            cues["in_scope_cue"],
            cues["out_cue"],
            cues["length"],
            float(clauses > 1),
            cues["need"],
            outside_read,
        ]
    )


@dataclass(frozen=True, slots=True)
class Linear:
    weights: tuple[float, ...]
    bias: float

    def probability(self, rows: np.ndarray) -> np.ndarray:
        z = rows @ np.asarray(self.weights) + self.bias
        return 1.0 / (1.0 + np.exp(-z))

    def to_dict(self, names: tuple[str, ...]) -> dict[str, Any]:
        return {
            "weights": dict(zip(names, (round(w, 4) for w in self.weights), strict=True)),
            "bias": round(self.bias, 4),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any], names: tuple[str, ...], where: str) -> Linear:
        weights = data.get("weights") or {}
        missing = [f for f in names if f not in weights]
        if missing:
            raise ValueError(
                f"{where}: no weight for {', '.join(missing)}; run `python -m bot.knowledge calibrate`"
            )
        values = [float(weights[f]) for f in names] + [float(data.get("bias", 0.0))]
        if not all(math.isfinite(v) for v in values):
            raise ValueError(f"{where}: weights must be finite numbers")
        return cls(tuple(values[:-1]), values[-1])


@dataclass(frozen=True, slots=True)
class Model:
    candidates: Linear
    right: Linear
    outside: Linear
    thresholds: Thresholds = field(default_factory=Thresholds)
    report: dict[str, Any] = field(default_factory=dict)  # how it was fitted (for `thresholds`)
    training_weight: float = TRAINING_WEIGHT  # a training-corpus question against one phrasing

    def probability(self, rows: np.ndarray) -> np.ndarray:
        return self.candidates.probability(rows)

    def to_dict(self) -> dict[str, Any]:
        return {
            "candidates": self.candidates.to_dict(FEATURES),
            "right": self.right.to_dict(DECISION),
            "outside": self.outside.to_dict(DECISION),
            "thresholds": {k: round(getattr(self.thresholds, k), 3) for k in Thresholds.__dataclass_fields__},
            "training_weight": self.training_weight,
            "report": self.report,
        }


# Before any calibration: a plain blend of the similarities, and decisions on the best score.
PRIOR = Model(
    candidates=Linear(
        (2.0, 3.0, 2.0, 1.0, 1.0, 2.0, 1.0, 1.0, 2.0, 1.0, 1.0, 0.0, 0.5, -1.0, 0.0, 1.0, 2.0, 0.5, 1.0), -7.0
    ),
    right=Linear((6.0, 0.0, 2.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0, -1.0), -4.0),
    outside=Linear((0.0, 0.0, 0.0, 4.0, 4.0, -2.0, 3.0, 0.0, 0.0, -1.0, 4.0), -4.0),
)


def load_model(path: Path | None = DEFAULT_PATH) -> Model:
    """The fitted model; the prior when there is no file (or `path` is None, as for `calibrate`)."""
    if path is None or not path.exists():
        return PRIOR
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return Model(
        Linear.from_dict(data.get("candidates") or {}, FEATURES, f"{path.name}: candidates"),
        Linear.from_dict(data.get("right") or {}, DECISION, f"{path.name}: right"),
        Linear.from_dict(data.get("outside") or {}, DECISION, f"{path.name}: outside"),
        Thresholds(**{k: float(v) for k, v in (data.get("thresholds") or {}).items()}),
        dict(data.get("report") or {}),
        float(data.get("training_weight", TRAINING_WEIGHT)),
    )


def save_model(model: Model, path: Path = DEFAULT_PATH) -> None:
    header = (
        "# Written by `python -m bot.knowledge calibrate` (cross-validated on the development sets).\n"
        "# Do not edit by hand: re-run the command after changing entries, lexicon or the dev sets.\n"
    )
    path.write_text(
        header + yaml.safe_dump(model.to_dict(), allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
