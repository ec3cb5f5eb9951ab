"""A linear classifier of needs, trained at load time on the entries' own phrasings.

Every phrasing of an entry is an example of the entry's needs (taxonomy.yaml), and every example
question of outside.yaml of its referral category. A question's need probabilities then say
what it is about even when no phrasing is close in wording: a long story that mentions a death,
a school and no money is about bereavement and education. Classes are the needs (a few dozen),
not the entries, so training stays fast at 10,000 entries. scikit-learn's SGDClassifier with
logistic loss on the TF-IDF n-grams of text and sound keys; the matcher uses the probability of a
candidate's needs as one feature, and `try` shows the top needs.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy import sparse
from sklearn.linear_model import SGDClassifier

ALPHA = 1e-5  # L2 regularisation strength
EPOCHS = 15
MAX_EXAMPLES = 4000  # a larger knowledge base trains on a fixed random sample, so loading stays fast


class NeedClassifier:
    def __init__(self, rows: sparse.csr_matrix, labels: Sequence[tuple[str, ...]]) -> None:
        """`rows`: one TF-IDF row per phrasing; `labels`: the needs (or referral id) of each."""
        repeat = np.asarray([len(names) for names in labels])
        index = np.repeat(np.arange(rows.shape[0]), repeat)
        targets = np.asarray([name for names in labels for name in names], dtype=object)
        if len(index) > MAX_EXAMPLES:
            keep = np.sort(np.random.default_rng(0).choice(len(index), MAX_EXAMPLES, replace=False))
            index, targets = index[keep], targets[keep]
        self.classes: tuple[str, ...] = tuple(sorted(set(targets.tolist())))
        self._column = {name: i for i, name in enumerate(self.classes)}
        if len(self.classes) < 2:
            self._weights = np.zeros((rows.shape[1], len(self.classes)), np.float32)
            self._bias = np.zeros(len(self.classes), np.float32)
            return
        model = SGDClassifier(
            loss="log_loss", alpha=ALPHA, max_iter=EPOCHS, tol=None, random_state=0, average=False
        )
        model.fit(rows[index], targets)
        coef = model.coef_ if len(self.classes) > 2 else np.vstack([-model.coef_[0], model.coef_[0]])
        bias = model.intercept_ if len(self.classes) > 2 else np.r_[-model.intercept_, model.intercept_]
        self._weights = np.ascontiguousarray(coef.T, dtype=np.float32)  # features × classes
        self._bias = bias.astype(np.float32)

    def probabilities(self, features: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """One probability per class (softmax of the linear scores) for one query's features."""
        scores = weights @ self._weights[features] + self._bias
        scores = np.exp(scores - scores.max())
        probabilities: np.ndarray = scores / scores.sum()
        return probabilities

    def share(self, probabilities: np.ndarray, names: Sequence[str]) -> float:
        """The probability that the question is about one of `names` (an entry's needs)."""
        return float(sum(probabilities[self._column[n]] for n in set(names) if n in self._column))

    def top(self, probabilities: np.ndarray, count: int = 3) -> list[tuple[str, float]]:
        order = np.argsort(-probabilities)[:count]
        return [(self.classes[i], float(probabilities[i])) for i in order]
