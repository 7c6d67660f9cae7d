"""Text views, vectorizers and classifiers: values, sklearn conventions, skops round trips."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import skops.io as sio
from sklearn.svm import LinearSVC
from sklearn.utils.estimator_checks import check_estimator

from stance.errors import DataError
from stance.features import CompactTfidfVectorizer, TextView, mark_pair, ngram_features
from stance.models import MajorityClassifier, PerTargetClassifier, build_model, input_columns


def test_mark_pair_marks_who_is_who():
    text = "Beijing expressed support for the Russian leadership's efforts."
    marked = mark_pair(text, "Beijing", "the Russian leadership", "SRC", "TGT")
    assert marked == "SRC expressed support for TGT 's efforts."
    swapped = mark_pair(text, "the Russian leadership", "Beijing", "SRC", "TGT")
    assert swapped == "TGT expressed support for SRC 's efforts."


def test_mark_pair_longer_mention_first_and_unseen_mentions():
    assert mark_pair("Russia and the Russian side", "the Russian side", "Russia", "S", "T") == (
        "T and S"
    )
    assert mark_pair("Nothing here", "France", "Mali", "S", "T").startswith("T_UNSEEN S_UNSEEN")


def test_text_view_modes_and_missing_columns():
    frame = pd.DataFrame(
        {"text": ["A backed B."], "source_mention": ["A"], "target_mention": ["B"], "target": ["B"]}
    )
    assert TextView("pair").fit_transform(frame).tolist() == ["SRCACTOR backed TGTACTOR ."]
    assert TextView("target_text").fit_transform(frame).tolist() == ["B || A backed B."]
    assert TextView().fit_transform(["plain text"]).tolist() == ["plain text"]
    with pytest.raises(
        DataError, match=r"lacks column\(s\) \['source_mention', 'target_mention'\]"
    ):
        TextView("pair").fit(frame[["text"]])
    with pytest.raises(ValueError, match="unknown mode"):
        TextView("nope").fit(frame)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.SkipTestWarning")
def test_majority_classifier_follows_sklearn_conventions():
    check_estimator(MajorityClassifier())


def test_majority_predicts_most_frequent_and_ties_deterministically():
    model = MajorityClassifier().fit(np.zeros((5, 1)), ["b", "a", "b", "a", "c"])
    assert model.majority_ == "a"
    assert model.predict(np.zeros((2, 1))).tolist() == ["a", "a"]
    assert model.predict_proba(np.zeros((1, 1))).tolist() == [[0.4, 0.4, 0.2]]


def _toy() -> tuple[pd.DataFrame, np.ndarray]:
    texts = ["good great", "bad awful", "good fine", "awful bad", "meh ok", "ok meh"] * 3
    targets = ["t1"] * 6 + ["t2"] * 6 + ["t3"] * 6
    y = np.array(["support", "oppose", "support", "oppose", "neutral", "neutral"] * 3)
    y[12:] = "oppose"  # t3 has one class only
    return pd.DataFrame({"text": texts, "target": targets}), y


def test_per_target_fits_one_model_per_target_and_falls_back_for_unseen():
    X, y = _toy()
    model = PerTargetClassifier(build_model(ngram_features(word={}), MajorityClassifier()))
    model.fit(X, y)
    assert sorted(model.estimators_) == ["t1", "t2"]
    assert model.constant_groups_ == {"t3": "oppose"}
    assert model.classes_.tolist() == ["neutral", "oppose", "support"]
    new = pd.DataFrame({"text": ["x", "y"], "target": ["t3", "unseen"]})
    # t3's model saw only "oppose"; unseen goes to the pooled model (majority: oppose)
    assert model.predict(new).tolist() == ["oppose", "oppose"]
    scores = model.decision_function(new)
    assert scores.shape == (2, 3)


def test_per_target_with_binary_svm_scores_expand_to_all_classes():
    X, y = _toy()
    y = np.where(y == "neutral", "support", y)
    model = build_model(ngram_features(word={}), LinearSVC(random_state=0), per_target=True)
    model.fit(X, y)
    assert model.decision_function(X).shape == (len(X), 2)
    assert (model.predict(X) == y).mean() == 1.0
    assert input_columns(model) == ["text", "target"]


def test_compact_vectorizer_round_trips_through_skops():
    docs = ["Beijing backed Moscow", "Paris criticised Rome", "Tokyo met Seoul"]
    vec = CompactTfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4)).fit(docs)
    data = sio.dumps(vec)
    loaded = sio.loads(data, trusted=sio.get_untrusted_types(data=data))
    assert loaded.vocabulary_ == vec.vocabulary_
    assert (loaded.transform(docs) != vec.transform(docs)).nnz == 0
    assert b"Beijing" not in data or len(data) < 50_000


def test_compact_vectorizer_packs_terms_by_column_and_keeps_a_separator_term():
    vec = CompactTfidfVectorizer(analyzer="char", ngram_range=(1, 1)).fit(["ba", "dc"])
    state = vec.__getstate__()
    assert state["packed_vocabulary_"] == "a\x00b\x00c\x00d" and state["packed_size_"] == 4
    odd = CompactTfidfVectorizer(analyzer="char", ngram_range=(1, 1)).fit(["a\x00b"])
    state = odd.__getstate__()  # a term holding the separator: the dict is kept as it is
    assert "packed_vocabulary_" not in state and state["vocabulary_"] == odd.vocabulary_
    data = sio.dumps(odd)
    loaded = sio.loads(data, trusted=sio.get_untrusted_types(data=data))
    assert loaded.vocabulary_ == {"\x00": 0, "a": 1, "b": 2}


def test_input_columns_of_a_pair_model():
    model = build_model(ngram_features(view=TextView("pair"), word={}), MajorityClassifier())
    assert input_columns(model) == ["text", "source_mention", "target_mention"]


def test_mark_pair_never_matches_inside_the_other_token():
    # "GTA" occurs inside "TGTACTOR": the spans must be found before replacing
    assert mark_pair("Houser said GTA sold well", "Houser", "GTA", "SRCACTOR", "TGTACTOR") == (
        "SRCACTOR said TGTACTOR sold well"
    )
    # same surface form for both: first and second occurrence
    assert mark_pair("Smith met Smith", "Smith", "Smith", "S", "T") == "S met T"
    # the shorter mention inside the longer one is searched outside it
    assert mark_pair("Barack Obama thanked Obama", "Obama", "Barack Obama", "S", "T") == (
        "T thanked S"
    )
