"""Target-aware features for one pooled model over several targets.

:class:`TargetAugmented` is the "frustratingly easy" feature augmentation (Daumé III 2007)
with targets as domains: every feature appears once shared by all targets (scaled by
`shared_weight`) and once more in a copy that is non-zero only for rows of its own target. A
linear model on these columns learns, jointly, what all targets have in common and what is
specific to one; with a shared weight of 0 it is the same as one model per target.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin, clone
from sklearn.utils.validation import check_is_fitted

from stance.errors import DataError


class TargetAugmented(TransformerMixin, BaseEstimator):
    """``[shared_weight * F(X), F(X) * [target == t] for each training target t]``.

    Parameters
    ----------
    features : a transformer taking the same DataFrame (e.g. an n-gram pipeline).
    column : the input column that names each row's target.
    shared_weight : scale of the shared copy (0 drops it).

    A target not seen in training gets only the shared copy (its own columns stay zero).
    """

    def __init__(self, features, column: str = "target", shared_weight: float = 0.5) -> None:
        self.features = features
        self.column = column
        self.shared_weight = shared_weight

    def fit(self, X: pd.DataFrame, y=None) -> TargetAugmented:
        self.fit_transform(X, y)
        return self

    def fit_transform(self, X: pd.DataFrame, y=None, **fit_params) -> sp.csr_matrix:
        groups = self._groups(X)
        self.targets_ = np.asarray(sorted(set(groups)), dtype=object)
        self.features_ = clone(self.features)
        inner = self.features_.fit_transform(X, y)
        self.n_features_in_ = 1
        self.n_inner_features_ = int(inner.shape[1])
        return self._augment(inner, groups)

    def transform(self, X: pd.DataFrame) -> sp.csr_matrix:
        check_is_fitted(self, "features_")
        return self._augment(self.features_.transform(X), self._groups(X))

    def _augment(self, inner, groups: np.ndarray) -> sp.csr_matrix:
        inner = sp.csr_matrix(inner, dtype=np.float64)
        blocks = [inner * float(self.shared_weight)]
        for target in self.targets_:
            mask = sp.diags((groups == target).astype(np.float64))
            blocks.append(mask @ inner)
        return sp.hstack(blocks, format="csr")

    def get_feature_names_out(self, input_features: Sequence[str] | None = None) -> np.ndarray:
        check_is_fitted(self, "features_")
        inner = np.asarray(self.features_.get_feature_names_out(), dtype=object)
        names = [f"shared__{n}" for n in inner]
        for target in self.targets_:
            names += [f"{target}__{n}" for n in inner]
        return np.asarray(names, dtype=object)

    def needed_columns(self) -> tuple[str, ...]:
        """Input columns read here besides those of the inner features."""
        return (self.column,)

    def _groups(self, X) -> np.ndarray:
        if not isinstance(X, pd.DataFrame) or self.column not in X.columns:
            raise DataError(
                f"target-augmented features need a DataFrame with a {self.column!r} column "
                "(the target each text is about); add it to the input."
            )
        return X[self.column].astype(str).to_numpy()
