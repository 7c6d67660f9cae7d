"""A rule baseline for actor pairs: the stance a CAMEO event code carries, nothing learned."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin

__all__ = ["CameoRules"]


class CameoRules(ClassifierMixin, BaseEstimator):
    """Support when the event from the source to the target has a cooperation code, oppose
    when it has a conflict code, neutral when there is none (or it is negated).

    Reads the output of :class:`stance.features.events.EventCodes` (CAMEO root of the forward
    event, 0 for none; negated flag). The default roots are the QuadClass split of issue 24:
    01-09 cooperation, 10-20 conflict.

    Parameters
    ----------
    support_roots, oppose_roots : CAMEO roots (1-20) read as support and as oppose.
    negation : a negated event gives neutral (True) or is read as it is (False).
    """

    def __init__(
        self,
        support_roots: Sequence[int] = tuple(range(1, 10)),
        oppose_roots: Sequence[int] = tuple(range(10, 21)),
        negation: bool = True,
    ) -> None:
        self.support_roots = support_roots
        self.oppose_roots = oppose_roots
        self.negation = negation

    def fit(self, X: Any, y: Any = None) -> CameoRules:
        self.classes_ = np.array(["neutral", "oppose", "support"], dtype=object)
        self.n_features_in_ = np.asarray(X).shape[1]
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        """One column per class of :attr:`classes_`: 1 for the rule's label, 0 otherwise."""
        X = np.asarray(X)
        roots, negated = X[:, 0], X[:, 1].astype(bool)
        live = ~negated if self.negation else np.ones(len(X), dtype=bool)
        support = np.isin(roots, list(self.support_roots)) & live
        oppose = np.isin(roots, list(self.oppose_roots)) & live
        neutral = ~(support | oppose)
        return np.column_stack([neutral, oppose, support]).astype(float)

    def predict(self, X: Any) -> np.ndarray:
        return self.classes_[self.decision_function(X).argmax(axis=1)]
