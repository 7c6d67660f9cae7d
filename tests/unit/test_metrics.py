"""Metric functions against hand-computed values, scikit-learn, and the SemEval-2016 benchmark."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import f1_score, recall_score

from stance.data import load_corpus
from stance.evaluation import (
    all_metrics,
    bootstrap_interval,
    f_avg,
    macro_f1,
    macro_recall,
    per_class,
)
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
