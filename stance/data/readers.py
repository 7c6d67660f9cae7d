"""The shared reader: every corpus file goes through Hugging Face ``datasets`` here."""

from __future__ import annotations

import logging
import os
import socket
from pathlib import Path
from typing import Any

import pandas as pd

from stance.errors import DataError

log = logging.getLogger(__name__)

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


def read_file(path: str | os.PathLike, **options: Any) -> pd.DataFrame:
    """Read one local csv/tsv/txt/jsonl/parquet file into a DataFrame through ``datasets``.

    `options` go to the builder (``encoding``, ``sep``, ``names``...). Every failure becomes a
    one-line :class:`DataError` naming the file and the fix.
    """
    import datasets

    path = Path(path)
    if not path.is_file():
        raise DataError(f"{path}: file not found; check the path (and STANCE_DATA_HOME).")
    if path.stat().st_size == 0:
        raise DataError(f"{path}: file is empty; it needs a header row and at least one row.")
    builder = builder_for(path)
    if path.suffix.lower() == ".tsv":
        options.setdefault("sep", "\t")
    encoding = options.get("encoding", "utf-8")
    if builder in {"csv", "text", "json"}:
        _check_encoding(path, encoding)
    datasets.disable_progress_bars()
    datasets.logging.set_verbosity_error()
    try:
        dataset = datasets.load_dataset(
            builder, data_files={"rows": str(path)}, split="rows", **options
        )
    except Exception as err:  # datasets wraps parser errors in its own types
        raise DataError(f"{path}: could not be parsed as {builder}: {_root_cause(err)}") from err
    frame = dataset.to_pandas()
    if builder == "csv":
        _check_delimiter(frame, path)
    return frame


def _check_encoding(path: Path, encoding: str) -> None:
    data = path.read_bytes()
    try:
        data.decode(encoding)
    except UnicodeDecodeError as err:
        head = data[: err.start].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        line = head.count(b"\n") + 1
        raise DataError(
            f"{path}: not valid {encoding} (byte 0x{data[err.start]:02x} near line {line}); "
            "re-save the file as UTF-8 or pass the file's encoding (e.g. encoding=latin-1)."
        ) from None


def _check_delimiter(frame: pd.DataFrame, path: Path) -> None:
    if frame.shape[1] == 1:
        header = str(frame.columns[0])
        for sep in ("\t", ";", "|", ","):
            if sep in header:
                raise DataError(
                    f"{path}: read as one column {header[:60]!r}; the file seems to be "
                    f"separated by {sep!r}: save it with commas or name it .tsv for tabs."
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
