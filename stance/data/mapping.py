"""Which of your columns is which: the column map of ``data=local`` and the task it asks for."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

import pandas as pd

from stance.errors import ConfigError, DataError

log = logging.getLogger(__name__)

#: Schema columns one of your columns can be mapped onto. ``story``: a document (or story) id
#: whose rows always share a split; ``split``: each row's split; ``id``: a unique row id.
COLUMN_KEYS = (
    "text",
    "stance",
    "sentiment",
    "target",
    "source",
    "source_mention",
    "target_mention",
    "story",
    "split",
    "id",
)


def task_of(columns: Mapping[str, Any]) -> str:
    """What the mapped columns ask for: ``sentiment`` when a sentiment column is mapped and the
    stance column is left at its default, else ``stance``."""
    stance = columns.get("stance")
    if columns.get("sentiment") and stance in (None, "", "stance"):
        return "sentiment"
    return "stance"


def is_pair_data(columns: Mapping[str, Any]) -> bool:
    """True when both mention columns are mapped: directed stance between two mentions."""
    return bool(columns.get("source_mention") and columns.get("target_mention"))


def resolve_columns(
    columns: Mapping[str, Any], parts: list[tuple[str, pd.DataFrame]]
) -> dict[str, str]:
    """Schema column -> your column, for the columns mapped; each must be in every part
    (``(where, rows)``), else one DataError naming the columns there are."""
    mapped = {k: str(v) for k, v in columns.items() if v not in (None, "")}
    default_stance = mapped.get("stance") == "stance" and mapped.get("sentiment")
    if default_stance and not any("stance" in raw.columns for _, raw in parts):
        del mapped["stance"]  # the default name, and the data has sentiment instead
    for where, raw in parts:
        for key, column in mapped.items():
            if column not in raw.columns:
                raise DataError(
                    f"{where}: no column {column!r} (data.columns.{key}); the columns are "
                    f"{list(map(str, raw.columns))}: set data.columns.{key}=<one of them>."
                )
    if "text" not in mapped:
        raise ConfigError("data.columns.text is empty; name the column holding the text.")
    if "stance" not in mapped and "sentiment" not in mapped:
        raise ConfigError(
            "data=local needs a label column: data.columns.stance=<your column> "
            "(or data.columns.sentiment=<your column>)."
        )
    if bool(mapped.get("source_mention")) != bool(mapped.get("target_mention")):
        raise ConfigError(
            "map both data.columns.source_mention and data.columns.target_mention "
            "(directed stance between two mentions), or neither."
        )
    for key in ("target", "source", "story"):
        if key not in mapped and any(key in raw.columns for _, raw in parts):
            log.info("your data has a %r column that is not mapped: data.columns.%s", key, key)
    return mapped
