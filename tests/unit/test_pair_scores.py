"""Raw-text pair scores with each sentence's character n-grams counted once (issue 25): the
same matrix, entry for entry, and the same scores as the model's own pipeline."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC

from stance import StanceModel, TextView, build_model, load_corpus, ngram_features
from stance.features.pair_views import PairView
from stance.models import input_columns
from stance.predict import pair_scores as module
from stance.predict.model import class_scores
from stance.predict.pair_scores import pair_scores

SENTENCES = [
    "Russia's army shelled Ukraine's east, and the US-China talks stalled.",
    "The United  States\tand\u00a0Iran met in Oman;\nIran's envoy praised the United States.",
    "Beijing backed Moscow. Moscow thanked Beijing (and Beijing's allies).",
    "ΟΔΟΣ Σ İstanbul: Turkey and Greece signed a pact\u2003in Athens\x1cin March.",
    "NATO-led forces and the EU warned Serbia; Serbia's president rejected NATO's claims.",
]
PAIRS = [  # (sentence, source mention, target mention)
    (0, "Russia", "Ukraine"),
    (0, "Ukraine", "Russia"),
    (0, "US", "China"),  # both inside one word
    (0, "China", "US"),
    (0, "Russia's army", "Ukraine's east"),  # mentions ending mid-sentence, with spaces
    (1, "United  States", "Iran"),  # a double space inside a mention
    (1, "Iran", "United  States"),
    (1, " Iran", "Oman;"),  # a mention starting with a space, one ending in punctuation
    (1, "Qatar", "Iran"),  # a mention not in the sentence: <token>_UNSEEN
    (1, "nan", ""),  # neither
    (2, "Beijing", "Moscow"),
    (2, "Moscow", "Beijing"),
    (2, "Beijing", "Beijing"),  # the same mention twice: the second occurrence
    (2, "Beij", "ing"),  # pieces of words
    (3, "Turkey", "Greece"),
    (3, "Athens\x1cin", "ΟΔΟΣ"),
    (3, "İstanbul", "Σ"),
    (4, "NATO", "Serbia"),
    (4, "Serbia", "NATO"),
    (4, "EU", "NATO-led forces"),
]


def _view(pairs=PAIRS) -> pd.DataFrame:
    return pd.DataFrame(
        [(SENTENCES[i], s, t) for i, s, t in pairs],
        columns=["text", "source_mention", "target_mention"],
    )


def _pipeline(classifier=None, view=None, **char):
    frame = load_corpus("statements")
    train = frame[frame["split"] == "train"]
    char = {"ngram_range": (2, 5), "lowercase": False, "sublinear_tf": True, "min_df": 2, **char}
    features = ngram_features(
        view or TextView(mode="pair"), word={"ngram_range": (1, 3)}, char=char
    )
    return build_model(features, classifier or LinearSVC(random_state=0)).fit(
        train, train["stance"].to_numpy()
    )


@pytest.fixture(scope="module")
def fitted():
    return _pipeline()


def _blocks(estimator):
    features = estimator.steps[0][1]
    text_view, union = (step for _, step in features.steps)
    return text_view, dict(union.transformer_list)["char"]


def _same_matrix(a, b) -> None:
    a, b = a.tocsr(), b.tocsr()
    assert a.shape == b.shape
    np.testing.assert_array_equal(a.indptr, b.indptr)
    np.testing.assert_array_equal(a.indices, b.indices)
    np.testing.assert_array_equal(a.data, b.data)  # exactly, not approximately


def test_char_block_is_the_vectorizers_transform_entry_for_entry(fitted):
    text_view, char = _blocks(fitted)
    view = _view()
    _same_matrix(
        module._char_wb_tfidf(char, text_view, view), char.transform(text_view.transform(view))
    )


@pytest.mark.parametrize(
    "options", [{"lowercase": True}, {"binary": True}, {"ngram_range": (1, 3)}]
)
def test_char_block_matches_with_other_vectorizer_options(options):
    text_view, char = _blocks(_pipeline(**options))
    view = _view()
    _same_matrix(
        module._char_wb_tfidf(char, text_view, view), char.transform(text_view.transform(view))
    )


PIECES = [*"abAB Rr'-.,;\t\n\u00a0\u2003\u2028\x85\x1cΣςİéÉ1", "ab", "Russia", "  "]
TEXT = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=st.data(), sentence=TEXT)
def test_any_sentence_and_any_two_substrings_give_the_same_matrix(fitted, data, sentence):
    text_view, char = _blocks(fitted)

    def mention():
        if not sentence or data.draw(st.booleans()):
            return data.draw(TEXT)  # mostly not in the sentence
        a = data.draw(st.integers(0, len(sentence) - 1))
        return sentence[a : data.draw(st.integers(a, len(sentence)))]

    rows = [(sentence, mention(), mention()) for _ in range(3)]
    view = pd.DataFrame(rows, columns=["text", "source_mention", "target_mention"])
    _same_matrix(
        module._char_wb_tfidf(char, text_view, view), char.transform(text_view.transform(view))
    )


def test_tokens_with_a_space_in_them():
    text_view = TextView(mode="pair", source_token="THE SOURCE", target_token="X")
    _, char = _blocks(_pipeline(view=text_view))
    view = _view()
    _same_matrix(
        module._char_wb_tfidf(char, text_view, view), char.transform(text_view.transform(view))
    )


def test_scores_are_the_pipelines_own(fitted):
    view = _view()
    np.testing.assert_array_equal(pair_scores(fitted, view), class_scores(fitted, view)[0])


def test_a_probabilistic_classifier_gives_its_probabilities():
    estimator = _pipeline(LogisticRegression(max_iter=500))
    view = _view()
    scores = pair_scores(estimator, view)
    np.testing.assert_array_equal(scores, class_scores(estimator, view)[0])
    np.testing.assert_allclose(scores.sum(axis=1), 1.0)


def test_other_models_are_left_to_their_own_pipeline():
    assert pair_scores(_pipeline(view=PairView()), _view()) is None  # another view
    text_model = build_model(ngram_features(TextView(mode="text"), word={}), LinearSVC())
    assert pair_scores(text_model, _view()) is None
    assert pair_scores(object(), _view()) is None


def test_raw_text_prediction_is_the_same_with_and_without_it(fitted, monkeypatch):
    model = StanceModel(
        fitted,
        {
            "task": "stance",
            "labels": ["support", "oppose", "neutral"],
            "classes": [str(c) for c in fitted.classes_],
            "input_columns": input_columns(fitted),
        },
    )
    texts = load_corpus("statements")["text"].tolist()[:300] + SENTENCES
    fast = model.predict(texts)
    assert len(fast) > 300
    monkeypatch.setattr("stance.predict.model.pair_scores", lambda *_: None)
    pd.testing.assert_frame_equal(fast, model.predict(texts), check_exact=True)
