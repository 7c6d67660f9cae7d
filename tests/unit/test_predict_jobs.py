"""How `stance predict` shares a file's batches out among its workers (issue 25)."""

from __future__ import annotations

import pandas as pd
import pytest

from stance.predict.files import TAIL, _jobs


def _batches(sizes: list[int]) -> list[pd.DataFrame]:
    start, out = 0, []
    for size in sizes:
        rows = range(start, start + size)
        out.append(pd.DataFrame({"x": rows}, index=rows))
        start += size
    return out


def _shares(sizes: list[int], n: int) -> list[list[int]]:
    """The pieces' row counts, batch by batch."""
    shares, current = [], []
    for last, piece, option in _jobs(iter(_batches(sizes)), n, ("opt",)):
        assert option == "opt"
        current.append(len(piece))
        if last:
            shares.append(current)
            current = []
    assert current == []  # the last piece of the input ends a batch
    return shares


def test_batches_go_whole_until_the_last_n_which_are_cut_finer():
    assert _shares([100] * 6, 2) == [[100]] * 4 + [[50, 50], [13] * 7 + [9]]
    assert TAIL * 2 == 8


def test_a_short_input_is_still_shared_by_every_worker():
    assert _shares([100], 2) == [[13] * 7 + [9]]
    assert _shares([100, 30], 3) == [[34, 34, 32], [3] * 10]
    assert _shares([3], 4) == [[1, 1, 1]]


@pytest.mark.parametrize("sizes", [[7] * 9, [50, 50, 3], [1], [40, 40, 40, 40, 1]])
@pytest.mark.parametrize("n", [2, 3])
def test_the_pieces_are_the_rows_in_order_with_their_file_positions(sizes, n):
    pieces = [piece for _, piece, _ in _jobs(iter(_batches(sizes)), n, (None,))]
    joined = pd.concat(pieces)
    assert joined.index.tolist() == joined["x"].tolist() == list(range(sum(sizes)))
