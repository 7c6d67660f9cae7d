"""stance.dyads.aggregate: sort keys, empty input, labels that never occur, row-order laws."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from stance.dyads.aggregate import (
    MONTHLY_COLUMNS,
    TABLE_COLUMNS,
    check_predictions,
    dyad_table,
    monthly_net_stance,
    net_stance,
    top_dyads,
)
from tests.errors import data_error

TABLE_TYPES = {
    "source": "object",
    "target": "object",
    "support": "int64",
    "oppose": "int64",
    "neutral": "int64",
    "pairs": "int64",
    "net_stance": "float64",
}
MONTHLY_TYPES = {k: TABLE_TYPES.get(k, "object") for k in MONTHLY_COLUMNS}


def _frame(rows, columns=("source", "target", "stance")) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=list(columns))


def _types(frame: pd.DataFrame) -> dict[str, str]:
    return {column: str(dtype) for column, dtype in frame.dtypes.items()}


def _numeric_types(frame: pd.DataFrame) -> dict[str, str]:
    """The dtypes of the count and net-stance columns (text columns may be object or str)."""
    return {c: t for c, t in _types(frame).items() if c not in ("source", "target", "month")}


def test_the_sort_keys_voiced_then_pairs_then_source_then_target():
    rows = (
        [("A", "B", "neutral")] * 5  # 0 voiced, 5 pairs: last despite most pairs
        + [("C", "D", "support")] * 2  # 2 voiced, 2 pairs
        + [("B", "A", "oppose"), ("B", "A", "support"), ("B", "A", "neutral")]  # 2 voiced, 3
        + [("Z", "A", "oppose")] * 3  # 3 voiced: first
        + [("C", "A", "support")] * 2  # 2 voiced, 2 pairs: C before ... then target A < D
    )
    table = dyad_table(_frame(rows))
    assert list(zip(table["source"], table["target"], strict=True)) == [
        ("Z", "A"),
        ("B", "A"),
        ("C", "A"),
        ("C", "D"),
        ("A", "B"),
    ]
    assert table.columns.name is None
    assert table.index.tolist() == [0, 1, 2, 3, 4]
    # dyads without a voiced pair are left out, one voiced pair is enough
    assert top_dyads(table, 10) == [("Z", "A"), ("B", "A"), ("C", "A"), ("C", "D")]
    assert top_dyads(table, 2) == [("Z", "A"), ("B", "A")]
    assert top_dyads(dyad_table(_frame([("X", "Y", "oppose")])), 3) == [("X", "Y")]


def test_labels_that_never_occur_are_zero_columns():
    table = dyad_table(_frame([("RUS", "JPN", "support"), ("RUS", "JPN", "support")]))
    assert table.to_dict("records") == [
        {
            "source": "RUS",
            "target": "JPN",
            "support": 2,
            "oppose": 0,
            "neutral": 0,
            "pairs": 2,
            "net_stance": 1.0,
        }
    ]
    assert _numeric_types(table) == {k: v for k, v in TABLE_TYPES.items() if v != "object"}


def test_net_stance_by_hand():
    values = net_stance(pd.Series([3, 0, 0, 1]), pd.Series([1, 2, 0, 1])).tolist()
    assert values[:2] == [0.5, -1.0]
    assert np.isnan(values[2])
    assert values[3] == 0.0


def test_empty_predictions_keep_the_columns_and_their_types():
    empty = _frame([], ("source", "target", "stance", "date"))
    table = dyad_table(empty)
    assert list(table.columns) == list(TABLE_COLUMNS)
    assert (len(table), _types(table)) == (0, TABLE_TYPES)
    monthly = monthly_net_stance(empty, [("A", "B")])
    assert list(monthly.columns) == list(MONTHLY_COLUMNS)
    assert (len(monthly), _types(monthly)) == (0, MONTHLY_TYPES)
    # predictions but no dyads asked for: the same empty table
    some = _frame([("A", "B", "support", "2024-01-01")], ("source", "target", "stance", "date"))
    monthly = monthly_net_stance(some, [])
    assert list(monthly.columns) == list(MONTHLY_COLUMNS)
    assert (len(monthly), _types(monthly)) == (0, MONTHLY_TYPES)


def test_monthly_tables_where_a_label_never_occurs():
    rows = [
        ("A", "B", "support", "2024-01-05"),
        ("A", "B", "neutral", "2024-02-05"),
        ("C", "D", "support", "2023-12-31T23:00:00-02:00"),  # 2024-01-01 01:00 UTC
    ]
    monthly = monthly_net_stance(
        _frame(rows, ("source", "target", "label", "when")),
        [("C", "D"), ("A", "B")],
        date_column="when",
        stance="label",
    )
    assert _numeric_types(monthly) == {
        "support": "int64",
        "oppose": "int64",
        "net_stance": "float64",
    }
    records = monthly.to_dict("records")
    assert records[:2] == [
        {"source": "C", "target": "D", "month": "2024-01", "support": 1, "oppose": 0,
         "net_stance": 1.0},
        {"source": "A", "target": "B", "month": "2024-01", "support": 1, "oppose": 0,
         "net_stance": 1.0},
    ]  # fmt: skip
    assert records[2]["month"] == "2024-02"
    assert (records[2]["support"], records[2]["oppose"]) == (0, 0)
    assert np.isnan(records[2]["net_stance"])


def test_input_checks_name_the_column_and_the_fix():
    good = _frame([("A", "B", "support")])
    assert data_error(dyad_table, good, stance="label") == (
        "predictions: missing column(s) 'label'; found 'source', 'target', 'stance'. "
        "Add or rename the column(s)."
    )
    assert data_error(monthly_net_stance, good, [("A", "B")]) == (
        "predictions: missing column(s) 'date'; found 'source', 'target', 'stance'. "
        "Add or rename the column(s)."
    )
    lacking = _frame([("A", "B", "support"), ("A", None, "oppose"), (None, "B", None)])
    assert data_error(dyad_table, lacking) == (
        "predictions: 2 row(s) lack a source, target or stance (first at row 1); drop or fill them."
    )
    odd = _frame([("A", "B", label) for label in ["f", "e", "d", "c", "b", "a", "support"]])
    assert data_error(check_predictions, odd, "file.csv") == (
        "file.csv: unknown stance label(s) ['a', 'b', 'c', 'd', 'e']; expected ['support', "
        "'oppose', 'neutral'] as written by `stance predict`."
    )
    dated = _frame([("A", "B", "support", "soon")], ("source", "target", "stance", "when"))
    assert data_error(monthly_net_stance, dated, [("A", "B")], date_column="when") == (
        "column 'when': 1 value(s) are not readable dates (first 'soon' at row 0); use ISO dates "
        "such as 2024-03-01 or drop those rows."
    )


def test_check_predictions_makes_text_columns_and_leaves_its_input_alone():
    frame = _frame([(1, 2, "support")])
    checked = check_predictions(frame, "here")
    assert checked.to_dict("list") == {"source": ["1"], "target": ["2"], "stance": ["support"]}
    assert frame["source"].tolist() == [1]


ROWS = st.lists(
    st.tuples(
        st.sampled_from("ABC"),
        st.sampled_from("ABC"),
        st.sampled_from(["support", "oppose", "neutral"]),
        st.sampled_from(["2024-01-15", "2024-02-15", "2024-03-15"]),
    ),
    min_size=1,
    max_size=20,
)


@settings(max_examples=25, deadline=None)
@given(ROWS, st.randoms(use_true_random=False))
def test_tables_do_not_depend_on_row_order(rows, random):
    frame = _frame(rows, ("source", "target", "stance", "date"))
    shuffled = frame.sample(frac=1, random_state=random.randrange(2**32)).reset_index(drop=True)
    table = dyad_table(frame)
    pd.testing.assert_frame_equal(table, dyad_table(shuffled))
    # counts add up: every row is counted once, in its dyad and its label
    assert table["pairs"].sum() == len(frame)
    assert (table[["support", "oppose", "neutral"]].sum(axis=1) == table["pairs"]).all()
    dyads = top_dyads(table, 3)
    pd.testing.assert_frame_equal(
        monthly_net_stance(frame, dyads), monthly_net_stance(shuffled, dyads)
    )


def test_equal_counts_sort_by_source_then_target_ascending():
    # one voiced pair each: source C before D, then target A before B
    rows = [("D", "A", "support"), ("C", "B", "oppose"), ("C", "A", "support")]
    table = dyad_table(_frame(rows))
    assert list(zip(table["source"], table["target"], strict=True)) == [
        ("C", "A"),
        ("C", "B"),
        ("D", "A"),
    ]


def test_monthly_checks_name_the_predictions_and_the_table_has_no_column_name():
    good = _frame([("A", "B", "support", "2024-03-02")], ("source", "target", "stance", "date"))
    assert data_error(monthly_net_stance, good, [("A", "B")], stance="label") == (
        "predictions: missing column(s) 'label'; found 'source', 'target', 'stance', 'date'. "
        "Add or rename the column(s)."
    )
    odd = good.assign(stance="maybe")
    assert data_error(monthly_net_stance, odd, [("A", "B")]) == (
        "predictions: unknown stance label(s) ['maybe']; expected ['support', 'oppose', "
        "'neutral'] as written by `stance predict`."
    )
    monthly = monthly_net_stance(good, [("A", "B")])
    assert monthly.columns.name is None
    assert monthly.to_dict("records") == [
        {"source": "A", "target": "B", "month": "2024-03", "support": 1, "oppose": 0,
         "net_stance": 1.0},
    ]  # fmt: skip
