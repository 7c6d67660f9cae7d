"""A weighted sum of the decision scores of several classifiers fitted on the same rows."""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.utils.validation import check_is_fitted

from stance.errors import ConfigError


def label_of_scores(classes: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """The class of each row's decision scores: the sign of one margin (two classes, the second
    positive) or the argmax of one column per class."""
    if scores.ndim == 1:
        return classes[(scores > 0).astype(int)]
    return classes[scores.argmax(axis=1)]


class ScoreBlend(ClassifierMixin, BaseEstimator):
    """Fit every member on the same input and predict the class of the highest weighted sum of
    their ``decision_function`` scores.

    Each member is a whole model (features and classifier, e.g. from
    :func:`stance.models.build_model`), so members may read different columns or views of the
    rows: an n-gram SVM beside a fine-tuned encoder. Scores are summed as they come (an SVM's
    margins, an encoder's logits), so choose `weights` on dev; a member of weight 0 is not fitted.

    Parameters
    ----------
    estimators : name -> unfitted classifier; all must learn the same classes.
    weights : name -> weight (1 for a name not given).
    """

    def __init__(self, estimators: dict[str, Any], weights: dict[str, float] | None = None) -> None:
        self.estimators = estimators
        self.weights = weights

    def fit(self, X, y) -> ScoreBlend:
        weights = self._weights()
        self.estimators_ = {
            name: clone(member).fit(X, y)
            for name, member in self.estimators.items()
            if weights[name] != 0
        }
        classes = {name: list(m.classes_) for name, m in self.estimators_.items()}
        first = next(iter(classes.values()))
        if any(c != first for c in classes.values()):
            raise ConfigError(f"ScoreBlend: members learned different classes: {classes}.")
        self.classes_ = np.asarray(first)
        self.n_features_in_ = getattr(next(iter(self.estimators_.values())), "n_features_in_", 1)
        return self

    def decision_function(self, X) -> np.ndarray:
        check_is_fitted(self, "estimators_")
        weights = self._weights()
        total = None
        for name, member in self.estimators_.items():
            scores = np.asarray(member.decision_function(X), dtype=float)
            if scores.ndim == 1:  # two classes: the margin of the second
                scores = np.stack([-scores, scores], axis=1) / 2
            total = weights[name] * scores if total is None else total + weights[name] * scores
        return total if len(self.classes_) > 2 else total[:, 1] - total[:, 0]

    def predict(self, X) -> np.ndarray:
        return label_of_scores(self.classes_, self.decision_function(X))

    def needed_columns(self) -> tuple[str, ...]:
        """Input columns the members read (see :func:`stance.models.build.input_columns`)."""
        from stance.models.build import input_columns

        columns = [c for member in self.estimators.values() for c in input_columns(member)]
        return tuple(dict.fromkeys(columns))

    def _weights(self) -> dict[str, float]:
        if not self.estimators:
            raise ConfigError("ScoreBlend: no estimators given.")
        weights = dict(self.weights or {})
        unknown = sorted(set(weights) - set(self.estimators))
        if unknown:
            raise ConfigError(
                f"ScoreBlend: weights for members that are not there: {unknown}; "
                f"members are {sorted(self.estimators)}."
            )
        out = {name: float(weights.get(name, 1.0)) for name in self.estimators}
        if not any(out.values()):
            raise ConfigError("ScoreBlend: every weight is 0; give at least one member a weight.")
        return out
