"""The shared reader: every corpus file goes through Hugging Face ``datasets`` here."""

from __future__ import annotations

import logging
import os
import socket
from pathlib import Path
from typing import Any

import pandas as pd

from stance.errors import DataError
from stance.io import table_cache
from stance.io.provenance import sha256
from stance.io.scan import Scan, scan_text

log = logging.getLogger(__name__)


class MissingFileError(DataError):
    """A file to read does not exist (a :class:`DataError`; adapters add where to put it)."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"{path}: file not found; check the path.")
        self.path = path

    def __reduce__(self):
        return type(self), (self.path,)


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
    stays small), holds a NUL character or, for csv/tsv, has a header that does not split on
    its separator (`sep`, by default ``,`` or a tab for ``.tsv``). Streaming readers call it
    before their first batch.
    """
    return inspect_input(path, encoding, sep)[0]


def inspect_input(
    path: str | os.PathLike,
    encoding: str = "utf-8",
    sep: str | None = None,
    full: bool = False,
    count: bool = True,
) -> tuple[str, Scan]:
    """:func:`check_readable`, returning the builder and what the pass over the file learnt.

    `full`: also the file's SHA-256 and, unless not `count`, its row count (a progress bar's
    total), from the same pass (parquet: the hash, and the rows its metadata states).
    """
    path = Path(path)
    if not path.is_file():
        raise MissingFileError(path)
    size = path.stat().st_size
    if size == 0:
        raise DataError(f"{path}: file is empty; it needs a header row and at least one row.")
    builder = builder_for(path)
    scan = Scan(size, None, None)
    if builder in {"csv", "text", "json"}:
        rows = ("csv" if builder == "csv" else "lines") if full and count else None
        scan = scan_text(path, encoding, digest=full, rows=rows)
    elif full:
        scan = Scan(size, sha256(path), _parquet_rows(path))
    if builder == "csv":
        _check_header(path, encoding, sep or ("\t" if path.suffix.lower() == ".tsv" else ","))
    return builder, scan


def _parquet_rows(path: Path) -> int | None:
    import pyarrow.parquet as pq

    try:
        return pq.ParquetFile(path).metadata.num_rows
    except (OSError, ValueError) as err:  # pyarrow's errors derive from these
        raise DataError(f"{path}: not a readable parquet file ({_root_cause(err)}).") from None


def read_file(path: str | os.PathLike, cache: bool = False, **options: Any) -> pd.DataFrame:
    """Read one local csv/tsv/txt/jsonl/parquet file into a DataFrame through ``datasets``.

    `options` go to the builder (``encoding``, ``sep``, ``names``...). Every failure becomes a
    one-line :class:`DataError` naming the file and the fix. With `cache` (corpus files), the
    parsed table is kept by the SHA-256 of the file's bytes (:mod:`stance.io.table_cache`) and
    later reads of the same bytes skip ``datasets``.
    """
    path = Path(path)
    if path.suffix.lower() == ".tsv":
        options.setdefault("sep", "\t")
    encoding = options.get("encoding", "utf-8")
    key = None
    if cache and path.is_file() and path.suffix.lower() in _BUILDERS:
        key = table_cache.entry_key(path, _BUILDERS[path.suffix.lower()], options)
        cached = table_cache.load(key)
        if cached is not None:
            return cached
    # a UTF-8 byte-order mark (as Excel writes) needs nothing: pandas' CSV parser drops it
    builder = check_readable(path, encoding, options.get("sep"))
    import datasets

    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    try:
        dataset = datasets.load_dataset(
            builder, data_files={"rows": str(path)}, split="rows", **options
        )
    except Exception as err:  # datasets wraps parser errors in its own types
        raise DataError(f"{path}: could not be parsed as {builder}: {_root_cause(err)}") from err
    if key is not None:
        table_cache.store(key, dataset)
    return dataset.to_pandas()


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


def _require_hub(repo: str, name: str | None, fix: str) -> None:
    if not hub_reachable():
        raise DataError(
            f"cannot reach the Hugging Face Hub to load {repo}{'/' + name if name else ''} "
            f"(offline); {fix} or connect to the internet."
        )


def read_hub(repo: str, name: str | None, split: str) -> pd.DataFrame:
    """Read one split of a Hub dataset; fail fast with one line when the Hub is unreachable."""
    _require_hub(repo, name, "put the corpus files under STANCE_DATA_HOME")
    import datasets

    try:
        return datasets.load_dataset(repo, name, split=split).to_pandas()
    except Exception as err:
        raise DataError(f"Hub dataset {repo}/{name} ({split}): {_root_cause(err)}") from err


def read_hub_splits(
    repo: str, name: str | None = None, revision: str | None = None
) -> dict[str, pd.DataFrame]:
    """Every split of a Hub dataset by its name; one line when offline or the load fails."""
    _require_hub(repo, name, "download the data as files and pass them as data.train/data.test")
    import datasets

    try:
        loaded = datasets.load_dataset(repo, name, revision=revision)
    except Exception as err:
        raise DataError(f"Hub dataset {repo} ({name or 'default'}): {_root_cause(err)}") from err
    return {str(split): part.to_pandas() for split, part in loaded.items()}
