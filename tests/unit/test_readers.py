"""stance.io.readers in-process: every check of the shared reader, each message in full.

tests/unit/test_bad_input.py runs several of these cases through the command line; here each
decision is reached in the test's own process, so a change to it fails a test (issue 27).
"""

from __future__ import annotations

import pickle
import socket

import pandas as pd
import pytest

from stance.io import readers
from stance.io.readers import (
    MissingFileError,
    builder_for,
    check_readable,
    hub_reachable,
    read_file,
    read_hub,
)
from stance.io.scan import Scan
from tests.errors import data_error


def _file(folder, name: str, content: bytes):
    path = folder / name
    path.write_bytes(content)
    return path


# -- reading ---------------------------------------------------------------------------------
def test_a_tsv_is_read_with_tabs_whatever_the_case_of_its_suffix(tmp_path):
    for name in ("rows.tsv", "ROWS.TSV"):
        path = _file(tmp_path, name, b"text\tsource\nParis, then Berlin\tFRA\n")
        frame = read_file(path)
        assert frame.to_dict("list") == {"text": ["Paris, then Berlin"], "source": ["FRA"]}


def test_a_given_separator_is_used_for_the_header_check_too(tmp_path):
    path = _file(tmp_path, "semi.csv", b"text;source\nhello;FRA\n")
    assert read_file(path, sep=";").to_dict("list") == {"text": ["hello"], "source": ["FRA"]}


@pytest.mark.parametrize("encoding", ["utf-8", "UTF_8", "utf8"])
def test_a_byte_order_mark_is_not_part_of_the_first_column(tmp_path, encoding):
    path = _file(tmp_path, "excel.csv", b"\xef\xbb\xbftext,source\nParis,FRA\n")
    assert list(read_file(path, encoding=encoding).columns) == ["text", "source"]
    quoted = _file(tmp_path, "quoted.csv", b'\xef\xbb\xbf"text","source"\n"Paris","FRA"\n')
    assert read_file(quoted, encoding=encoding).to_dict("list") == {
        "text": ["Paris"],
        "source": ["FRA"],
    }


def test_an_explicit_latin1_file_keeps_its_first_bytes(tmp_path):
    # EF BB BF is "ï»¿" in latin-1: a latin-1 file is read as latin-1, never as UTF-8 with a BOM
    path = _file(tmp_path, "old.csv", "ï»¿text,source\nSão Paulo,BRA\n".encode("latin-1"))
    frame = read_file(path, encoding="latin-1")
    assert list(frame.columns) == ["ï»¿text", "source"]
    assert frame.iloc[:, 0].tolist() == ["São Paulo"]


def test_jsonl_text_and_parquet_files(tmp_path):
    jsonl = _file(tmp_path, "rows.jsonl", b'{"text": "a", "n": 1}\n{"text": "b", "n": 2}\n')
    assert read_file(jsonl).to_dict("list") == {"text": ["a", "b"], "n": [1, 2]}
    text = _file(tmp_path, "lines.txt", "première\nsecond\n".encode())
    assert read_file(text)["text"].tolist() == ["première", "second"]
    parquet = tmp_path / "rows.parquet"
    pd.DataFrame({"text": ["x"], "n": [3]}).to_parquet(parquet)
    assert read_file(parquet).to_dict("list") == {"text": ["x"], "n": [3]}


def test_a_parser_failure_is_one_line_naming_the_file_and_the_cause(tmp_path):
    path = _file(tmp_path, "ragged.csv", b"a,b\n1,2\n3,4,5,6\n")
    assert data_error(read_file, path) == (
        f"{path}: could not be parsed as csv: Error tokenizing data. C error: Expected 2 fields "
        "in line 3, saw 4"
    )


# -- the checks before reading ---------------------------------------------------------------
def test_builders_by_suffix_and_the_unsupported_ones():
    from pathlib import Path

    assert [builder_for(Path(f"x{s}")) for s in (".csv", ".TSV", ".txt", ".JSONL", ".json")] == [
        "csv",
        "csv",
        "text",
        "json",
        "json",
    ]
    assert builder_for(Path("x.parquet")) == "parquet"
    assert data_error(builder_for, Path("x.xlsx")) == (
        "x.xlsx: unsupported file type '.xlsx'; use one of .csv, .json, .jsonl, .parquet, .tsv, "
        ".txt."
    )


