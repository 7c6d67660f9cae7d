"""Plots of a run: confusion matrix, F1 per class and per target, PR curves, top features."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import ConfusionMatrixDisplay, precision_recall_curve
from sklearn.pipeline import Pipeline

from stance.io.figures import save_png


def pyplot() -> Any:
    """matplotlib's pyplot on the Agg backend, imported on the first plot (0.3-0.5 s)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def confusion(
    matrix: Sequence[Sequence[int]], labels: Sequence[str], title: str, path: Path
) -> Path:
    """Counts of gold (rows) against predicted (columns) labels
    (:class:`sklearn.metrics.ConfusionMatrixDisplay`)."""
    fig, ax = pyplot().subplots(figsize=(4.2, 3.8))
    display = ConfusionMatrixDisplay(np.asarray(matrix), display_labels=list(labels))
    display.plot(ax=ax, cmap="Blues", colorbar=False, xticks_rotation=30, values_format="d")
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    ax.set_title(title)
    return save_png(fig, path)


def per_class_f1(per_class: dict[str, dict[str, float]], title: str, path: Path) -> Path:
    """Precision, recall and F1 of each class."""
    labels = list(per_class)
    x = np.arange(len(labels))
    fig, ax = pyplot().subplots(figsize=(5, 3.4))
    for k, key in enumerate(("precision", "recall", "f1")):
        ax.bar(x + (k - 1) * 0.27, [per_class[c][key] for c in labels], 0.27, label=key)
    ax.set_xticks(x, labels)
    ax.set_ylim(0, 100)
    ax.set_ylabel("percent")
    ax.legend(fontsize=8)
    ax.set_title(title)
    return save_png(fig, path)


def per_group(
    groups: dict[str, dict[str, Any]], metric: str, title: str, path: Path, top: int = 25
) -> Path:
    """The primary metric for each target (the `top` most frequent), with its row count."""
    items = sorted(groups.items(), key=lambda kv: -kv[1]["n"])[:top]
    names = [f"{k[:28]} (n={v['n']})" for k, v in items]
    fig, ax = pyplot().subplots(figsize=(6, 0.3 * len(items) + 1.2))
    ax.barh(range(len(items)), [v[metric] for _, v in items], color="tab:blue")
    ax.set_yticks(range(len(items)), names, fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel(metric)
    ax.set_title(title)
    return save_png(fig, path)


def pr_curves(
    y_true: Sequence[str], scores: np.ndarray, classes: Sequence[str], title: str, path: Path
) -> Path:
    """One-vs-rest precision-recall curve of each class from the model's scores."""
    y_true = np.asarray(y_true)
    fig, ax = pyplot().subplots(figsize=(4.6, 3.8))
    for i, label in enumerate(classes):
        positive = y_true == label
        if positive.any():
            precision, recall, _ = precision_recall_curve(positive, scores[:, i])
            ax.plot(recall, precision, label=f"{label} (n={int(positive.sum())})")
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.02)
    ax.legend(fontsize=8)
    ax.set_title(title)
    return save_png(fig, path)


def top_feature_weights(model: Any, k: int = 12) -> dict[str, list[tuple[str, float]]] | None:
    """The `k` highest-weighted features per class of a linear features->classifier pipeline."""
    if not isinstance(model, Pipeline):
        return None
    classifier = model.steps[-1][1]
    weights = getattr(classifier, "coef_", None)
    if weights is None:
        weights = getattr(classifier, "feature_log_prob_", None)
    if weights is None:
        return None
    names = model[:-1].get_feature_names_out()
    classes = list(classifier.classes_)
    if weights.shape[0] == 1 and len(classes) == 2:
        weights = np.vstack([-weights[0], weights[0]])
    top = {}
    for i, label in enumerate(classes):
        order = np.argsort(-weights[i])[:k]
        top[str(label)] = [(str(names[j]), float(weights[i, j])) for j in order]
    return top


def top_features(top: dict[str, list[tuple[str, float]]], path: Path) -> Path:
    """Bar charts of the highest-weighted features for each class."""
    fig, axes = pyplot().subplots(1, len(top), figsize=(4.2 * len(top), 4))
    for ax, (label, items) in zip(np.atleast_1d(axes), top.items(), strict=True):
        names = [n.split("__", 1)[-1][:30] for n, _ in items]
        ax.barh(range(len(items)), [w for _, w in items], color="tab:green")
        ax.set_yticks(range(len(items)), names, fontsize=8)
        ax.invert_yaxis()
        ax.set_title(f"top features: {label}")
    return save_png(fig, path)


def split_plots(
    folder: Path,
    split: str,
    task: str,
    primary: str,
    report: dict[str, Any],
    gold: Sequence[str],
    scores: np.ndarray,
    classes: Sequence[str],
) -> None:
    """A split's plots from its report, gold labels and per-class scores: the confusion
    matrix, F1 per class and per target, and the precision-recall curves."""
    cm = report["confusion_matrix"]
    confusion(cm["matrix"], cm["labels"], f"{task}, {split}", folder / f"confusion_{split}.png")
    per_class_f1(report["per_class"], f"{task}, {split}", folder / f"per_class_{split}.png")
    per_group(
        report["per_target"],
        primary,
        f"{primary} per target, {split}",
        folder / f"per_target_{split}.png",
    )
    pr_curves(gold, scores, classes, f"{task}, {split}", folder / f"pr_{split}.png")


def top_features_plot(model: Any, path: Path) -> Path | None:
    """The highest-weighted features of each class, for a linear pipeline (else nothing)."""
    top = top_feature_weights(model)
    return top_features(top, path) if top else None
