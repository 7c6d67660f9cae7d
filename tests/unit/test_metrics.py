"""Metric functions against hand-computed values, scikit-learn, and the SemEval-2016 benchmark."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import f1_score, recall_score

from stance.data import load_corpus
from stance.evaluation import (
    MATRIX_METRICS,
    all_metrics,
    bootstrap_interval,
    f_avg,
    macro_f1,
    macro_recall,
    per_class,
)
from stance.evaluation.metrics import confusion_counts, label_codes
from tests.conftest import corpus_folder

LABELS = ["support", "oppose", "neutral"]


def test_f_avg_hand_computed():
    gold = ["support", "support", "oppose", "oppose", "neutral", "neutral"]
    pred = ["support", "oppose", "oppose", "neutral", "support", "neutral"]
    # support: P=1/2 R=1/2 F=0.5; oppose: P=1/2 R=1/2 F=0.5 -> F_avg = 50
    assert f_avg(gold, pred, LABELS) == pytest.approx(50.0)
    # neutral: P=1/2 R=1/2 F=0.5 -> macro-F1 = 50; macro recall = 50
    assert macro_f1(gold, pred, LABELS) == pytest.approx(50.0)
    assert macro_recall(gold, pred, LABELS) == pytest.approx(50.0)


def test_f_avg_ignores_neutral_f1_but_not_neutral_errors():
    gold = ["support", "oppose", "neutral", "neutral"]
    pred = ["support", "oppose", "support", "oppose"]
    # support P=1/2 R=1 F=2/3; oppose P=1/2 R=1 F=2/3; neutral F=0 -> F_avg 66.67
    assert f_avg(gold, pred, LABELS) == pytest.approx(200 / 3)
    assert macro_f1(gold, pred, LABELS) == pytest.approx(400 / 9)


def test_prediction_outside_labels_costs_recall_only():
    gold = ["support", "support"]
    pred = ["support", "??"]
    classes = per_class(gold, pred, LABELS)
    assert classes["support"]["precision"] == pytest.approx(100.0)
    assert classes["support"]["recall"] == pytest.approx(50.0)
    assert classes["support"]["support"] == 2


def test_metrics_agree_with_sklearn_on_random_labels():
    rng = np.random.default_rng(3)
    gold = rng.choice(LABELS, 500)
    pred = rng.choice(LABELS, 500)
    ours = all_metrics(gold, pred, LABELS)
    labels2 = LABELS[:2]
    assert ours["f_avg"] == pytest.approx(
        100 * f1_score(gold, pred, labels=labels2, average="macro")
    )
    assert ours["macro_f1"] == pytest.approx(100 * f1_score(gold, pred, average="macro"))
    assert ours["macro_recall"] == pytest.approx(100 * recall_score(gold, pred, average="macro"))
    assert ours["accuracy"] == pytest.approx(100 * np.mean(gold == pred))
    assert ours["micro_f1"] == pytest.approx(ours["accuracy"])


def test_bootstrap_interval_is_deterministic_and_brackets_the_value():
    rng = np.random.default_rng(0)
    gold = rng.choice(LABELS, 400)
    pred = np.where(rng.random(400) < 0.7, gold, rng.choice(LABELS, 400))
    a = bootstrap_interval(gold, pred, LABELS, "f_avg", n_resamples=300, seed=5)
    b = bootstrap_interval(gold, pred, LABELS, "f_avg", n_resamples=300, seed=5)
    assert a == b
    assert a[0] < f_avg(gold, pred, LABELS) < a[1]
    assert 0 < a[1] - a[0] < 20


def test_semeval_per_target_majority_scores_exactly_65_22(data_home):
    corpus_folder(data_home, "semeval2016_task6")
    frame = load_corpus("semeval2016", dev_fraction=0)
    train, test = frame[frame.split == "train"], frame[frame.split == "test"]
    majority = train.groupby("target")["stance"].agg(lambda s: s.value_counts().idxmax())
    pred = test["target"].map(majority)
    assert round(f_avg(test["stance"], pred, LABELS), 2) == 65.22


def test_semeval_task_b_all_oppose_scores_29_72(data_home):
    corpus_folder(data_home, "semeval2016_task6")
    frame = load_corpus("semeval2016", subtask="B", dev_fraction=0)
    test = frame[frame.split == "test"]
    assert len(test) == 707
    pred = pd.Series("oppose", index=test.index)
    assert round(f_avg(test["stance"], pred, LABELS), 2) == 29.72


# -- edge cases, each worked out by hand (issue 27: mutants no test used to catch) -------------
#: gold/predicted with a gold label outside LABELS ("??": the extra last row of the matrix) and
#: predictions outside them ("xx", "??": the extra last column).
EDGE_GOLD = ["support", "support", "oppose", "??", "neutral", "??", "??"]
EDGE_PRED = ["support", "oppose", "xx", "support", "neutral", "support", "??"]


def test_confusion_counts_put_unseen_labels_in_the_last_row_and_column():
    assert confusion_counts(EDGE_GOLD, EDGE_PRED, LABELS).tolist() == [
        [1, 1, 0, 0],  # support -> support, oppose
        [0, 0, 0, 1],  # oppose -> xx
        [0, 0, 1, 0],  # neutral -> neutral
        [2, 0, 0, 1],  # ?? -> support twice, ?? once (outside the labels: never right)
    ]
    assert label_codes(["oppose", "??", "support"], LABELS).tolist() == [1, 3, 0]


def test_every_metric_with_gold_labels_outside_the_label_set():
    # support: TP 1, predicted 3 (one gold support, two gold ??), gold 2 -> P 1/3 R 1/2 F 2/5
    # oppose: TP 0 -> 0; neutral: P R F 1. Micro: TP 2, predicted in labels 5, gold in labels 4
    # -> P 2/5 R 1/2 F 4/9. Accuracy: 2 right of all 7 rows (?? -> ?? is not right).
    assert all_metrics(EDGE_GOLD, EDGE_PRED, LABELS) == pytest.approx(
        {
            "f_avg": 100 * (2 / 5 + 0) / 2,
            "macro_f1": 100 * (2 / 5 + 0 + 1) / 3,
            "macro_recall": 100 * (1 / 2 + 0 + 1) / 3,
            "micro_f1": 100 * 4 / 9,
            "accuracy": 100 * 2 / 7,
        }
    )
    classes = per_class(EDGE_GOLD, EDGE_PRED, LABELS)
    assert classes["support"] == pytest.approx(
        {"precision": 100 / 3, "recall": 50.0, "f1": 40.0, "support": 2}
    )
    assert classes["oppose"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert classes["neutral"] == {"precision": 100.0, "recall": 100.0, "f1": 100.0, "support": 1}


def test_empty_input_scores_zero_everywhere():
    assert confusion_counts([], [], LABELS).tolist() == [[0] * 4] * 4
    assert all_metrics([], [], LABELS) == dict.fromkeys(MATRIX_METRICS, 0.0)
    zero = {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 0}
    assert per_class([], [], LABELS) == dict.fromkeys(LABELS, zero)


def test_nothing_right_scores_zero_and_nothing_in_the_labels_too():
    # every prediction wrong: precision and recall 0, so F1 is 0 (not 0/0)
    assert all_metrics(["support", "oppose"], ["oppose", "neutral"], LABELS) == dict.fromkeys(
        MATRIX_METRICS, 0.0
    )
    # every gold label and prediction outside the labels: nothing can be right
    assert all_metrics(["??", "!!"], ["??", "xx"], LABELS) == dict.fromkeys(MATRIX_METRICS, 0.0)


def test_a_label_never_predicted_or_never_gold_scores_exactly_zero():
    # exactly 0.0, not merely close: the divisions skip those cells and must leave zeros there
    for _ in range(3):
        classes = per_class(["support", "oppose", "neutral"], ["support"] * 3, LABELS)
        assert classes["support"]["precision"] == pytest.approx(100 / 3)
        assert [classes[label]["precision"] for label in LABELS][1:] == [0.0, 0.0]
        assert [classes[label]["f1"] for label in LABELS] == [50.0, 0.0, 0.0]
        classes = per_class(["support", "support"], ["support", "oppose"], LABELS)
        assert [classes[label]["recall"] for label in LABELS] == [50.0, 0.0, 0.0]
        assert classes["neutral"]["f1"] == 0.0


def test_one_class_only():
    # only support in gold and predictions: support is perfect, the absent labels score 0
    scores = all_metrics(["support"] * 3, ["support"] * 3, LABELS)
    assert scores == pytest.approx(
        {
            "f_avg": 50.0,
            "macro_f1": 100 / 3,
            "macro_recall": 100 / 3,
            "micro_f1": 100.0,
            "accuracy": 100.0,
        }
    )


def _reference_interval(gold, pred, n_resamples, seed, level):
    """The percentile interval of accuracy from the same draws, without a confusion matrix."""
    right = np.asarray(gold) == np.asarray(pred)
    rng = np.random.default_rng(seed)
    values = [
        100 * right[rng.integers(0, len(right), len(right))].mean() for _ in range(n_resamples)
    ]
    return np.quantile(values, [(1 - level) / 2, (1 + level) / 2])


@pytest.mark.parametrize("level", [0.95, 0.8])
def test_bootstrap_interval_is_the_percentile_interval_of_resampled_rows(level):
    rng = np.random.default_rng(7)
    gold = rng.choice(LABELS, 60)
    pred = np.where(rng.random(60) < 0.6, gold, rng.choice(LABELS, 60))
    ours = bootstrap_interval(gold, pred, LABELS, "accuracy", n_resamples=200, seed=3, level=level)
    assert ours == pytest.approx(_reference_interval(gold, pred, 200, 3, level))


def test_bootstrap_interval_defaults_are_1000_resamples_seed_0_and_95_percent():
    rng = np.random.default_rng(1)
    gold = rng.choice(LABELS, 50)
    pred = np.where(rng.random(50) < 0.5, gold, rng.choice(LABELS, 50))
    ours = bootstrap_interval(gold, pred, LABELS, "accuracy")
    assert ours == bootstrap_interval(gold, pred, LABELS, "accuracy", 1000, 0, 0.95)
    assert ours == pytest.approx(_reference_interval(gold, pred, 1000, 0, 0.95))


def test_bootstrap_interval_of_one_row_and_of_rows_outside_the_labels():
    # one row: every resample is that row (a draw that skipped row 0 would have nothing to draw)
    assert bootstrap_interval(["support"], ["support"], LABELS, "accuracy") == (100.0, 100.0)
    # gold and predictions outside the labels are never right, whatever is drawn
    outside = bootstrap_interval(["??"] * 5, ["??"] * 5, LABELS, "accuracy", n_resamples=20)
    assert outside == (0.0, 0.0)


def test_bootstrap_interval_covers_a_known_accuracy_at_its_level():
    """Coverage on a known distribution: rows right with probability 0.7, 60 data sets of
    120 rows; the 95% interval should contain 70 about 57 times, the 80% one about 48 times
    (binomial standard deviations 1.7 and 3.1; the percentile bootstrap runs slightly short)."""
    rng = np.random.default_rng(2024)
    covered = {0.95: 0, 0.8: 0}
    for trial in range(60):
        gold = np.array(["support"] * 120)
        pred = np.where(rng.random(120) < 0.7, "support", "oppose")
        for level in covered:
            low, high = bootstrap_interval(
                gold, pred, LABELS, "accuracy", n_resamples=200, seed=trial, level=level
            )
            covered[level] += low <= 70.0 <= high
    assert covered[0.95] >= 52
    assert 40 <= covered[0.8] <= 54


def test_bootstrap_interval_default_is_exactly_1000_resamples():
    # macro-F1 of 400 rows takes many values: one resample more moves both bounds
    rng = np.random.default_rng(5)
    gold = rng.choice(LABELS, 400)
    pred = np.where(rng.random(400) < 0.6, gold, rng.choice(LABELS, 400))
    ours = bootstrap_interval(gold, pred, LABELS, "macro_f1")
    assert ours == bootstrap_interval(gold, pred, LABELS, "macro_f1", n_resamples=1000)
    assert ours != bootstrap_interval(gold, pred, LABELS, "macro_f1", n_resamples=1001)
