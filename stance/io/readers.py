"""The shared reader: every corpus file goes through Hugging Face ``datasets`` here."""

from __future__ import annotations

import codecs
import itertools
import logging
import os
import socket
from pathlib import Path
from typing import Any

import pandas as pd

from stance.errors import DataError

log = logging.getLogger(__name__)


class MissingFileError(DataError):
    """A file to read does not exist (a :class:`DataError`; adapters add where to put it)."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path}: file not found; check the path.")
        self.path = path

    def __reduce__(self):
        return type(self), (self.path,)


#: Bytes read at a time when checking the encoding, and what ``read`` returns at the end.
_BLOCK_SIZE = 1 << 20
_END = b""

_BUILDERS = {
    ".csv": "csv",
    ".tsv": "csv",
    ".txt": "text",
    ".jsonl": "json",
    ".json": "json",
    ".parquet": "parquet",
}


def builder_for(path: Path) -> str:
    """Name of the ``datasets`` builder that reads `path`, from its suffix."""
    try:
        return _BUILDERS[path.suffix.lower()]
    except KeyError:
        raise DataError(
            f"{path}: unsupported file type {path.suffix!r}; use one of "
            f"{', '.join(sorted(_BUILDERS))}."
        ) from None


def check_readable(path: str | os.PathLike, encoding: str = "utf-8", sep: str | None = None) -> str:
    """Check a file before reading it; return the ``datasets`` builder that reads it.

    One-line :class:`DataError` when the file is missing or empty, has an unsupported type,
    does not decode with `encoding` (naming the byte and line; the file is streamed, so memory
    stays small) or, for csv/tsv, has a header that does not split on its separator (`sep`,
    by default ``,`` or a tab for ``.tsv``). Streaming readers call it before their first batch.
    """
    path = Path(path)
    if not path.is_file():
        raise MissingFileError(path)
    if path.stat().st_size == 0:
        raise DataError(f"{path}: file is empty; it needs a header row and at least one row.")
    builder = builder_for(path)
    if builder in {"csv", "text", "json"}:
        _check_encoding(path, encoding)
    if builder == "csv":
        _check_header(path, encoding, sep or ("\t" if path.suffix.lower() == ".tsv" else ","))
    return builder


def read_file(path: str | os.PathLike, **options: Any) -> pd.DataFrame:
    """Read one local csv/tsv/txt/jsonl/parquet file into a DataFrame through ``datasets``.

    `options` go to the builder (``encoding``, ``sep``, ``names``...). Every failure becomes a
    one-line :class:`DataError` naming the file and the fix.
    """
    import datasets

    path = Path(path)
    if path.suffix.lower() == ".tsv":
        options.setdefault("sep", "\t")
    encoding = options.get("encoding", "utf-8")
    builder = check_readable(path, encoding, options.get("sep"))
    if builder == "csv" and encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        with open(path, "rb") as handle:
            if handle.read(3) == b"\xef\xbb\xbf":  # a byte-order mark, as Excel writes
                options["encoding"] = "utf-8-sig"
    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    try:
        dataset = datasets.load_dataset(
            builder, data_files={"rows": str(path)}, split="rows", **options
        )
    except Exception as err:  # datasets wraps parser errors in its own types
        raise DataError(f"{path}: could not be parsed as {builder}: {_root_cause(err)}") from err
    return dataset.to_pandas()


def _lines_in(data: bytes) -> int:
    """Line breaks in `data`: \\n, \\r\\n and the old Mac \\r alike."""
    return data.count(b"\n") + data.count(b"\r") - data.count(b"\r\n")


def _check_encoding(path: Path, encoding: str) -> None:
    try:
        decoder = codecs.getincrementaldecoder(encoding)()
    except LookupError:
        raise DataError(
            f"{path}: unknown encoding {encoding!r}; use a Python codec name such as utf-8, "
            "latin-1 or cp1252."
        ) from None
    lines = 1
    with open(path, "rb") as handle:
        for block in itertools.chain(iter(lambda: handle.read(_BLOCK_SIZE), _END), [_END]):
            try:
                decoder.decode(block, final=not block)
            except UnicodeDecodeError as err:
                data = err.object
                line = lines + _lines_in(data[: err.start])
                raise DataError(
                    f"{path}: not valid {encoding} (byte 0x{data[err.start]:02x} near line "
                    f"{line}); re-save the file as UTF-8 or give its real encoding "
                    "(e.g. latin-1)."
                ) from None
            lines += _lines_in(block)


def _check_header(path: Path, encoding: str, sep: str) -> None:
    with open(path, encoding=encoding, errors="replace", newline=None) as handle:
        header = handle.readline().lstrip("\ufeff").rstrip("\n")
    if sep in header:
        return
    for other in ("\t", ";", "|", ","):
        if other != sep and other in header:
            fix = {"\t": "name it .tsv", ",": "name it .csv"}.get(
                other, "save it with commas (.csv) or tabs (.tsv)"
            )
            raise DataError(
                f"{path}: read as one column {header[:60]!r}; the file seems to be "
                f"separated by {other!r}: {fix}."
            )


def _root_cause(err: BaseException) -> str:
    while err.__cause__ is not None or err.__context__ is not None:
        err = err.__cause__ or err.__context__
    return str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__


def hub_reachable(host: str = "huggingface.co", timeout: float = 3.0) -> bool:
    """True when the Hugging Face Hub can be reached and offline mode is not set."""
    if os.environ.get("HF_HUB_OFFLINE", "0") not in ("0", "", "false", "False"):
        return False
    if os.environ.get("HF_DATASETS_OFFLINE", "0") not in ("0", "", "false", "False"):
        return False
    try:
        with socket.create_connection((host, 443), timeout=timeout):
            return True
    except OSError:
        return False


def read_hub(repo: str, name: str | None, split: str) -> pd.DataFrame:
    """Read one split of a Hub dataset; fail fast with one line when the Hub is unreachable."""
    if not hub_reachable():
        raise DataError(
            f"cannot reach the Hugging Face Hub to load {repo}{'/' + name if name else ''} "
            "(offline); put the corpus files under STANCE_DATA_HOME or connect to the internet."
        )
    import datasets

    try:
        return datasets.load_dataset(repo, name, split=split).to_pandas()
    except Exception as err:
        raise DataError(f"Hub dataset {repo}/{name} ({split}): {_root_cause(err)}") from err