def test_a_missing_file_names_itself_and_survives_pickling(tmp_path):
    with pytest.raises(MissingFileError) as caught:
        check_readable(tmp_path / "nope.csv")
    err = caught.value
    assert err.path == tmp_path / "nope.csv"
    assert str(err) == f"{tmp_path / 'nope.csv'}: file not found; check the path."
    copy = pickle.loads(pickle.dumps(err))
    assert (type(copy), copy.path, str(copy)) == (MissingFileError, err.path, str(err))


def test_an_empty_file(tmp_path):
    path = _file(tmp_path, "empty.jsonl", b"")
    assert data_error(check_readable, path) == (
        f"{path}: file is empty; it needs a header row and at least one row."
    )


@pytest.mark.parametrize("name", ["bad.csv", "bad.txt", "bad.jsonl"])
def test_invalid_utf8_is_found_in_csv_text_and_json_files(tmp_path, name):
    path = _file(tmp_path, name, b"text\nS\xe3o Paulo\n")
    assert data_error(check_readable, path) == (
        f"{path}: not valid utf-8 (byte 0xe3 near line 2); re-save the file as UTF-8 or give its "
        "real encoding (e.g. latin-1)."
    )
    assert check_readable(path, encoding="latin-1") == builder_for(path)


def test_a_parquet_file_is_not_decoded(tmp_path):
    path = _file(tmp_path, "rows.parquet", b"\xff\xfe not text")
    assert check_readable(path) == "parquet"


@pytest.mark.parametrize(
    ("content", "line"),
    [
        (b"a\r\nb\r\nc\xff\r\n", 3),  # Windows line ends count once each
        (b"a\rb\rc\xff", 3),  # old Mac line ends
        (b"a\nb\r\n\r\nd\n\xff", 5),  # mixed
        (b"\xff", 1),
    ],
)
def test_the_line_of_an_encoding_error_whatever_the_line_ends(tmp_path, content, line):
    path = _file(tmp_path, "crlf.csv", content)
    assert f"(byte 0xff near line {line})" in data_error(check_readable, path)


def test_the_line_of_an_encoding_error_after_the_first_block(tmp_path):
    # three blocks of 1 MiB are checked one after the other; lines are counted across them
    lines = 3 * (1 << 20) // 8 + 10
    path = _file(tmp_path, "big.csv", b"a,bcdef\n" * lines + b"x,\xff\n")
    assert f"(byte 0xff near line {lines + 1})" in data_error(check_readable, path)


def test_a_character_split_between_blocks_is_valid(tmp_path):
    head = b"a,b\n" + b"x" * ((1 << 20) - 5)  # "é" (C3 A9) straddles the first block's end
    path = _file(tmp_path, "split.csv", head + "é,z\n".encode())
    assert path.read_bytes()[(1 << 20) - 1 : (1 << 20) + 1] == "é".encode()
    assert check_readable(path) == "csv"


def test_a_character_cut_off_at_the_end_of_the_file(tmp_path):
    path = _file(tmp_path, "cut.csv", b"a,b\nx,\xc3")
    assert "(byte 0xc3 near line 2)" in data_error(check_readable, path)


def test_an_unknown_encoding(tmp_path):
    path = _file(tmp_path, "ok.txt", b"hello\n")
    assert data_error(check_readable, path, encoding="latn1") == (
        f"{path}: unknown encoding 'latn1'; use a Python codec name such as utf-8, latin-1 or "
        "cp1252."
    )


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "tabs.csv",
            b"text\tsource\nx\ty\n",
            r"'text\tsource'; the file seems to be separated by "
            r"'\t': name it .tsv.",
        ),
        (
            "commas.tsv",
            b"text,source\nx,y\n",
            "'text,source'; the file seems to be separated by ',': name it .csv.",
        ),
        (
            "pipes.csv",
            b"text|source\nx|y\n",
            "'text|source'; the file seems to be separated by "
            "'|': save it with commas (.csv) or tabs (.tsv).",
        ),
        (
            "semi.csv",
            b"\xef\xbb\xbftext;source  \r\nx;y\r\n",
            "'text;source  '; the file seems "
            "to be separated by ';': save it with commas (.csv) or tabs (.tsv).",
        ),
        (
            "long.csv",
            b"a" * 70 + b";b\n",
            f"'{'a' * 60}'; the file seems to be separated by ';': "
            "save it with commas (.csv) or tabs (.tsv).",
        ),
    ],
)
def test_a_header_split_by_another_separator(tmp_path, name, content, message):
    path = _file(tmp_path, name, content)
    assert data_error(check_readable, path) == f"{path}: read as one column {message}"


