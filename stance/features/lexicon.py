"""Lexicon features: the VADER sentiment scores of each text (Hutto & Gilbert 2014).

VADER's lexicon ships inside the ``vaderSentiment`` package on PyPI and loads offline; it is
loaded when first needed and never saved into the model file. Needs the optional extra
``pip install "stance[lexicon]"``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from stance.errors import ConfigError

INSTALL_HINT = 'pip install "stance[lexicon]"'
VADER_SCORES = ("neg", "neu", "pos", "compound")


class VaderScores(TransformerMixin, BaseEstimator):
    """VADER's polarity scores of each text, one column per score.

    Parameters
    ----------
    scores : which of VADER's scores to return, in order: ``neg``, ``neu`` and ``pos`` (shares
        of the text, in [0, 1]) and ``compound`` (the normalised sum, in [-1, 1]).
    """

    def __init__(self, scores: Sequence[str] = VADER_SCORES) -> None:
        self.scores = scores

    def fit(self, X, y=None) -> VaderScores:
        unknown = [s for s in self.scores if s not in VADER_SCORES]
        if unknown or not self.scores:
            raise ValueError(f"VaderScores: scores must be among {VADER_SCORES}, got {unknown}.")
        text_rows(X, type(self).__name__)
        self.n_features_in_ = 1
        self.scores_ = tuple(self.scores)
        return self

    def transform(self, X) -> np.ndarray:
        check_is_fitted(self, "scores_")
        analyzer = self._analyzer()
        rows = [analyzer.polarity_scores(text) for text in text_rows(X, type(self).__name__)]
        return np.asarray(
            [[row[s] for s in self.scores_] for row in rows], dtype=np.float64
        ).reshape(len(rows), len(self.scores_))

    def get_feature_names_out(self, input_features: Sequence[str] | None = None) -> np.ndarray:
        check_is_fitted(self, "scores_")
        return np.asarray([f"vader_{s}" for s in self.scores_], dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        state.pop("_vader", None)
        return state

    def _analyzer(self):
        analyzer = self.__dict__.get("_vader")
        if analyzer is None:
            analyzer = self.__dict__["_vader"] = load_vader()
        return analyzer


def load_vader():
    """VADER's analyzer with the lexicon shipped in the ``vaderSentiment`` package."""
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        raise ConfigError(f"VADER lexicon features need vaderSentiment: {INSTALL_HINT}") from None
    return SentimentIntensityAnalyzer()


def text_rows(X, owner: str) -> list[str]:
    """The texts of `X` (one per row) as strings; a 2-d input must have a single column."""
    values = np.asarray(X, dtype=object)
    if values.ndim == 2 and values.shape[1] == 1:
        values = values[:, 0]
    if values.ndim != 1:
        raise ValueError(
            f"{owner} takes one text per row (a 1-d array), got shape {values.shape}; "
            "put a TextView in front of it."
        )
    return [str(v) for v in values]
