"""``stance reproduce RUN_DIR``: check that a run still reproduces, exactly.

1. the environment against ``env.json`` (a version change is a warning);
2. the data against ``data_manifest.json`` (a changed or missing file is a failure, named);
3. the saved model re-predicts every saved split with identical labels;
4. a retrain from the saved config into ``<RUN_DIR>-reproduced-<id>`` gives the same metrics and
   byte-identical prediction files.

The report goes to ``<new folder>/reproduce.json`` and ``reproduce.md``.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from omegaconf import OmegaConf

from stance.config.compose import register_resolvers, run_id
from stance.errors import DataError
from stance.io.atomic import write_json, write_text
from stance.io.provenance import environment, sha256
from stance.predict.model import load_model

log = logging.getLogger(__name__)


def check_environment(run: Path) -> list[str]:
    """Warnings for every Python or package version that differs from ``env.json``."""
    saved = json.loads((run / "env.json").read_text(encoding="utf-8"))
    now = environment()
    warnings = []
    if saved["python"] != now["python"]:
        warnings.append(f"python {saved['python']} -> {now['python']}")
    for name, version in saved["packages"].items():
        if now["packages"].get(name) != version:
            warnings.append(f"{name} {version} -> {now['packages'].get(name)}")
    return warnings


def check_data(run: Path) -> list[str]:
    """Problems with the data files named in ``data_manifest.json`` (empty when all match)."""
    manifest = json.loads((run / "data_manifest.json").read_text(encoding="utf-8"))
    problems = []
    for path, info in manifest["files"].items():
        if not Path(path).is_file():
            problems.append(f"{path} is missing")
        elif sha256(path) != info["sha256"]:
            problems.append(f"{path} changed (SHA-256 differs from the manifest)")
    return problems


def check_predictions(run: Path) -> dict[str, int]:
    """Re-predict each saved split with the saved model; count labels that differ per split."""
    model = load_model(run)
    differences = {}
    for path in sorted((run / "predictions").glob("*.csv")):
        saved = pd.read_csv(path, keep_default_na=False)
        inputs = saved[[c for c in saved if c != model.task and not c.startswith("score_")]]
        inputs = inputs.rename(columns={f"{model.task}_gold": model.task})
        again = model.predict(inputs)
        differences[path.stem] = int(np.sum(again[model.task].to_numpy() != saved[model.task]))
    return differences


def _strip_timing(metrics: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in metrics.items() if k != "timing"}


def _pin_data_files(run: Path, cfg: Any) -> None:
    """Point ``data=local`` at the files the manifest hashed (absolute paths), so a relative
    ``data.train=...`` given where the run started reads the same file from anywhere."""
    manifest = json.loads((run / "data_manifest.json").read_text(encoding="utf-8"))
    source = (manifest.get("corpus") or {}).get("source") or {}
    if OmegaConf.select(cfg, "data.corpus._target_") != "stance.data.LocalCorpus":
        return
    for split, paths in source.items():
        if split in ("train", "dev", "test", "all") and isinstance(paths, list):
            cfg.data["file" if split == "all" else split] = paths if len(paths) > 1 else paths[0]


def retrain(run: Path) -> tuple[Path, list[str]]:
    """Train again from the run's saved config into a new sibling folder; list differences."""
    from stance.train.experiment import run_experiment

    register_resolvers()
    cfg = OmegaConf.load(run / ".hydra" / "config.yaml")
    cfg.logger = None  # a check, not a run to compare: not logged (to MLflow or elsewhere) again
    _pin_data_files(run, cfg)
    out = run.with_name(f"{run.name}-reproduced-{run_id()}")
    run_experiment(cfg, out)
    differences = []
    old = _strip_timing(json.loads((run / "metrics.json").read_text()))
    new = _strip_timing(json.loads((out / "metrics.json").read_text()))
    if old != new:
        differences.append("metrics.json differs (apart from timing)")
    for path in sorted((run / "predictions").glob("*.csv")):
        other = out / "predictions" / path.name
        if not other.is_file() or other.read_bytes() != path.read_bytes():
            differences.append(f"predictions/{path.name} differs")
    return out, differences


def reproduce(run: str | Path) -> dict[str, Any]:
    """Run every check; raise DataError on changed data, return the report otherwise."""
    run = Path(run)
    for name in ("env.json", "data_manifest.json", ".hydra/config.yaml", "metrics.json"):
        if not (run / name).is_file():
            raise DataError(
                f"{run}: {name} is missing; pass a complete run folder from stance-train."
            )
    report: dict[str, Any] = {"run": str(run), "environment_warnings": check_environment(run)}
    for warning in report["environment_warnings"]:
        log.warning("environment changed: %s", warning)
    problems = check_data(run)
    if problems:
        raise DataError(f"{run}: data no longer matches the manifest: {'; '.join(problems)}.")
    report["reloaded_prediction_differences"] = check_predictions(run)
    out, differences = retrain(run)
    report["retrained_run"] = str(out)
    report["retrain_differences"] = differences
    report["reproduced"] = not differences and not any(
        report["reloaded_prediction_differences"].values()
    )
    write_json(out / "reproduce.json", report)
    write_text(out / "reproduce.md", report_markdown(report))
    return report


def report_markdown(report: dict[str, Any]) -> str:
    verdict = "REPRODUCED exactly" if report["reproduced"] else "DID NOT REPRODUCE"
    lines = [f"# Reproduction of {report['run']}: {verdict}"]
    lines.append("Environment: " + ("; ".join(report["environment_warnings"]) or "unchanged"))
    lines.append("Data: every file matches data_manifest.json")
    diffs = report["reloaded_prediction_differences"]
    lines.append(
        "Reloaded model: " + ", ".join(f"{k}: {v} label(s) differ" for k, v in diffs.items())
    )
    lines.append(
        "Retrain: "
        + ("; ".join(report["retrain_differences"]) or "identical metrics and predictions")
    )
    return "\n\n".join(lines) + "\n"
