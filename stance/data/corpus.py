"""The corpus adapter contract: a subclass lists its files and maps columns and labels."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd
from sklearn.model_selection import train_test_split

from stance.errors import DataError
from stance.schema import (
    COLUMNS,
    LABELS,
    check_columns,
    check_labels,
    check_texts,
    check_unique_ids,
)

log = logging.getLogger(__name__)


class Corpus:
    """Base class of corpus adapters.

    Parameters
    ----------
    root : folder holding the corpus files; ``None`` means the adapter's default place.
    dev_fraction : share of train carved out as dev (stratified, with the run's seed) when the
        corpus has no dev split of its own; 0 disables it.
    data_home : overrides ``STANCE_DATA_HOME`` for external corpora.
    """

    name: ClassVar[str] = ""
    #: column -> {raw label: schema label}; kept in the run's metadata.
    label_maps: ClassVar[dict[str, dict[Any, str]]] = {}

    def __init__(
        self,
        root: str | None = None,
        dev_fraction: float = 0.1,
        data_home: str | None = None,
    ) -> None:
        self.root = root
        self.dev_fraction = dev_fraction
        self.data_home = data_home

    # -- what a subclass provides -------------------------------------------------------
    def folder(self) -> Path:
        """The corpus folder."""
        raise NotImplementedError

    def files(self) -> list[Path]:
        """Every file the corpus is read from (hashed into the run's data manifest)."""
        raise NotImplementedError

    def read(self) -> pd.DataFrame:
        """Rows with schema columns and the corpus's own (raw) labels."""
        raise NotImplementedError

    # -- shared --------------------------------------------------------------------------
    def load(self, seed: int = 0) -> pd.DataFrame:
        """Load the corpus into the statement schema, with labels mapped and splits set."""
        frame = self.read()
        where = f"corpus {self.name!r}"
        check_columns(frame, ("id", "text", "source", "target", "split"), where)
        for column, mapping in self.label_maps.items():
            if column in frame:
                frame[column] = _map_labels(frame[column], mapping, f"{where}, column {column!r}")
        check_texts(frame, where)
        check_unique_ids(frame, where)
        for column in LABELS:
            if column in frame:
                check_labels(frame, column, where)
        if "dev" not in set(frame["split"]) and self.dev_fraction > 0:
            frame = carve_dev(frame, self.dev_fraction, seed)
        warn_overlap(frame, where)
        ordered = [c for c in COLUMNS if c in frame] + [c for c in frame if c not in COLUMNS]
        return frame[ordered].reset_index(drop=True)

    def metadata(self) -> dict[str, Any]:
        """What the run records about this corpus: name, folder and label maps."""
        return {
            "name": self.name,
            "folder": str(self.folder()),
            "label_maps": {
                c: {str(k): v for k, v in m.items()} for c, m in self.label_maps.items()
            },
        }


def _map_labels(values: pd.Series, mapping: dict[Any, str], where: str) -> pd.Series:
    """Map raw labels to schema labels; raw values outside the map are an error."""
    present = values.dropna()
    unknown = sorted({str(v) for v in present if v not in mapping and v not in mapping.values()})
    if unknown:
        raise DataError(
            f"{where}: label(s) {unknown[:5]} are not in the label map "
            f"{sorted(map(str, mapping))}; "
            "fix the file or extend the adapter's label map."
        )
    return values.map(lambda v: mapping.get(v, v) if pd.notna(v) else v)


def carve_dev(frame: pd.DataFrame, fraction: float, seed: int) -> pd.DataFrame:
    """Move a stratified `fraction` of train into a new dev split, reproducibly for `seed`."""
    frame = frame.copy()
    train = frame.index[frame["split"] == "train"]
    strata = frame.loc[train, "target"].astype(str) + "|" + frame.loc[train, "stance"].astype(str)
    counts = strata.value_counts()
    stratify = strata if counts.min() >= 2 else None
    _, dev = train_test_split(train, test_size=fraction, random_state=seed, stratify=stratify)
    frame.loc[dev, "split"] = "dev"
    return frame


def warn_overlap(frame: pd.DataFrame, where: str) -> int:
    """Warn with the count of test texts that also occur in train; return that count."""
    train = set(frame.loc[frame["split"] == "train", "text"])
    test = frame.loc[frame["split"] == "test", "text"]
    shared = int(test.isin(train).sum())
    if shared:
        log.warning(
            "%s: %d test row(s) have a text that also occurs in train (%.1f%% of test)",
            where,
            shared,
            100 * shared / max(len(test), 1),
        )
    return shared
