"""Where the source and target mentions of a pair row are in its text.

A :data:`Span` is ``(start, end)``, character offsets into the text (``text[start:end]``);
``None`` stands for a mention that is not in the text. :func:`located_pairs` places both
mentions of every pair row, from the ``source_start``/``target_start`` offsets when the corpus
gives them, else by search (the longer mention first, the other outside it), for the pair views
(:mod:`stance.features.pair_views`), the mention embeddings and the paired-direction model.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

#: ``(start, end)`` character offsets of a mention in its text.
Span = tuple[int, int]
#: Optional input columns: character offsets of the mentions in ``text`` (-1: not in the text).
OFFSET_COLUMNS = ("source_start", "target_start")


def as_text(value: Any) -> str:
    """`value` as a string; missing values (None, NaN) as the empty string."""
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def located_pairs(rows: pd.DataFrame) -> list[tuple[str, Span | None, Span | None]]:
    """``(text, source span, target span)`` of each pair row (offset columns used when there).

    The spans of the last frame are kept, by the values they were computed from: the views and
    the event features of one pair model read the same frame and place its mentions once.
    """
    # columns as lists first: iterating a pandas string column goes element by element
    key = (
        rows["text"].astype(str).tolist(),
        [as_text(v) for v in rows["source_mention"].tolist()],
        [as_text(v) for v in rows["target_mention"].tolist()],
        *([_offset(v) for v in rows[c].tolist()] if c in rows else [-1] * len(rows)
          for c in OFFSET_COLUMNS),
    )  # fmt: skip
    last = _LAST[0]
    if last is not None and last[0] == key:
        return list(last[1])
    located = [(text, *pair_spans(text, *rest)) for text, *rest in zip(*key, strict=True)]
    _LAST[0] = (key, located)
    return list(located)


#: The last frame's key and spans (:func:`located_pairs`).
_LAST: list[tuple[tuple, list] | None] = [None]


def _offset(value: Any) -> int:
    """A start offset as :func:`pair_spans` reads it: -1 when missing."""
    return value if type(value) is int else int(value) if pd.notna(value) else -1


def pair_spans(
    text: str, source: str, target: str, source_start: Any = -1, target_start: Any = -1
) -> tuple[Span | None, Span | None]:
    """``(start, end)`` of the source and target mentions in `text`, or None when absent.

    A given start is used when the mention is really there; otherwise the mention is searched
    for, the longer one first, and the other one outside the first one's span.
    """
    spans: dict[str, Span | None] = {}
    wanted = {"source": (source, source_start), "target": (target, target_start)}
    for key, (mention, start) in wanted.items():
        start = int(start) if pd.notna(start) else -1
        if mention and start >= 0 and text[start : start + len(mention)] == mention:
            spans[key] = (start, start + len(mention))
    for key in sorted(set(wanted) - set(spans), key=lambda k: -len(wanted[k][0])):
        mention = wanted[key][0]
        others = [s for s in spans.values() if s is not None]
        spans[key] = first_free(text, mention, others)
    return spans["source"], spans["target"]


def first_free(text: str, mention: str, taken: list[Span]) -> Span | None:
    """The first occurrence of `mention` in `text` that overlaps no span of `taken`."""
    if not mention or mention == "nan":
        return None
    at = text.find(mention)
    while at >= 0:
        end = at + len(mention)
        if not any(at < b and a < end for a, b in taken):
            return at, end
        at = text.find(mention, at + 1)
    return None
