"""The intent classifier's second stage: a model that hears commands in words no list has.

The words and patterns of intents.yaml are checked first and decide when they match. When they
do not, a multinomial logistic regression (`bot.linear`), trained on an independently written
corpus (`intents_training.yaml`, see INTENTS-TRAINING-PROVENANCE.md) and on the whole-message words
of intents.yaml, commands.yaml and menu.yaml by `make models` into `intents_trained.npz`
(`bot.modelfile`, with the fingerprint of those files, the settings and the feature code), names
the most likely label:
a command intent, or `answer`, `policy_question`, `off_topic`, `chit_chat` (which the model leaves
to the flow, the knowledge base or the chit-chat words). It is context-aware: every n-gram is also
a feature of its own inside a flow (`@` + n-gram), so 不删了 at a confirmation is learned as an
answer and 好的 idle as chit-chat. A command counts only when its softmax probability reaches the
threshold `python -m bot.dialogs.tune_intents` chose by cross-validation (intent_model.yaml).
Every message not decided by the lists passes here, so the classes' weights are also laid out as
one matrix (n-gram → one row of weights, a column per class): scoring is one lookup per n-gram and
one sum, instead of one lookup per n-gram and class.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from bot import modelfile
from bot.linear import Column, Weights, text_grams, train

TRAINING_PATH = Path(__file__).with_name("intents_training.yaml")
MODEL_PATH = Path(__file__).with_name("intent_model.yaml")
TRAINED_PATH = Path(__file__).with_name("intents_trained.npz")
# What the model learns from besides the corpus (the lists' words), and the code that reads them.
INPUTS = tuple(Path(__file__).with_name(name) for name in (
    "intents.yaml", "commands.yaml", "menu.yaml", "intent_model.py", "intents.py", "choices.py", "menu.py"))
NOT_COMMANDS = frozenset({"answer", "policy_question", "off_topic", "chit_chat"})
IN_FLOW = "@"


def features(text: str, in_flow: bool) -> set[str]:
    grams = text_grams(text)
    if not in_flow:
        return grams | {"ctx:idle"}
    return grams | {IN_FLOW + g for g in grams} | {"ctx:flow"}


@dataclass(frozen=True, slots=True)
class Guess:
    label: str
    probability: float
    by: tuple[tuple[str, float], ...]  # the n-grams that weighed most for it


@dataclass(frozen=True, slots=True)
class IntentModel:
    classes: dict[str, Weights]
    threshold: float
    _labels: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _rows: dict[str, int] = field(init=False, repr=False, compare=False)
    _matrix: np.ndarray = field(init=False, repr=False, compare=False)  # n-gram row × class
    _bias: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        labels = tuple(self.classes)
        tables = [self.classes[label].table for label in labels]
        first = tables[0] if tables else None
        if isinstance(first, Column) and all(isinstance(t, Column) and t.matrix is first.matrix
                                             and t.column == i for i, t in enumerate(tables)):
            rows, matrix = first.rows, first.matrix  # read from the model file: already one matrix
        else:
            rows = {g: i for i, g in enumerate(sorted(set().union(*tables)))}
            matrix = np.zeros((len(rows), len(labels)))
            for column, table in enumerate(tables):
                for gram, weight in table.items():
                    matrix[rows[gram], column] = weight
        object.__setattr__(self, "_labels", labels)
        object.__setattr__(self, "_rows", rows)
        object.__setattr__(self, "_matrix", matrix)
        object.__setattr__(self, "_bias", np.array([self.classes[label].bias for label in labels]))

    def guess(self, text: str, in_flow: bool) -> Guess:
        found = features(text, in_flow)
        rows = self._rows
        scores = self._bias + self._matrix[[rows[g] for g in found if g in rows]].sum(axis=0)
        best = int(scores.argmax())
        total = float(np.exp(scores - scores[best]).sum())
        label = self._labels[best]
        return Guess(label, 1.0 / total, tuple(self.classes[label].explain(found, 4)))

    def command(self, text: str, in_flow: bool) -> Guess | None:
        """The command intent the model hears, or None (not a command, or not sure enough)."""
        guess = self.guess(text, in_flow)
        if guess.label in NOT_COMMANDS or guess.probability < self.threshold:
            return None
        return guess


def corpus(path: Path = TRAINING_PATH) -> list[tuple[str, bool, str]]:
    """(text, sent inside a flow, label) for every training item."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(str(i["text"]), i["context"] != "idle", str(i["intent"])) for i in raw]


def fit(items: Iterable[tuple[str, bool, str]], regularisation: float, threshold: float) -> IntentModel:
    rows = list(items)
    classes = train([features(t, f) for t, f, _ in rows], [label for _, _, label in rows], regularisation)
    return IntentModel(classes, threshold)


def settings(path: Path = MODEL_PATH) -> dict[str, Any]:
    return dict(yaml.safe_load(path.read_text(encoding="utf-8")))


def inputs() -> str:
    """The fingerprint of what the model is trained on."""
    return modelfile.fingerprint([TRAINING_PATH, *INPUTS], float(settings()["regularisation"]))


def write_trained(model: IntentModel, fingerprint: str, path: Path = TRAINED_PATH) -> None:
    modelfile.write(path, fingerprint, {"intents": model.classes})


def read_trained(path: Path = TRAINED_PATH) -> tuple[str, IntentModel] | None:
    """(fingerprint, model) of the stored model, at the threshold intent_model.yaml names now."""
    stored = modelfile.read(path)
    if stored is None:
        return None
    return stored.fingerprint, IntentModel(stored.models["intents"], float(settings()["threshold"]))
