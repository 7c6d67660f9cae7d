"""The parsed-file cache: a hit gives the very frame ``datasets`` gave, keyed by the bytes."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from stance.io import table_cache
from stance.io.readers import read_file


@pytest.fixture
def cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv(table_cache.ENV_VAR, str(folder))
    return folder / "tables"


def _refuse_datasets(monkeypatch):
    """Make any parse through datasets fail, so only a cache hit can answer."""
    import datasets

    def refuse(*args, **kwargs):
        raise AssertionError("datasets was asked to parse the file")

    monkeypatch.setattr(datasets, "load_dataset", refuse)


def test_second_read_is_a_hit_with_the_same_frame(tmp_path, cache, monkeypatch):
    path = tmp_path / "rows.csv"
    path.write_text("text,n\nfirst,1\nsecond,2\n", encoding="utf-8")
    first = read_file(path, cache=True)
    assert len(list(cache.glob("*.arrow"))) == 1
    _refuse_datasets(monkeypatch)
    pd.testing.assert_frame_equal(read_file(path, cache=True), first, check_exact=True)
    assert first["text"].tolist() == ["first", "second"] and first["n"].tolist() == [1, 2]


def test_nested_jsonl_round_trips(tmp_path, cache, monkeypatch):
    path = tmp_path / "rows.jsonl"
    records = [
        {"text": "a", "mentions": [{"actor": "USA", "mentions": ["US", "Washington"]}]},
        {"text": "b", "mentions": []},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    first = read_file(path, cache=True)
    _refuse_datasets(monkeypatch)
    again = read_file(path, cache=True)
    assert list(again.columns) == list(first.columns) and list(again.dtypes) == list(first.dtypes)
    assert _plain(again.to_dict("records")) == _plain(first.to_dict("records"))
    assert [type(v) for v in again["mentions"]] == [type(v) for v in first["mentions"]]
    assert _plain(again.loc[0, "mentions"]) == [{"actor": "USA", "mentions": ["US", "Washington"]}]


def _plain(value):
    """Nested arrays, lists and dicts as plain lists and dicts (arrays do not compare with ==)."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "tolist") and not isinstance(value, str):
        value = value.tolist()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def test_changed_bytes_or_options_are_a_miss(tmp_path, cache):
    path = tmp_path / "rows.csv"
    path.write_text("text\nold\n", encoding="utf-8")
    assert read_file(path, cache=True)["text"].tolist() == ["old"]
    path.write_text("text\nnew\n", encoding="utf-8")
    assert read_file(path, cache=True)["text"].tolist() == ["new"]
    assert read_file(path, cache=True, encoding="latin-1")["text"].tolist() == ["new"]
    assert len(list(cache.glob("*.arrow"))) == 3


def test_the_same_bytes_read_by_another_builder_are_a_miss(tmp_path, cache):
    # one header line and one row as csv, two lines as text: the builder is part of the key
    content = "text\nhello\n"
    (tmp_path / "rows.csv").write_text(content, encoding="utf-8")
    (tmp_path / "rows.txt").write_text(content, encoding="utf-8")
    assert read_file(tmp_path / "rows.csv", cache=True)["text"].tolist() == ["hello"]
    assert read_file(tmp_path / "rows.txt", cache=True)["text"].tolist() == ["text", "hello"]
    assert len(list(cache.glob("*.arrow"))) == 2


def test_off_and_uncached_reads_write_nothing(tmp_path, cache, monkeypatch):
    path = tmp_path / "rows.csv"
    path.write_text("text\nx\n", encoding="utf-8")
    read_file(path)
    assert not cache.exists()
    monkeypatch.setenv(table_cache.ENV_VAR, "off")
    assert read_file(path, cache=True)["text"].tolist() == ["x"]
    assert table_cache.cache_dir() is None and not cache.exists()


def test_unwritable_or_corrupt_cache_never_fails_a_read(tmp_path, monkeypatch):
    path = tmp_path / "rows.csv"
    path.write_text("text\nx\n", encoding="utf-8")
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv(table_cache.ENV_VAR, str(blocker))  # tables/ cannot be made under it
    assert read_file(path, cache=True)["text"].tolist() == ["x"]
    monkeypatch.setenv(table_cache.ENV_VAR, str(tmp_path / "cache"))
    read_file(path, cache=True)
    (entry,) = (tmp_path / "cache" / "tables").glob("*.arrow")
    entry.write_bytes(b"garbage")
    assert read_file(path, cache=True)["text"].tolist() == ["x"]


def test_a_missing_file_is_still_one_clear_error(tmp_path, cache):
    from stance.errors import DataError

    with pytest.raises(DataError, match="file not found"):
        read_file(tmp_path / "nope.csv", cache=True)


def test_default_folder_follows_xdg(tmp_path, monkeypatch):
    monkeypatch.delenv(table_cache.ENV_VAR, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert table_cache.cache_dir() == tmp_path / "stance" / "tables"
