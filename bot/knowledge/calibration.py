"""The learned part of matching: feature weights and decision thresholds (calibration.yaml).

`python -m bot.knowledge calibrate` fits them by cross-validation on the development sets
(tuning.py) and writes this file; `python -m bot.knowledge thresholds` prints what is in force.
A logistic model turns a candidate's features into the probability that it is a right answer;
the thresholds on that probability decide between answering, offering options (您是想问) and
the fallback, and when a referral category wins, the question is out of scope.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml

DEFAULT_PATH = Path(__file__).resolve().parent / "calibration.yaml"
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
)


@dataclass(frozen=True, slots=True)
class Thresholds:
    answer: float = 0.5  # probability of the best entry for a direct answer
    clarify: float = 0.15  # probability of the best entry for offering options
    option: float = 0.05  # probability an option needs to be offered
    referral: float = 0.3  # probability of the best referral category for "out of scope"


@dataclass(frozen=True, slots=True)
class Model:
    weights: tuple[float, ...]
    bias: float
    thresholds: Thresholds = field(default_factory=Thresholds)
    report: dict[str, Any] = field(default_factory=dict)  # how it was fitted (for `thresholds`)

    def probability(self, rows: np.ndarray) -> np.ndarray:
        z = rows @ np.asarray(self.weights) + self.bias
        return 1.0 / (1.0 + np.exp(-z))

    def to_dict(self) -> dict[str, Any]:
        return {
            "features": dict(zip(FEATURES, (round(w, 4) for w in self.weights), strict=True)),
            "bias": round(self.bias, 4),
            "thresholds": {k: round(getattr(self.thresholds, k), 3) for k in Thresholds.__dataclass_fields__},
            "report": self.report,
        }


# Before any calibration: a plain blend of the similarities, centred so a close match is ~0.5.
PRIOR = Model(
    weights=(2.0, 3.0, 2.0, 1.0, 1.0, 2.0, 1.0, 1.0, 2.0, 1.0, 1.0, 0.0, 0.5, -1.0, 0.0),
    bias=-7.0,
)


def load_model(path: Path = DEFAULT_PATH) -> Model:
    if not path.exists():
        return PRIOR
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    weights = data.get("features") or {}
    missing = [f for f in FEATURES if f not in weights]
    if missing:
        raise ValueError(f"{path.name}: no weight for {', '.join(missing)}; run `python -m bot.knowledge calibrate`")
    thresholds = Thresholds(**{k: float(v) for k, v in (data.get("thresholds") or {}).items()})
    bias = float(data.get("bias", 0.0))
    if not all(math.isfinite(float(weights[f])) for f in FEATURES) or not math.isfinite(bias):
        raise ValueError(f"{path.name}: weights must be finite numbers")
    return Model(tuple(float(weights[f]) for f in FEATURES), bias, thresholds, dict(data.get("report") or {}))


def save_model(model: Model, path: Path = DEFAULT_PATH) -> None:
    header = (
        "# Written by `python -m bot.knowledge calibrate` (cross-validated on the development sets).\n"
        "# Do not edit by hand: re-run the command after changing entries or the dev sets.\n"
    )
    path.write_text(header + yaml.safe_dump(model.to_dict(), allow_unicode=True, sort_keys=False), encoding="utf-8")
