"""One streamed pass over an input file: it decodes, holds no NUL byte, its hash and its rows.

The pass reads 1 MiB at a time, so memory stays small whatever the file's size. Rows are
counted cheaply for a progress bar (csv: line ends outside double quotes, so a quoted text
spanning lines is one row; jsonl/txt: line ends); the count can be off for files with stray
quotes or blank lines, and is only ever used as the bar's total.
"""

from __future__ import annotations

import codecs
import hashlib
import itertools
from dataclasses import dataclass
from pathlib import Path

from stance.errors import DataError

BLOCK = 1 << 20


@dataclass(frozen=True)
class Scan:
    """What one pass learnt about a file."""

    size: int
    sha256: str | None  # None unless asked for
    rows: int | None  # data rows (csv: without the header); None unless asked for


def _lines_in(data: bytes | str) -> int:
    """Line breaks in `data`: \\n, \\r\\n and the old Mac \\r alike."""
    if isinstance(data, str):
        return data.count("\n") + data.count("\r") - data.count("\r\n")
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")


class _RowCounter:
    """Line ends of decoded text, outside double quotes when `quoted` (csv)."""

    def __init__(self, quoted: bool) -> None:
        self.quoted = quoted
        self.inside = False
        self.ends = 0
        self.last = "\n"

    def feed(self, text: str) -> None:
        if not text:
            return
        self.last = text[-1]
        if not self.quoted or '"' not in text:
            if not self.inside:
                self.ends += text.count("\n")
            return
        parts = text.split('"')
        self.ends += sum(p.count("\n") for p in parts[1 if self.inside else 0 :: 2])
        self.inside ^= len(parts) % 2 == 0

    def rows(self, header: bool) -> int:
        records = self.ends + (self.last != "\n")
        return max(records - header, 0)


def scan_text(
    path: str | Path, encoding: str = "utf-8", *, digest: bool = False, rows: str | None = None
) -> Scan:
    """Decode `path` with `encoding` in one pass; DataError naming the line of a bad byte.

    Refuses bytes that do not decode and NUL characters (which pandas would pass on into the
    text, and which most tools take for the end of a string). `digest`: also the SHA-256 of
    the bytes. `rows`: ``"csv"`` (a header, then rows that may span lines inside quotes) or
    ``"lines"`` (one row per line) to count rows.
    """
    path = Path(path)
    try:
        decoder = codecs.getincrementaldecoder(encoding)()
    except LookupError:
        raise DataError(
            f"{path}: unknown encoding {encoding!r}; use a Python codec name such as utf-8, "
            "latin-1 or cp1252."
        ) from None
    sha = hashlib.sha256() if digest else None
    counter = _RowCounter(quoted=rows == "csv") if rows else None
    lines, size = 1, 0
    with open(path, "rb") as handle:
        for block in itertools.chain(iter(lambda: handle.read(BLOCK), b""), [b""]):
            size += len(block)
            if sha is not None:
                sha.update(block)
            try:
                text = decoder.decode(block, final=not block)
            except UnicodeDecodeError as err:
                data = err.object
                line = lines + _lines_in(data[: err.start])
                raise DataError(
                    f"{path}: not valid {encoding} (byte 0x{data[err.start]:02x} near line "
                    f"{line}); re-save the file as UTF-8 or give its real encoding "
                    "(e.g. latin-1)."
                ) from None
            nul = text.find("\x00")
            if nul >= 0:
                raise DataError(
                    f"{path}: NUL character near line {lines + _lines_in(text[:nul])}; text "
                    "files must not hold NUL bytes: remove them (e.g. tr -d '\\000' < in > out) "
                    "or check that the file is really text in this encoding."
                )
            if counter is not None:
                counter.feed(text)
            lines += _lines_in(block)
    return Scan(
        size,
        sha.hexdigest() if sha is not None else None,
        counter.rows(header=rows == "csv") if counter is not None else None,
    )
