"""A linear classifier of needs, trained at load time on the phrasings and the training corpus.

Every phrasing of an entry is an example of the entry's needs (taxonomy.yaml), every example
question of outside.yaml of its referral category, and every question of the training corpus
(training.py, residents' own wording, weighted more) of its needs or referral. The referral
classes together are the out-of-scope detector: `outside()` is their summed probability. A question's need probabilities then say
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

from bot.knowledge.training import REFERRAL

ALPHA = 1e-5  # L2 regularisation strength
EPOCHS = 15
MAX_EXAMPLES = 4000  # a larger knowledge base trains on a fixed random sample, so loading stays fast


class NeedClassifier:
    def __init__(
        self,
        rows: sparse.csr_matrix,
        labels: Sequence[tuple[str, ...]],
        weights: Sequence[float] | None = None,
    ) -> None:
        """`rows`: one TF-IDF row per example; `labels`: its needs (or referral id); `weights`: its weight.

        An example with several needs counts once for each. Beyond MAX_EXAMPLES a fixed random
        sample is kept, always including the heaviest examples (the training corpus).
        """
        repeat = np.asarray([len(names) for names in labels])
        index = np.repeat(np.arange(rows.shape[0]), repeat)
        targets = np.asarray([name for names in labels for name in names], dtype=object)
        weight = np.repeat(np.ones(len(labels)) if weights is None else np.asarray(weights, float), repeat)
        if len(index) > MAX_EXAMPLES:
            heavy = np.flatnonzero(weight > weight.min())
            light = np.flatnonzero(weight == weight.min())
            room = max(MAX_EXAMPLES - len(heavy), 0)
            sampled = np.random.default_rng(0).choice(light, min(room, len(light)), replace=False)
            keep = np.sort(np.r_[heavy, sampled])
            index, targets, weight = index[keep], targets[keep], weight[keep]
        self.classes: tuple[str, ...] = tuple(sorted(set(targets.tolist())))
        self._column = {name: i for i, name in enumerate(self.classes)}
        self._referrals = np.asarray([n.startswith(REFERRAL) for n in self.classes], bool)
        if len(self.classes) < 2:
            self._weights = np.zeros((rows.shape[1], len(self.classes)), np.float32)
            self._bias = np.zeros(len(self.classes), np.float32)
            return
        model = SGDClassifier(
            loss="log_loss", alpha=ALPHA, max_iter=EPOCHS, tol=None, random_state=0, average=False
        )
        model.fit(rows[index], targets, sample_weight=weight)
        coef = model.coef_ if len(self.classes) > 2 else np.vstack([-model.coef_[0], model.coef_[0]])
        bias = model.intercept_ if len(self.classes) > 2 else np.r_[-model.intercept_, model.intercept_]
        self._weights = np.ascontiguousarray(coef.T, dtype=np.float32)  # features × classes
        self._bias = bias.astype(np.float32)

    def probabilities(self, features: np.ndarray, weights: np.ndarray) -> np.ndarray:
        """One probability per class (softmax of the linear scores) for one query's features."""
        scores = weights @ self._weights[features] + self._bias
        scores = np.exp(scores - scores.max())
        return scores / scores.sum()

    def share(self, probabilities: np.ndarray, names: Sequence[str]) -> float:
        """The probability that the question is about one of `names` (an entry's needs)."""
        return float(sum(probabilities[self._column[n]] for n in set(names) if n in self._column))

    def outside(self, probabilities: np.ndarray) -> float:
        """The probability that the question belongs to another office (any referral class)."""
        return float(probabilities[self._referrals].sum())

    def top(self, probabilities: np.ndarray, count: int = 3) -> list[tuple[str, float]]:
        order = np.argsort(-probabilities)[:count]
        return [(self.classes[i], float(probabilities[i])) for i in order]
