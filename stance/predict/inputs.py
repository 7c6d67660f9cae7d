"""Input as users have it: texts with a target, and their own column names (the map given, or
the one the model was trained with)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from stance.errors import DataError

#: Schema columns a model can read from its input, which a column map may rename.
MAPPABLE = ("text", "target", "source", "source_mention", "target_mention", "story", "id")


def trained_columns(metadata: Mapping[str, Any]) -> dict[str, str]:
    """The column map of the data the model was trained on (``data=local``), else empty."""
    corpus = metadata.get("corpus") or {}
    columns = corpus.get("columns") if isinstance(corpus, Mapping) else None
    return {k: str(v) for k, v in (columns or {}).items() if k in MAPPABLE and v}


def to_schema(
    data: pd.DataFrame | Sequence[str], columns: Mapping[str, str]
) -> tuple[pd.DataFrame | Sequence[str], dict[str, str]]:
    """Rename the input's columns named in `columns` (schema name -> yours) to the schema's,
    where the schema name is not already there. Returns the input and what was renamed."""
    if not isinstance(data, pd.DataFrame) or not columns:
        return data, {}
    unknown = sorted(set(columns) - set(MAPPABLE))
    if unknown:
        raise DataError(f"column map: {unknown} are not input columns; map {list(MAPPABLE)}.")
    renamed = {
        yours: schema
        for schema, yours in columns.items()
        if yours in data.columns and schema not in data.columns and yours != schema
    }
    return (data.rename(columns=renamed) if renamed else data), renamed


def from_schema(out: pd.DataFrame, renamed: dict[str, str]) -> pd.DataFrame:
    """Give the output back the input's own column names (where no output column has one)."""
    back = {schema: yours for yours, schema in renamed.items() if yours not in out.columns}
    return out.rename(columns=back) if back else out


def with_target(frame: pd.DataFrame, target: str | None) -> pd.DataFrame:
    """`frame` with its ``target`` column filled (or replaced) by `target`, if given."""
    if target is None:
        return frame
    if not isinstance(target, str) or not target.strip():
        raise DataError(f"target={target!r}: give the target as a non-empty string.")
    return frame.assign(target=target)
