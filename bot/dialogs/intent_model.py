"""The intent classifier's second stage: a model that hears commands in words no list has.

The words and patterns of intents.yaml are checked first and decide when they match. When they
do not, a multinomial logistic regression (`bot.linear`), trained on six independently
written corpora (`intents_training*.yaml`, see INTENTS-TRAINING*-PROVENANCE.md) and on the
whole-message words of intents.yaml, commands.yaml and menu.yaml by `make models` into
`intents_trained.npz`
(`bot.modelfile`, with the fingerprint of those files, the settings and the feature code), names
the most likely label: a command intent, or `answer`, `policy_question`, `off_topic` (which the
model leaves to the flow or the knowledge base), or `chit_chat` (a friendly word back idle, from the
same threshold). It is context-aware: every n-gram is also a feature of its own inside a flow (`@` +
n-gram), so 不删了 at a confirmation is learned as an answer and 好的 idle as chit-chat, and the kind of
step the message answers (`context_of`: the consent, a questionnaire question, the result, an
application field, a report question, the deletion's confirmation) is a feature too, so each context
has its own class priors. A command counts only when its softmax probability reaches the threshold,
and a listed pattern yields when the model is at least `overrule` sure the message is an answer or a
question (没有人工作 mid-flow; only an answer for the intents asked for with a question, 存款要算定期的吗);
`python -m bot.dialogs.tune_intents` chooses both and the regularisation by cross-validation on the
training corpora (intent_model.yaml).
A longer message's last characters are features of their own too (`$` + n-gram): residents tell
the story first and say what they want at the end. English words mixed in (帮我 delete 掉) are read
as their Chinese first (`translated`, intents_english.yaml), by the lists and the model alike.
Every message not decided by the lists passes here, so the classes' weights are also laid out as
one matrix (n-gram → one row of weights, a column per class): scoring is one lookup per n-gram and
one sum, instead of one lookup per n-gram and class.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from bot import modelfile
from bot.linear import grams, text_grams, train
from bot.memo import Memo, digest
from bot.phrases import prepare
from bot.weights import Classes, Weights

TRAINING_PATH = Path(__file__).with_name("intents_training.yaml")
TRAINING_PATHS = (TRAINING_PATH, *(TRAINING_PATH.with_name(f"intents_training{n}.yaml")
                                   for n in (2, 3, 4, 6, 7, 8, 9, 10, 11)))
MODEL_PATH = Path(__file__).with_name("intent_model.yaml")
TRAINED_PATH = Path(__file__).with_name("intents_trained.npz")
# What the model learns from besides the corpus (the lists' words), and the code that reads them.
INPUTS = tuple(Path(__file__).with_name(name) for name in (
    "intents.yaml", "intents_english.yaml", "commands.yaml", "menu.yaml", "intent_model.py", "intents.py",
    "intent_guards.py", "choices.py", "menu.py"))
ENGLISH_PATH = Path(__file__).with_name("intents_english.yaml")
NOT_COMMANDS = frozenset({"answer", "policy_question", "off_topic", "chit_chat"})
IDLE = "idle"
IN_FLOW = "@"
TAIL_MARK = "$"
TAIL = 12  # characters at the end of a message that are also features of their own
TAIL_FROM = 24  # in messages at least this long
_LATIN = re.compile("[A-Za-z]")
# a flow's steps → the contexts the corpora are written in (other flows: "flow")
STEP_CONTEXTS = {"screening": "screening_question", "application": "application_question",
                 "report": "report_question", "delete_data": "delete_confirm"}
SCREENING_STEPS = {"consent": "screening_consent", "result": "screening_result"}


def context_of(step: str | None) -> str:
    """The kind of step ("flow:step", None when idle) a message answers, as the corpora name it."""
    if step is None:
        return IDLE
    flow, _, name = step.partition(":")
    if flow == "screening" and name in SCREENING_STEPS:
        return SCREENING_STEPS[name]
    return STEP_CONTEXTS.get(flow, "flow")


def features(text: str, context: str) -> set[str]:
    said = translated(text)
    grams = text_grams(said) | tail_grams(said)
    if context == IDLE:
        return grams | {"ctx:idle"}
    return grams | {IN_FLOW + g for g in grams} | {"ctx:flow", "ctx:" + context}


def tail_grams(text: str) -> set[str]:
    """The n-grams of a longer message's last characters, as features of their own (`$` + n-gram):
    a resident tells the story first and says what they want at the end (…我想先测一测), and
    in a long message the request's few n-grams are outweighed by the story's many."""
    message = prepare(text[-TAIL_FROM * 4:])
    said = message.text.replace("\n", "")
    if len(said) < TAIL_FROM:
        return set()
    tail = message.text.rstrip("\n")
    kept = len(tail) - TAIL  # the last TAIL characters, clause breaks not counted
    while len(tail[kept:].replace("\n", "")) < TAIL:
        kept -= 1
    return {TAIL_MARK + g for clause in tail[kept:].split("\n") if clause for g in grams(prepare(clause))}


@cache
def _english() -> tuple[re.Pattern[str], dict[str, str]]:
    raw = yaml.safe_load(ENGLISH_PATH.read_text(encoding="utf-8")) or {}
    words = {" ".join(str(k).lower().split()): str(v) for k, v in raw.items()}
    alternatives = "|".join(re.escape(w).replace(r"\ ", r"\s*") for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"(?<![a-z])({alternatives})(?![a-z])", re.IGNORECASE), words


def translated(text: str) -> str:
    """`text` with the English words residents mix in (帮我 delete 掉) read as their Chinese
    (intents_english.yaml), for the word lists and the model alike."""
    if not _LATIN.search(text):
        return text
    pattern, words = _english()
    return pattern.sub(lambda m: " " + words[" ".join(m.group(0).lower().split())] + " ", text)


# Guesses remembered by a digest of context and text (`bot.memo`): a message not decided by the
# lists is asked about more than once in a turn, and the same short texts come again and again.
GUESSES_KEPT = 4096


@dataclass(frozen=True, slots=True)
class Guess:
    label: str
    probability: float
    by: tuple[tuple[str, float], ...]  # the n-grams that weighed most for it


@dataclass(frozen=True, slots=True)
class IntentModel:
    classes: dict[str, Weights]
    threshold: float
    overrule: float = 1.01  # a not-command label this sure cancels a listed pattern (> 1: never)
    _classes: Classes = field(init=False, repr=False, compare=False)
    _guesses: Memo[Guess] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_classes", Classes(self.classes))
        object.__setattr__(self, "_guesses", Memo(GUESSES_KEPT))

    def guess(self, text: str, context: str) -> Guess:
        key = digest(context, text)
        kept = self._guesses.get(key)
        if kept is None:
            kept = self._score(text, context)
            self._guesses.put(key, kept)
        return kept

    def _score(self, text: str, context: str) -> Guess:
        found = features(text, context)
        scores = self._classes.scores(found)
        best = int(scores.argmax())
        total = float(np.exp(scores - scores[best]).sum())
        label = self._classes.labels[best]
        return Guess(label, 1.0 / total, tuple(self.classes[label].explain(found, 4)))

    def command(self, text: str, context: str) -> Guess | None:
        """The command intent (or chit-chat) the model hears, or None (an answer or a question, or
        not sure enough)."""
        guess = self.guess(text, context)
        if guess.label in NOT_COMMANDS - {"chit_chat"} or guess.probability < self.threshold:
            return None
        return guess

    def overrules(self, text: str, context: str) -> bool:
        """Whether the model is sure enough that a message a pattern heard is no command: an
        answer or a question with a listed word inside (没有人工作 at the question about work)."""
        guess = self.guess(text, context)
        return guess.label in NOT_COMMANDS - {"chit_chat"} and guess.probability >= self.overrule

    def answers(self, text: str, context: str) -> bool:
        """`overrules` for an intent asked for with a question (the help with the question asked:
        存款要算定期的吗): only an answer cancels it, since being a question is what it is."""
        guess = self.guess(text, context)
        return guess.label == "answer" and guess.probability >= self.overrule


def corpus(paths: Iterable[Path] = TRAINING_PATHS) -> list[tuple[str, str, str]]:
    """(text, the context it was sent in, label) for every training item of the corpora."""
    items = []
    for path in paths:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        items += [(str(i["text"]), str(i["context"]), str(i["intent"])) for i in raw]
    return items


def fit(items: Iterable[tuple[str, str, str]], regularisation: float, threshold: float,
        overrule: float = 1.01) -> IntentModel:
    rows = list(items)
    classes = train([features(t, c) for t, c, _ in rows], [label for _, _, label in rows], regularisation)
    return IntentModel(classes, threshold, overrule)


def settings(path: Path = MODEL_PATH) -> dict[str, Any]:
    return dict(yaml.safe_load(path.read_text(encoding="utf-8")))


def inputs() -> str:
    """The fingerprint of what the model is trained on."""
    return modelfile.fingerprint([*TRAINING_PATHS, *INPUTS], float(settings()["regularisation"]))


def write_trained(model: IntentModel, fingerprint: str, path: Path = TRAINED_PATH) -> None:
    modelfile.write(path, fingerprint, {"intents": model.classes})


def read_trained(path: Path = TRAINED_PATH) -> tuple[str, IntentModel] | None:
    """(fingerprint, model) of the stored model, at the threshold and overrule intent_model.yaml
    names now."""
    stored = modelfile.read(path)
    if stored is None:
        return None
    chosen = settings()
    return stored.fingerprint, IntentModel(stored.models["intents"], float(chosen["threshold"]),
                                           float(chosen.get("overrule", 1.01)))
