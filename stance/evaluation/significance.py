"""Paired comparisons of two models on the same test items."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.stats import binomtest

from stance.evaluation.metrics import MATRIX_METRICS, code_counts, label_codes


def mcnemar(gold: Sequence[str], a: Sequence[str], b: Sequence[str]) -> float:
    """Exact McNemar p-value: do `a` and `b` differ in which items they get right?"""
    gold, a, b = np.asarray(gold), np.asarray(a), np.asarray(b)
    right_a, right_b = a == gold, b == gold
    only_a, only_b = int(np.sum(right_a & ~right_b)), int(np.sum(~right_a & right_b))
    if only_a + only_b == 0:
        return 1.0
    return float(binomtest(only_a, only_a + only_b, 0.5).pvalue)


def paired_bootstrap(
    gold: Sequence[str],
    a: Sequence[str],
    b: Sequence[str],
    labels: Sequence[str],
    metric: str,
    n_resamples: int = 1000,
    seed: int = 0,
) -> tuple[float, float]:
    """Mean difference metric(a) - metric(b) over resamples, and its two-sided p-value.

    A paired bootstrap test is not what ``scipy.stats.bootstrap`` computes (it gives
    intervals, not this p-value), and each resample needs two confusion matrices of the same
    rows; so the loop stays, drawing as :func:`stance.evaluation.metrics.bootstrap_interval`.
    """
    size = len(labels) + 1
    g, pa, pb = (label_codes(v, labels) for v in (gold, a, b))
    fn = MATRIX_METRICS[metric]
    rng = np.random.default_rng(seed)
    diffs = np.empty(n_resamples)
    for i in range(n_resamples):
        idx = rng.integers(0, len(g), len(g))
        diffs[i] = fn(code_counts(g[idx], pa[idx], size)) - fn(code_counts(g[idx], pb[idx], size))
    p = 2 * min(np.mean(diffs <= 0), np.mean(diffs >= 0))
    return float(diffs.mean()), float(min(p, 1.0))
