"""Metrics and per-split reports."""

from stance.evaluation.metrics import (
    MATRIX_METRICS,
    all_metrics,
    bootstrap_interval,
    f_avg,
    macro_f1,
    macro_recall,
    per_class,
    score,
)
from stance.evaluation.report import split_report

__all__ = [
    "MATRIX_METRICS",
    "all_metrics",
    "bootstrap_interval",
    "f_avg",
    "macro_f1",
    "macro_recall",
    "per_class",
    "score",
    "split_report",
]
