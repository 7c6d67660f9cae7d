"""stance.data.splits: held-out splits carved from train, every rule and message in-process.

The draws for a fixed seed are pinned: a run's splits (and so its metrics) must not move
between versions for the same config and seed (issue 27).
"""

from __future__ import annotations

import pandas as pd
import pytest

from stance.data.splits import carve
from stance.errors import ConfigError
from tests.errors import data_error

LABELS = ("support", "oppose", "neutral")


def _train(stances: list[str], **columns) -> pd.DataFrame:
    return pd.DataFrame({"target": "t", "stance": stances, "split": "train", **columns})


def _held(frame: pd.DataFrame, into: str = "dev") -> list[int]:
    return frame.index[frame["split"] == into].tolist()


# -- the fraction -------------------------------------------------------------------------------
@pytest.mark.parametrize("fraction", [0, 1, 1.5, -0.1])
def test_a_fraction_outside_zero_to_one_names_the_setting(fraction):
    frame = _train(["support", "oppose"] * 5)
    with pytest.raises(ConfigError) as err:
        carve(frame, fraction, 0)
    assert str(err.value) == (
        f"corpus: dev_fraction {fraction!r} must be between 0 and 1 (0 keeps all of train; "
        "set data.corpus.dev_fraction)."
    )
    with pytest.raises(ConfigError) as err:
        carve(frame, fraction, 0, into="test", where="data 'x'", setting="data.test_fraction")
    assert str(err.value).startswith(f"data 'x': test_fraction {fraction!r} must be between")
    assert str(err.value).endswith("(0 keeps all of train; set data.test_fraction).")


def test_only_train_rows_are_drawn_and_the_input_is_left_alone():
    frame = _train(["support", "oppose"] * 5)
    frame.loc[[0, 1], "split"] = "test"
    carved = carve(frame, 0.25, 0)
    assert carved.loc[[0, 1], "split"].tolist() == ["test", "test"]
    assert len(_held(carved)) == 2  # ceil(0.25 x 8 train rows)
    assert set(frame["split"]) == {"train", "test"}  # a copy was changed


# -- stratified draws ---------------------------------------------------------------------------
def test_the_stratified_draw_is_pinned_for_a_seed():
    # targets where one name is a prefix of the other: the strata's order is part of the draw
    rows = [(("a", "ab")[i % 2], LABELS[(i // 2) % 3]) for i in range(24)]
    frame = _train([s for _, s in rows], target=[t for t, _ in rows])
    carved = carve(frame, 0.25, 0, into="test")
    assert _held(carved, "test") == [2, 5, 6, 7, 21, 22]
    assert _held(carve(frame, 0.25, 0, into="test"), "test") == _held(carved, "test")
    # each of the six strata (2 targets x 3 labels, 4 rows each) gives one row
    held = carved[carved["split"] == "test"]
    assert held.groupby(["target", "stance"]).size().tolist() == [1] * 6


def test_a_stratum_of_two_rows_is_still_stratified():
    frame = _train(["oppose"] * 2 + ["support"] * 8)
    for seed in range(10):  # five of ten held: one of the two oppose rows, whatever the seed
        assert (carve(frame, 0.5, seed).loc[[0, 1], "split"] == "dev").sum() == 1


def test_as_many_held_rows_as_strata_is_still_stratified():
    frame = _train(["oppose"] * 4 + ["support"] * 4)
    for seed in range(10):  # ceil(0.25 x 8) = 2 held, one per stratum
        held = _held(carve(frame, 0.25, seed))
        assert len(held) == 2 and len({r < 4 for r in held}) == 2


def test_too_few_rows_left_in_train_to_stratify_draws_at_random():
    frame = _train(["oppose"] * 5 + ["support"] * 5)
    assert len(_held(carve(frame, 0.9, 0))) == 9  # one row left: it cannot hold both strata


def test_too_few_rows_to_carve():
    frame = _train(["support", "oppose"])
    message = data_error(carve, frame, 0.6, 0, into="test", where="data 'x'", setting="data.t")
    assert message == (
        "data 'x': the train split has 2 row(s), too few to carve a test split of 0.6 from; "
        "add rows or set data.t=0 (and give the test rows another way)."
    )
    assert data_error(carve, frame.head(1), 0.1, 0) == (
        "corpus: the train split has 1 row(s), too few to carve a dev split of 0.1 from; add "
        "rows or set data.corpus.dev_fraction=0 (with eval_splits=[test] when there is no dev "
        "split)."
    )


# -- grouped draws ------------------------------------------------------------------------------
def test_the_grouped_draw_is_pinned_for_a_seed_and_keeps_groups_whole():
    frame = _train([LABELS[i % 3] for i in range(24)], doc=[f"d{i // 3}" for i in range(24)])
    pinned = {0: ["d1", "d2", "d6"], 1: ["d1", "d2", "d7"], 2: ["d1", "d4", "d6"]}
    for seed, docs in pinned.items():  # ceil(0.3 x 8 documents) = 3 documents held
        carved = carve(frame, 0.3, seed, group="doc")
        assert sorted(set(carved.loc[carved["split"] == "dev", "doc"])) == docs
        assert (carved.groupby("doc")["split"].nunique() == 1).all()


def test_two_groups_are_enough_and_one_is_too_few():
    frame = _train(["support", "oppose"] * 3, doc=["a"] * 3 + ["b"] * 3)
    held = _held(carve(frame, 0.5, 0, group="doc"))
    assert held in ([0, 1, 2], [3, 4, 5])
    one = frame.assign(doc="a")
    assert data_error(
        carve, one, 0.5, 0, into="test", group="doc", where="data 'x'", setting="data.t"
    ) == (
        "data 'x': the train split has 1 group(s), too few to carve a test split of 0.5 from; "
        "add rows or set data.t=0 (and give the test rows another way)."
    )
