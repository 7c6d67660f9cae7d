"""Label both directions of an actor pair from one reading of the pair.

A pair corpus has two rows per pair of mentions in a text: source -> target and its reverse.
:class:`PairedDirections` reads each pair once, in the direction whose source is mentioned
first (DSE's ``forward`` row), and its inner model learns the *joint* label
``"<stance of that direction>|<stance of the reverse>"`` (``"support|neutral"``). So one model
sees that, say, only one side of the sentence takes a stance, instead of labelling the two
directions independently; a row's scores are then read off the joint probabilities.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.validation import check_is_fitted

from stance.errors import ConfigError, DataError
from stance.features.spans import located_pairs

#: Column pairs exchanged to turn a row into its reverse (each pair when the row has both).
SWAPPED = (
    ("source", "target"),
    ("source_mention", "target_mention"),
    ("source_start", "target_start"),
)
SCORES = ("marginal", "joint")
_SEP = "|"
_FLOOR = 1e-12


class PairedDirections(ClassifierMixin, BaseEstimator):
    """Fit `estimator` once per pair of directions, on joint labels, and score each direction.

    Parameters
    ----------
    estimator : unfitted classifier over pair rows with ``predict_proba`` (a whole model, e.g. a
        tagged :class:`~stance.features.pair_views.PairView` and a fine-tuned encoder).
    scores : ``"marginal"`` gives each row log P(its stance = c), summed over the reverse's
        stance (proper per-row probabilities). ``"joint"`` gives log P(the row's stance is c and
        the reverse's is `neutral`) for c != `neutral`, and log P(both neutral) for `neutral`:
        with DSE's argmax rule (:mod:`stance.evaluation.directed`) the five item scores are then
        exactly the log-probabilities of the five joint labels.
    neutral : the label of "no stance".
    """

    def __init__(self, estimator: Any, scores: str = "marginal", neutral: str = "neutral") -> None:
        self.estimator = estimator
        self.scores = scores
        self.neutral = neutral

    def fit(self, X: pd.DataFrame, y) -> PairedDirections:
        if self.scores not in SCORES:
            raise ConfigError(
                f"PairedDirections: scores={self.scores!r}; use one of {list(SCORES)}."
            )
        rows = _frame(X)
        labels = np.asarray(y).astype(str)
        if len(labels) != len(rows):
            raise DataError(f"PairedDirections: {len(rows)} rows but {len(labels)} labels.")
        first, keys = _readings(rows)
        seen: Counter = Counter()
        occurrence = []  # the k-th reading of a pair goes with the k-th reverse row of it
        for is_first, key in zip(first, keys, strict=True):
            occurrence.append(seen[(is_first, key)])
            seen[(is_first, key)] += 1
        reverse_of = {(keys[i], occurrence[i]): i for i in range(len(rows)) if not first[i]}
        readings = [i for i in range(len(rows)) if first[i]]
        partner = {i: reverse_of.get((keys[i], occurrence[i])) for i in readings}
        lonely = [i for i, j in partner.items() if j is None]
        lonely += sorted(set(reverse_of.values()) - set(partner.values()))
        if lonely:
            example = rows.iloc[lonely[0]]
            raise DataError(
                f"PairedDirections: {len(lonely)} training row(s) lack their reverse row (first: "
                f"{example['source_mention']!r} -> {example['target_mention']!r}); it needs both "
                "directions of every pair (source -> target and target -> source in one text)."
            )
        joint = [f"{labels[i]}{_SEP}{labels[partner[i]]}" for i in readings]
        self.classes_ = np.unique(labels)
        if self.scores == "joint" and self.neutral not in self.classes_:
            raise DataError(
                f"PairedDirections: scores='joint' needs the neutral label {self.neutral!r} "
                f"among the labels {self.classes_.tolist()}; set `neutral` or use 'marginal'."
            )
        self.estimator_ = clone(self.estimator).fit(
            rows.iloc[readings].reset_index(drop=True), np.asarray(joint)
        )
        self.n_features_in_ = 1
        return self

    def decision_function(self, X: pd.DataFrame) -> np.ndarray:
        """Log-probabilities per class (see `scores`), in ``classes_`` order."""
        check_is_fitted(self, "estimator_")
        rows = _frame(X)
        if len(rows) == 0:
            return np.zeros((0, len(self.classes_)))
        first, keys = _readings(rows)
        once: dict[tuple, int] = {}  # each pair is read once, however many of its rows come
        index = [once.setdefault(key, i) for i, key in enumerate(keys)]
        readers, of_row = np.unique(index, return_inverse=True)
        reading = _as_readings(rows.iloc[readers], first[readers])
        proba = np.asarray(self.estimator_.predict_proba(reading))[of_row]
        pairs = [str(c).split(_SEP) for c in self.estimator_.classes_]
        out = np.empty((len(rows), len(self.classes_)))
        for r, label in enumerate(self.classes_):
            own_first = [j for j, (a, b) in enumerate(pairs) if a == label and self._kept(b)]
            own_second = [j for j, (a, b) in enumerate(pairs) if b == label and self._kept(a)]
            as_first = proba[:, own_first].sum(axis=1)
            as_second = proba[:, own_second].sum(axis=1)
            out[:, r] = np.where(first, as_first, as_second)
        return np.log(np.maximum(out, _FLOOR))

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return self.classes_[self.decision_function(X).argmax(axis=1)]

    def needed_columns(self) -> tuple[str, ...]:
        """Input columns read: the inner model's (see :func:`stance.models.input_columns`)."""
        from stance.models.build import input_columns

        return tuple(input_columns(self.estimator))

    def _kept(self, other: str) -> bool:
        """Whether a joint label whose other direction is `other` counts toward a row's score."""
        return self.scores == "marginal" or other == self.neutral


def _frame(X: Any) -> pd.DataFrame:
    if not isinstance(X, pd.DataFrame):
        raise DataError(
            f"PairedDirections reads pair rows as a DataFrame, got {type(X).__name__}; give "
            "it the rows with 'text', 'source_mention' and 'target_mention'."
        )
    missing = [c for c in ("text", "source_mention", "target_mention") if c not in X.columns]
    if missing:
        raise DataError(f"PairedDirections: input lacks column(s) {missing}; add them.")
    return X.reset_index(drop=True)


def _readings(rows: pd.DataFrame) -> tuple[np.ndarray, list[tuple]]:
    """Whether each row is its pair's reading (source mentioned first), and the pair's key."""
    first, keys = [], []
    for (text, source, target), s_mention, t_mention in zip(
        located_pairs(rows), rows["source_mention"], rows["target_mention"], strict=True
    ):
        s_key = (source[0] if source else math.inf, str(s_mention))
        t_key = (target[0] if target else math.inf, str(t_mention))
        is_first = s_key <= t_key
        first.append(is_first)
        keys.append((text, s_key, t_key) if is_first else (text, t_key, s_key))
    return np.asarray(first, dtype=bool), keys


def _as_readings(rows: pd.DataFrame, first: np.ndarray) -> pd.DataFrame:
    """`rows`, with source and target swapped in those that are not their pair's reading."""
    out = rows.reset_index(drop=True).copy()
    swap = ~np.asarray(first, dtype=bool)
    for left, right in SWAPPED:
        if left in out.columns and right in out.columns:
            values = out.loc[swap, [right, left]].to_numpy()
            out.loc[swap, [left, right]] = values
    return out
