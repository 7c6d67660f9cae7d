"""The model card (README.md of a run folder), written with ``skops.card``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from stance.io.atomic import atomic_write
from stance.io.skops_import import skops_io


def _results_table(metrics: dict[str, Any]) -> str:
    rows = [
        "| split | n | primary | value | 95% CI | macro-F1 | accuracy |",
        "|---|---:|---|---:|---|---:|---:|",
    ]
    for split, report in metrics["splits"].items():
        p = report["primary"]
        note = " (in training data)" if report.get("in_training") else ""
        rows.append(
            f"| {split}{note} | {report['n']} | {p['name']} | {p['value']:.2f} | "
            f"{p['ci95'][0]:.2f}-{p['ci95'][1]:.2f} | {report['metrics']['macro_f1']:.2f} | "
            f"{report['metrics']['accuracy']:.2f} |"
        )
    return "\n".join(rows)


def write_card(model: Any, path: Path, metadata: dict[str, Any], metrics: dict[str, Any]) -> Path:
    """Write the run's model card: what the model is, how it was trained, how it scored."""
    skops_io()  # skops.card imports skops.io: first the quicker way
    from skops.card import Card

    card = Card(model, model_diagram=False)
    task, corpus = metadata["task"], metadata["corpus"]["name"]
    card.add(
        **{
            "Model description": (
                f"A scikit-learn `{type(model).__name__}` predicting **{task}** "
                f"({', '.join(metadata['labels'])}) trained by `stance-train` on the "
                f"`{corpus}` corpus (splits {', '.join(metadata['fit_splits'])}). "
                f"Input columns: {', '.join(metadata['input_columns'])}."
            ),
            "Intended uses & limitations": (
                f"Research use on text like the `{corpus}` corpus. Scores are "
                f"{metadata['score_kind']} values; check the precision-recall plots before "
                "thresholding them. Labels follow the corpus's label map (see metadata.json)."
            ),
            "Training Procedure": (
                f"Resolved config in `config.yaml`; seed {metadata['seed']}; data files and their "
                "SHA-256 in `data_manifest.json`; versions in `env.json`. "
                f"Fitted in {metrics['timing']['fit_seconds']:.1f} s."
            ),
            "Evaluation Results": _results_table(metrics),
            "How to Get Started with the Model": (
                "```python\nfrom stance import load_model\n\n"
                'model = load_model("<this run folder>")\n'
                "predictions = model.predict(frame)  # a DataFrame with the input columns\n```\n"
                f"The model file `model/model.skops` has SHA-256 `{metadata['model_sha256']}`."
            ),
        }
    )
    return atomic_write(path, lambda p: card.save(p))


def write_run_card(
    model: Any, out: Path, metadata: dict[str, Any], metrics: dict[str, Any]
) -> Path:
    """The card of run folder `out`, once its model folder is written (for the model's hash)."""
    saved = json.loads((out / "model" / "metadata.json").read_text(encoding="utf-8"))
    return write_card(model, out / "README.md", {**metadata, **saved}, metrics)
