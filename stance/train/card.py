"""The model card (README.md of a run folder), written with ``skops.card`` in the Hub's layout:
what the model does, its limits, its data and label map, how it was trained and scored, and how
to load it. Compact by design (a few KB): the full numbers stay in ``metrics.json``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from stance.io.atomic import write_text
from stance.io.skops_import import skops_io

#: Rows of a table before the rest is left to metrics.json / config.yaml.
MAX_ROWS = 15
MAX_VALUE = 80


def _cell(value: Any) -> str:
    text = str(value).replace("|", "\\|").replace("\n", " ")
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 3] + "..."


def _table(header: list[str], rows: list[list[Any]], right: int = 0) -> str:
    """A markdown table; the last `right` columns right-aligned."""
    align = ["---"] * (len(header) - right) + ["---:"] * right
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def _flat(node: Any, prefix: str) -> list[tuple[str, Any]]:
    if isinstance(node, dict):
        return [kv for k, v in node.items() for kv in _flat(v, f"{prefix}.{k}")]
    return [(prefix, node)]


def hyperparameters(config: dict[str, Any]) -> str:
    """The settings of the model and its features as config keys (what an override changes)."""
    rows = [
        [key, value]
        for group in ("features", "model")
        for key, value in _flat(config.get(group, {}), group)
    ]
    rows += [[key, config[key]] for key in ("per_target", "seed", "fit_splits") if key in config]
    return _table(["config key", "value"], rows)


def _results(metrics: dict[str, Any]) -> str:
    rows = []
    for split, report in metrics["splits"].items():
        p = report["primary"]
        note = " (in training data)" if report.get("in_training") else ""
        rows.append(
            [
                f"{split}{note}",
                report["n"],
                f"{p['value']:.2f} ({p['ci95'][0]:.2f}-{p['ci95'][1]:.2f})",
                f"{report['metrics']['macro_f1']:.2f}",
                f"{report['metrics']['accuracy']:.2f}",
            ]
        )
    primary = metrics["primary"]
    table = _table(["split", "n", f"{primary} (95% CI)", "macro-F1", "accuracy"], rows, right=4)
    split, report = _headline(metrics)
    per_class = _table(
        ["class", "precision", "recall", "F1", "support"],
        [
            [c, f"{v['precision']:.2f}", f"{v['recall']:.2f}", f"{v['f1']:.2f}", v["support"]]
            for c, v in report["per_class"].items()
        ],
        right=4,
    )
    text = (
        f"Percent; 95% intervals from {report['primary'].get('n_resamples', '?')} bootstrap "
        f"resamples of the split's rows.\n\n{table}\n\nPer class, {split}:\n\n{per_class}"
    )
    targets = sorted(report.get("per_target", {}).items(), key=lambda kv: -kv[1]["n"])
    if len(targets) > 1:
        shown = [[t, v["n"], f"{v.get(primary, float('nan')):.2f}"] for t, v in targets]
        more = len(shown) - MAX_ROWS
        text += f"\n\n{primary} per target, {split} (largest first):\n\n"
        text += _table(["target", "n", primary], shown[:MAX_ROWS], right=2)
        if more > 0:
            text += f"\n\n... and {more} more target(s) in `metrics.json`."
    return text


def _headline(metrics: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    splits = metrics["splits"]
    split = "test" if "test" in splits else next(iter(splits))
    return split, splits[split]


def _data(meta: dict[str, Any], manifest: dict[str, Any]) -> str:
    corpus = meta["corpus"]
    files = [[Path(p).name, f"`{v['sha256']}`", v["bytes"]] for p, v in manifest["files"].items()]
    labels = sorted({label for counts in manifest["label_counts"].values() for label in counts})
    splits = [
        [s, n, *(manifest["label_counts"].get(s, {}).get(label, 0) for label in labels)]
        for s, n in manifest["split_sizes"].items()
    ]
    parts = [f"Corpus `{corpus['name']}`."]
    if files:
        parts.append(_table(["file", "SHA-256", "bytes"], files, right=1))
    elif corpus.get("source", {}).get("hub"):
        parts.append(f"Hub dataset `{corpus['source']['hub']}`.")
    parts.append(_table(["split", "rows", *labels], splits, right=1 + len(labels)))
    maps = {c: m for c, m in corpus.get("label_maps", {}).items() if m}
    for column, mapping in maps.items():
        pairs = ", ".join(f"`{k}` -> {v}" for k, v in mapping.items())
        parts.append(f"Label map ({column}): {pairs}.")
    if corpus.get("columns"):
        pairs = ", ".join(f"{k} <- `{v}`" for k, v in corpus["columns"].items())
        parts.append(f"Columns (schema <- yours): {pairs}.")
    rows = corpus.get("rows") or {}
    if rows:
        empty, dups = rows.get("empty_texts", {}), rows.get("duplicates", {})
        parts.append(
            f"Rows read: {rows.get('rows_read')}; empty texts: {empty.get('rows', 0)} "
            f"({empty.get('action', 'none')}); repeated rows: {dups.get('rows', 0)} "
            f"({dups.get('action', 'kept')}), {dups.get('conflicting_label_rows', 0)} sharing "
            f"their input with another label; splits: {rows.get('splits', 'as given')}."
        )
    return "\n\n".join(parts)


def _limitations(meta: dict[str, Any], manifest: dict[str, Any], targets: list[str]) -> str:
    corpus, task = meta["corpus"]["name"], meta["task"]
    n_fit = sum(manifest["split_sizes"].get(s, 0) for s in meta["fit_splits"])
    items = [
        f"Trained on {n_fit} rows of `{corpus}`: text of another domain, period or language "
        "will score lower than the figures below, by an amount not measured here.",
        f"Scores are {meta['score_kind']} values, not calibrated probabilities of being "
        "right; check the precision-recall plots in `plots/` before thresholding them.",
        "Labels are the schema's; the corpus's own labels map onto them as listed under "
        "Training Data.",
    ]
    if "target" in meta["input_columns"] and targets:
        items.append(
            f"One model per target, for {len(targets)} target(s) seen in training; rows with "
            "another target are labelled by the model of all targets (a warning names them)."
        )
    if "source_mention" in meta["input_columns"]:
        items.append(
            "It labels one (source, target) pair of mentions per row; both should occur in the "
            "text (an absent mention is marked UNSEEN and labelled less reliably)."
        )
    overlap = manifest.get("test_texts_in_train", 0)
    if overlap:
        items.append(f"{overlap} test row(s) share their text with train: test scores may be high.")
    return f"For research on {task} in text like `{corpus}`.\n\n" + "\n".join(
        f"- {item}" for item in items
    )


def _usage(meta: dict[str, Any], targets: list[str]) -> str:
    columns = meta["input_columns"]
    if "source_mention" in columns:
        call = (
            'frame = pd.DataFrame({"text": ["Paris backed Berlin."], "source_mention": ["Paris"],'
            ' "target_mention": ["Berlin"]})\nmodel.predict(frame)'
        )
    elif "target" in columns:
        example = targets[0] if targets else "a target"
        call = f'model.predict(["one text", "another text"], target="{example}")'
    else:
        call = 'model.predict(["one text", "another text"])'
    mapped = meta["corpus"].get("columns") or {}
    own = [f"`{v}`" for k, v in mapped.items() if k in columns and v != k]
    note = f" Your own column names ({', '.join(own)}) are read as trained." if own else ""
    return (
        "```python\nimport pandas as pd\nfrom stance import load_model\n\n"
        f'model = load_model("<this run folder>")\n{call}  # a DataFrame: inputs, '
        f"{meta['task']}, score_<label>\n```\n\n"
        f"Input columns: {', '.join(columns)}.{note} From the shell: `stance predict "
        "--model <this run folder> --input in.csv --output out.csv`. Check that the run "
        "reproduces: `stance reproduce <this run folder>`.\n\n"
        f"The model file `model/model.skops` has SHA-256 `{meta['model_sha256']}`; "
        "`load_model` refuses it if that changes."
    )


def write_card(
    model: Any,
    path: Path,
    metadata: dict[str, Any],
    metrics: dict[str, Any],
    manifest: dict[str, Any],
    config: dict[str, Any],
) -> Path:
    """Write the run's model card: what the model is, its data, how it was trained and scored."""
    skops_io()  # skops.card imports skops.io: first the quicker way
    from skops.card import Card

    task, corpus = metadata["task"], metadata["corpus"]["name"]
    split, report = _headline(metrics)
    primary = report["primary"]
    targets = sorted(getattr(model, "estimators_", {})) + sorted(
        getattr(model, "constant_groups_", {})
    )
    reads = metadata["input_columns"]
    about = " of a text toward a target" if "target" in reads else " of a text"
    if "source_mention" in reads:
        about = " that one mention in a text takes toward another"
    card = Card(model, model_diagram=False, template=None)
    title = f"{task.capitalize()} model trained on `{corpus}`"
    sections = {
        "Model description": (
            f"A scikit-learn `{type(model).__name__}` trained by `stance-train` "
            f"(stance {metadata.get('stance_version', '?')}) on the splits "
            f"{', '.join(metadata['fit_splits'])}. It reads the columns {', '.join(reads)} and "
            f"returns a label and one {metadata['score_kind']} score per class "
            f"({', '.join(metadata['classes'])})."
        ),
        "Intended uses & limitations": _limitations(metadata, manifest, targets),
        "Training Data": _data(metadata, manifest),
        "Training Procedure": (
            f"Resolved config in `config.yaml` (seed {metadata['seed']}); package versions in "
            f"`env.json`. Fitted in {metrics['timing']['fit_seconds']:.1f} s."
        ),
        "Training Procedure/Hyperparameters": hyperparameters(config),
        "Evaluation Results": _results(metrics),
        "How to Get Started with the Model": _usage(metadata, targets),
    }
    card.add(
        **{
            title: (
                f"Predicts the **{task}** ({', '.join(metadata['labels'])}){about}. "
                f"{split.capitalize()} {primary['name']}: {primary['value']:.2f} (95% CI "
                f"{primary['ci95'][0]:.2f}-{primary['ci95'][1]:.2f}, n = {report['n']})."
            ),
            **{f"{title}/{name}": text for name, text in sections.items()},
        }
    )
    tags = ["stance", "sklearn", "skops", "text-classification"]
    tags.insert(0, "sentiment-analysis" if task == "sentiment" else "stance-detection")
    front = "---\nlibrary_name: sklearn\npipeline_tag: text-classification\ntags:\n"
    front += "".join(f"- {t}\n" for t in tags) + "---\n"
    return write_text(path, front + card.render())


def write_run_card(
    model: Any,
    out: Path,
    metadata: dict[str, Any],
    metrics: dict[str, Any],
    manifest: dict[str, Any],
    config: dict[str, Any],
) -> Path:
    """The card of run folder `out`, once its model folder is written (for the model's hash)."""
    saved = json.loads((out / "model" / "metadata.json").read_text(encoding="utf-8"))
    return write_card(model, out / "README.md", {**metadata, **saved}, metrics, manifest, config)
