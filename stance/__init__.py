"""Stance and sentiment classification of statements.

>>> from stance import load_model
>>> model = load_model("outputs/2026-01-01/12-00-00_123-abcdef")   # doctest: +SKIP
>>> model.predict(frame)                                            # doctest: +SKIP
"""

from stance.data import CORPORA, load_corpus
from stance.data.schema import COLUMNS, REQUIRED_COLUMNS, SENTIMENT_LABELS, STANCE_LABELS
from stance.errors import ConfigError, DataError, ModelFileError, StanceError
from stance.features import TextView, ngram_features
from stance.models import (
    FineTunedEncoder,
    GroupConsistency,
    MajorityClassifier,
    PairedDirections,
    PerTargetClassifier,
    ScoreBlend,
    build_model,
)
from stance.predict.model import StanceModel, load_model

__version__ = "0.1.0"

__all__ = [
    "COLUMNS",
    "CORPORA",
    "REQUIRED_COLUMNS",
    "SENTIMENT_LABELS",
    "STANCE_LABELS",
    "ConfigError",
    "DataError",
    "FineTunedEncoder",
    "GroupConsistency",
    "MajorityClassifier",
    "ModelFileError",
    "PairedDirections",
    "PerTargetClassifier",
    "ScoreBlend",
    "StanceError",
    "StanceModel",
    "TextView",
    "build_model",
    "load_corpus",
    "load_model",
    "ngram_features",
]
