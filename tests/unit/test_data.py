"""Corpora load into the schema with the published counts; bad files give one clear error."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from stance.data import Statements, load_corpus
from stance.data.home import data_home
from stance.data.schema import REQUIRED_COLUMNS, SENTIMENT_LABELS, STANCE_LABELS
from stance.errors import DataError
from stance.io.readers import read_file, read_hub
from tests.conftest import corpus_folder
from tests.records import statement_record


def _counts(frame: pd.DataFrame, column: str = "stance") -> dict:
    return {split: rows[column].value_counts().to_dict() for split, rows in frame.groupby("split")}


def test_semeval_counts_match_the_source_card(data_home):
    corpus_folder(data_home, "semeval2016_task6")
    frame = load_corpus("semeval2016", dev_fraction=0)
    assert list(frame.columns[: len(REQUIRED_COLUMNS)]) == [
        "id",
        "text",
        "source",
        "target",
        "stance",
        "split",
    ]
    counts = _counts(frame)
    assert counts["train"] == {"oppose": 1395, "support": 753, "neutral": 766}
    assert counts["test"] == {"oppose": 715, "support": 304, "neutral": 230}
    assert _counts(frame, "sentiment")["test"] == {"negative": 791, "neutral": 90, "positive": 368}
    assert (frame["source"] == "author").all()
    assert not frame["text"].str.contains("#SemST").any()
    assert "Donald Trump" not in set(frame["target"])


def test_semeval_dev_is_carved_from_train_reproducibly(data_home):
    corpus_folder(data_home, "semeval2016_task6")
    a = load_corpus("semeval2016", seed=7)
    b = load_corpus("semeval2016", seed=7)
    c = load_corpus("semeval2016", seed=8)
    dev_a = set(a.loc[a.split == "dev", "id"])
    assert dev_a == set(b.loc[b.split == "dev", "id"])
    assert dev_a != set(c.loc[c.split == "dev", "id"])
    assert len(dev_a) == 292  # ceil(0.1 * 2914), as scikit-learn rounds a test share up
    assert (a.split == "test").sum() == 1249


def test_tweeteval_counts_and_labels(data_home):
    corpus_folder(data_home, "tweeteval_stance")
    frame = load_corpus("tweeteval_stance")
    assert frame["split"].value_counts().to_dict() == {"train": 2620, "test": 1249, "dev": 294}
    test = frame[frame.split == "test"]
    assert test["stance"].value_counts().to_dict() == {
        "oppose": 715,
        "support": 304,
        "neutral": 230,
    }
    hillary = frame[(frame.target == "Hillary Clinton") & (frame.split == "train")]
    assert hillary["stance"].value_counts().to_dict() == {
        "oppose": 354,
        "neutral": 160,
        "support": 106,
    }


def test_tweeteval_labels_align_with_semeval_gold(data_home):
    corpus_folder(data_home, "tweeteval_stance")
    corpus_folder(data_home, "semeval2016_task6")
    tweeteval = load_corpus("tweeteval_stance")
    semeval = load_corpus("semeval2016", dev_fraction=0)
    for target in tweeteval["target"].unique():
        a = tweeteval[(tweeteval.split == "test") & (tweeteval.target == target)]["stance"]
        b = semeval[(semeval.split == "test") & (semeval.target == target)]["stance"]
        assert a.tolist() == b.tolist()


def test_statements_corpus_shape_and_coverage():
    frame = load_corpus("statements")
    assert set(frame["stance"]) == set(STANCE_LABELS)
    assert set(frame["sentiment"]) == set(SENTIMENT_LABELS)
    # the counts stated in data/statements/README.md
    assert frame["text_id"].nunique() == 983 and len(frame) == 4134
    assert frame["stance"].value_counts().to_dict() == {
        "neutral": 2038,
        "support": 1521,
        "oppose": 575,
    }
    states = {a for a in set(frame.source) if len(a) == 3 and a.isupper() and a.isalpha()}
    orgs = set(frame.source) - states
    assert len(states) >= 40 and len(orgs) >= 8
    # every pair row's mentions occur verbatim in its text
    assert all(m in t for m, t in zip(frame.source_mention, frame.text, strict=True))
    assert all(m in t for m, t in zip(frame.target_mention, frame.text, strict=True))
    # a sentence never straddles splits
    assert frame.groupby("text_id")["split"].nunique().max() == 1
    assert set(frame["split"]) == {"train", "dev", "test"}


def test_statements_pairs_are_directed():
    frame = load_corpus("statements").set_index("id")
    # every ordered pair of a sentence's actors is a row, and unlisted pairs are neutral
    sentence = frame[frame.text_id == frame.text_id.iloc[0]]
    actors = set(sentence.source) | set(sentence.target)
    assert len(sentence) == len(actors) * (len(actors) - 1)


def _write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_missing_file_is_one_line(tmp_path):
    with pytest.raises(DataError, match="file not found") as err:
        read_file(tmp_path / "nope.csv")
    assert "\n" not in str(err.value)


def test_latin1_read_as_utf8_names_the_byte_and_the_fix(tmp_path):
    path = _write(tmp_path, "bad.csv", "text\nS\u00e3o Paulo welcomed it\n".encode("latin-1"))
    with pytest.raises(DataError, match=r"not valid utf-8 \(byte 0xe3 near line 2\).*encoding"):
        read_file(path)


def test_wrong_delimiter_is_detected(tmp_path):
    path = _write(tmp_path, "semi.csv", b"text;stance\nhello;support\n")
    with pytest.raises(DataError, match="separated by ';'"):
        read_file(path)


def test_empty_file(tmp_path):
    with pytest.raises(DataError, match="file is empty"):
        read_file(_write(tmp_path, "empty.csv", b""))


def _statements_file(tmp_path: Path, records: list[dict]) -> Statements:
    lines = "\n".join(json.dumps(r) for r in records) + "\n"
    (tmp_path / "statements.jsonl").write_text(lines, encoding="utf-8")
    return Statements(root=str(tmp_path), dev_fraction=0)


def test_unknown_label_is_named(tmp_path):
    corpus = _statements_file(tmp_path, [statement_record("x1", sentiment="angry")])
    with pytest.raises(DataError, match=r"unknown sentiment label\(s\) \['angry'\]"):
        corpus.load()


def test_empty_text_is_named(tmp_path):
    corpus = _statements_file(tmp_path, [statement_record("x1", text="   ")])
    with pytest.raises(DataError, match="empty or whitespace-only"):
        corpus.load()


def test_duplicate_ids_are_named(tmp_path):
    corpus = _statements_file(tmp_path, [statement_record("x1"), statement_record("x1")])
    with pytest.raises(DataError, match="duplicate id"):
        corpus.load()


def test_overlap_between_train_and_test_is_a_warning_with_count(tmp_path, caplog):
    records = [statement_record("x1"), statement_record("x2", split="test")]
    corpus = _statements_file(tmp_path, records)
    frame = corpus.load()
    assert len(frame) == 4
    assert "2 test row(s) have a text that also occurs in train" in caplog.text


def test_unknown_corpus_lists_the_registered_ones():
    with pytest.raises(
        DataError, match="unknown corpus 'nope'; registered corpora are .*semeval2016"
    ):
        load_corpus("nope")


def test_unset_or_empty_data_home(tmp_path, monkeypatch):
    monkeypatch.delenv("STANCE_DATA_HOME", raising=False)
    with pytest.raises(DataError, match="STANCE_DATA_HOME is not set"):
        data_home()
    monkeypatch.setenv("STANCE_DATA_HOME", str(tmp_path))
    with pytest.raises(DataError, match="corpus folder 'semeval2016_task6' not found under"):
        load_corpus("semeval2016")


def test_hub_load_fails_fast_offline():
    with pytest.raises(DataError, match="cannot reach the Hugging Face Hub.*offline"):
        read_hub("cardiffnlp/tweet_eval", "stance_abortion", "train")
