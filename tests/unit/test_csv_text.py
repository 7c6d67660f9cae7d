"""csv_rows writes the same bytes as DataFrame.to_csv (it only writes trailing floats faster)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from stance.io.csv_text import csv_rows

FLOATS = [0.1, -0.0, np.nan, np.inf, -np.inf, 1e16, 5e-324, 1e-5, 1e15, 0.30000000000000004]


def _frame(n: int = len(FLOATS)) -> pd.DataFrame:
    texts = ['a,"b"', "c\nd", "e\rf", "g\th", None, "ü ñ", "", " x ", '"', "h\r\ni"]
    return pd.DataFrame(
        {
            "id": range(n),
            "text": (texts * n)[:n],
            "middle": np.linspace(-1, 1, n),  # a float column that is not at the end
            "stance": (["support", "oppose"] * n)[:n],
            "score_a": (FLOATS * n)[:n],
            "score_b": np.random.default_rng(0).standard_normal(n) * 10.0 ** (np.arange(n) % 7 - 3),
        }
    )


@pytest.mark.parametrize("sep", [",", "\t"])
def test_same_text_as_pandas(sep: str):
    frame = _frame()
    assert csv_rows(frame, sep) == frame.to_csv(index=False, header=False, sep=sep)


def test_same_digits_as_pandas_for_floats_of_every_magnitude():
    rng = np.random.default_rng(1)
    values = rng.standard_normal(50_000) * 10.0 ** rng.integers(-30, 30, 50_000)
    frame = pd.DataFrame({"text": ["t"] * len(values), "score": values})
    assert csv_rows(frame) == frame.to_csv(index=False, header=False)


@pytest.mark.parametrize(
    "frame",
    [
        _frame().iloc[:0],  # no rows
        _frame()[["score_a", "score_b"]],  # floats only
        _frame()[["id", "text", "stance"]],  # no floats
        _frame().astype({"score_a": "float32", "score_b": "float32"}),  # float32: pandas' way
        _frame().assign(text=["nul\x00inside"] + [""] * (len(FLOATS) - 1)),  # a NUL in a field
    ],
    ids=["empty", "floats-only", "no-floats", "float32", "nul"],
)
def test_frames_it_leaves_to_pandas_come_out_the_same(frame: pd.DataFrame):
    assert csv_rows(frame) == frame.to_csv(index=False, header=False)
