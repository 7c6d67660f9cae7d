"""Who the two actors of a pair are: their CAMEO roles, as indicator features.

A government acts on rebels, police on protesters, media report: the roles in the actor codes
(``IRQGOV``, ``IRQREB``; :mod:`stance.actors.cameo_codes`) say much about whether and which way
an event runs. :class:`PairRoles` gives ``S_<role>`` and ``T_<role>`` (``NONE`` for a bare
root, ``ORG`` for an organisation), their combination ``ST_<role>_<role>``, and ``SAME_ROOT``
when both actors belong to one state.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction import DictVectorizer

from stance.actors.cameo_codes import split_code, state_ids

__all__ = ["PairRoles"]


def _role(code: Any) -> tuple[str, str]:
    root, role = split_code(str(code))
    if root not in state_ids():
        return root, "ORG"
    return root, role or "NONE"


class PairRoles(TransformerMixin, BaseEstimator):
    """Indicator features of the pair's roles (see the module doc); reads ``source`` and
    ``target`` when the input has them (raw-text prediction always does), else gives
    ``S_UNKNOWN``/``T_UNKNOWN``, so rows of mentions alone can still be labelled."""

    def _dicts(self, X: pd.DataFrame) -> list[dict[str, float]]:
        if not {"source", "target"} <= set(X.columns):
            return [{"S_UNKNOWN": 1.0, "T_UNKNOWN": 1.0} for _ in range(len(X))]
        out = []
        for source, target in zip(X["source"].tolist(), X["target"].tolist(), strict=True):
            (s_root, s_role), (t_root, t_role) = _role(source), _role(target)
            row = {f"S_{s_role}": 1.0, f"T_{t_role}": 1.0, f"ST_{s_role}_{t_role}": 1.0}
            if s_root == t_root:
                row["SAME_ROOT"] = 1.0
            out.append(row)
        return out

    def fit(self, X: pd.DataFrame, y: Any = None) -> PairRoles:
        self.vectorizer_ = DictVectorizer().fit(self._dicts(X) or [{}])
        self.n_features_in_ = 1
        return self

    def transform(self, X: pd.DataFrame) -> sparse.csr_matrix:
        return sparse.csr_matrix(self.vectorizer_.transform(self._dicts(X)))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return self.vectorizer_.get_feature_names_out()

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags
