"""Input in batches and results put back together: what lets ``StanceModel.predict`` label
any size of input in bounded memory with the result of one pass."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from itertools import chain, islice
from typing import Any

import pandas as pd

from stance.errors import DataError
from stance.predict.summary import summed


def joined(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """The batches' results as one frame, their summaries summed."""
    filled = [p for p in parts if len(p)] or parts[:1]
    out = filled[0] if len(filled) == 1 else pd.concat(filled, ignore_index=True)
    out.attrs["summary"] = summed([p.attrs["summary"] for p in parts])
    return out


def batches(data: Any, size: int | None) -> Iterator[tuple[int, pd.DataFrame]]:
    """``(position of the first row, frame)`` for each `size` rows of `data` (all: None).

    A DataFrame is sliced (index labels kept), and so is each frame of an iterable of frames
    (such as ``pd.read_csv(..., chunksize=...)``); a ``datasets.Dataset`` is read `size` rows
    at a time; any other iterable holds texts or row dicts, read lazily. At least one frame
    comes out, so an empty input still gives the output's columns. The positions of a
    DataFrame with a plain ``RangeIndex`` count from its first label (a slice of a file read
    in batches: the rows' positions in the file).
    """
    if isinstance(data, pd.DataFrame):
        index = data.index
        base = index.start if isinstance(index, pd.RangeIndex) and index.step == 1 else 0
        for start, part in _slices(data, size):
            yield base + start, part
        return
    if hasattr(data, "column_names") and hasattr(data, "iter"):  # a datasets.Dataset
        chunks = (pd.DataFrame(c) for c in data.iter(batch_size=size or max(len(data), 1)))
        empty = pd.DataFrame({c: [] for c in data.column_names})
    else:
        items = iter(data)
        first = next(items, _NOTHING)
        if isinstance(first, pd.DataFrame):
            yield from frame_batches(chain([first], items), size)
            return
        items = chain([] if first is _NOTHING else [first], items)
        chunks = iter(lambda: list(islice(items, size) if size else items), [])
        chunks = (records(c) for c in chunks)
        empty = pd.DataFrame({"text": []}, dtype=object)
    offset = 0
    for frame in chunks:
        frame.index = pd.RangeIndex(offset, offset + len(frame))
        yield offset, frame
        offset += len(frame)
    if offset == 0:
        yield 0, empty


_NOTHING = object()


def frame_batches(
    stream: Iterator[pd.DataFrame], size: int | None
) -> Iterator[tuple[int, pd.DataFrame]]:
    """The batches of a stream of frames (each cut on its own, index labels kept)."""
    offset = 0
    for frame in stream:
        for start, part in _slices(frame, size):
            yield offset + start, part
        offset += len(frame)


def _slices(frame: pd.DataFrame, size: int | None) -> Iterator[tuple[int, pd.DataFrame]]:
    """``(position in frame, rows)`` for each `size` rows (at least one, maybe empty)."""
    step = size or max(len(frame), 1)
    for start in range(0, max(len(frame), 1), step):
        yield start, frame.iloc[start : start + step]


def records(items: list[Any]) -> pd.DataFrame:
    """Texts as a ``text`` column, or row dicts as rows."""
    if items and all(isinstance(item, Mapping) for item in items):
        return pd.DataFrame.from_records(items)
    if any(isinstance(item, Mapping) for item in items):
        raise DataError("predict() takes texts or row dicts, not a mix of the two.")
    return pd.DataFrame({"text": items})
