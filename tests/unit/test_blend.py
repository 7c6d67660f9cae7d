"""ScoreBlend: the weighted sum of its members' scores, by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from stance.errors import ConfigError
from stance.features.pair_views import PairView
from stance.features.views import TextView
from stance.io.model_files import load_model_file, save_model
from stance.models import build_model
from stance.models.blend import ScoreBlend
from stance.models.build import input_columns

RNG = np.random.default_rng(0)
X = RNG.normal(size=(90, 4))
Y = np.array(["a", "b", "c"])[(X[:, 0] > 0).astype(int) + (X[:, 1] > 0.5).astype(int)]


def test_scores_are_the_weighted_sum_of_the_members():
    members = {"svm": LinearSVC(C=0.5, random_state=0), "logit": LogisticRegression(C=2.0)}
    blend = ScoreBlend(members, weights={"logit": 0.25}).fit(X, Y)
    svm = LinearSVC(C=0.5, random_state=0).fit(X, Y)
    logit = LogisticRegression(C=2.0).fit(X, Y)
    expected = svm.decision_function(X) + 0.25 * logit.decision_function(X)
    np.testing.assert_allclose(blend.decision_function(X), expected)
    assert blend.classes_.tolist() == ["a", "b", "c"]
    assert blend.predict(X).tolist() == np.array(["a", "b", "c"])[expected.argmax(1)].tolist()
    assert (blend.predict(X) == Y).mean() > 0.8


def test_two_classes_give_one_margin_and_a_zero_weight_member_is_not_fitted():
    y = np.where(X[:, 0] > 0, "pro", "con")
    blend = ScoreBlend({"svm": LinearSVC(random_state=0), "logit": LogisticRegression()},
                       weights={"logit": 0.0}).fit(X, y)  # fmt: skip
    assert list(blend.estimators_) == ["svm"]
    margin = LinearSVC(random_state=0).fit(X, y).decision_function(X)
    np.testing.assert_allclose(blend.decision_function(X), margin)
    assert blend.predict(X).tolist() == np.where(margin > 0, "pro", "con").tolist()


def test_members_reading_different_columns_and_a_safe_model_file(tmp_path):
    rows = pd.DataFrame(
        {
            "text": ["Paris praised Rome.", "Rome condemned Paris.", "Oslo met Bern."] * 4,
            "source_mention": ["Paris", "Rome", "Oslo"] * 4,
            "target_mention": ["Rome", "Paris", "Bern"] * 4,
        }
    )
    y = np.array(["support", "oppose", "neutral"] * 4)
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.pipeline import make_pipeline

    blend = ScoreBlend(
        {
            "pair": build_model(make_pipeline(PairView(), CountVectorizer()), LinearSVC()),
            "text": build_model(make_pipeline(TextView(), CountVectorizer()), LinearSVC()),
        }
    )
    model = build_model("passthrough", blend).fit(rows, y)
    assert input_columns(model) == ["text", "source_mention", "target_mention"]
    save_model(model, tmp_path, {"task": "stance"})
    loaded, _ = load_model_file(tmp_path)
    np.testing.assert_allclose(loaded.decision_function(rows), model.decision_function(rows))


def test_configuration_errors_are_one_line():
    with pytest.raises(ConfigError, match="not there: \\['svn'\\]"):
        ScoreBlend({"svm": LinearSVC()}, weights={"svn": 1.0}).fit(X, Y)
    with pytest.raises(ConfigError, match="every weight is 0"):
        ScoreBlend({"svm": LinearSVC()}, weights={"svm": 0}).fit(X, Y)
    with pytest.raises(ConfigError, match="no estimators"):
        ScoreBlend({}).fit(X, Y)
    with pytest.raises(ConfigError, match="different classes"):
        from sklearn.dummy import DummyClassifier

        class Relabel(DummyClassifier):
            def fit(self, X, y):
                return super().fit(X, np.where(y == "a", "z", y))

        ScoreBlend({"svm": LinearSVC(), "odd": Relabel()}).fit(X, Y)
