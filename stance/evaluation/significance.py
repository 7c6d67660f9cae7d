"""Paired comparisons of two models on the same test items."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from scipy.stats import binomtest

from stance.evaluation.metrics import MATRIX_METRICS, _counts


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
    """Mean difference metric(a) - metric(b) over resamples, and its two-sided p-value."""
    index = {label: i for i, label in enumerate(labels)}
    k = len(labels)

    def codes(values) -> np.ndarray:
        return np.array([index.get(v, k) for v in values], dtype=np.int64)

    g, pa, pb = codes(gold), codes(a), codes(b)
    fn = MATRIX_METRICS[metric]
    rng = np.random.default_rng(seed)
    diffs = np.empty(n_resamples)
    for i in range(n_resamples):
        idx = rng.integers(0, len(g), len(g))
        diffs[i] = fn(_counts(g[idx], pa[idx], k + 1)) - fn(_counts(g[idx], pb[idx], k + 1))
    p = 2 * min(np.mean(diffs <= 0), np.mean(diffs >= 0))
    return float(diffs.mean()), float(min(p, 1.0))
