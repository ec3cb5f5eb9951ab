"""Linear text models over character and sound n-grams, trained with scikit-learn.

Word lists hear only the words someone wrote down; a model trained on many independently written
messages also hears their neighbours (a synonym, a dialect spelling, a voice-input homophone).
The features of a message are the character n-grams of its prepared text (`bot.phrases.prepare`:
folded, punctuation dropped, clause breaks kept) and the n-grams of its sound keys, so traditional
characters, homophones and typed pinyin share features with the plain spelling.

scikit-learn fits the model (logistic regression on n-gram presence, `make models`); the fitted
weights are then exported as n-gram → weight columns of one matrix (`bot.weights`), so scoring a
message is one lookup of all its n-grams and one sum (microseconds, no sparse matrix built per
call) and `explain` can name the n-grams that decided. Shared by the safety net's second stage and
the intent classifier.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import repeat
from operator import add

import numpy as np

from bot.phrases import Prepared, prepare
from bot.weights import Column, Rows, Weights

TEXT_GRAMS = (1, 3)
SOUND_GRAMS = (2, 3)
SOUND_MARK = "~"  # prefix that keeps a sound n-gram apart from a character n-gram
MAX_CHARS = 400  # a long story is scored on its first characters (the check must stay cheap)


def grams(message: Prepared) -> set[str]:
    """The distinct features of a prepared message (character and sound n-grams within clauses)."""
    found: set[str] = set()
    for clause in message.text[:MAX_CHARS].split("\n"):
        # typed pinyin has no characters to go by, its sounds say it all; a clause of characters
        # in a message with pinyin or English in it (男朋友在打我 … he is still here) keeps its own
        if not message.pinyin or not clause.isascii():
            _add_grams(found, clause, *TEXT_GRAMS)
    for clause in message.sounds[:MAX_CHARS].split("\n"):
        _add_grams(found, clause, *SOUND_GRAMS, mark=SOUND_MARK)
    return found


def _add_grams(found: set[str], clause: str, low: int, high: int, mark: str = "") -> None:
    """The clause's n-grams from `low` to `high` characters, each one longer than the last by its
    next character (`map` over the clause: no Python loop per n-gram, a third faster)."""
    current = list(map(add, repeat(mark), clause)) if mark else list(clause)
    for n in range(1, high + 1):
        if n > 1:
            current = list(map(add, current, clause[n - 1:]))
        if n >= low:
            found.update(current)


def text_grams(text: str) -> set[str]:
    return grams(prepare(text[:MAX_CHARS * 2]))


def train(features: Sequence[set[str]], labels: Sequence[str | bool], regularisation: float = 1.0
          ) -> dict[str, Weights]:
    """Logistic regression (multinomial for several classes) on n-gram presence, exported per class.

    Two labels give one `Weights` under the positive (sorted last) label, its score a log-odds;
    several give one per class, their scores compared (softmax) to pick one. scikit-learn is
    imported here, not at the top: a worker reads trained models (`bot.modelfile`) and never trains."""
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression

    vectorizer = CountVectorizer(analyzer=lambda feats: list(feats), binary=True, dtype=np.float32)
    matrix = vectorizer.fit_transform(features)
    classes = sorted(set(labels))
    vocabulary = vectorizer.get_feature_names_out()
    model = LogisticRegression(C=regularisation, max_iter=3000, class_weight="balanced")
    model.fit(matrix, list(labels))
    coef = model.coef_ if len(classes) > 2 else model.coef_[:1]
    names = list(model.classes_) if len(classes) > 2 else [str(model.classes_[1])]
    kept = np.abs(coef) > 1e-4
    used = np.flatnonzero(kept.any(axis=0))
    table = np.where(kept[:, used], coef[:, used], 0.0).T.copy()  # n-gram row × class, as fitted
    rows = Rows.of([str(g) for g in vocabulary[used]])
    return {str(name): Weights(float(bias), Column(rows, table, column))
            for column, (name, bias) in enumerate(zip(names, model.intercept_, strict=True))}
