"""What a run folder becomes in MLflow: params, metrics and tags (plain dicts, no mlflow import).

- params: the resolved config flattened with dots (``model.C``), each value as you would type
  it in an override (strings as they are, other values as JSON: ``true``, ``null``, ``[1, 2]``);
- metrics: every number of ``metrics.json`` under its path, splits first (``test/primary/value``,
  ``test/primary/ci95_low``, ``test/metrics/macro_f1``, ``test/per_class/oppose/f1``,
  ``test/per_target/USA/macro_f1``, ``test/confusion_matrix/<gold>/<predicted>``,
  ``timing/fit_seconds``); flags and missing values are not numbers and are left out;
- tags: the run's status and error, git commit, Python and package versions (``env.json``),
  the SHA-256 of every data file (``data_manifest.json``) and the command-line overrides.

MLflow allows letters, digits, ``_ - . : /`` and spaces in names; any other character becomes
``_`` and a path part ``.`` or ``..`` becomes ``_`` (a target named ``C++`` is ``C__``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from stance.train.status import STATUS_FILE

#: MLflow's limits (mlflow.utils.validation): longer values are cut, longer names too.
MAX_PARAM_VALUE = 6000
MAX_TAG_VALUE = 8000
MAX_NAME = 250
_BAD = re.compile(r"[^\w\-. :/]")


def name(text: str) -> str:
    """`text` as a valid MLflow param, metric or tag name."""
    parts = [_BAD.sub("_", part) for part in str(text).split("/")]
    parts = ["_" if part.strip(".") == "" else part for part in parts]
    return "/".join(parts)[:MAX_NAME]


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, default=str)


def flat_params(config: dict[str, Any], prefix: str = "") -> dict[str, str]:
    """The resolved config as ``{dotted key: value text}``; an empty mapping is ``{}``."""
    out: dict[str, str] = {}
    for key, value in config.items():
        dotted = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict) and value:
            out.update(flat_params(value, dotted))
        else:
            out[name(dotted)] = _text(value)[:MAX_PARAM_VALUE]
    return out


def flat_metrics(metrics: dict[str, Any]) -> dict[str, float]:
    """Every number of a run's ``metrics.json`` (its splits and timing) by path."""
    tree = {**metrics.get("splits", {}), "timing": metrics.get("timing", {})}
    return {name(key): value for key, value in _numbers(tree, "").items()}


def _numbers(node: Any, path: str) -> dict[str, float]:
    if isinstance(node, bool) or node is None or isinstance(node, str):
        return {}
    if isinstance(node, int | float):
        return {path: float(node)}
    out: dict[str, float] = {}
    if isinstance(node, list):
        for i, value in enumerate(node):
            out.update(_numbers(value, f"{path}/{i}"))
    elif isinstance(node, dict) and {"labels", "matrix"} <= set(node):  # a confusion matrix
        for gold, row in zip(node["labels"], node["matrix"], strict=True):
            for predicted, count in zip(node["labels"], row, strict=True):
                out[f"{path}/{gold}/{predicted}"] = float(count)
    elif isinstance(node, dict):
        for key, value in node.items():
            where = f"{path}/{key}" if path else str(key)
            if key == "ci95" and isinstance(value, list) and len(value) == 2:
                out.update(_numbers(value[0], f"{where}_low"))
                out.update(_numbers(value[1], f"{where}_high"))
            else:
                out.update(_numbers(value, where))
    return out


def read_json(path: Path) -> dict[str, Any]:
    """The object in a JSON file ({} when missing or unreadable)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def folder_tags(out: Path, status: str) -> dict[str, str]:
    """Tags read from the run folder `out` after its run ended with `status`."""
    tags = {"stance.status": status, "stance.run_dir": str(out.resolve())}
    error = read_json(out / STATUS_FILE).get("error")
    if error:
        tags["stance.error"] = str(error)
    env = read_json(out / "env.json")
    if env.get("git_commit"):
        tags["stance.git_commit"] = tags["mlflow.source.git.commit"] = str(env["git_commit"])
    if env.get("python"):
        tags["stance.version.python"] = str(env["python"])
    for package, version in (env.get("packages") or {}).items():
        tags[name(f"stance.version.{package}")] = str(version)
    files = read_json(out / "data_manifest.json").get("files") or {}
    for path, info in files.items():
        key = name(f"stance.data_sha256.{Path(path).name}")
        if key in tags:  # two data files of one name: the second by its full path
            key = name(f"stance.data_sha256.{path.strip('/')}")
        tags[key] = str(info.get("sha256"))
    overrides = out / ".hydra" / "overrides.yaml"
    if overrides.is_file():
        tags["stance.overrides"] = " ".join(yaml.safe_load(overrides.read_text()) or [])
    return {key: value[:MAX_TAG_VALUE] for key, value in tags.items()}