def test_a_header_is_read_in_the_files_encoding(tmp_path):
    path = _file(tmp_path, "wide.csv", "é;b\nx;y\n".encode("utf-16"))
    assert data_error(check_readable, path, encoding="utf-16") == (
        f"{path}: read as one column 'é;b'; the file seems to be separated by ';': save it with "
        "commas (.csv) or tabs (.tsv)."
    )


def test_a_header_is_quoted_whole_with_its_first_and_last_letters(tmp_path):
    path = _file(tmp_path, "x.csv", b"Xa;bX\r\n1;2\r\n")
    assert data_error(check_readable, path) == (
        f"{path}: read as one column 'Xa;bX'; the file seems to be separated by ';': save it "
        "with commas (.csv) or tabs (.tsv)."
    )


def test_inspect_input_without_the_full_pass_and_its_default_encoding(tmp_path):
    parquet = tmp_path / "rows.parquet"
    pd.DataFrame({"text": ["a", "b"]}).to_parquet(parquet, index=False)
    assert readers.inspect_input(parquet) == ("parquet", Scan(parquet.stat().st_size, None, None))
    bad = _file(tmp_path, "bad.txt", b"ok\n\xff\n")
    assert data_error(readers.inspect_input, bad) == (
        f"{bad}: not valid utf-8 (byte 0xff near line 2); re-save the file as UTF-8 or give its "
        "real encoding (e.g. latin-1)."
    )


def test_the_full_pass_counts_rows_only_when_asked(tmp_path):
    import hashlib

    content = b'text,id\n"two\nlines",1\nplain,2\n'
    path = _file(tmp_path, "rows.csv", content)
    digest = hashlib.sha256(content).hexdigest()
    assert readers.inspect_input(path, full=True) == ("csv", Scan(len(content), digest, 2))
    assert readers.inspect_input(path, full=True, count=False)[1] == Scan(
        len(content), digest, None
    )


def test_headers_that_pass(tmp_path):
    # one column; the separator given; a tab that only ends the header
    assert check_readable(_file(tmp_path, "one.csv", b"text\nx\n")) == "csv"
    assert check_readable(_file(tmp_path, "semi.csv", b"a;b\n1;2\n"), sep=";") == "csv"
    assert check_readable(_file(tmp_path, "end.tsv", b"id;name\t\n1;x\t\n")) == "csv"


# -- the Hugging Face Hub --------------------------------------------------------------------
class _Probe:
    """A stand-in for socket.create_connection that records its calls."""

    def __init__(self, reachable: bool) -> None:
        self.reachable, self.calls = reachable, []

    def __call__(self, address, timeout=None):
        self.calls.append((address, timeout))
        if not self.reachable:
            raise OSError("network is unreachable")
        return socket.socket()


@pytest.fixture
def online(monkeypatch):
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("HF_DATASETS_OFFLINE", raising=False)
    return monkeypatch


@pytest.mark.parametrize("reachable", [True, False])
def test_the_hub_probe_decides_when_no_offline_flag_is_set(online, reachable):
    probe = _Probe(reachable)
    online.setattr(readers.socket, "create_connection", probe)
    assert hub_reachable() is reachable
    assert probe.calls == [(("huggingface.co", 443), 3.0)]
    assert hub_reachable("hub.example", timeout=0.5) is reachable
    assert probe.calls[-1] == (("hub.example", 443), 0.5)


@pytest.mark.parametrize("variable", ["HF_HUB_OFFLINE", "HF_DATASETS_OFFLINE"])
@pytest.mark.parametrize(
    ("value", "offline"),
    [
        ("1", True),
        ("true", True),
        ("yes", True),
        ("0", False),
        ("", False),
        ("false", False),
        ("False", False),
    ],
)
def test_each_offline_flag_alone_decides(online, variable, value, offline):
    probe = _Probe(True)
    online.setattr(readers.socket, "create_connection", probe)
    online.setenv(variable, value)
    assert hub_reachable() is not offline
    assert len(probe.calls) == (0 if offline else 1)


class _Loaded:
    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame

    def to_pandas(self) -> pd.DataFrame:
        return self.frame


