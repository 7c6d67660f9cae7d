"""``StanceModel.predict`` takes input as users have it: one text, texts with their target, a
``datasets.Dataset``, their own column names; an unseen target is said, not silent."""

from __future__ import annotations

import logging

import pandas as pd
import pytest
from sklearn.svm import LinearSVC

from stance import TextView, build_model, ngram_features
from stance.errors import DataError
from stance.predict.model import StanceModel
from stance.predict.summary import summary_line, summed
from tests.records import opinion_rows


@pytest.fixture(scope="module")
def topic_model() -> StanceModel:
    """A per-target model trained as data=local would, with its column map."""
    rows = pd.DataFrame(opinion_rows(60))
    frame = pd.DataFrame(
        {
            "text": rows.sentence,
            "target": rows.topic,
            "stance": rows.label.map({"pro": "support", "con": "oppose", "none": "neutral"}),
        }
    )
    estimator = build_model(
        ngram_features(TextView(mode="text"), word={"ngram_range": (1, 1)}),
        LinearSVC(random_state=0),
        per_target=True,
    ).fit(frame, frame["stance"].to_numpy())
    columns = {"text": "sentence", "stance": "label", "target": "topic"}
    meta = {
        "task": "stance",
        "labels": ["support", "oppose", "neutral"],
        "input_columns": ["text", "target"],
        "corpus": {"name": "local", "columns": columns},
    }
    return StanceModel(estimator, meta)


def test_one_text_with_its_target(topic_model):
    out = topic_model.predict("People love cats.", target="cats")
    assert out[["text", "target", "stance"]].values.tolist() == [
        ["People love cats.", "cats", "support"]
    ]
    texts = topic_model.predict(["People hate taxes.", "People saw taxes."], target="taxes")
    assert texts["stance"].tolist() == ["oppose", "neutral"]


def test_a_topic_model_without_a_target_says_how_to_give_one(topic_model):
    with pytest.raises(DataError, match=r"lacks column\(s\) \['target'\].* or pass target="):
        topic_model.predict(["People love cats."])
    with pytest.raises(DataError, match="give the target as a non-empty string"):
        topic_model.predict(["People love cats."], target=" ")


def test_a_datasets_dataset(topic_model):
    import datasets

    rows = datasets.Dataset.from_dict({"text": ["People fear cats."], "target": ["cats"]})
    assert topic_model.predict(rows)["stance"].tolist() == ["oppose"]


def test_your_column_names_as_trained_or_as_given(topic_model):
    yours = pd.DataFrame({"sentence": ["People back taxes."], "topic": ["taxes"]})
    out = topic_model.predict(yours)
    assert out.columns.tolist()[:3] == ["sentence", "topic", "stance"]
    assert out["stance"].tolist() == ["support"]
    other = yours.rename(columns={"sentence": "body"})
    out = topic_model.predict(other, columns={"text": "body"})
    assert out.columns.tolist()[:3] == ["body", "topic", "stance"]
    with pytest.raises(DataError, match=r"column map: \['label'\] are not input columns"):
        topic_model.predict(other, columns={"label": "x"})


def test_an_unseen_target_is_named_in_a_warning_and_the_summary(topic_model, caplog):
    rows = pd.DataFrame(
        {
            "text": ["People love dogs.", "People hate dogs.", "People love cats.", "x birds"],
            "target": ["dogs", "dogs", "cats", "birds"],
        }
    )
    with caplog.at_level(logging.WARNING, logger="stance.predict.model"):
        out = topic_model.predict(rows)
    (record,) = caplog.records
    assert record.getMessage() == (
        "3 row(s) have a target the model never saw in training and were labelled by its "
        "model of all targets: 'birds' (1), 'dogs' (2)"
    )
    assert out.attrs["summary"]["pooled_targets"] == {"birds": 1, "dogs": 2}
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="stance.predict.model"):
        seen = topic_model.predict(rows.iloc[2:3])
    assert not caplog.records and "pooled_targets" not in seen.attrs["summary"]
    total = summed([out.attrs["summary"], out.attrs["summary"]])
    assert total["pooled_targets"] == {"birds": 2, "dogs": 4}
    assert summary_line(total, "out.csv").endswith(
        "; 6 row(s) of target(s) unseen in training went to the model of all targets: "
        "'birds' (2), 'dogs' (4)"
    )
