"""Assemble the configured features and classifier into one estimator."""

from __future__ import annotations

from sklearn.base import BaseEstimator
from sklearn.pipeline import Pipeline

from stance.models.per_target import PerTargetClassifier


def build_model(
    features: BaseEstimator,
    classifier: BaseEstimator,
    per_target: bool = False,
    n_jobs: int | None = None,
) -> BaseEstimator:
    """``features -> classifier``, wrapped in one model per target when `per_target` (whose
    models `n_jobs` processes fit side by side)."""
    pipeline = Pipeline([("features", features), ("classifier", classifier)])
    return PerTargetClassifier(pipeline, n_jobs=n_jobs) if per_target else pipeline


def input_columns(model: BaseEstimator) -> list[str]:
    """Input columns `model` reads: those its parts declare with ``needed_columns()`` (text
    views, target-augmented features), plus the per-target column."""
    parts = [model, *model.get_params(deep=True).values()]
    columns = ["text"]
    for part in parts:
        needed = getattr(part, "needed_columns", None)
        if callable(needed) and not isinstance(part, type):
            columns += needed()
        if isinstance(part, PerTargetClassifier):
            columns.append(part.group_column)
    return list(dict.fromkeys(columns))
