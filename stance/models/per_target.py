"""One model per target (as in the SemEval-2016 organisers' SVM baseline)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.validation import check_is_fitted

from stance.errors import DataError
from stance.io.forking import fork_map


class PerTargetClassifier(ClassifierMixin, BaseEstimator):
    """Fit a clone of `estimator` for each value of `group_column`.

    Rows whose group was not seen in training go to a pooled model fitted on all rows. A group
    with a single training label always predicts it. Scores of a group model are placed into
    the columns of the overall ``classes_``; classes a group never saw get the lowest score of
    the row.

    Parameters
    ----------
    estimator : a classifier taking the same DataFrame input.
    group_column : the column that names a row's group.
    n_jobs : processes that fit the group models side by side (None: 1; -1: every usable
        CPU). They are forked copies of this one (:func:`stance.io.forking.fork_map`, Linux);
        elsewhere the fit runs in one process. The fitted models are the same either way.
    """

    #: Models saved before ``n_jobs`` existed load without it.
    n_jobs = None

    def __init__(self, estimator, group_column: str = "target", n_jobs: int | None = None) -> None:
        self.estimator = estimator
        self.group_column = group_column
        self.n_jobs = n_jobs

    def fit(self, X: pd.DataFrame, y) -> PerTargetClassifier:
        groups = self._groups(X)
        y = np.asarray(y)
        self.classes_ = np.unique(y)
        self.constant_groups_ = {}
        fitted: list[tuple[str | None, np.ndarray | None]] = []
        for group in sorted(set(groups)):
            rows = groups == group
            if len(set(y[rows])) == 1:
                self.constant_groups_[group] = str(y[rows][0])
            else:
                fitted.append((group, rows))
        fitted.append((None, None))  # the pooled model, on every row

        def fit_one(job: tuple[str | None, np.ndarray | None]):
            rows = job[1]
            if rows is None:
                return clone(self.estimator).fit(X, y)
            return clone(self.estimator).fit(X[rows], y[rows])

        costs = [len(X) if rows is None else int(rows.sum()) for _, rows in fitted]
        models = fork_map(fit_one, fitted, self.n_jobs, costs)
        pairs = zip(fitted, models, strict=True)
        self.estimators_ = {group: m for (group, _), m in pairs if group is not None}
        self.fallback_ = models[-1]
        return self

    def _scores(self, X: pd.DataFrame, method: str) -> np.ndarray:
        check_is_fitted(self)
        groups = self._groups(X)
        out = np.zeros((len(X), len(self.classes_)))
        for group in pd.unique(groups):
            rows = groups == group
            if group in self.constant_groups_:
                out[rows] = self.classes_ == self.constant_groups_[group]
                continue
            model = self.estimators_.get(group, self.fallback_)
            out[rows] = self._expand(model, getattr(model, method)(X[rows]))
        return out

    def _expand(self, model, scores: np.ndarray) -> np.ndarray:
        if scores.ndim == 1:  # binary decision_function: score of classes_[1]
            scores = np.column_stack([-scores, scores])
        full = np.repeat(scores.min(axis=1, keepdims=True) - 1.0, len(self.classes_), axis=1)
        full[:, np.searchsorted(self.classes_, model.classes_)] = scores
        return full

    def unseen_groups(self, X: pd.DataFrame) -> dict[str, int]:
        """Rows of `X` by group never seen in training (labelled by the pooled model)."""
        check_is_fitted(self)
        groups = pd.Series(self._groups(X))
        known = set(self.estimators_) | set(self.constant_groups_)
        unseen = groups[~groups.isin(known)]
        return {str(k): int(v) for k, v in unseen.value_counts().sort_index().items()}

    def predict(self, X: pd.DataFrame) -> np.ndarray:
        return self.classes_[np.argmax(self._scores(X, self._score_method()), axis=1)]

    def decision_function(self, X: pd.DataFrame) -> np.ndarray:
        return self._scores(X, self._score_method())

    def _score_method(self) -> str:
        return "predict_proba" if hasattr(self.fallback_, "predict_proba") else "decision_function"

    def _groups(self, X) -> np.ndarray:
        if not isinstance(X, pd.DataFrame) or self.group_column not in X.columns:
            raise DataError(
                f"a per-target model needs a DataFrame with a {self.group_column!r} column; "
                "add it to the input."
            )
        return X[self.group_column].astype(str).to_numpy()