def test_read_hub_offline_names_the_dataset_and_the_fix(monkeypatch):
    monkeypatch.setattr(readers, "hub_reachable", lambda: False)
    fix = "(offline); put the corpus files under STANCE_DATA_HOME or connect to the internet."
    assert data_error(read_hub, "org/set", "cfg", "train") == (
        f"cannot reach the Hugging Face Hub to load org/set/cfg {fix}"
    )
    assert data_error(read_hub, "org/set", None, "train") == (
        f"cannot reach the Hugging Face Hub to load org/set {fix}"
    )


def test_read_hub_loads_the_split_and_wraps_failures(monkeypatch):
    import datasets

    calls, frame = [], pd.DataFrame({"text": ["x"]})

    def load(repo, name, split):
        calls.append((repo, name, split))
        if split == "broken":
            try:
                raise KeyError("inner")
            except KeyError as inner:
                raise RuntimeError("outer\nsecond line") from inner
        return _Loaded(frame)

    monkeypatch.setattr(readers, "hub_reachable", lambda: True)
    monkeypatch.setattr(datasets, "load_dataset", load)
    assert read_hub("org/set", "cfg", "test") is frame
    assert calls == [("org/set", "cfg", "test")]
    assert data_error(read_hub, "org/set", "cfg", "broken") == (
        "Hub dataset org/set/cfg (broken): 'inner'"
    )


def test_read_hub_splits_loads_every_split_by_name_and_wraps_failures(monkeypatch):
    import datasets

    calls = []
    train, test = pd.DataFrame({"text": ["a"]}), pd.DataFrame({"text": ["b"]})

    def load(repo, name=None, revision=None):
        calls.append((repo, name, revision))
        if repo == "org/broken":
            raise RuntimeError("no such revision\nsecond line")
        return {"train": _Loaded(train), 2024: _Loaded(test)}

    reached = []
    monkeypatch.setattr(readers, "hub_reachable", lambda: reached.append(1) or True)
    monkeypatch.setattr(datasets, "load_dataset", load)
    assert readers.read_hub_splits("org/set", "cfg", "v1") == {"train": train, "2024": test}
    assert readers.read_hub_splits("org/set") == {"train": train, "2024": test}
    assert calls == [("org/set", "cfg", "v1"), ("org/set", None, None)] and len(reached) == 2
    assert data_error(readers.read_hub_splits, "org/broken", "cfg") == (
        "Hub dataset org/broken (cfg): no such revision"
    )
    assert data_error(readers.read_hub_splits, "org/broken") == (
        "Hub dataset org/broken (default): no such revision"
    )


def test_read_hub_splits_offline_names_the_dataset_and_config(monkeypatch):
    monkeypatch.setattr(readers, "hub_reachable", lambda: False)
    assert data_error(readers.read_hub_splits, "org/set", "cfg") == (
        "cannot reach the Hugging Face Hub to load org/set/cfg (offline); download the data as "
        "files and pass them as data.train/data.test or connect to the internet."
    )


def test_a_full_pass_over_parquet_gives_its_hash_and_stated_rows(tmp_path):
    from stance.io.provenance import sha256

    path = tmp_path / "rows.parquet"
    pd.DataFrame({"text": ["a", "b", "c"]}).to_parquet(path, index=False)
    builder, scan = readers.inspect_input(path, full=True)
    assert (builder, scan.size, scan.sha256, scan.rows) == (
        "parquet",
        path.stat().st_size,
        sha256(path),
        3,
    )
    bad = _file(tmp_path, "bad.parquet", b"PAR1 not really parquet")
    message = data_error(readers.inspect_input, bad, full=True)  # pyarrow's words, one line
    assert message.startswith(f"{bad}: not a readable parquet file (Parquet magic bytes not ")
    assert message.endswith("not a parquet file.).")


def test_the_root_cause_of_an_error():
    def chained(outer: BaseException, inner: BaseException, explicit: bool) -> BaseException:
        if explicit:
            outer.__cause__ = inner  # raise outer from inner
        else:
            outer.__context__ = inner  # raised while handling inner
        return outer

    assert readers._root_cause(ValueError("only\nsecond")) == "only"
    deep = chained(
        RuntimeError("outer"),
        chained(KeyError("middle"), OSError("  first\nsecond  "), True),
        False,
    )
    assert readers._root_cause(deep) == "first"  # the innermost error, its first line
    assert (
        readers._root_cause(chained(RuntimeError("outer"), ValueError("  "), True)) == "ValueError"
    )
