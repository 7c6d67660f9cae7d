"""``data=local``: your own file mapped onto the schema, every bad input one clear line."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from stance.config.compose import compose
from stance.data import LocalCorpus
from stance.errors import ConfigError, DataError
from stance.train.local_data import local_experiment
from tests.records import opinion_rows

COLUMNS = {"text": "sentence", "stance": "label", "target": "topic"}
LABELS = {"pro": "support", "con": "oppose", "none": "neutral"}


def _write(path: Path, rows: list[dict] | pd.DataFrame) -> Path:
    frame = pd.DataFrame(rows)
    if path.suffix == ".jsonl":
        frame.to_json(path, orient="records", lines=True, force_ascii=False)
    elif path.suffix == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        frame.to_csv(path, index=False, sep="\t" if path.suffix == ".tsv" else ",")
    return path


def _load(seed: int = 0, **options) -> tuple[pd.DataFrame, LocalCorpus]:
    corpus = LocalCorpus(**{"columns": COLUMNS, "labels": LABELS, **options})
    return corpus.load(seed), corpus


def _error(kind: type, **options) -> str:
    with pytest.raises(kind) as err:
        _load(**options)
    text = str(err.value)
    assert "\n" not in text
    return text


# -- reading and mapping ----------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".jsonl", ".parquet"])
def test_each_file_type_maps_onto_the_schema(tmp_path, suffix):
    train = _write(tmp_path / f"train{suffix}", opinion_rows(30))
    test = _write(tmp_path / f"test{suffix}", opinion_rows(9, start=30))
    frame, corpus = _load(train=str(train), test=str(test))
    assert frame.columns[:6].tolist() == ["id", "text", "source", "target", "stance", "split"]
    first = frame.iloc[0]
    assert (first.id, first.text, first.source, first.target, first.stance) == (
        "train-00000",
        "People love cats today (note 0).",
        "author",
        "cats",
        "support",
    )
    # 30 train rows: ceil(0.1 x 30) = 3 carved as dev; the test file as given
    assert frame.split.value_counts().to_dict() == {"train": 27, "test": 9, "dev": 3}
    assert frame.loc[frame.split == "test", "id"].iloc[0] == "test-00000"
    meta = corpus.metadata()
    assert meta["label_maps"] == {"stance": LABELS}
    assert meta["columns"] == COLUMNS
    assert meta["source"] == {"train": [str(train)], "test": [str(test)]}
    assert corpus.files() == [train, test]


def test_labels_already_in_the_schema_need_no_map_and_ints_map_too(tmp_path):
    rows = pd.DataFrame(opinion_rows(12)).assign(label=[0, 1, 2] * 4)
    path = _write(tmp_path / "ints.csv", rows)
    frame, _ = _load(file=str(path), labels={0: "support", 1: "oppose", 2: "neutral"})
    assert frame.sort_values("id").stance.tolist()[:3] == ["support", "oppose", "neutral"]
    same = rows.assign(label=["support", "oppose", "neutral"] * 4)
    frame, _ = _load(file=str(_write(tmp_path / "schema.csv", same)), labels=None)
    assert set(frame.stance) == {"support", "oppose", "neutral"}


def test_no_target_column_means_one_target_and_the_author_holds_the_stance(tmp_path):
    path = _write(tmp_path / "t.csv", opinion_rows(12))
    frame, _ = _load(file=str(path), columns={"text": "sentence", "stance": "label"})
    assert set(frame.target) == {"all"} and set(frame.source) == {"author"}


def test_mention_columns_make_pairs_and_name_source_and_target(tmp_path):
    rows = pd.DataFrame(opinion_rows(12)).assign(who="People")
    path = _write(tmp_path / "pairs.jsonl", rows)
    columns = {**COLUMNS, "source_mention": "who", "target_mention": "topic"}
    columns.pop("target")
    frame, _ = _load(file=str(path), columns=columns)
    assert (frame.source == "People").all() and set(frame.target) == {"cats", "taxes"}
    assert (frame.source_mention == "People").all()


def test_sentiment_only_data_maps_labels_onto_sentiment(tmp_path):
    path = _write(tmp_path / "s.csv", opinion_rows(12))
    frame, corpus = _load(
        file=str(path),
        columns={"text": "sentence", "sentiment": "label"},
        labels={"pro": "positive", "con": "negative", "none": "neutral"},
    )
    assert "stance" not in frame and set(frame.sentiment) == {"positive", "negative", "neutral"}
    assert corpus.metadata()["label_maps"] == {
        "sentiment": {"pro": "positive", "con": "negative", "none": "neutral"}
    }


# -- splits -----------------------------------------------------------------------------------
def test_one_file_is_split_stratified_and_reproducibly_with_the_seed(tmp_path):
    path = _write(tmp_path / "all.csv", opinion_rows(60))
    a, corpus = _load(seed=1, file=str(path))
    b, _ = _load(seed=1, file=str(path))
    c, _ = _load(seed=2, file=str(path))
    # test: ceil(0.2 x 60) = 12; dev: ceil(0.1 x 48) = 5
    assert a.split.value_counts().to_dict() == {"train": 43, "test": 12, "dev": 5}
    assert a.split.tolist() == b.split.tolist() and a.split.tolist() != c.split.tolist()
    test = a[a.split == "test"]
    # six strata (2 targets x 3 labels) of 10 rows each: two test rows from each
    assert test.groupby(["target", "stance"]).size().tolist() == [2] * 6
    assert a.id.iloc[0] == "row-00000"
    assert corpus.report_["splits"] == (
        "test 0.2, dev 0.1 of train carved with seed 1, stratified by target and stance"
    )


def test_a_story_column_keeps_each_document_in_one_split(tmp_path):
    path = _write(tmp_path / "all.jsonl", opinion_rows(80))
    frame, corpus = _load(seed=3, file=str(path), columns={**COLUMNS, "story": "doc"})
    assert (frame.groupby("story").split.nunique() == 1).all()
    # 20 documents: ceil(0.2 x 20) = 4 to test, then ceil(0.1 x 16) = 2 to dev
    assert frame.groupby("split").story.nunique().to_dict() == {"dev": 2, "test": 4, "train": 14}
    assert corpus.report_["stories_in_several_splits"] == 0
    assert corpus.report_["splits"].endswith("grouped by story")


def test_a_split_column_with_your_names(tmp_path):
    rows = pd.DataFrame(opinion_rows(12)).assign(fold=["tr", "tr", "validation", "held"] * 3)
    path = _write(tmp_path / "folds.csv", rows)
    frame, corpus = _load(
        file=str(path),
        columns={**COLUMNS, "split": "fold"},
        split_names={"tr": "train", "held": "test"},
    )
    assert frame.split.value_counts().to_dict() == {"train": 6, "dev": 3, "test": 3}
    assert corpus.report_["splits"] == "as given"


def test_a_dev_file_is_used_as_given(tmp_path):
    files = {
        name: str(_write(tmp_path / f"{name}.csv", opinion_rows(n, start)))
        for name, n, start in (("train", 12, 0), ("dev", 6, 12), ("test", 6, 18))
    }
    frame, _ = _load(**files)
    assert frame.split.value_counts().to_dict() == {"train": 12, "dev": 6, "test": 6}


# -- empty texts and duplicates: counted, and what was done ---------------------------------
def test_empty_texts_are_dropped_and_counted(tmp_path):
    rows = pd.DataFrame(opinion_rows(12))
    rows.loc[[2, 7], "sentence"] = ["", "   "]
    rows.loc[7, "label"] = None  # no label either: dropped with its text, not an error
    frame, corpus = _load(file=str(_write(tmp_path / "e.csv", rows)), test_fraction=0.25)
    assert len(frame) == 10 and "row-00002" not in set(frame.id)
    assert corpus.report_["empty_texts"] == {"rows": 2, "action": "dropped"}


def test_repeated_rows_are_counted_kept_or_dropped(tmp_path):
    rows = opinion_rows(12)
    conflicting = {**rows[1], "label": "pro"}  # same input as row 1 (con), another label
    path = _write(tmp_path / "d.csv", [*rows, rows[0], rows[0], conflicting])
    frame, corpus = _load(file=str(path), test_fraction=0.25)
    assert len(frame) == 15
    assert corpus.report_["duplicates"] == {
        "rows": 2,
        "conflicting_label_rows": 2,
        "action": "kept",
    }
    frame, corpus = _load(file=str(path), test_fraction=0.25, duplicates="drop")
    assert len(frame) == 13 and corpus.report_["duplicates"]["action"] == "dropped"


# -- every bad input: one line naming the problem and the fix --------------------------------
def test_unknown_labels_are_listed_with_counts_and_the_override_that_fixes_them(tmp_path):
    rows = pd.DataFrame(opinion_rows(12))
    rows.loc[[0, 3], "label"] = "maybe"
    rows.loc[5, "label"] = "PRO, mostly"
    train = _write(tmp_path / "train.csv", rows)
    test = _write(tmp_path / "test.jsonl", pd.DataFrame(opinion_rows(3)).assign(label="maybe"))
    line = _error(DataError, train=str(train), test=str(test))
    assert line == (
        "data 'local' (train.csv, test.jsonl), column 'label': 2 label(s) not in data.labels: "
        "'maybe' (5 rows), 'PRO, mostly' (1 row); map them to support, oppose, neutral with "
        '"data.labels={pro: support, con: oppose, none: neutral, maybe: ?, PRO\\, mostly: ?}" '
        "(replace each ?)."
    )


def test_a_label_mapped_outside_the_schema(tmp_path):
    path = _write(tmp_path / "t.csv", opinion_rows(6))
    line = _error(ConfigError, file=str(path), labels={**LABELS, "pro": "supprt"})
    assert line == (
        "data.labels maps 'pro' to 'supprt', which is not one of support, oppose, neutral; fix "
        'the map, e.g. "data.labels={pro: support}".'
    )


def _set(rows: pd.DataFrame, where: list[int], column: str, value) -> pd.DataFrame:
    rows = rows.copy()
    rows.loc[where, column] = value
    return rows


@pytest.mark.parametrize(
    ("damage", "options", "line"),
    [
        (
            lambda rows: _set(rows, [4], "label", None),
            {},
            "data 'local' (t.csv), column 'label': 1 row(s) have no label (first: id "
            "'row-00004'); fill them in or remove those rows.",
        ),
        (
            lambda rows: rows,
            {"columns": {**COLUMNS, "target": "Topic"}},
            "data.file (t.csv): no column 'Topic' (data.columns.target); the columns are "
            "['sentence', 'label', 'topic', 'doc']: set data.columns.target=<one of them>.",
        ),
        (
            lambda rows: _set(rows, [1, 4], "sentence", ""),
            {"empty_texts": "error"},
            "data.file (t.csv): 2 empty text(s) (data rows [2, 5]); fill them in, remove them "
            "or set data.empty_texts=drop.",
        ),
        (
            lambda rows: rows.assign(fold=["a", "b", "train"] * 2),
            {"columns": {**COLUMNS, "split": "fold"}},
            "data.file (t.csv), column 'fold': split name(s) 'a' (2 rows), 'b' (2 rows) are not "
            'train, dev or test; name them with "data.split_names={a: ?, b: ?}" (each ? one of '
            "train, dev, test).",
        ),
        (
            lambda rows: _set(rows, [2], "topic", None),
            {},
            "data.file (t.csv): 1 row(s) have no target in column 'topic' (first at data row 3); "
            "fill them in or remove those rows.",
        ),
    ],
    ids=["no_label", "missing_column", "empty_text_error", "unknown_split_name", "no_target"],
)
def test_a_bad_file_is_one_line_naming_the_fix(tmp_path, damage, options, line):
    path = _write(tmp_path / "t.csv", damage(pd.DataFrame(opinion_rows(6))))
    assert _error(DataError, file=str(path), **options) == line


def test_too_few_rows_or_groups_to_carve_a_split(tmp_path):
    path = _write(tmp_path / "t.csv", opinion_rows(4))
    line = _error(DataError, file=str(path), test_fraction=0.9)
    assert "the train split has 4 row(s), too few to carve a test split of 0.9 from" in line
    assert "set data.test_fraction=0" in line
    line = _error(DataError, file=str(path), columns={**COLUMNS, "story": "doc"})
    assert "the train split has 1 group(s), too few to carve a test split" in line


@pytest.mark.parametrize(
    ("options", "kind", "line"),
    [
        (
            {},
            ConfigError,
            "data=local needs your data: data.train=FILE (and data.test=FILE), data.file=FILE "
            "(split with the seed) or data.hub=owner/name.",
        ),
        (
            {"test": "t.csv"},
            ConfigError,
            "data=local needs your data: data.train=FILE (and data.test=FILE), data.file=FILE "
            "(split with the seed) or data.hub=owner/name.",
        ),
        (
            {"file": "t.csv", "train": "t.csv"},
            ConfigError,
            "data.file (one file with every row) excludes data.train/dev/test; pass one way.",
        ),
        (
            {"hub": "someone/data", "train": "t.csv"},
            ConfigError,
            "data.hub and data files exclude each other; pass the Hub dataset or the files.",
        ),
        (
            {"file": "t.csv", "duplicates": "remove"},
            ConfigError,
            "data.duplicates='remove': expected one of ['keep', 'drop'].",
        ),
        (
            {"file": "t.csv", "test_fraction": 1},
            ConfigError,
            "data.test_fraction=1: expected a share in [0, 1), e.g. 0.2.",
        ),
        (
            {"file": "t.csv", "columns": {**COLUMNS, "topic": "topic"}},
            ConfigError,
            "data.columns: ['topic'] are not schema columns; map onto ['text', 'stance', "
            "'sentiment', 'target', 'source', 'source_mention', 'target_mention', 'story', "
            "'split', 'id'].",
        ),
        (
            {"file": "t.csv", "columns": {"text": "sentence", "stance": None}},
            ConfigError,
            "data=local needs a label column: data.columns.stance=<your column> (or "
            "data.columns.sentiment=<your column>).",
        ),
        (
            {"file": "t.csv", "columns": {**COLUMNS, "source_mention": "topic"}},
            ConfigError,
            "map both data.columns.source_mention and data.columns.target_mention (directed "
            "stance between two mentions), or neither.",
        ),
        (
            {"hub": "someone/data"},
            DataError,
            "cannot reach the Hugging Face Hub to load someone/data (offline); download the "
            "data as files and pass them as data.train/data.test or connect to the internet.",
        ),
    ],
    ids=[
        "no_data",
        "test_without_train",
        "file_and_train",
        "hub_and_files",
        "bad_policy",
        "bad_fraction",
        "unknown_column_key",
        "no_label_column",
        "one_mention_column",
        "hub_offline",
    ],
)
def test_bad_options_are_one_line(tmp_path, monkeypatch, options, kind, line):
    monkeypatch.chdir(tmp_path)
    _write(tmp_path / "t.csv", opinion_rows(6))
    assert _error(kind, **options) == line


def test_a_missing_file_names_the_setting_and_where_relative_paths_start(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    line = _error(DataError, train="nope.csv")
    assert line == (
        f"data.train: nope.csv: file not found (relative paths are read from {tmp_path}); "
        "check the path."
    )


# -- the task follows the columns mapped ------------------------------------------------------
@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (["data.columns.target=topic"], ["experiment=local_stance"]),
        ([], ["experiment=local_stance", "per_target=false"]),
        (
            ["data.columns.source_mention=a", "data.columns.target_mention=b"],
            ["experiment=local_pairs"],
        ),
        (["data.columns.sentiment=polarity"], ["experiment=local_sentiment"]),
        (
            ["data.columns.sentiment=polarity", "data.columns.stance=label"],
            ["experiment=local_stance", "per_target=false"],
        ),
        (
            ["data.columns.sentiment=polarity", "task=stance"],
            ["experiment=local_stance", "per_target=false"],
        ),
        (["per_target=true"], ["experiment=local_stance"]),
        (["experiment=semeval2016_stance"], []),
    ],
)
def test_the_task_and_its_defaults_follow_the_columns_mapped(overrides, expected):
    given = ["data=local", *overrides]
    cfg = compose(given, return_hydra_config=True)
    extra = local_experiment(cfg, given)
    assert extra == expected
    if extra:  # and the experiment composes with the data the user gave
        composed = compose([*given, *extra])
        assert composed.data.name == "local" and composed.task.name in {"stance", "sentiment"}


def test_named_corpora_are_left_alone():
    given = ["experiment=semeval2016_stance"]
    assert local_experiment(compose(given, return_hydra_config=True), given) == []


def test_an_experiment_takes_local_data_in_place_of_its_corpus():
    cfg = compose(
        [
            "experiment=semeval2016_stance",
            "data=local",
            "data.train=a.csv",
            "data.labels={FAVOR: support, 0: neutral}",
        ]
    )
    assert cfg.per_target is True and cfg.features.view.mode == "text"
    assert cfg.data.corpus._target_ == "stance.data.LocalCorpus"
    assert json.loads(json.dumps(dict(cfg.data.labels))) == {"FAVOR": "support", "0": "neutral"}


def test_a_hub_dataset_uses_its_own_splits(monkeypatch):
    calls = []

    def hub(repo, name=None, revision=None):
        calls.append((repo, name, revision))
        return {
            "test": pd.DataFrame(opinion_rows(6, start=20)),
            "train": pd.DataFrame(opinion_rows(12)),
            "validation": pd.DataFrame(opinion_rows(6, start=12)),
        }

    monkeypatch.setattr("stance.data.local.read_hub_splits", hub)
    frame, corpus = _load(hub="someone/opinions", hub_config="en", revision="v1")
    assert calls == [("someone/opinions", "en", "v1")]
    assert frame.split.tolist() == ["train"] * 12 + ["dev"] * 6 + ["test"] * 6
    assert corpus.files() == [] and corpus.where() == "data 'local' (someone/opinions)"
    assert corpus.metadata()["source"] == {
        "hub": "someone/opinions",
        "hub_config": "en",
        "revision": "v1",
    }
