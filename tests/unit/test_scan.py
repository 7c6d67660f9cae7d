"""stance.io.scan in-process: the one streamed pass (decoding, NUL bytes, hash, row count).

``predict`` reaches the hash and the row count through a subprocess; here every decision of the
pass is reached in the test's own process, with small blocks so that quotes, characters and
line ends straddle them (issue 27).
"""

from __future__ import annotations

import hashlib

import pytest

from stance.io import scan
from stance.io.readers import inspect_input
from stance.io.scan import Scan, _lines_in, _RowCounter, scan_text
from tests.errors import data_error


def _file(folder, name: str, content: bytes):
    path = folder / name
    path.write_bytes(content)
    return path


# -- line breaks ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("data", "n"),
    [("", 0), ("a", 0), ("a\nb\n", 2), ("a\r\nb\r\n", 2), ("a\rb\r", 2), ("a\r\n\rb\n\n", 4)],
)
def test_line_breaks_in_text_and_bytes(data, n):
    assert _lines_in(data) == n
    assert _lines_in(data.encode()) == n


# -- the row counter --------------------------------------------------------------------------
def _count(pieces: list[str], quoted: bool = True, header: bool = True) -> int:
    counter = _RowCounter(quoted=quoted)
    for piece in pieces:
        counter.feed(piece)
    return counter.rows(header=header)


def test_a_new_counter_has_no_rows():
    counter = _RowCounter(quoted=True)
    assert (counter.quoted, counter.inside, counter.ends, counter.last) == (True, False, 0, "\n")
    assert counter.rows(header=False) == 0
    assert counter.rows(header=True) == 0  # never below zero


def test_a_line_break_inside_double_quotes_is_not_a_row():
    text = 'id,text\n1,"a\nb"\n2,c\n'
    assert _count([text]) == 2  # three line ends outside quotes, less the header
    assert _count([text], header=False) == 3
    assert _count([text], quoted=False, header=False) == 4  # lines: every break counts


def test_quotes_that_straddle_the_pieces_fed():
    # the quote opens in the first piece and closes in the second; no final line end
    assert _count(['id,text\n1,"a', '\nb"\n2,c']) == 2
    counter = _RowCounter(quoted=True)
    counter.feed('id,"a')
    assert (counter.inside, counter.ends, counter.last) == (True, 0, "a")
    counter.feed("\n\n")  # no quote in it, inside quotes: no row ends
    assert (counter.inside, counter.ends, counter.last) == (True, 0, "\n")
    counter.feed('b"\nx')
    assert (counter.inside, counter.ends, counter.last) == (False, 1, "x")
    assert counter.rows(header=False) == 2  # the last row has no line end


def test_two_quotes_in_one_piece_leave_the_state_alone():
    counter = _RowCounter(quoted=True)
    counter.feed('a,"b\nc",d\ne\n')
    assert (counter.inside, counter.ends) == (False, 2)
    counter.feed('"x""y"\n')  # an escaped quote: four quotes, still outside
    assert (counter.inside, counter.ends) == (False, 3)


def test_lines_ignore_quotes_and_an_empty_piece_changes_nothing():
    assert _count(['a "x\n', "b\n"], quoted=False, header=False) == 2
    assert _count(['a "x\n', "b\n"], quoted=True, header=False) == 0  # an open quote
    counter = _RowCounter(quoted=False)
    counter.feed("a\nb")
    counter.feed("")
    assert (counter.last, counter.ends, counter.rows(header=False)) == ("b", 1, 2)


# -- the pass over a file ---------------------------------------------------------------------
CSV = b'id,text\r\n1,"two\r\nlines"\r\n2,plain\r\n3,"say ""hi"""\r\n'


@pytest.mark.parametrize("block", [1 << 20, 1, 2, 3, 5])
def test_size_hash_and_rows_whatever_the_block_size(tmp_path, monkeypatch, block):
    monkeypatch.setattr(scan, "BLOCK", block)
    path = _file(tmp_path, "rows.csv", CSV)
    digest = hashlib.sha256(CSV).hexdigest()
    assert scan_text(path, digest=True, rows="csv") == Scan(len(CSV), digest, 3)
    assert scan_text(path, rows="lines") == Scan(len(CSV), None, 5)
    assert scan_text(path) == Scan(len(CSV), None, None)


