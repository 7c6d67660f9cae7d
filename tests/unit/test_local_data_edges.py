"""``data=local`` edge cases in-process: what the report counts, every message in full.

tests/integration/test_local_data.py runs the command line in subprocesses; here each decision
of stance.data.local is reached in the test's own process, so changing it fails a test (issue 27).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from stance.data import LocalCorpus
from stance.data.local import _paths
from stance.errors import ConfigError, DataError
from tests.records import opinion_rows
from tests.unit.test_local_data import COLUMNS, LABELS, _error, _load, _write

SENTIMENT = {"pro": "positive", "con": "negative", "none": "neutral"}


def _rows(n: int, start: int = 0, **columns) -> pd.DataFrame:
    return pd.DataFrame(opinion_rows(n, start)).assign(**columns)


# -- options and where the rows are -----------------------------------------------------------
def test_paths_are_a_list_of_strings():
    assert _paths(None) == _paths("") == _paths([]) == []
    assert _paths("a.csv") == ["a.csv"]
    assert _paths(Path("a.csv")) == ["a.csv"]
    assert _paths(("a.csv", Path("b.csv"))) == ["a.csv", "b.csv"]


def test_the_defaults_and_the_options_passed_on_to_the_corpus():
    corpus = LocalCorpus()
    assert (corpus.encoding, corpus.test_fraction, corpus.dev_fraction) == ("utf-8", 0.2, 0.1)
    assert (corpus.empty_texts, corpus.duplicates, corpus.root, corpus.data_home) == (
        "drop",
        "keep",
        None,
        None,
    )
    corpus = LocalCorpus(dev_fraction=0.3, root="r", data_home="h")
    assert (corpus.dev_fraction, corpus.root, corpus.data_home) == (0.3, "r", "h")


def test_no_files_and_an_empty_file_option(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    corpus = LocalCorpus()
    assert corpus.where() == "data 'local' (no files)"
    assert corpus.folder() == tmp_path and corpus.files() == [] and corpus.sources() == {}
    corpus = LocalCorpus(name="mine", file="", train="sub/a.csv", dev=[], test=["b.csv", "c.csv"])
    assert corpus.sources() == {
        "train": [tmp_path / "sub" / "a.csv"],
        "test": [tmp_path / "b.csv", tmp_path / "c.csv"],
    }
    assert corpus.folder() == tmp_path / "sub"
    assert corpus.where() == "data 'mine' (a.csv, b.csv, c.csv)"
    assert LocalCorpus(file="all.csv").sources() == {"all": [tmp_path / "all.csv"]}


def test_metadata_before_reading_and_columns_left_out():
    corpus = LocalCorpus(file="all.csv", columns={"text": "sentence", "target": "", "id": None})
    meta = corpus.metadata()
    assert meta["columns"] == {"text": "sentence"}
    assert (meta["label_maps"], meta["rows"]) == ({}, {})


# -- several files for one split ---------------------------------------------------------------
def test_several_files_of_a_split_are_read_as_one_and_counted(tmp_path):
    rows = _rows(8)
    rows.loc[[1, 4], "sentence"] = ["", " "]
    first = _write(tmp_path / "a.csv", rows)
    second = _write(tmp_path / "b.jsonl", _rows(6, start=8))
    test = _rows(6, start=14)
    test.loc[0, "sentence"] = None
    test = _write(tmp_path / "t.csv", test)
    frame, corpus = _load(train=[str(first), str(second)], test=str(test), dev_fraction=0)
    # ids number the rows of a split's files together, empty rows counted
    train_ids = frame.loc[frame.split == "train", "id"].tolist()
    assert train_ids == [f"train-{i:05d}" for i in (0, 2, 3, 5, 6, 7, *range(8, 14))]
    assert frame.loc[frame.split == "test", "id"].tolist() == [
        f"test-{i:05d}" for i in (1, 2, 3, 4, 5)
    ]
    assert corpus.report_["rows_read"] == 20
    assert corpus.report_["empty_texts"] == {"rows": 3, "action": "dropped"}
    assert corpus.metadata()["rows"] == corpus.report_
    assert corpus.where() == "data 'local' (a.csv, b.jsonl, t.csv)"


def test_a_message_names_the_split_and_every_file_of_it(tmp_path):
    first = _write(tmp_path / "a.csv", _rows(6))
    second = _rows(3, start=6)
    second.loc[1, "sentence"] = ""
    second = _write(tmp_path / "b.csv", second)
    line = _error(DataError, train=[str(first), str(second)], empty_texts="error")
    assert line == (
        "data.train (a.csv, b.csv): 1 empty text(s) (data rows [8]); fill them in, remove them "
        "or set data.empty_texts=drop."
    )


def test_nothing_empty_is_reported_as_nothing_done(tmp_path):
    _, corpus = _load(file=str(_write(tmp_path / "t.csv", opinion_rows(12))))
    assert corpus.report_["empty_texts"] == {"rows": 0, "action": "none"}
    assert corpus.report_["rows_read"] == 12


def test_the_first_three_empty_rows_are_named(tmp_path):
    rows = _rows(8)
    rows.loc[[0, 1, 2, 5], "sentence"] = ""
    path = _write(tmp_path / "t.csv", rows)
    assert _error(DataError, file=str(path), empty_texts="error") == (
        "data.file (t.csv): 4 empty text(s) (data rows [1, 2, 3]); fill them in, remove them "
        "or set data.empty_texts=drop."
    )


def test_the_files_encoding_is_used(tmp_path):
    rows = _rows(10)
    rows.loc[0, "sentence"] = "São Paulo loves cats."
    path = tmp_path / "latin.csv"
    rows.to_csv(path, index=False, encoding="latin-1")
    frame, _ = _load(file=str(path), encoding="latin-1")
    assert frame.set_index("id").loc["row-00000", "text"] == "São Paulo loves cats."
    assert "not valid utf-8 (byte 0xe3 near line 2)" in _error(DataError, file=str(path))


# -- columns -----------------------------------------------------------------------------------
def test_columns_named_index_and_level_0_and_the_columns_of_the_frame(tmp_path):
    rows = _rows(12, index=range(100, 112), level_0="x")  # names pandas gives a reset index
    path = _write(tmp_path / "t.csv", [*rows.to_dict("records"), rows.iloc[0].to_dict()])
    frame, corpus = _load(file=str(path), duplicates="drop")
    assert frame.columns.tolist() == ["id", "text", "source", "target", "stance", "split"]
    assert len(frame) == 12 and corpus.report_["duplicates"]["rows"] == 1


def test_your_id_and_source_columns(tmp_path):
    rows = _rows(12, key=range(100, 112), speaker=[" Ann ", "Bob"] * 6)
    path = _write(tmp_path / "t.csv", rows)
    columns = {**COLUMNS, "id": "key", "source": "speaker"}
    frame, _ = _load(file=str(path), columns=columns)
    assert sorted(frame.id) == [str(i) for i in range(100, 112)]
    assert frame.set_index("id").source.to_dict() == {
        str(100 + i): ("Ann", "Bob")[i % 2] for i in range(12)
    }


def test_a_row_without_a_story_is_a_story_of_its_own(tmp_path):
    rows = _rows(16)
    rows.loc[5, "doc"] = None
    frame, _ = _load(
        file=str(_write(tmp_path / "t.csv", rows)), columns={**COLUMNS, "story": "doc"}
    )
    stories = frame.set_index("id").story
    assert stories["row-00005"] == "row-00005"
    assert stories["row-00004"] == "doc1"


def test_a_blank_target_cell_is_no_target(tmp_path):
    rows = _rows(6)
    rows.loc[1, "topic"] = "   "
    assert _error(DataError, file=str(_write(tmp_path / "t.csv", rows))) == (
        "data.file (t.csv): 1 row(s) have no target in column 'topic' (first at data row 2); "
        "fill them in or remove those rows."
    )


# -- labels: stance, sentiment or both -----------------------------------------------------------
def test_sentiment_alone_takes_data_labels(tmp_path):
    rows = _rows(12)
    rows.loc[0, "label"] = "meh"
    path = _write(tmp_path / "s.csv", rows)
    line = _error(DataError, file=str(path), columns={"text": "sentence", "sentiment": "label"},
                  labels=SENTIMENT)  # fmt: skip
    assert line == (
        "data 'local' (s.csv), column 'label': 1 label(s) not in data.labels: 'meh' (1 row); map "
        'them to positive, negative, neutral with "data.labels={pro: positive, con: negative, '
        'none: neutral, meh: ?}" (replace each ?).'
    )
    schema = _rows(12, label=["positive", "negative", "neutral"] * 4)
    frame, corpus = _load(file=str(_write(tmp_path / "schema.csv", schema)), labels=None,
                          columns={"text": "sentence", "sentiment": "label"})  # fmt: skip
    assert frame.sentiment.tolist()[:3] == ["positive", "negative", "neutral"]
    assert corpus.metadata()["label_maps"] == {"sentiment": {}}


def test_stance_and_sentiment_each_with_its_own_map(tmp_path):
    rows = _rows(12, mood=["positive", "negative", "neutral", "negative"] * 3)
    path = _write(tmp_path / "both.csv", rows)
    columns = {**COLUMNS, "sentiment": "mood"}
    # no sentiment map: data.labels is the stance map only; the sentiment column is the schema's
    frame, corpus = _load(file=str(path), columns=columns)
    assert frame.sort_values("id").sentiment.tolist()[:4] == [
        "positive",
        "negative",
        "neutral",
        "negative",
    ]
    assert corpus.metadata()["label_maps"] == {"stance": LABELS, "sentiment": {}}


def test_a_sentiment_map_outside_the_schema(tmp_path):
    path = _write(tmp_path / "both.csv", _rows(6, mood="positive"))
    line = _error(ConfigError, file=str(path), columns={**COLUMNS, "sentiment": "mood"},
                  sentiment_labels={"good": "great"})  # fmt: skip
    assert line == (
        "data.sentiment_labels maps 'good' to 'great', which is not one of positive, negative, "
        'neutral; fix the map, e.g. "data.sentiment_labels={good: positive}".'
    )


def test_an_unknown_sentiment_label_names_data_sentiment_labels(tmp_path):
    path = _write(tmp_path / "both.csv", _rows(6, mood=["good", "bad", "meh"] * 2))
    line = _error(DataError, file=str(path), columns={**COLUMNS, "sentiment": "mood"},
                  sentiment_labels={"good": "positive", "bad": "negative"})  # fmt: skip
    assert line == (
        "data 'local' (both.csv), column 'mood': 1 label(s) not in data.sentiment_labels: 'meh' "
        "(2 rows); map them to positive, negative, neutral with "
        '"data.sentiment_labels={good: positive, bad: negative, meh: ?}" (replace each ?).'
    )


# -- split names ---------------------------------------------------------------------------------
def test_split_names_are_matched_as_given_then_in_lower_case(tmp_path):
    folds = ["Tr", "Tr", "Validation", "TEST"] * 3
    path = _write(tmp_path / "folds.csv", _rows(12, fold=folds))
    frame, _ = _load(file=str(path), columns={**COLUMNS, "split": "fold"},
                     split_names={"Tr": "train"})  # fmt: skip
    assert frame.sort_values("id").split.tolist() == ["train", "train", "dev", "test"] * 3


def test_a_hub_split_of_another_name(monkeypatch):
    def hub(repo, name=None, revision=None):
        return {"train": _rows(12), "extra": _rows(3, start=12)}

    monkeypatch.setattr("stance.data.local.read_hub_splits", hub)
    assert _error(DataError, hub="someone/opinions") == (
        "Hub dataset someone/opinions: split name(s) 'extra' (1 rows) are not train, dev or test; "
        'name them with "data.split_names={extra: ?}" (each ? one of train, dev, test).'
    )


# -- duplicates and carving ------------------------------------------------------------------------
def test_conflicting_labels_are_logged(tmp_path, caplog):
    rows = opinion_rows(12)
    path = _write(tmp_path / "d.csv", [*rows, {**rows[1], "label": "pro"}])
    with caplog.at_level(logging.WARNING, logger="stance.data.local"):
        _load(file=str(path), test_fraction=0.25)
    assert [r.getMessage() for r in caplog.records if r.name == "stance.data.local"] == [
        "data 'local' (d.csv): 2 row(s) share their input with a row of another label"
    ]


def test_a_zero_test_fraction_carves_no_test_split(tmp_path):
    frame, corpus = _load(file=str(_write(tmp_path / "t.csv", opinion_rows(30))), test_fraction=0)
    assert frame.split.value_counts().to_dict() == {"train": 27, "dev": 3}
    assert corpus.report_["splits"] == (
        "dev 0.1 of train carved with seed 0, stratified by target and stance"
    )


def test_too_few_rows_to_carve_names_the_data(tmp_path):
    path = _write(tmp_path / "t.csv", opinion_rows(4))
    assert _error(DataError, file=str(path), test_fraction=0.9) == (
        "data 'local' (t.csv): the train split has 4 row(s), too few to carve a test split of "
        "0.9 from; add rows or set data.test_fraction=0 (and give the test rows another way)."
    )


def test_a_story_in_two_splits_is_counted_and_logged(tmp_path, caplog):
    folds = ["train"] * 8 + ["dev"] * 2 + ["test"] * 2
    docs = ["d0"] * 4 + ["d1"] * 4 + ["d1", "d2", "d3", "d3"]
    path = _write(tmp_path / "t.csv", _rows(12, fold=folds, doc=docs))
    columns = {**COLUMNS, "story": "doc", "split": "fold"}
    with caplog.at_level(logging.WARNING, logger="stance.data.local"):
        _, corpus = _load(file=str(path), columns=columns)
    assert corpus.report_["stories_in_several_splits"] == 1  # d1: train and dev
    assert [r.getMessage() for r in caplog.records if r.name == "stance.data.local"] == [
        "data 'local' (t.csv): 1 story id(s) occur in more than one split"
    ]


def test_a_share_must_be_a_number_and_the_seed_defaults_to_zero(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _write(tmp_path / "t.csv", opinion_rows(60))
    assert _error(ConfigError, file="t.csv", test_fraction=False) == (
        "data.test_fraction=False: expected a share in [0, 1), e.g. 0.2."
    )
    assert _error(ConfigError, file="t.csv", dev_fraction="0.1") == (
        "data.dev_fraction='0.1': expected a share in [0, 1), e.g. 0.2."
    )
    default = LocalCorpus(file="t.csv", columns=COLUMNS, labels=LABELS).load()
    assert default.split.tolist() == _load(seed=0, file="t.csv")[0].split.tolist()
    assert default.split.tolist() != _load(seed=1, file="t.csv")[0].split.tolist()
