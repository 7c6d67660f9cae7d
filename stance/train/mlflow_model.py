"""A run's model as an MLflow ``pyfunc`` model, loaded by :func:`stance.load_model`.

The MLflow model holds the run's ``model/`` folder (``model.skops``, ``trusted_types.json``,
``metadata.json``) as its data and names this module as its loader: MLflow calls
:func:`_load_pyfunc`, which calls :func:`stance.load_model`, so the SHA-256 and trusted-types
checks run as for any other load. Nothing is pickled: not the estimator, not a wrapper object.

The input signature is the model's input columns (strings), so ``mlflow models serve`` checks a
request's columns; the output is the predicted label and one ``score_<label>`` per class.
Serving needs ``stance`` installed where the model is served (``--env-manager local``).
Every MLflow model names this module in its ``MLmodel`` (``loader_module``): keep its import path,
as for the estimators in model files.
"""

from __future__ import annotations

import json
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

import pandas as pd

from stance.io.model_files import METADATA_FILE
from stance.predict.model import StanceModel, load_model


class StancePyfunc:
    """What :func:`_load_pyfunc` returns: ``predict`` labels rows with the run's model."""

    def __init__(self, model: StanceModel) -> None:
        self.model = model

    def predict(self, model_input: pd.DataFrame, params: dict[str, Any] | None = None):
        """The label column (named by the task) and ``score_<label>`` per class, one row each."""
        frame = pd.DataFrame(model_input)
        out = self.model.predict(frame[self.model.input_columns])
        return out[[self.model.task, *(f"score_{c}" for c in self.model.classes)]]


def _load_pyfunc(data_path: str) -> StancePyfunc:
    """MLflow's entry point: load the model folder saved as the MLflow model's data."""
    return StancePyfunc(load_model(data_path))


def _requirements() -> list[str]:
    """Pinned requirements of the environment the model was trained in."""
    pins = []
    for name in ("stance", "scikit-learn", "skops", "numpy", "scipy", "pandas"):
        try:
            pins.append(f"{name}=={importlib_metadata.version(name)}")
        except importlib_metadata.PackageNotFoundError:
            continue
    return pins


def save_pyfunc(model_dir: Path, path: Path, example: pd.DataFrame | None = None) -> Path:
    """Write the MLflow model of the run's `model_dir` to the new folder `path`.

    `example`: a few input rows, saved as the model's input example (MLflow writes the request
    body ``mlflow models serve`` takes for them to ``serving_input_example.json``).
    """
    import mlflow.pyfunc
    from mlflow.models import ModelSignature
    from mlflow.types import ColSpec, Schema

    meta = json.loads((model_dir / METADATA_FILE).read_text(encoding="utf-8"))
    task, classes = meta["task"], [str(c) for c in meta["classes"]]
    signature = ModelSignature(
        inputs=Schema([ColSpec("string", column) for column in meta["input_columns"]]),
        outputs=Schema(
            [ColSpec("string", task), *(ColSpec("double", f"score_{c}") for c in classes)]
        ),
    )
    mlflow.pyfunc.save_model(
        path=str(path),
        loader_module=__name__,
        data_path=str(model_dir),
        signature=signature,
        input_example=None if example is None else example[meta["input_columns"]],
        pip_requirements=_requirements(),
        metadata={"stance_task": task, "stance_classes": classes},
    )
    return path
