"""PairedDirections: one reading per pair, joint labels, row scores read off by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline

from stance.errors import DataError
from stance.evaluation.directed import combine_directions
from stance.features.pair_views import PairView
from stance.io.model_files import load_model_file, save_model
from stance.models import build_model
from stance.models.build import input_columns
from stance.models.paired import PairedDirections

SENTENCES = [
    ("Paris praised Rome for its help.", "Paris", "Rome", "support", "neutral"),
    ("Oslo condemned Bern over the vote.", "Oslo", "Bern", "oppose", "neutral"),
    ("Lima met Quito for talks.", "Lima", "Quito", "neutral", "neutral"),
    ("Madrid was thanked by Lisbon.", "Madrid", "Lisbon", "neutral", "support"),
    ("Dublin was accused by Cardiff.", "Dublin", "Cardiff", "neutral", "oppose"),
]


def rows(copies: int = 3) -> tuple[pd.DataFrame, np.ndarray]:
    """Both directions of every pair; the first-named entity's row comes second, to show that
    input order does not decide which direction is read."""
    out, labels = [], []
    for _ in range(copies):
        for text, first, second, forward, backward in SENTENCES:
            out.append({"text": text, "source_mention": second, "target_mention": first,
                        "source": second.upper(), "target": first.upper()})  # fmt: skip
            labels.append(backward)
            out.append({"text": text, "source_mention": first, "target_mention": second,
                        "source": first.upper(), "target": second.upper()})  # fmt: skip
            labels.append(forward)
    return pd.DataFrame(out), np.array(labels)


def inner():
    return build_model(make_pipeline(PairView(mode="tagged"), CountVectorizer()),
                       LogisticRegression(C=10.0, max_iter=1000))  # fmt: skip


def test_the_inner_model_learns_joint_labels_on_one_reading_per_pair():
    X, y = rows()
    model = PairedDirections(inner()).fit(X, y)
    assert model.classes_.tolist() == ["neutral", "oppose", "support"]
    assert sorted(model.estimator_.classes_) == [
        "neutral|neutral", "neutral|oppose", "neutral|support", "oppose|neutral",
        "support|neutral",
    ]  # fmt: skip
    assert model.predict(X).tolist() == y.tolist()


def test_marginal_scores_are_log_probabilities_summed_over_the_other_direction():
    X, y = rows(copies=1)
    model = PairedDirections(inner(), scores="marginal").fit(X, y)
    readings = X.iloc[1::2].reset_index(drop=True)  # the first-named entity as source
    joint = model.estimator_.predict_proba(readings)
    pairs = [c.split("|") for c in model.estimator_.classes_]
    scores = np.exp(model.decision_function(X))
    np.testing.assert_allclose(scores.sum(axis=1), 1.0)
    for k in range(len(readings)):
        for c, label in enumerate(model.classes_):
            forward = sum(p for p, (a, _) in zip(joint[k], pairs, strict=True) if a == label)
            backward = sum(p for p, (_, b) in zip(joint[k], pairs, strict=True) if b == label)
            assert scores[2 * k + 1, c] == pytest.approx(forward)
            assert scores[2 * k, c] == pytest.approx(backward)


def test_joint_scores_make_the_dse_argmax_rule_pick_the_most_probable_joint_label():
    X, y = rows(copies=1)
    model = PairedDirections(inner(), scores="joint").fit(X, y)
    scores = model.decision_function(X)
    joint = model.estimator_.predict_proba(X.iloc[1::2].reset_index(drop=True))
    names = list(model.estimator_.classes_)
    neutral, support = list(model.classes_).index("neutral"), list(model.classes_).index("support")
    for k in range(len(joint)):
        assert np.exp(scores[2 * k + 1, support]) == pytest.approx(
            joint[k, names.index("support|neutral")]
        )
        assert np.exp(scores[2 * k, support]) == pytest.approx(
            joint[k, names.index("neutral|support")]
        )
        both = joint[k, names.index("neutral|neutral")]
        assert np.exp(scores[2 * k, neutral]) == pytest.approx(both)
        assert np.exp(scores[2 * k + 1, neutral]) == pytest.approx(both)
    # DSE's five labels from the two rows: the argmax of the five joint log-probabilities.
    predictions = X.assign(item_id=np.repeat(np.arange(len(joint)), 2),
                           direction=["backward", "forward"] * len(joint),
                           dse_label=0, stance=model.predict(X))  # fmt: skip
    for c, label in enumerate(model.classes_):
        predictions[f"score_{label}"] = scores[:, c]
    five = combine_directions(predictions, rule="argmax")
    order = ["neutral|neutral", "support|neutral", "neutral|support", "oppose|neutral",
             "neutral|oppose"]  # fmt: skip
    expected = joint[:, [names.index(n) for n in order]].argmax(axis=1)
    assert five["predicted"].tolist() == expected.tolist() == [1, 3, 0, 2, 4]


def test_a_row_scores_the_same_without_its_reverse_and_each_pair_is_read_once(monkeypatch):
    X, y = rows()
    model = PairedDirections(inner()).fit(X, y)
    everything = model.decision_function(X)
    alone = model.decision_function(X.iloc[[0]])  # a backward row, its reverse absent
    np.testing.assert_allclose(alone[0], everything[0])
    seen = []
    original = model.estimator_.predict_proba
    monkeypatch.setattr(
        model.estimator_, "predict_proba", lambda R: seen.append(len(R)) or original(R)
    )
    model.decision_function(X)
    assert seen == [len(SENTENCES)]  # 30 rows, 5 distinct pairs


def test_missing_reverse_rows_and_a_bad_setting_are_named():
    X, y = rows(copies=1)
    with pytest.raises(DataError, match="1 training row.*lack their reverse.*'Lisbon' -> 'Madrid'"):
        PairedDirections(inner()).fit(X.drop(index=7), np.delete(y, 7))
    with pytest.raises(Exception, match="scores='both'"):
        PairedDirections(inner(), scores="both").fit(X, y)
    with pytest.raises(DataError, match="DataFrame"):
        PairedDirections(inner()).fit(X.to_numpy(), y)


def test_safe_model_file_and_input_columns(tmp_path):
    X, y = rows()
    model = PairedDirections(inner()).fit(X, y)
    assert input_columns(model) == ["text", "source_mention", "target_mention"]
    save_model(model, tmp_path / "model", {"task": "stance"})
    loaded, _ = load_model_file(tmp_path / "model")
    np.testing.assert_allclose(loaded.decision_function(X), model.decision_function(X))
