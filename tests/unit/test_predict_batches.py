"""`StanceModel.predict` labels large inputs in batches with the result of one pass; the
stream form (`predict_batches`) and `predict_proba` agree with it."""

from __future__ import annotations

import datasets
import numpy as np
import pandas as pd
import pytest
from sklearn.svm import LinearSVC

from stance import load_model
from stance.errors import DataError
from stance.models import GroupConsistency
from stance.predict.model import StanceModel
from tests.predict_inputs import LABELS, pair_model, text_model

TEXTS = ["we back this", "we oppose that", "firm no", "a neutral note", "strong support"] * 5
NEWS = [
    "Russia condemned China over the deal. France backs Germany.",
    "Japan met India.",
    "Nothing here.",
    "Brazil praised Canada. Canada criticised Brazil.",
] * 4


@pytest.fixture(scope="module")
def text(tmp_path_factory) -> StanceModel:
    return load_model(text_model(tmp_path_factory.mktemp("text")))


@pytest.fixture(scope="module")
def pair(tmp_path_factory) -> StanceModel:
    return load_model(pair_model(tmp_path_factory.mktemp("pair")))


def _same(a: pd.DataFrame, b: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(a, b)
    assert a.attrs["summary"] == b.attrs["summary"]


def test_batches_give_the_result_of_one_pass(text):
    frame = pd.DataFrame({"id": range(len(TEXTS)), "text": TEXTS, "stance": "support"})
    whole = text.predict(frame, batch_size=1000)
    assert whole.attrs["summary"]["statements"] == 25
    assert whole.columns.tolist() == [
        "id",
        "text",
        "stance_gold",
        "stance",
        *(f"score_{c}" for c in text.classes),
    ]
    _same(text.predict(frame, batch_size=7), whole)
    _same(text.predict(frame, batch_size=1), whole)
    streamed = list(text.predict_batches(frame, batch_size=7))
    assert [len(b) for b in streamed] == [7, 7, 7, 4]
    joined = pd.concat(streamed, ignore_index=True)
    pd.testing.assert_frame_equal(joined, whole)
    scores = text.predict_proba(frame, batch_size=6)
    expected = whole[[f"score_{c}" for c in text.classes]].to_numpy()
    np.testing.assert_array_equal(scores, expected)


def test_a_stream_of_texts_or_a_dataset_gives_the_same_labels(text):
    whole = text.predict(TEXTS)
    from_generator = text.predict(iter(TEXTS), batch_size=4)
    _same(from_generator, whole)
    rows = ({"text": t} for t in TEXTS)  # row dicts
    _same(text.predict(rows, batch_size=10), whole)
    dataset = datasets.Dataset.from_dict({"text": TEXTS})
    _same(text.predict(dataset, batch_size=8), whole)
    batches = list(text.predict_batches((t for t in TEXTS), batch_size=10))
    assert [len(b) for b in batches] == [10, 10, 5]
    assert [b.attrs["summary"]["statements"] for b in batches] == [10, 10, 5]
    assert pd.concat(batches, ignore_index=True)["stance"].tolist() == whole["stance"].tolist()


def test_a_stream_of_frames_is_cut_into_batches(text, tmp_path):
    frame = pd.DataFrame({"id": range(len(TEXTS)), "text": TEXTS})
    frame.to_csv(tmp_path / "in.csv", index=False)
    chunks = pd.read_csv(tmp_path / "in.csv", chunksize=10)
    batches = list(text.predict_batches(chunks, batch_size=4))
    assert [len(b) for b in batches] == [4, 4, 2, 4, 4, 2, 4, 1]
    joined = pd.concat(batches, ignore_index=True)
    pd.testing.assert_frame_equal(joined, text.predict(frame))


def test_raw_text_ids_count_across_batches(pair):
    whole = pair.predict(NEWS)
    assert whole.attrs["summary"]["statements"] == 16
    assert sorted(set(whole["text_id"])) == [0, 1, 3, 4, 5, 7, 8, 9, 11, 12, 13, 15]
    _same(pair.predict(NEWS, batch_size=3), whole)
    frame = pd.DataFrame({"text": NEWS}, index=[f"doc{i}" for i in range(16)])
    labelled = pair.predict(frame, batch_size=5)
    assert labelled["text_id"].iloc[-1] == "doc15"  # index labels, as in one pass
    _same(labelled, pair.predict(frame))
    streamed = list(pair.predict_batches(iter(NEWS), batch_size=5))
    assert [b["text_id"].tolist() for b in streamed][1][:2] == [5, 5]
    pd.testing.assert_frame_equal(pd.concat(streamed, ignore_index=True), whole)


def test_empty_inputs_keep_the_columns(text):
    for data in ([], iter([]), pd.DataFrame({"text": []})):
        out = text.predict(data, batch_size=3)
        assert len(out) == 0 and out.columns.tolist()[-4:] == [
            "stance",
            *(f"score_{c}" for c in text.classes),
        ]
    assert text.predict_proba([]).shape == (0, 3)


def test_a_blank_text_is_named_by_its_row_in_the_whole_input(text):
    texts = [*TEXTS[:12], "  ", *TEXTS[12:]]
    with pytest.raises(DataError, match=r"in rows 10-14 \(first at row 12\)"):
        text.predict(texts, batch_size=5)
    with pytest.raises(DataError, match="batch_size must be at least 1"):
        text.predict(TEXTS, batch_size=0)
    with pytest.raises(DataError, match="not a mix"):
        text.predict(["a text", {"text": "a row"}])


def test_predict_proba_refuses_raw_text(pair):
    with pytest.raises(DataError, match="for raw text use predict"):
        pair.predict_proba(NEWS)


def test_a_model_reading_a_call_together_is_not_cut_into_batches():
    rows = pd.DataFrame(
        {
            "text": ["we back this", "we oppose that", "firm no", "strong support"] * 3,
            "story": ["s1"] * 6 + ["s2"] * 6,
            "source": ["A"] * 12,
            "target": ["B"] * 12,
        }
    )
    from stance.features import ngram_features
    from stance.models import build_model

    inner = build_model(ngram_features(word={}), LinearSVC(random_state=0))
    estimator = GroupConsistency(inner, weight=1.0).fit(rows, ["support", "oppose"] * 6)
    model = StanceModel(estimator, {"task": "stance", "labels": LABELS, "input_columns": ["text"]})
    columns = ["score_oppose", "score_support"]  # a binary model's margin m gives (-m, m)
    whole = estimator.decision_function(rows)
    batched = model.predict(rows, batch_size=4)
    np.testing.assert_allclose(batched[columns].to_numpy(), np.column_stack([-whole, whole]))
    # the stream form reads each batch on its own, as stance predict reads each chunk
    first = next(model.predict_batches(rows, batch_size=4))
    alone = estimator.decision_function(rows.iloc[:4])
    np.testing.assert_allclose(first[columns].to_numpy(), np.column_stack([-alone, alone]))
    assert not np.allclose(alone, whole[:4])  # the batch alone does read differently
