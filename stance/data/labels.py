"""Your labels onto the schema's: a label map checked before anything is trained."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from stance.errors import ConfigError, DataError

#: Characters a key of a Hydra dict override escapes with a backslash.
_SPECIAL = re.compile(r"([\\,:=\[\]{}()'\"])")


def label_key(value: Any) -> str | None:
    """A raw label as the map compares it: text without surrounding spaces (a whole float such
    as 1.0, which a column with a gap reads as, is ``"1"``); None when the cell is empty."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text or None


def check_label_map(mapping: Mapping[Any, Any], allowed: tuple[str, ...], setting: str) -> dict:
    """`mapping` with its keys as :func:`label_key` gives them; a value outside `allowed` is a
    ConfigError naming it."""
    out: dict[str, str] = {}
    for raw, label in (mapping or {}).items():
        if str(label) not in allowed:
            raise ConfigError(
                f"{setting} maps {raw!r} to {label!r}, which is not one of "
                f'{", ".join(allowed)}; fix the map, e.g. "{setting}={{{raw}: {allowed[0]}}}".'
            )
        out[str(label_key(raw))] = str(label)
    return out


def map_labels(
    values: pd.Series,
    mapping: dict[str, str],
    allowed: tuple[str, ...],
    *,
    where: str,
    setting: str,
    ids: pd.Series | None = None,
) -> pd.Series:
    """Map raw labels to schema labels; labels already in the schema pass unchanged.

    A DataError lists every unknown label with its row count and the override that maps them
    (``?`` where the user must choose), or counts the rows without a label.
    """
    keys = values.map(label_key)
    missing = keys.isna()
    if missing.any():
        first = int(missing.to_numpy().argmax())
        named = f"id {ids.iloc[first]!r}" if ids is not None else f"data row {first + 1}"
        raise DataError(
            f"{where}: {int(missing.sum())} row(s) have no label (first: {named}); "
            "fill them in or remove those rows."
        )
    known = set(mapping) | set(allowed)
    unknown = keys[~keys.isin(known)].value_counts()
    if len(unknown):
        listed = ", ".join(f"{k!r} ({n} row{'s' if n > 1 else ''})" for k, n in unknown.items())
        fix = {**mapping, **dict.fromkeys(unknown.index, "?")}
        pairs = ", ".join(f"{_quoted(k)}: {v}" for k, v in fix.items())
        raise DataError(
            f"{where}: {len(unknown)} label(s) not in {setting}: {listed}; map them to "
            f'{", ".join(allowed)} with "{setting}={{{pairs}}}" (replace each ?).'
        )
    return keys.map(lambda k: mapping.get(k, k))


def _quoted(key: str) -> str:
    """`key` as a Hydra dict override key (``{a\\,b: support}``)."""
    return _SPECIAL.sub(r"\\\1", key)
