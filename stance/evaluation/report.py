"""One split's metrics: primary figure with its interval, all metrics, per class, per target."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from stance.evaluation.metrics import (
    all_metrics,
    bootstrap_interval,
    confusion_counts,
    per_class,
    score,
)


def split_report(
    frame: pd.DataFrame,
    gold: str,
    predicted: str,
    labels: Sequence[str],
    primary: str,
    seed: int = 0,
    n_resamples: int = 1000,
    group_column: str = "target",
    max_groups: int = 100,
) -> dict[str, Any]:
    """Metrics of one split's predictions in `frame` (columns `gold` and `predicted`).

    Per-target scores cover the `max_groups` most frequent targets (corpora such as DSE have
    thousands of one-off targets); ``n_<group_column>s`` says how many there are in all.
    """
    y_true, y_pred = frame[gold].to_numpy(), frame[predicted].to_numpy()
    low, high = bootstrap_interval(y_true, y_pred, labels, primary, n_resamples, seed)
    per_group = {}
    sizes = frame[group_column].astype(str).value_counts().sort_index()
    kept = set(sizes.sort_values(ascending=False, kind="stable").index[:max_groups])
    for group, rows in frame.groupby(frame[group_column].astype(str), sort=True):
        if group not in kept:
            continue
        per_group[str(group)] = {
            "n": len(rows),
            primary: score(primary, rows[gold], rows[predicted], labels),
            "per_class_f1": {
                k: v["f1"] for k, v in per_class(rows[gold], rows[predicted], labels).items()
            },
        }
    counts = confusion_counts(y_true, y_pred, labels)[: len(labels), : len(labels)]
    return {
        "n": len(frame),
        "primary": {
            "name": primary,
            "value": score(primary, y_true, y_pred, labels),
            "ci95": [low, high],
            "n_resamples": n_resamples,
        },
        "metrics": all_metrics(y_true, y_pred, labels),
        "per_class": per_class(y_true, y_pred, labels),
        "confusion_matrix": {"labels": list(labels), "matrix": counts.tolist()},
        f"per_{group_column}": per_group,
        f"n_{group_column}s": len(sizes),
    }
