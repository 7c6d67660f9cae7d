"""Tables written whole (csv/tsv/jsonl/parquet, chosen by the suffix) or chunk by chunk."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from stance.errors import DataError
from stance.io.atomic import atomic_write

_WRITERS = {
    ".csv": lambda df, p: df.to_csv(p, index=False, encoding="utf-8"),
    ".tsv": lambda df, p: df.to_csv(p, index=False, sep="\t", encoding="utf-8"),
    ".jsonl": lambda df, p: df.to_json(p, orient="records", lines=True, force_ascii=False),
    ".parquet": lambda df, p: df.to_parquet(p, index=False),
}
#: Formats written chunk by chunk (appended), so the output never has to fit in memory.
_APPENDERS = {
    ".csv": lambda df, h, first: df.to_csv(h, index=False, header=first),
    ".tsv": lambda df, h, first: df.to_csv(h, index=False, sep="\t", header=first),
    ".jsonl": lambda df, h, first: _jsonl(df, h),
}


def _jsonl(frame: pd.DataFrame, handle: Any) -> None:
    if len(frame):
        text = frame.to_json(orient="records", lines=True, force_ascii=False)
        handle.write(text if text.endswith("\n") else text + "\n")


def check_suffix(path: Path) -> str:
    """The lower-cased suffix of `path`; DataError when no writer handles it."""
    suffix = path.suffix.lower()
    if suffix not in _WRITERS:
        raise DataError(
            f"{path}: unsupported output type {path.suffix!r}; use one of {', '.join(_WRITERS)}."
        )
    return suffix


def write_table(frame: pd.DataFrame, path: Path) -> Path:
    """Atomically write `frame` as csv/tsv/jsonl/parquet, chosen by the file suffix."""
    writer = _WRITERS[check_suffix(path)]
    return atomic_write(path, lambda p: writer(frame, p))


def write_chunks(chunks: Iterator[pd.DataFrame], path: Path) -> Path:
    """Atomically write the concatenation of `chunks`; csv/tsv/jsonl are appended chunk by
    chunk, parquet is written once at the end."""
    suffix = check_suffix(path)
    if suffix not in _APPENDERS:
        return write_table(pd.concat(list(chunks), ignore_index=True), path)
    append = _APPENDERS[suffix]

    def write(tmp: Path) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as handle:
            for i, chunk in enumerate(chunks):
                append(chunk, handle, i == 0)

    return atomic_write(path, write)
