"""Paired comparisons (stance.evaluation.significance) against values worked out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from stance.evaluation.significance import mcnemar, paired_bootstrap

LABELS = ["support", "oppose", "neutral"]


def test_mcnemar_exact_p_value_by_hand():
    gold = ["support"] * 6
    # a alone right on items 0-2, b alone right on item 3, both right on 4, both wrong on 5
    a = ["support", "support", "support", "oppose", "support", "oppose"]
    b = ["oppose", "oppose", "oppose", "support", "support", "oppose"]
    # 3 of 4 discordant items go to a: two-sided p = 2 * P(X >= 3 | n=4, 1/2) = 2 * 5/16
    assert mcnemar(gold, a, b) == pytest.approx(0.625)
    assert mcnemar(gold, b, a) == pytest.approx(0.625)
    # 6 of 6 discordant items go to a: p = 2 / 64
    assert mcnemar(gold, gold, ["oppose"] * 6) == pytest.approx(1 / 32)


def test_mcnemar_without_discordant_items_is_one():
    assert mcnemar(["support", "oppose"], ["support", "neutral"], ["support", "neutral"]) == 1.0
    assert mcnemar([], [], []) == 1.0


def test_paired_bootstrap_of_a_model_against_itself():
    gold = ["support", "oppose", "neutral", "support"]
    pred = ["support", "neutral", "neutral", "oppose"]
    # every resample gives a difference of exactly 0: as many <= 0 as >= 0, p = 1
    assert paired_bootstrap(gold, pred, pred, LABELS, "accuracy", n_resamples=50) == (0.0, 1.0)


def test_paired_bootstrap_of_a_perfect_model_against_an_always_wrong_one():
    gold = ["support", "oppose", "neutral"] * 4
    wrong = ["oppose", "neutral", "support"] * 4
    mean, p = paired_bootstrap(gold, gold, wrong, LABELS, "accuracy", n_resamples=50)
    assert (mean, p) == (100.0, 0.0)
    mean, p = paired_bootstrap(gold, wrong, gold, LABELS, "accuracy", n_resamples=50)
    assert (mean, p) == (-100.0, 0.0)


def test_paired_bootstrap_mean_is_the_difference_and_p_is_two_sided():
    # a right on 150 of 200 rows, b on 100: the resampled differences centre on 25 points
    rng = np.random.default_rng(11)
    gold = np.array(["support"] * 200)
    right_a, right_b = rng.permutation(200) < 150, rng.permutation(200) < 100
    a = np.where(right_a, "support", "oppose")
    b = np.where(right_b, "support", "oppose")
    mean, p = paired_bootstrap(gold, a, b, LABELS, "accuracy", n_resamples=300, seed=4)
    assert mean == pytest.approx(25.0, abs=1.5)
    assert p == 0.0
    # two models right on different halves: differences spread around 0, p near 1
    half = np.arange(200) < 100
    a, b = np.where(half, "support", "oppose"), np.where(half, "oppose", "support")
    mean, p = paired_bootstrap(gold, a, b, LABELS, "accuracy", n_resamples=300, seed=4)
    assert abs(mean) < 2.0
    assert 0.6 < p <= 1.0


def _reference(gold, a, b, n_resamples, seed):
    """The same draws as paired_bootstrap, accuracy computed without a confusion matrix."""
    gold, a, b = np.asarray(gold), np.asarray(a), np.asarray(b)
    rng = np.random.default_rng(seed)
    diffs = []
    for _ in range(n_resamples):
        idx = rng.integers(0, len(gold), len(gold))
        diffs.append(100 * ((a[idx] == gold[idx]).mean() - (b[idx] == gold[idx]).mean()))
    diffs = np.array(diffs)
    return diffs.mean(), min(1.0, 2 * min(np.mean(diffs <= 0), np.mean(diffs >= 0)))


def test_paired_bootstrap_draws_rows_like_bootstrap_interval_with_its_defaults():
    rng = np.random.default_rng(5)
    gold = rng.choice(LABELS, 40)
    a = np.where(rng.random(40) < 0.6, gold, rng.choice(LABELS, 40))
    b = np.where(rng.random(40) < 0.5, gold, rng.choice(LABELS, 40))
    ours = paired_bootstrap(gold, a, b, LABELS, "accuracy")
    assert ours == paired_bootstrap(gold, a, b, LABELS, "accuracy", 1000, 0)
    assert ours == pytest.approx(_reference(gold, a, b, 1000, 0))
    # rows outside the labels are never right: both models wrong everywhere, difference 0
    assert paired_bootstrap(["??"] * 3, ["??"] * 3, ["!!"] * 3, LABELS, "accuracy", 10) == (
        0.0,
        1.0,
    )


def test_paired_bootstrap_macro_f1_averages_over_the_labels_only():
    # every resample holds only support rows: a scores F1 100 on support and 0 on the two
    # labels no row has, macro 100 / 3; b (always oppose) scores 0 everywhere
    gold = ["support"] * 4
    mean, p = paired_bootstrap(gold, gold, ["oppose"] * 4, LABELS, "macro_f1", n_resamples=20)
    assert (mean, p) == (pytest.approx(100 / 3), 0.0)


def test_paired_bootstrap_p_counts_the_resamples_without_a_difference():
    # b is wrong on one row of 200: a resample's difference is 0.5 point per draw of that row,
    # and 0 when the row is never drawn (about (199/200)^200 = 37% of resamples)
    gold = np.array(["support"] * 200)
    b = gold.copy()
    b[7] = "oppose"
    mean, p = paired_bootstrap(gold, gold, b, LABELS, "accuracy", n_resamples=400, seed=2)
    assert (mean, p) == pytest.approx(_reference(gold, gold, b, 400, 2))
    assert 0.6 < p < 0.9 and 0.4 < mean < 0.6
