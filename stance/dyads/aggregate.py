"""Dyad tables: predicted pairs counted per (source, target), overall and per month.

Net stance of a dyad is ``(support - oppose) / (support + oppose)``: +1 when every voiced pair
is support, -1 when every one is oppose, empty (NaN) when the dyad has only neutral pairs.
"""

from __future__ import annotations

import pandas as pd

from stance.data.schema import STANCE_LABELS, check_columns
from stance.errors import DataError

TABLE_COLUMNS: tuple[str, ...] = (
    "source",
    "target",
    "support",
    "oppose",
    "neutral",
    "pairs",
    "net_stance",
)
MONTHLY_COLUMNS: tuple[str, ...] = ("source", "target", "month", "support", "oppose", "net_stance")


def check_predictions(frame: pd.DataFrame, where: str, stance: str = "stance") -> pd.DataFrame:
    """Predicted pairs with ``source``, ``target`` and a stance column of known labels."""
    check_columns(frame, ("source", "target", stance), where)
    missing = frame[["source", "target", stance]].isna().any(axis=1)
    if missing.any():
        raise DataError(
            f"{where}: {int(missing.sum())} row(s) lack a source, target or {stance} (first at "
            f"row {int(missing.to_numpy().argmax())}); drop or fill them."
        )
    unknown = sorted(set(frame[stance].astype(str)) - set(STANCE_LABELS))
    if unknown:
        raise DataError(
            f"{where}: unknown {stance} label(s) {unknown[:5]}; expected {list(STANCE_LABELS)} "
            "as written by `stance predict`."
        )
    out = frame.copy()
    for column in ("source", "target", stance):
        out[column] = out[column].astype(str)
    return out


def net_stance(support: pd.Series, oppose: pd.Series) -> pd.Series:
    """``(support - oppose) / (support + oppose)``; NaN where both are zero."""
    voiced = (support + oppose).astype(float)
    return (support - oppose) / voiced.where(voiced > 0)


def dyad_table(predictions: pd.DataFrame, stance: str = "stance") -> pd.DataFrame:
    """One row per (source, target): counts of support, oppose, neutral, all pairs, net stance.

    Sorted by support + oppose (descending), then by all pairs, source and target.
    """
    frame = check_predictions(predictions, "predictions", stance)
    if frame.empty:
        return _empty(TABLE_COLUMNS)
    counts = (
        frame.groupby(["source", "target", stance])
        .size()
        .unstack(stance, fill_value=0)
        .reindex(columns=list(STANCE_LABELS), fill_value=0)
        .reset_index()
    )
    counts.columns.name = None
    counts["pairs"] = counts[list(STANCE_LABELS)].sum(axis=1)
    counts["net_stance"] = net_stance(counts["support"], counts["oppose"])
    voiced = counts["support"] + counts["oppose"]
    order = counts.assign(_voiced=voiced).sort_values(
        ["_voiced", "pairs", "source", "target"], ascending=[False, False, True, True]
    )
    return order[list(TABLE_COLUMNS)].reset_index(drop=True)


def top_dyads(table: pd.DataFrame, n: int) -> list[tuple[str, str]]:
    """The `n` dyads with most support + oppose pairs (dyads with none are left out)."""
    voiced = table[(table["support"] + table["oppose"]) > 0]
    return list(zip(voiced["source"], voiced["target"], strict=True))[:n]


def parse_dates(values: pd.Series, column: str) -> pd.Series:
    """Dates as naive timestamps (UTC when zoned); one DataError line when any is unreadable."""
    parsed = pd.to_datetime(values, errors="coerce", utc=True, format="mixed")
    bad = parsed.isna()
    if bad.any():
        first = int(bad.to_numpy().argmax())
        raise DataError(
            f"column {column!r}: {int(bad.sum())} value(s) are not readable dates (first "
            f"{values.iloc[first]!r} at row {first}); use ISO dates such as 2024-03-01 or "
            "drop those rows."
        )
    return parsed.dt.tz_localize(None)


def monthly_net_stance(
    predictions: pd.DataFrame,
    dyads: list[tuple[str, str]],
    date_column: str = "date",
    stance: str = "stance",
) -> pd.DataFrame:
    """Support, oppose and net stance per month for each of `dyads` (months without a voiced
    pair have none and a NaN net stance; months outside the data are absent)."""
    frame = check_predictions(predictions, "predictions", stance)
    check_columns(frame, (date_column,), "predictions")
    if frame.empty or not dyads:
        return _empty(MONTHLY_COLUMNS)
    frame["month"] = parse_dates(frame[date_column], date_column).dt.to_period("M").astype(str)
    wanted = pd.MultiIndex.from_tuples(dyads, names=["source", "target"])
    keyed = frame.set_index(["source", "target"])
    frame = keyed[keyed.index.isin(wanted)].reset_index()
    counts = (
        frame.groupby(["source", "target", "month", stance])
        .size()
        .unstack(stance, fill_value=0)
        .reindex(columns=["support", "oppose"], fill_value=0)
        .reset_index()
    )
    counts.columns.name = None
    counts["net_stance"] = net_stance(counts["support"], counts["oppose"])
    rank = {dyad: i for i, dyad in enumerate(dyads)}
    counts["_rank"] = [
        rank[(s, t)] for s, t in zip(counts["source"], counts["target"], strict=True)
    ]
    counts = counts.sort_values(["_rank", "month"])
    return counts[list(MONTHLY_COLUMNS)].reset_index(drop=True)


def _empty(columns: tuple[str, ...]) -> pd.DataFrame:
    numeric = {"support", "oppose", "neutral", "pairs"}
    return pd.DataFrame(
        {
            c: pd.Series(dtype="int64" if c in numeric else float if c == "net_stance" else object)
            for c in columns
        }
    )
