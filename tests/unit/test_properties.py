"""Property tests (hypothesis) for ``StanceModel.predict`` and ``stance.evaluation.metrics``.

Actor recognition has its own property tests in tests/unit/test_actors.py.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score, recall_score
from sklearn.svm import LinearSVC

from stance import DataError, StanceModel, TextView, build_model, load_corpus, ngram_features
from stance.evaluation import MATRIX_METRICS, all_metrics, bootstrap_interval, score
from stance.models import input_columns

LABELS = ["support", "oppose", "neutral"]
PROFILE = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _fit(mode: str, classifier, task: str = "stance") -> StanceModel:
    frame = load_corpus("statements")
    train = frame[frame["split"] == "train"]
    estimator = build_model(
        ngram_features(TextView(mode=mode), word={"ngram_range": (1, 1)}), classifier
    ).fit(train, train[task].to_numpy())
    return StanceModel(
        estimator,
        {
            "task": task,
            "labels": LABELS,
            "classes": [str(c) for c in estimator.classes_],
            "input_columns": input_columns(estimator),
        },
    )


@pytest.fixture(scope="module")
def text_models() -> list[StanceModel]:
    """A text-only model with probabilities and one with decision scores."""
    return [
        _fit("text", LogisticRegression(max_iter=300)),
        _fit("text", LinearSVC(random_state=0)),
    ]


@pytest.fixture(scope="module")
def pair_model() -> StanceModel:
    return _fit("pair", LinearSVC(random_state=0))


def _not_blank(text: str) -> bool:
    return bool(text.strip())


texts = st.lists(st.text(min_size=1, max_size=200).filter(_not_blank), max_size=12)
long_texts = st.builds(
    lambda piece, times: piece * times,
    st.text(min_size=1, max_size=12).filter(_not_blank),
    st.integers(2_000, 20_000),
)


def _check_rows(model: StanceModel, given_texts: list[str], out: pd.DataFrame) -> None:
    assert isinstance(out, pd.DataFrame)
    assert len(out) == len(given_texts)
    assert out["text"].tolist() == list(given_texts)
    assert set(out[model.task]) <= set(model.classes)
    scores = out[[f"score_{c}" for c in model.classes]].to_numpy(dtype=float)
    assert np.isfinite(scores).all()


@PROFILE
@given(texts)
def test_predict_any_unicode_text_one_row_each(text_models, given_texts):
    for model in text_models:
        _check_rows(model, given_texts, model.predict(given_texts))


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(long_texts, min_size=1, max_size=2))
def test_predict_very_long_text(text_models, given_texts):
    for model in text_models:
        _check_rows(model, given_texts, model.predict(given_texts))


@PROFILE
@given(texts, st.lists(st.integers(-1000, 1000), unique=True, min_size=12, max_size=12))
def test_predict_keeps_a_frames_rows_columns_and_order(text_models, given_texts, index):
    frame = pd.DataFrame(
        {"id": range(len(given_texts)), "text": given_texts, "note": "x"},
        index=index[: len(given_texts)],
    )
    for model in text_models:
        out = model.predict(frame)
        _check_rows(model, given_texts, out)
        assert out["id"].tolist() == list(range(len(given_texts)))
        assert (out["note"] == "x").all()


def test_predict_an_empty_list_or_frame(text_models):
    for model in text_models:
        for empty in ([], pd.DataFrame({"text": pd.Series(dtype=str)})):
            out = model.predict(empty)
            assert len(out) == 0
            assert {model.task, *(f"score_{c}" for c in model.classes)} <= set(out.columns)


@PROFILE
@given(texts, st.text(alphabet=" \t\n\r\u00a0\u2003\u3000", max_size=5), st.data())
def test_blank_text_is_the_documented_data_error(text_models, given_texts, blank, data):
    position = data.draw(st.integers(0, len(given_texts)))
    with_blank = [*given_texts[:position], blank, *given_texts[position:]]
    for model in text_models:
        with pytest.raises(DataError, match="empty or whitespace-only") as err:
            model.predict(with_blank)
        assert "\n" not in str(err.value)


@PROFILE
@given(texts)
def test_pair_model_on_given_pairs_one_row_each(pair_model, given_texts):
    frame = pd.DataFrame(
        {
            "text": given_texts,
            "source_mention": [t[: max(1, len(t) // 3)] for t in given_texts],
            "target_mention": [t[-max(1, len(t) // 3) :] for t in given_texts],
        }
    )
    _check_rows(pair_model, given_texts, pair_model.predict(frame))


ACTOR_WORDS = [
    "France",
    "Paris",
    "Germany",
    "Berlin",
    "the Kremlin",
    "Russia",
    "China",
    "Beijing",
    "NATO",
    "the United Nations",
    "the EU",
    "Japan",
    "Tokyo",
    "the White House",
]
FILLER = ["condemned", "backed", "met", "and", "with", ".", ",", "said", "é", "🙂", "\n"]
actor_texts = st.lists(
    st.lists(st.sampled_from(ACTOR_WORDS + FILLER), max_size=40).map(" ".join)
    | st.text(max_size=120),
    max_size=8,
)


@PROFILE
@given(actor_texts)
def test_pair_model_on_raw_text_labels_pairs_inside_their_texts(pair_model, raw):
    out = pair_model.predict(raw)
    assert isinstance(out, pd.DataFrame)
    assert set(out["text_id"]) <= set(range(len(raw)))
    for row in out.itertuples(index=False):
        assert row.source != row.target
        assert row.source_mention in row.sentence and row.target_mention in row.sentence
        assert row.sentence.strip() in raw[row.text_id]
    scores = out[[f"score_{c}" for c in pair_model.classes]].to_numpy(dtype=float)
    assert np.isfinite(scores).all()
    assert set(out["stance"]) <= set(pair_model.classes)


# -- metrics -----------------------------------------------------------------------------------


@st.composite
def gold_and_predicted(draw, extra: bool = True):
    pool = [*LABELS, "other"] if extra else LABELS
    n = draw(st.integers(1, 120))
    gold = draw(st.lists(st.sampled_from(LABELS), min_size=n, max_size=n))
    pred = draw(st.lists(st.sampled_from(pool), min_size=n, max_size=n))
    return gold, pred


@settings(max_examples=100, deadline=None)
@given(gold_and_predicted())
def test_every_metric_is_a_percentage(pair):
    gold, pred = pair
    for name, value in all_metrics(gold, pred, LABELS).items():
        assert 0.0 <= value <= 100.0, name


@settings(max_examples=100, deadline=None)
@given(gold_and_predicted())
def test_metrics_equal_scikit_learns(pair):
    gold, pred = pair
    ours = all_metrics(gold, pred, LABELS)
    kw = {"zero_division": 0}
    expected = {
        "f_avg": f1_score(gold, pred, labels=LABELS[:2], average="macro", **kw),
        "macro_f1": f1_score(gold, pred, labels=LABELS, average="macro", **kw),
        "macro_recall": recall_score(gold, pred, labels=LABELS, average="macro", **kw),
        "micro_f1": f1_score(gold, pred, labels=LABELS, average="micro", **kw),
        "accuracy": accuracy_score(gold, pred),
    }
    for name, value in expected.items():
        assert ours[name] == pytest.approx(100 * value, abs=1e-9), name


@st.composite
def noisy_predictions(draw):
    """Gold with every label at least 10 times; predictions right about 60-90% of the time."""
    counts = [draw(st.integers(10, 60)) for _ in LABELS]
    gold = [label for label, k in zip(LABELS, counts, strict=True) for _ in range(k)]
    seed = draw(st.integers(0, 2**32 - 1))
    accuracy = draw(st.floats(0.6, 0.9))
    rng = np.random.default_rng(seed)
    pred = [g if rng.random() < accuracy else str(rng.choice(LABELS)) for g in gold]
    return gold, pred, seed


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(noisy_predictions(), st.sampled_from(sorted(MATRIX_METRICS)))
def test_bootstrap_interval_contains_the_point_estimate(case, metric):
    gold, pred, seed = case
    value = score(metric, gold, pred, LABELS)
    assume(0 < value < 100)
    low, high = bootstrap_interval(gold, pred, LABELS, metric, n_resamples=300, seed=seed)
    assert 0 <= low <= value <= high <= 100
