"""Which actor finder and event coder a pair model reads raw text with.

A model fitted with event features (:class:`stance.features.events.EventFeatures` or
:class:`~stance.features.events.EventCodes` anywhere in its pipeline) keeps the dictionaries it
was trained with; raw text is then read with an :class:`~stance.actors.coding.ActorCoder` over
those dictionaries, with CAMEO roles when the run's metadata says ``actors.roles`` (the default
of such runs), on the day of each statement (an input ``date`` column, else the run's
``actors.reference_date``). A model without them (every model trained before issue 19) reads
raw text with the bundled gazetteer alone and gives root ids, exactly as before.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pandas as pd

from stance.errors import DataError

__all__ = ["EVENT_COLUMNS", "actor_finder", "days_of", "event_step"]

#: Columns raw-text prediction adds when the model codes events between pairs.
EVENT_COLUMNS = ("cameo_code", "plover_type", "quad_class")


def event_step(estimator: Any) -> Any:
    """The first step of `estimator` (itself, or a nested estimator of its parameters) that
    carries compiled dictionaries, or None."""
    if hasattr(estimator, "dictionaries_json_"):
        return estimator
    get_params = getattr(estimator, "get_params", None)
    if get_params is None:
        return None
    return next(
        (v for v in get_params(deep=True).values() if hasattr(v, "dictionaries_json_")), None
    )


def actor_finder(estimator: Any, metadata: dict[str, Any]) -> Any:
    """The actor finder for raw text (see the module doc)."""
    from stance.actors import ActorRecognizer

    step = event_step(estimator)
    if step is None:
        return ActorRecognizer()
    from stance.actors.coding import ActorCoder

    roles = bool((metadata.get("actors") or {}).get("roles", True))
    return ActorCoder(step.dictionary_set().vocabulary, roles=roles)


def days_of(frame: pd.DataFrame, metadata: dict[str, Any]) -> list[dt.date | None] | None:
    """The day of each text: its ``date`` column, else the run's reference date, else None."""
    default = (metadata.get("actors") or {}).get("reference_date")
    fallback = _day(default, "actors.reference_date of the model") if default else None
    if "date" not in frame.columns:
        return None if fallback is None else [fallback] * len(frame)
    return [
        _day(value, f"date of row {i}") if _given(value) else fallback
        for i, value in enumerate(frame["date"])
    ]


_MONTH = re.compile(r"\d{4}(-\d{2})?")


def _given(value: Any) -> bool:
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and value != ""


def _day(value: Any, where: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        if _MONTH.fullmatch(text):  # a month or a year stands for its first day
            return dt.date(int(text[:4]), int(text[5:7] or 1), 1)
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise DataError(
            f"{where}: {value!r} is not a date; write dates as YYYY-MM-DD, YYYY-MM or YYYY "
            "(or leave it empty)."
        ) from None
