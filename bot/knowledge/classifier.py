"""A linear classifier of needs, trained at load time on the phrasings and the training corpus.

Every phrasing of an entry is an example of the entry's needs (taxonomy.yaml), every example
question of outside.yaml of its referral category, and every question of the training corpus
(training.py, residents' own wording, at the calibrated training weight) of its needs or referral.
The referral classes together are the out-of-scope detector: `outside()` is their summed
probability. A question's need probabilities say what it is about even when no phrasing is close
in wording: a long story that mentions a death, a school and no money is about bereavement and
education. Classes are the needs (a few dozen), not the entries, so training stays fast at 10,000
entries. Complement naive Bayes (a linear model: one weight per n-gram and class) on the TF-IDF n-grams
of text and sound keys; the matcher uses the probability of a candidate's needs as one feature,
and `try` shows the top needs and P(out of scope).

The weights are scikit-learn's ComplementNB's (a test checks the probabilities are the same), kept
sparse: a class's weight for an n-gram is log Z_c − log(N_f + α − n_cf) (n_cf the n-gram's weight
in the class, N_f in all, Z_c the class's complement total), and the part log(N_f + α) − log(N_f +
α − n_cf) is zero wherever the class never has the n-gram, while −log(N_f + α) is the same for every
class and cancels in the softmax. ComplementNB itself fills a dense n-grams × classes table
(700,000 × 60 at 10,000 entries: 4–7 s and 300 MB); this is one sparse pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from bot.knowledge.csr import Csr, Postings
from bot.knowledge.training import REFERRAL

if TYPE_CHECKING:
    from scipy import sparse

# Smoothing of the complement counts; chosen with the model (complement naive Bayes over SGD logistic
# regression: need top-1 0.83 against 0.77, out-of-scope 0.58 against 0.62, fitted 20 times faster)
# by 5-fold cross-validation on the training corpus.
ALPHA = 1.0
# Naive Bayes scores are far too flat as probabilities; they are multiplied by this before the
# softmax (grid 1, 3, 10, 20, 40: best held-out log-likelihood of the right needs, same folds).
# With three corpora (2,251 questions, corpus weight 3) the cross-validated utility of the
# decisions is flat from 2 to 5 and lower at 10 and 20 (wrong answers 0.046 at 5, 0.056 at 10), but
# 5 lowered the first dev set's right answers from 0.899 to 0.879 and raised the residents' set's
# out-of-scope answered from 0.034 to 0.050 (its gate): kept at 10 until a corpus-size-aware
# choice is cross-validated.
SHARPNESS = 10.0


class NeedClassifier:
    def __init__(
        self,
        rows: sparse.csr_matrix,
        labels: Sequence[tuple[str, ...]],
        weights: Sequence[float] | None = None,
    ) -> None:
        """`rows`: one TF-IDF row per example; `labels`: its needs (or referral id); `weights`: its weight.

        An example with several needs counts once for each. scipy is imported here, at fitting time:
        the fitted weights are plain arrays (csr.py), and a worker that only scores never loads it.
        """
        from scipy import sparse

        repeat = np.asarray([len(names) for names in labels])
        index = np.repeat(np.arange(rows.shape[0]), repeat)
        targets = [name for names in labels for name in names]
        weight = np.repeat(np.ones(len(labels)) if weights is None else np.asarray(weights, float), repeat)
        self.classes: tuple[str, ...] = tuple(sorted(set(targets)))
        self._column = {name: i for i, name in enumerate(self.classes)}
        self._referrals = np.asarray([n.startswith(REFERRAL) for n in self.classes], bool)
        # Complement naive Bayes learns from each class's weighted sum of examples only: one sparse
        # product gives the classes × features counts.
        classes = np.asarray([self._column[name] for name in targets], np.int64)
        assign = sparse.csr_matrix((weight, (classes, index)), shape=(len(self.classes), rows.shape[0]))
        counts = (assign @ sparse.csr_matrix(rows, dtype=np.float64)).tocsr()
        total = np.asarray(counts.sum(axis=0)).ravel() + ALPHA  # N_f + α
        complement = total.sum() - np.asarray(counts.sum(axis=1)).ravel()  # Z_c
        self._scale = np.log(complement)
        delta = counts.tocoo()
        gain = np.log(total[delta.col]) - np.log(total[delta.col] - delta.data)
        shape = (rows.shape[1], len(self.classes))  # features × classes
        self._gains = Postings(Csr.of(sparse.csr_matrix((gain, (delta.col, delta.row)), shape=shape)))

    @property
    def gains(self) -> Csr:
        """The weights as a features × classes matrix (for a product shared with the matcher's)."""
        return self._gains.matrix

    def probabilities(
        self, features: np.ndarray, weights: np.ndarray, gains: np.ndarray | None = None
    ) -> np.ndarray:
        """One probability per class (softmax of the linear scores) for one query's features.

        `gains`: the query's product with `self.gains` when it is already known.
        """
        if len(self.classes) < 2:
            return np.ones(len(self.classes))
        found = self._gains.dot(features, weights) if gains is None else gains
        scores = SHARPNESS * (float(weights.sum()) * self._scale + found)
        scores = np.exp(scores - scores.max())
        probabilities: np.ndarray = scores / scores.sum()
        return probabilities

    def outside(self, probabilities: np.ndarray) -> float:
        """The probability that the question belongs to another office (any referral class)."""
        return float(probabilities[self._referrals].sum())

    def top(self, probabilities: np.ndarray, count: int = 3) -> list[tuple[str, float]]:
        order = np.argsort(-probabilities)[:count]
        return [(self.classes[i], float(probabilities[i])) for i in order]
