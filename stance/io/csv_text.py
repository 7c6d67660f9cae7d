"""The rows of a frame as csv text, the same bytes as pandas writes, sooner (issue 25).

``DataFrame.to_csv`` formats each float with numpy and passes it through Python's csv writer.
For the score columns at the end of a prediction (three floats a row) that is a third of the
writing time; :func:`csv_rows` writes them with ``float.__repr__``, which gives the same
digits (both are the shortest text that reads back as the same float).
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd

#: Ends each row while the leading columns are written, so that the text splits into rows:
#: no field holds a NUL (text inputs with one are refused) and such a field would be quoted.
_SPLIT = os.linesep + "\x00"


def csv_rows(frame: pd.DataFrame, sep: str = ",") -> str:
    """``frame.to_csv(index=False, header=False, sep=sep)``, byte for byte; the float64
    columns at the end of `frame` are written without the csv writer."""
    floats = _trailing_floats(frame)
    if not floats or floats == frame.shape[1] or len(frame) == 0:
        return frame.to_csv(index=False, header=False, sep=sep)
    lead = frame.iloc[:, :-floats].to_csv(index=False, header=False, sep=sep, lineterminator=_SPLIT)
    if lead.count("\x00") != len(frame):  # a field holds a NUL: pandas' own way
        return frame.to_csv(index=False, header=False, sep=sep)
    rows = lead.split(_SPLIT)
    rows.pop()  # after the last row end
    columns = [_float_text(frame.iloc[:, i].to_numpy()) for i in range(-floats, 0)]
    end = os.linesep
    return "".join([sep.join(parts) + end for parts in zip(rows, *columns, strict=True)])


def _trailing_floats(frame: pd.DataFrame) -> int:
    count = 0
    for dtype in reversed(frame.dtypes.tolist()):
        if dtype != np.float64:
            break
        count += 1
    return count


def _float_text(values: np.ndarray) -> list[str]:
    """Each float as pandas writes it: its repr, and an empty field for NaN."""
    text = list(map(float.__repr__, values.tolist()))
    for i in np.flatnonzero(np.isnan(values)).tolist():
        text[i] = ""
    return text
