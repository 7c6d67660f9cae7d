"""The day each raw text is coded on (dated leaders and officials depend on it)."""

import datetime as dt

import pandas as pd
import pytest

from stance.errors import DataError
from stance.predict.actor_finder import days_of


def test_dates_months_and_years_give_a_day_and_empty_dates_the_reference_date():
    frame = pd.DataFrame({"date": ["2003-03-20", "2026-01", "1999", "", None, "2004-05-06T10:00"]})
    days = days_of(frame, {"actors": {"reference_date": "2010-07-01"}})
    assert days == [
        dt.date(2003, 3, 20),
        dt.date(2026, 1, 1),
        dt.date(1999, 1, 1),
        dt.date(2010, 7, 1),
        dt.date(2010, 7, 1),
        dt.date(2004, 5, 6),
    ]


def test_without_a_date_column_every_text_takes_the_reference_date_or_none():
    frame = pd.DataFrame({"text": ["a", "b"]})
    assert days_of(frame, {"actors": {"reference_date": "2010-07-01"}}) == [dt.date(2010, 7, 1)] * 2
    assert days_of(frame, {}) is None


@pytest.mark.parametrize("bad", ["March 2003", "2026-13", "20-01-2003"])
def test_a_date_that_is_not_one_is_one_line_naming_the_row(bad):
    frame = pd.DataFrame({"date": ["2003-03-20", bad]})
    with pytest.raises(DataError, match=r"^date of row 1: .* is not a date; write dates as"):
        days_of(frame, {})
