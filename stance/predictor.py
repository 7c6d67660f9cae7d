"""A trained model as users import it: ``load_model(run).predict(frame)``."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from stance.errors import DataError
from stance.runs.model_files import load_model_file


def class_scores(model: Any, X: Any) -> tuple[np.ndarray, str]:
    """Per-class scores in ``model.classes_`` order: probabilities when the model has them."""
    if hasattr(model, "predict_proba"):
        return np.asarray(model.predict_proba(X)), "probability"
    scores = np.asarray(model.decision_function(X))
    if scores.ndim == 1:
        scores = np.column_stack([-scores, scores])
    return scores, "decision"


class StanceModel:
    """A fitted pipeline with what it needs to know about its task.

    Parameters
    ----------
    estimator : the fitted scikit-learn model (a pipeline taking a DataFrame).
    metadata : ``task`` (the label column), ``labels`` and ``input_columns`` at least.
    """

    def __init__(self, estimator: Any, metadata: dict[str, Any]) -> None:
        self.estimator = estimator
        self.metadata = metadata

    @property
    def task(self) -> str:
        """The label column this model predicts: ``stance`` or ``sentiment``."""
        return self.metadata["task"]

    @property
    def classes(self) -> list[str]:
        """Labels in the order of the score columns."""
        return [str(c) for c in self.estimator.classes_]

    @property
    def input_columns(self) -> list[str]:
        """Columns `predict` needs in its input."""
        return list(self.metadata["input_columns"])

    def predict(self, data: pd.DataFrame | Sequence[str]) -> pd.DataFrame:
        """Label each row of `data`.

        Returns the input columns (a gold column named like the task is kept as
        ``<task>_gold``), then the predicted label in a column named by the task
        (``stance`` or ``sentiment``) and one ``score_<label>`` column per class.
        """
        frame = self._as_frame(data)
        out = frame.rename(columns={self.task: f"{self.task}_gold"})
        if len(frame) == 0:
            out[self.task] = pd.Series(dtype=object)
            for label in self.classes:
                out[f"score_{label}"] = pd.Series(dtype=float)
            return out
        scores, _ = class_scores(self.estimator, frame)
        classes = np.asarray(self.estimator.classes_)
        out[self.task] = classes[np.argmax(scores, axis=1)]
        for i, label in enumerate(self.classes):
            out[f"score_{label}"] = scores[:, i]
        return out

    def _as_frame(self, data: pd.DataFrame | Sequence[str]) -> pd.DataFrame:
        if isinstance(data, str):
            raise DataError("predict() takes a list of texts or a DataFrame, not one string.")
        frame = (
            data.copy() if isinstance(data, pd.DataFrame) else pd.DataFrame({"text": list(data)})
        )
        missing = [c for c in self.input_columns if c not in frame.columns]
        if missing:
            raise DataError(
                f"input lacks column(s) {missing} that this {self.task} model needs "
                f"(it reads {self.input_columns}); add them to the input."
            )
        text = frame["text"]
        blank = text.isna() | (text.astype(str).str.strip() == "")
        if blank.any():
            raise DataError(
                f"input has {int(blank.sum())} empty or whitespace-only text(s) (first at row "
                f"{int(np.argmax(blank.to_numpy()))}); remove or fill them."
            )
        return frame.reset_index(drop=True)

    def __repr__(self) -> str:
        return f"StanceModel(task={self.task!r}, classes={self.classes})"


def load_model(path: str | Path, allow_pickle: bool = False) -> StanceModel:
    """Load a trained model from a run folder, its ``model/`` folder or its model file.

    Only skops files whose hash matches their metadata and whose types are on the saved
    trusted list are loaded; pickle/joblib files are refused unless `allow_pickle` is set.
    """
    estimator, metadata = load_model_file(path, allow_pickle=allow_pickle)
    return StanceModel(estimator, metadata)
