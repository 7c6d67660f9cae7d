"""The one statement schema every corpus is loaded into."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from stance.errors import DataError

STANCE_LABELS: tuple[str, ...] = ("support", "oppose", "neutral")
SENTIMENT_LABELS: tuple[str, ...] = ("positive", "negative", "neutral")
LABELS: dict[str, tuple[str, ...]] = {"stance": STANCE_LABELS, "sentiment": SENTIMENT_LABELS}
SPLITS: tuple[str, ...] = ("train", "dev", "test")

#: Columns every loaded corpus has, in this order.
REQUIRED_COLUMNS: tuple[str, ...] = ("id", "text", "source", "target", "stance", "split")
#: Columns a corpus may add.
OPTIONAL_COLUMNS: tuple[str, ...] = ("sentiment", "source_mention", "target_mention", "text_id")
COLUMNS: tuple[str, ...] = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

#: Value of `source` when the writer of the text holds the stance (as in tweets).
AUTHOR = "author"


def check_columns(frame: pd.DataFrame, needed: Iterable[str], where: str) -> None:
    """Raise DataError naming every column of `needed` that `frame` lacks."""
    missing = [c for c in needed if c not in frame.columns]
    if missing:
        raise DataError(
            f"{where}: missing column(s) {', '.join(repr(c) for c in missing)}; "
            f"found {', '.join(map(repr, frame.columns))}. Add or rename the column(s)."
        )


def check_labels(frame: pd.DataFrame, column: str, where: str) -> None:
    """Raise DataError on NaN labels or labels outside the schema's label set for `column`."""
    allowed = LABELS[column]
    values = frame[column]
    nan_rows = values.isna()
    if nan_rows.any():
        first = frame.loc[nan_rows, "id"].iloc[0] if "id" in frame else nan_rows.idxmax()
        raise DataError(
            f"{where}: {int(nan_rows.sum())} row(s) have no {column} label (first id {first!r}); "
            "fill them in or drop those rows."
        )
    outside = ~values.isin(allowed)
    if outside.any():
        bad = sorted({str(v) for v in values[outside]})
        first = frame.loc[outside, "id"].iloc[0] if "id" in frame else outside.idxmax()
        raise DataError(
            f"{where}: unknown {column} label(s) {bad[:5]} in {int(outside.sum())} row(s) "
            f"(first id {first!r}); allowed are {list(allowed)}. "
            "Fix the file or map them in the corpus adapter's label map."
        )


def check_texts(frame: pd.DataFrame, where: str) -> None:
    """Raise DataError when a text is missing, empty or whitespace only."""
    text = frame["text"]
    blank = text.isna() | (text.astype(str).str.strip() == "")
    if blank.any():
        ids = frame.loc[blank, "id"].astype(str).head(3).tolist() if "id" in frame else []
        raise DataError(
            f"{where}: {int(blank.sum())} empty or whitespace-only text(s) (ids {ids}); "
            "remove those rows or fill in the text."
        )


def check_unique_ids(frame: pd.DataFrame, where: str) -> None:
    """Raise DataError when `id` repeats."""
    dup = frame["id"].duplicated(keep=False)
    if dup.any():
        ids = frame.loc[dup, "id"].astype(str).unique()[:3].tolist()
        raise DataError(
            f"{where}: {int(frame['id'].duplicated().sum())} duplicate id(s), e.g. {ids}; "
            "ids must be unique: renumber or drop the repeats."
        )
