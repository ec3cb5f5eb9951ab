"""The safety net's second stage: a model that hears danger in words no cue lists.

Cues are written by hand and hear what their writers thought of; on messages written by others
they missed four in ten. This stage is a logistic regression (`bot.linear`) trained on ten
independently written corpora (`training.yaml` … `training11.yaml`, see their PROVENANCE files)
and on the cue file's own `examples` / `not_examples`, by `make models` into `trained.npz`
(`bot.modelfile`, with the fingerprint of the corpora, the cue file, the ordinary messages, the
settings and the feature code). Its features are the message's character and sound n-grams plus
what the cues made of it: a cue that stands (`cue:+fire`) or one a modifier dropped
(`cue:-negated`, `cue:-past`, `cue:-hypothetical` …), so negation, past and hypotheticals weigh on
the model too, and it learns when a dropped cue still means danger (已经喝了 … 现在头晕). The
CONTEXT modifiers found anywhere (`ctx:past`, `ctx:aid` …) are features even when no cue is hit:
前天刮大风 把房顶掀了 能补助吗 names no cue, and without them nothing told the model it asks for aid.

A message is danger when a cue stands and the model does not overrule it (its log-odds with the
standing cue below the veto: a film, a story of last year's fire), or when no cue stands and the
model's log-odds reach the threshold; `python -m bot.safety tune` chose both by cross-validation
on the training corpora (stored in model.yaml with the figures it measured). A danger only the
model hears also needs one n-gram that carries EVIDENCE of weight on its own: many faint n-grams
of an ordinary story (寨子, 一个人) do not add up to danger.
EVIDENCE is the largest such floor that cost no cross-validated recall (0.6 cost 0.2 points). The
category of a danger only the model heard comes from a second, multinomial model.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import yaml

from bot import modelfile
from bot.linear import text_grams, train
from bot.safety.cues import CueBook
from bot.weights import Classes, Weights

TRAINING_PATH = Path(__file__).with_name("training.yaml")
# Ten corpora by ten independent writers who never saw the product (TRAINING-PROVENANCE.md …
# TRAINING10-PROVENANCE.md); each later one was first used to measure, blind, the net trained on
# the earlier ones.
TRAINING_PATHS = (TRAINING_PATH, *(TRAINING_PATH.with_name(f"training{n}.yaml") for n in range(2, 12)))
# Ordinary messages residents send (independently written for the intent classifier): none of
# them signals danger except reports of someone in need, which are left out.
ORDINARY_PATH = Path(__file__).parents[1] / "dialogs" / "intents_training.yaml"
MODEL_PATH = Path(__file__).with_name("model.yaml")
TRAINED_PATH = Path(__file__).with_name("trained.npz")
# The code that turns a message into this model's features, besides bot.linear's n-grams.
CODE = tuple(Path(__file__).with_name(name) for name in ("model.py", "detector.py", "judge.py", "cues.py"))
EVIDENCE = 0.4
# Category names a corpus writer chose for a kind of danger, as the cue file names it (the sixth
# writer's `suicide` holds one's own and another's: their numbers are the same three).
WRITERS_CATEGORIES = {"suicide": "suicide_self", "disaster": "flood_landslide", "missing": "trapped_lost"}
# Modifiers of the cue file that tell, anywhere in a message, what it is about besides a danger:
# a time long past, an emergency over, a question about assistance. They are features whether or
# not a cue is hit, so the model weighs them from the data (a modifier cancels a cue only where the
# cue file says so).
CONTEXT = ("past", "settled", "recovered", "aid")


class _Verdict(Protocol):
    @property
    def category(self) -> str: ...
    @property
    def dropped_by(self) -> str | None: ...


def cue_features(verdicts: Sequence[_Verdict], stands: bool) -> set[str]:
    """What the cues made of the message, as model features."""
    found = {"cue:" + (f"-{v.dropped_by}" if v.dropped_by else f"+{v.category}") for v in verdicts}
    if stands:
        found.add("cue:stands")
    return found


def context_features(groups: Iterable[str]) -> set[str]:
    """The CONTEXT modifiers among the modifier groups found in a message (`past:before` …)."""
    return {"ctx:" + name for name in (g.partition(":")[0] for g in groups) if name in CONTEXT}


@dataclass(frozen=True, slots=True)
class Settings:
    threshold: float
    regularisation: float
    veto: float | None = None


def settings(path: Path = MODEL_PATH) -> Settings:
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    veto = raw.get("veto")
    return Settings(float(raw["threshold"]), float(raw["regularisation"]),
                    None if veto is None else float(veto))


def training_items(path: Path = TRAINING_PATH) -> list[dict[str, Any]]:
    return list(yaml.safe_load(path.read_text(encoding="utf-8")))


def examples(book: CueBook, rules: _Rules) -> list[tuple[str, bool, str]]:
    """Training items besides the corpora: the cue file's own examples (danger, their category)
    and look-alikes, and the ordinary messages. Among those, a report of a neighbour in need on
    which no danger cue stands (一个人住，没人照顾，房子还漏雨) is no danger either: the corpora's
    look-alikes have few such stories, and without them the model took one in three for danger."""
    found = []
    for category in book.categories.values():
        found += [(text, True, category.id) for text in category.examples]
        found += [(text, False, "") for text in category.not_examples]
    raw = yaml.safe_load(ORDINARY_PATH.read_text(encoding="utf-8"))
    ordinary = [(str(i["text"]), i["intent"]) for i in raw]
    return found + [(text, False, "") for text, intent in ordinary
                    if intent != "report_need" or "cue:stands" not in rules.rule_features(text)]


@dataclass(frozen=True, slots=True)
class Model:
    danger: Weights  # log-odds of danger
    categories: dict[str, Weights]  # which kind, for a danger only the model heard
    threshold: float
    veto: float | None = None  # below this log-odds a standing cue is overruled (None: never)
    _kinds: Classes = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_kinds", Classes(self.categories))

    def score(self, features: set[str]) -> float:
        return self.danger.score(features)

    def heard(self, features: set[str]) -> bool:
        score, strongest = self.danger.score_and_strongest(features)
        return score >= self.threshold and strongest >= EVIDENCE

    def overrules(self, features: set[str]) -> bool:
        """Whether the model is sure enough that a message on which a cue stands is no danger
        (`features` with `cue:stands`): 电视里 … 想不开, 去年那场火 … 着火 told as a story."""
        return self.veto is not None and self.score(features) < self.veto

    def evidence(self, features: set[str]) -> float:
        """The weight of the strongest single n-gram for danger."""
        return self.danger.score_and_strongest(features)[1]

    def categories_for(self, features: set[str], top: int = 2) -> list[str]:
        """The likeliest kinds, best first: two, so a wrong first guess still brings the right numbers."""
        scores = self._kinds.scores(features)
        return [self._kinds.labels[i] for i in np.argsort(-scores, kind="stable")[:top]]


def fit(rows: list[tuple[set[str], bool, str]], regularisation: float, threshold: float,
        veto: float | None = None) -> Model:
    danger = train([f for f, _, _ in rows], [d for _, d, _ in rows], regularisation)["True"]
    kinds = [(f, c) for f, d, c in rows if d]
    categories = train([f for f, _ in kinds], [c for _, c in kinds], regularisation)
    return Model(danger, categories, threshold, veto)


class _Rules(Protocol):
    def rule_features(self, text: str) -> set[str]: ...


def rows_for(rules: _Rules, items: list[tuple[str, bool, str]]) -> list[tuple[set[str], bool, str]]:
    return [(text_grams(text) | rules.rule_features(text), danger, category)
            for text, danger, category in items]


def corpus(paths: Sequence[Path] = TRAINING_PATHS) -> list[tuple[str, bool, str]]:
    """(text, danger, cue category) of every corpus item; a writer's own category name is read
    as the cue file's (`WRITERS_CATEGORIES`), since the category model names the numbers given."""
    return [(str(i["text"]), bool(i["danger"]), _category(str(i["category"])) if i["danger"] else "")
            for path in paths for i in training_items(path)]


def _category(name: str) -> str:
    return WRITERS_CATEGORIES.get(name, name)


def inputs(cue_path: Path) -> str:
    """The fingerprint of what the model for this cue file is trained on."""
    return modelfile.fingerprint([*TRAINING_PATHS, ORDINARY_PATH, cue_path, *CODE], settings().regularisation)


def write_trained(model: Model, fingerprint: str, path: Path = TRAINED_PATH) -> None:
    modelfile.write(path, fingerprint, {"danger": {"True": model.danger}, "categories": model.categories})


def read_trained(path: Path = TRAINED_PATH) -> tuple[str, Model] | None:
    """(fingerprint, model) of the stored model, at the threshold model.yaml names now."""
    stored = modelfile.read(path)
    if stored is None:
        return None
    models = stored.models
    chosen = settings()
    return stored.fingerprint, Model(models["danger"]["True"], models["categories"], chosen.threshold,
                                     chosen.veto)
