"""Linear text models over character and sound n-grams, trained with scikit-learn, scored as dicts.

Word lists hear only the words someone wrote down; a model trained on many independently written
messages also hears their neighbours (a synonym, a dialect spelling, a voice-input homophone).
The features of a message are the character n-grams of its prepared text (`bot.phrases.prepare`:
folded, punctuation dropped, clause breaks kept) and the n-grams of its sound keys, so traditional
characters, homophones and typed pinyin share features with the plain spelling.

scikit-learn fits the model (logistic regression on n-gram presence, `make models`); the fitted
weights are then exported into a plain dict n-gram → weight per class, so scoring a message is one
dict lookup per n-gram (microseconds, no sparse matrix built per call) and `explain` can name the n-grams that
decided. Shared by the safety net's second stage and the intent classifier.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from operator import add

import numpy as np

from bot.phrases import Prepared, prepare

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


@dataclass(frozen=True, slots=True)
class Weights:
    """One class's exported weights: the score of a message is bias + the sum over its n-grams."""

    bias: float
    table: Mapping[str, float]  # a dict when trained, a `Column` when read from a model file

    def score(self, features: Iterable[str]) -> float:
        return self.bias + sum(map(self.table.get, features, repeat(0.0)))  # no Python loop: 2x

    def explain(self, features: Iterable[str], top: int = 6) -> list[tuple[str, float]]:
        """The n-grams that weighed most in this message's score, strongest first."""
        found = [(g, self.table[g]) for g in features if g in self.table]
        return sorted(found, key=lambda item: -abs(item[1]))[:top]


class Column(Mapping[str, float]):
    """One class's n-gram weights as a column of a matrix that its model's classes share.

    Models read from a file (`bot.modelfile`) with several classes keep their weights so: a dict per
    class would hold an entry and a float object per n-gram and class (about 70 bytes; 60 MB for the
    danger categories and the intents), the matrix 8 bytes. An n-gram a class has no weight for is
    0.0 in the matrix and absent from the column (training keeps no weight that small)."""

    __slots__ = ("column", "matrix", "rows")

    def __init__(self, rows: dict[str, int], matrix: np.ndarray, column: int) -> None:
        self.rows = rows  # n-gram → row, numbered in insertion order
        self.matrix = matrix
        self.column = column

    def __getitem__(self, gram: str) -> float:
        value = float(self.matrix[self.rows[gram], self.column])
        if value == 0.0:
            raise KeyError(gram)
        return value

    def __iter__(self) -> Iterator[str]:
        kept = (self.matrix[:, self.column] != 0.0).tolist()
        return (gram for gram, keep in zip(self.rows, kept, strict=True) if keep)

    def __len__(self) -> int:
        return int(np.count_nonzero(self.matrix[:, self.column]))


@dataclass(frozen=True, slots=True)
class Classes:
    """Several classes' weights laid out as one matrix (n-gram → a row, a column per class), so
    scoring a message for all of them is one lookup per n-gram and one sum, not one per n-gram
    and class."""

    weights: dict[str, Weights]
    labels: tuple[str, ...] = field(init=False, repr=False, compare=False)
    _rows: dict[str, int] = field(init=False, repr=False, compare=False)
    _matrix: np.ndarray = field(init=False, repr=False, compare=False)  # n-gram row × class
    _bias: np.ndarray = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        labels = tuple(self.weights)
        tables = [self.weights[label].table for label in labels]
        first = tables[0] if tables else None
        if isinstance(first, Column) and all(isinstance(t, Column) and t.matrix is first.matrix
                                             and t.column == i for i, t in enumerate(tables)):
            rows, matrix = first.rows, first.matrix  # read from a model file: already one matrix
        else:
            rows = {g: i for i, g in enumerate(sorted(set().union(*tables)))}
            matrix = np.zeros((len(rows), len(labels)))
            for column, table in enumerate(tables):
                for gram, weight in table.items():
                    matrix[rows[gram], column] = weight
        object.__setattr__(self, "labels", labels)
        object.__setattr__(self, "_rows", rows)
        object.__setattr__(self, "_matrix", matrix)
        object.__setattr__(self, "_bias", np.array([self.weights[label].bias for label in labels]))

    def scores(self, features: Iterable[str]) -> np.ndarray:
        """Every class's score, in the order of `labels`."""
        rows = self._rows
        return self._bias + self._matrix[[rows[g] for g in features if g in rows]].sum(axis=0)


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
    rows = model.coef_ if len(classes) > 2 else model.coef_[:1]
    names = list(model.classes_) if len(classes) > 2 else [str(model.classes_[1])]
    exported = {}
    for name, row, bias in zip(names, rows, model.intercept_, strict=True):
        table = {str(g): float(w) for g, w in zip(vocabulary, row, strict=True) if abs(w) > 1e-4}
        exported[str(name)] = Weights(float(bias), table)
    return exported