def test_a_character_split_between_small_blocks(tmp_path, monkeypatch):
    monkeypatch.setattr(scan, "BLOCK", 1)
    content = "text\nSão Paulo\nJosé\n".encode()
    path = _file(tmp_path, "names.txt", content)
    assert scan_text(path, rows="lines") == Scan(len(content), None, 3)
    message = data_error(scan_text, path, "ascii")
    assert message == (
        f"{path}: not valid ascii (byte 0xc3 near line 2); re-save the file as UTF-8 or give its "
        "real encoding (e.g. latin-1)."
    )


def test_the_line_of_a_bad_byte_in_a_later_block(tmp_path, monkeypatch):
    monkeypatch.setattr(scan, "BLOCK", 4)
    path = _file(tmp_path, "late.txt", b"ab\ncd\r\nef\rgh\n\xff\n")
    assert "(byte 0xff near line 5)" in data_error(scan_text, path)


@pytest.mark.parametrize(
    ("content", "line"),
    [
        (b"\x00abc", 1),
        (b"a,b\n1,\x00\n", 2),
        (b"a\r\nb\rc\n\x00\n", 4),  # every kind of line end counts once
    ],
)
def test_a_nul_character_is_refused_naming_its_line(tmp_path, content, line):
    path = _file(tmp_path, "nul.csv", content)
    assert data_error(scan_text, path) == (
        f"{path}: NUL character near line {line}; text files must not hold NUL bytes: remove "
        "them (e.g. tr -d '\\000' < in > out) or check that the file is really text in this "
        "encoding."
    )


def test_a_nul_character_in_a_later_block(tmp_path, monkeypatch):
    monkeypatch.setattr(scan, "BLOCK", 2)
    path = _file(tmp_path, "nul.txt", b"a\nb\nc\n\x00")
    assert "NUL character near line 4;" in data_error(scan_text, path)


def test_the_first_nul_character_is_named_and_utf8_is_the_default(tmp_path):
    path = _file(tmp_path, "nul.txt", b"a\n\x00\nb\x00\n")
    assert "NUL character near line 2;" in data_error(scan_text, path)
    bad = _file(tmp_path, "bad.txt", b"ok\n\xff\n")
    assert data_error(scan_text, bad).startswith(f"{bad}: not valid utf-8 (byte 0xff near line 2)")


class _Handle:
    """A binary file that records the sizes asked for and refuses a read past its end."""

    def __init__(self, data: bytes) -> None:
        self.data, self.sizes, self.ended = data, [], False

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None

    def read(self, size: int) -> bytes:
        assert not self.ended, "read again after the end of the file"
        self.sizes.append(size)
        cut = len(self.data) if size is None or size < 0 else size  # None or -1: the rest
        block, self.data = self.data[:cut], self.data[cut:]
        self.ended = not block
        return block


def test_the_pass_reads_blocks_of_block_bytes_once_to_the_end(monkeypatch):
    handle = _Handle(b"a,b\n1,2\n3,4\n")
    monkeypatch.setattr(scan, "BLOCK", 5)
    monkeypatch.setattr(scan, "open", lambda path, mode: handle, raising=False)
    assert scan_text("rows.csv", rows="csv") == Scan(12, None, 2)
    assert handle.sizes == [5, 5, 5, 5]  # 5 + 5 + 2 bytes, then the empty read that ends it


def test_an_unknown_encoding_is_named_before_the_file_is_opened(tmp_path):
    path = tmp_path / "never-opened.txt"
    assert data_error(scan_text, path, "utf-9") == (
        f"{path}: unknown encoding 'utf-9'; use a Python codec name such as utf-8, latin-1 or "
        "cp1252."
    )


# -- what the reader's full pass returns -------------------------------------------------------
@pytest.mark.parametrize(
    ("name", "content", "rows"),
    [
        ("rows.csv", CSV, 3),
        ("rows.tsv", b'id\ttext\n1\t"a\nb"\n', 1),
        ("rows.jsonl", b'{"text": "a"}\n{"text": "b"}\n{"text": "c"}', 3),
        ("rows.txt", b"one\ntwo\n", 2),
    ],
)
def test_inspect_input_full_gives_the_hash_and_the_rows(tmp_path, name, content, rows):
    path = _file(tmp_path, name, content)
    digest = hashlib.sha256(content).hexdigest()
    builder = {".csv": "csv", ".tsv": "csv", ".jsonl": "json", ".txt": "text"}[path.suffix]
    assert inspect_input(path, full=True) == (builder, Scan(len(content), digest, rows))
    assert inspect_input(path) == (builder, Scan(len(content), None, None))
