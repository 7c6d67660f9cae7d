"""Pull each pair's scores toward those of the same pair elsewhere in the same document."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.validation import check_is_fitted

from stance.errors import ConfigError, DataError
from stance.models.blend import label_of_scores


def consistent_scores(scores: np.ndarray, groups: np.ndarray, weight: float) -> np.ndarray:
    """Each row's `scores` plus `weight` x the mean scores of the other rows of its group.

    `groups` holds one integer per row; rows of group -1, and rows alone in their group, keep
    their scores. `scores` is one margin per row or one column per class.
    """
    scores = np.asarray(scores, dtype=float)
    groups = np.asarray(groups)
    if len(groups) != len(scores):
        raise ValueError(f"{len(scores)} score rows but {len(groups)} group ids.")
    out = scores.copy()
    member = groups >= 0
    if weight == 0 or not member.any():
        return out
    codes, inverse = np.unique(groups[member], return_inverse=True)
    sums = np.zeros((len(codes), *scores.shape[1:]))
    np.add.at(sums, inverse, scores[member])
    sizes = np.bincount(inverse, minlength=len(codes))
    others = sizes[inverse] - 1
    shape = (-1,) + (1,) * (scores.ndim - 1)
    shared = others > 0
    mean_others = (sums[inverse] - scores[member]) / np.maximum(others, 1).reshape(shape)
    rows = np.flatnonzero(member)[shared]
    out[rows] += weight * mean_others[shared]
    return out


class GroupConsistency(ClassifierMixin, BaseEstimator):
    """Fit `estimator`; at prediction, add to each row `weight` x the mean decision scores of
    the other rows about the same (source, target) pair in the same document.

    A stance between two actors rarely changes within one news story, so rows that share the
    document columns (`by`, e.g. a story id) and the pair are read together: a row the model
    finds hard takes the side its pair has elsewhere in the story. Rows are grouped only within
    one call to ``predict``/``decision_function``; a single row, a row whose pair occurs once,
    and a row with an actor in `placeholders` (a name that stands for different actors, such as
    "Not in the list") keep the estimator's own scores. ``stance predict`` calls the model once
    per batch of ``--chunk-size`` rows, so keep a document's rows together in the input file.
    Choose `weight` on dev.

    Parameters
    ----------
    estimator : unfitted classifier with ``decision_function`` (e.g. a whole pipeline).
    by : columns that name the document a row comes from.
    pair : the source and target columns.
    symmetric : group (A, B) with (B, A) as well.
    placeholders : actor values never grouped.
    weight : how much the other rows of the group count (0: the estimator alone).
    """

    #: Its scores depend on the other rows of a call: ``StanceModel.predict`` passes the
    #: rows in one call rather than in batches.
    groups_within_call = True

    def __init__(
        self,
        estimator: Any,
        by: Sequence[str] = ("story",),
        pair: Sequence[str] = ("source", "target"),
        symmetric: bool = True,
        placeholders: Sequence[str] = (),
        weight: float = 1.0,
    ) -> None:
        self.estimator = estimator
        self.by = by
        self.pair = pair
        self.symmetric = symmetric
        self.placeholders = placeholders
        self.weight = weight

    def fit(self, X, y) -> GroupConsistency:
        if len(self.pair) != 2:
            raise ConfigError(f"GroupConsistency: pair names two columns, got {list(self.pair)}.")
        if self.weight < 0:
            raise ConfigError(f"GroupConsistency: weight must be >= 0, got {self.weight}.")
        self.estimator_ = clone(self.estimator).fit(X, y)
        self.classes_ = np.asarray(self.estimator_.classes_)
        self.n_features_in_ = getattr(self.estimator_, "n_features_in_", 1)
        return self

    def decision_function(self, X) -> np.ndarray:
        check_is_fitted(self, "estimator_")
        scores = np.asarray(self.estimator_.decision_function(X), dtype=float)
        return consistent_scores(scores, self.groups(X), self.weight)

    # No predict_proba on purpose: StanceModel reads probabilities first when a model has them,
    # which would bypass the grouping.
    def predict(self, X) -> np.ndarray:
        return label_of_scores(self.classes_, self.decision_function(X))

    def groups(self, X) -> np.ndarray:
        """One group id per row of `X` (-1: not grouped)."""
        columns = [*self.by, *self.pair]
        if not isinstance(X, pd.DataFrame):
            raise DataError(f"GroupConsistency needs a DataFrame with columns {columns}.")
        missing = [c for c in columns if c not in X.columns]
        if missing:
            raise DataError(
                f"input lacks column(s) {missing} that this model groups rows by; add them "
                "(e.g. a story or document id) to the input."
            )
        source, target = (_strings(X[column]) for column in self.pair)
        if self.symmetric:
            first = source <= target
            source, target = np.where(first, source, target), np.where(first, target, source)
        keys = pd.DataFrame({f"by{i}": _strings(X[c]) for i, c in enumerate(self.by)})
        keys["source"], keys["target"] = source, target
        codes = keys.groupby(list(keys.columns), sort=False).ngroup().to_numpy()
        alone = np.isin(source, list(self.placeholders)) | np.isin(target, list(self.placeholders))
        alone |= X[columns].isna().any(axis=1).to_numpy()
        return np.where(alone, -1, codes)

    def needed_columns(self) -> tuple[str, ...]:
        """Input columns read: the estimator's and the grouping columns."""
        from stance.models.build import input_columns

        return tuple(dict.fromkeys([*input_columns(self.estimator), *self.by, *self.pair]))


def _strings(column: pd.Series) -> np.ndarray:
    """`column` as a numpy array of str (missing values as "")."""
    return column.fillna("").astype(str).to_numpy(dtype=str)
