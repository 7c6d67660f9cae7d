"""Dates of the CAMEO/TABARI dictionaries: ``YYYYMMDD`` or ``YYMMDD`` (and tolerated oddities).

A two-digit year 00-30 is 20YY and 31-99 is 19YY (PETRARCH's ``dstr_to_ordate``, the KEDS/TABARI
rule). Other lengths are tolerated and counted: 7 digits read as ``YYMMDD`` plus a stray digit
(PETRARCH), more than 8 digits as their last eight when those form a date (a doubled century),
else their first eight.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections import Counter
from dataclasses import dataclass

from stance.errors import DataError

__all__ = ["DatedCode", "dated_code", "day_of", "read_date"]

_ONE_SIDED = re.compile(r"([<>]?)(\s*)(\d+)")
_BETWEEN = re.compile(r"(\d+)\s*-\s*(\d+)")


def _fail(where: str, problem: str, text: str) -> DataError:
    return DataError(
        f"{where}: {problem} ({text.strip()[:60]!r}); correct the date (YYYYMMDD or YYMMDD)."
    )


def read_date(digits: str, where: str, text: str, tolerated: Counter[str]) -> dt.date:
    """Read YYYYMMDD or YYMMDD (other lengths tolerated as described in the module doc)."""
    size = len(digits)
    if size not in (6, 8):
        if size < 6:
            raise _fail(where, f"a date of {size} digits", text)
        tolerated[f"date of {size} digits"] += 1
        if size == 7:
            digits = digits[:6]
        else:
            tail = _calendar(digits[-8:])
            return tail if tail is not None else _checked(digits[:8], where, text)
    day = day_of(digits)
    if day is None:
        raise _fail(where, f"no such date {digits}", text)
    return day


@functools.cache
def day_of(digits: str) -> dt.date | None:
    """A 6- or 8-digit date (two-digit years: 00-30 -> 20YY, 31-99 -> 19YY), None if invalid."""
    if len(digits) == 6:
        year = int(digits[:2])
        digits = f"{2000 + year if year <= 30 else 1900 + year}{digits[2:]}"
    return _calendar(digits)


def _calendar(digits: str) -> dt.date | None:
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def _checked(digits: str, where: str, text: str) -> dt.date:
    day = _calendar(digits)
    if day is None:
        raise _fail(where, f"no such date {digits}", text)
    return day


@dataclass(frozen=True)
class DatedCode:
    """A code that applies from ``start`` to ``end`` (both inclusive; ``None`` = open)."""

    code: str | None
    start: dt.date | None = None
    end: dt.date | None = None

    def applies(self, day: dt.date) -> bool:
        """True when ``day`` lies within the restriction's limits."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


def dated_code(
    code: str | None, restriction: str, where: str, text: str, tolerated: Counter[str]
) -> DatedCode:
    one_sided = _ONE_SIDED.fullmatch(restriction)
    if one_sided:
        sign, blank, digits = one_sided.groups()
        if not sign:  # "[USAGOV 19820101] # entered Foreign Service": from that day on
            tolerated["date without '<' or '>' (read as >DATE)"] += 1
        elif blank:
            tolerated["blank between '<'/'>' and the date"] += 1
        day = read_date(digits, where, text, tolerated)
        return DatedCode(code, end=day) if sign == "<" else DatedCode(code, start=day)
    between = _BETWEEN.fullmatch(restriction)
    if between is None:
        raise DataError(
            f"{where}: an unreadable date restriction ({text.strip()[:60]!r}); "
            "write <DATE, >DATE or DATE-DATE."
        )
    start = read_date(between.group(1), where, text, tolerated)
    end = read_date(between.group(2), where, text, tolerated)
    if start > end:
        tolerated["date range ending before it starts (never applies)"] += 1
    return DatedCode(code, start=start, end=end)
