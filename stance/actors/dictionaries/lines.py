"""Read a line-based dictionary file (the CAMEO/PETRARCH formats) with honest encoding handling.

Files are read as UTF-8; only a file that is not valid UTF-8 is read as latin-1 instead (every
byte is then a character, so nothing is lost), and the caller is told so it can count it.
Comments are removed the way PETRARCH does: ``#`` up to the end of the line, and XML comments
``<!-- ... -->``, also over several lines.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple, TypeVar

from stance.errors import DataError

__all__ = ["TextLine", "cached_on_stat", "read_text_lines"]

T = TypeVar("T")

_XML_OPEN = "<!--"
_XML_CLOSE = "-->"


class TextLine(NamedTuple):
    """One line of a dictionary file: 1-based ``number``, ``text`` without its comment and
    without the line break, and ``comment`` (what followed ``#``, stripped; ``None`` if none)."""

    number: int
    text: str
    comment: str | None


def read_text_lines(
    path: str | os.PathLike, *, what: str = "dictionary"
) -> tuple[list[TextLine], str]:
    """Return the lines of ``path`` with comments removed, and the encoding used.

    Parameters
    ----------
    path : path of the file.
    what : what the file is, for the error message ("actor dictionary", ...).

    Returns
    -------
    lines, encoding : every line (blank and comment-only lines included, as empty ``text``);
        ``encoding`` is ``"utf-8"`` or ``"latin-1"`` (the fallback for invalid UTF-8).
    """
    file = Path(path)
    try:
        raw = file.read_bytes()
    except FileNotFoundError:
        raise DataError(
            f"{what} file {str(file)!r} not found; check the path (or STANCE_DATA_HOME)."
        ) from None
    except OSError as error:
        raise DataError(
            f"{what} file {str(file)!r} cannot be read ({error.strerror}); check its permissions."
        ) from None
    try:
        text, encoding = raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, encoding = raw.decode("latin-1"), "latin-1"
    if text.startswith("\ufeff"):
        text = text[1:]
    return list(_strip_comments(text.splitlines())), encoding


def _strip_comments(lines: list[str]) -> Iterator[TextLine]:
    in_xml = False
    for number, line in enumerate(lines, start=1):
        if in_xml:
            end = line.find(_XML_CLOSE)
            if end < 0:
                yield TextLine(number, "", None)
                continue
            in_xml = False
            line = line[end + len(_XML_CLOSE) :]
        while "<" in line and _XML_OPEN in line:
            start = line.index(_XML_OPEN)
            end = line.find(_XML_CLOSE, start + len(_XML_OPEN))
            if end < 0:
                line, in_xml = line[:start], True
                break
            line = line[:start] + line[end + len(_XML_CLOSE) :]
        hit = line.find("#")
        if hit < 0:
            yield TextLine(number, line.rstrip(), None)
        else:
            yield TextLine(number, line[:hit].rstrip(), line[hit + 1 :].strip())


def cached_on_stat(read: Callable[[str], T], maxsize: int) -> Callable[[str | os.PathLike], T]:
    """`read` (a file reader), cached on the resolved path, modification time and size: a file
    edited in place is read again; a missing file goes to `read` (its one-line error)."""

    @functools.lru_cache(maxsize=maxsize)
    def cached(path: str, mtime_ns: int, size: int) -> T:
        return read(path)

    def load(path: str | os.PathLike) -> T:
        resolved = Path(path).resolve()
        try:
            stat = resolved.stat()
        except OSError:
            return read(path)
        return cached(str(resolved), stat.st_mtime_ns, stat.st_size)

    return load
