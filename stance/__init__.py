"""Stance and sentiment classification of statements.

>>> from stance import load_model
>>> model = load_model("outputs/2026-01-01/12-00-00_123-abcdef")   # doctest: +SKIP
>>> model.predict(frame)                                            # doctest: +SKIP

The names below are imported when first used (PEP 562), so that ``import stance.train`` and
the command-line entry points start without loading scikit-learn and pandas first (issue 25).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Public name -> the module that defines it.
_EXPORTS = {
    "COLUMNS": "stance.data.schema",
    "CORPORA": "stance.data",
    "REQUIRED_COLUMNS": "stance.data.schema",
    "SENTIMENT_LABELS": "stance.data.schema",
    "STANCE_LABELS": "stance.data.schema",
    "ConfigError": "stance.errors",
    "DataError": "stance.errors",
    "FineTunedEncoder": "stance.models",
    "GroupConsistency": "stance.models",
    "MajorityClassifier": "stance.models",
    "ModelFileError": "stance.errors",
    "PairedDirections": "stance.models",
    "PerTargetClassifier": "stance.models",
    "ScoreBlend": "stance.models",
    "StanceError": "stance.errors",
    "StanceModel": "stance.predict.model",
    "TextView": "stance.features",
    "build_model": "stance.models",
    "load_corpus": "stance.data",
    "load_model": "stance.predict.model",
    "ngram_features": "stance.features",
}

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


def __getattr__(name: str) -> Any:
    """A public name, imported from its module on first use."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'stance' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})


if TYPE_CHECKING:  # the same names, for type checkers and editors
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
