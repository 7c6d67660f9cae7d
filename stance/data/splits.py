"""Held-out splits drawn from train with a seed: stratified by target and label, or by group."""

from __future__ import annotations

import math

import pandas as pd

from stance.errors import ConfigError, DataError

#: What to do when a split cannot be carved, by the split being carved.
_NO_SPLIT_HINT = {
    "dev": "with eval_splits=[test] when there is no dev split",
    "test": "and give the test rows another way",
}


def carve(
    frame: pd.DataFrame,
    fraction: float,
    seed: int,
    *,
    into: str = "dev",
    label: str = "stance",
    group: str | None = None,
    where: str = "corpus",
    setting: str = "data.corpus.dev_fraction",
) -> pd.DataFrame:
    """Move a `fraction` of the train rows into a new split `into`, reproducibly for `seed`.

    Without `group` the draw is stratified by target and `label` (when every stratum can give a
    row to both sides; scikit-learn's rounding: the held-out share is rounded up). With `group`
    whole groups move (rows of one document never straddle two splits), a `fraction` of the
    groups. `setting` is the config key the messages name.
    """
    if not 0 < fraction < 1:
        raise ConfigError(
            f"{where}: {into}_fraction {fraction!r} must be between 0 and 1 "
            f"(0 keeps all of train; set {setting})."
        )
    frame = frame.copy()
    train = frame.index[frame["split"] == "train"]
    if group is not None:
        held = _grouped(frame.loc[train, group], fraction, seed, where, into, setting)
    else:
        held = _stratified(frame.loc[train], fraction, seed, label, where, into, setting)
    frame.loc[held, "split"] = into
    return frame


def _too_few(where: str, n: int, what: str, into: str, fraction: float, setting: str) -> DataError:
    return DataError(
        f"{where}: the train split has {n} {what}, too few to carve a {into} split of "
        f"{fraction:g} from; add rows or set {setting}=0 ({_NO_SPLIT_HINT[into]})."
    )


def _stratified(
    train: pd.DataFrame, fraction: float, seed: int, label: str, where: str, into: str, setting: str
) -> pd.Index:
    n_held = math.ceil(fraction * len(train))  # scikit-learn rounds a test share up
    if n_held >= len(train):
        raise _too_few(where, len(train), "row(s)", into, fraction, setting)
    from sklearn.model_selection import train_test_split  # slow to import: only when carving

    strata = train["target"].astype(str) + "|" + train[label].astype(str)
    counts = strata.value_counts()
    # Stratify only when every stratum can give a row to both sides.
    can_stratify = counts.min() >= 2 and min(n_held, len(train) - n_held) >= len(counts)
    _, held = train_test_split(
        train.index, test_size=n_held, random_state=seed, stratify=strata if can_stratify else None
    )
    return held


def _grouped(
    groups: pd.Series, fraction: float, seed: int, where: str, into: str, setting: str
) -> pd.Index:
    names = groups.astype(str)
    if names.nunique() < 2:
        raise _too_few(where, names.nunique(), "group(s)", into, fraction, setting)
    from sklearn.model_selection import GroupShuffleSplit

    splitter = GroupShuffleSplit(n_splits=1, test_size=fraction, random_state=seed)
    _, held = next(splitter.split(names.to_numpy(), groups=names.to_numpy()))
    return groups.index[held]
