"""The corpus adapter contract: a subclass lists its files and maps columns and labels."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, ClassVar

import pandas as pd

from stance.data.schema import (
    COLUMNS,
    LABELS,
    check_columns,
    check_labels,
    check_texts,
    check_unique_ids,
)
from stance.data.splits import carve
from stance.errors import DataError
from stance.io.readers import MissingFileError

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
        frame = self._read()
        where = self.where()
        check_columns(frame, ("id", "text", "source", "target", "split"), where)
        for column, mapping in self.label_maps.items():
            if column in frame:
                frame[column] = _map_labels(
                    frame[column], mapping, f"{where}, column {column!r}", frame["id"]
                )
        check_texts(frame, where)
        check_unique_ids(frame, where)
        for column in LABELS:
            if column in frame:
                check_labels(frame, column, where)
        frame = self.carve(frame, seed)
        warn_overlap(frame, where)
        ordered = [c for c in COLUMNS if c in frame] + [c for c in frame if c not in COLUMNS]
        return frame[ordered].reset_index(drop=True)

    def carve(self, frame: pd.DataFrame, seed: int) -> pd.DataFrame:
        """Splits the files do not give, drawn with `seed`: a dev split carved from train."""
        if "dev" not in set(frame["split"]) and self.dev_fraction > 0:
            frame = carve_dev(frame, self.dev_fraction, seed, self.where())
        return frame

    def where(self) -> str:
        """How messages name this corpus: its name and its file (or folder)."""
        try:
            files = self.files()
            place = str(files[0]) if len(files) == 1 else str(self.folder())
        except (DataError, IndexError):
            return f"corpus {self.name!r}"
        return f"corpus {self.name!r} ({place})"

    def _read(self) -> pd.DataFrame:
        """:meth:`read`, with a missing file or a missing field turned into one clear line."""
        try:
            return self.read()
        except MissingFileError as err:
            raise DataError(
                f"corpus {self.name!r}: {err.path}: file not found; put the corpus there or "
                "point data.corpus.root (external corpora: STANCE_DATA_HOME) at its folder."
            ) from err
        except KeyError as err:
            raise DataError(
                f"{self.where()}: no column or field {err.args[0]!r} in the corpus file(s); "
                "add or rename it as the corpus's data card describes."
            ) from err
        except (AttributeError, IndexError, TypeError, ValueError) as err:
            detail = str(err).strip().splitlines()[0] if str(err).strip() else ""
            raise DataError(
                f"{self.where()}: malformed content ({type(err).__name__}: {detail}); check the "
                "file against the corpus's data card (--debug shows where it failed)."
            ) from err

    def metadata(self) -> dict[str, Any]:
        """What the run records about this corpus: name, folder and label maps."""
        return {
            "name": self.name,
            "folder": str(self.folder()),
            "label_maps": {
                c: {str(k): v for k, v in m.items()} for c, m in self.label_maps.items()
            },
        }


def _map_labels(
    values: pd.Series, mapping: dict[Any, str], where: str, ids: pd.Series | None = None
) -> pd.Series:
    """Map raw labels to schema labels; raw values outside the map are an error."""
    known = set(mapping) | set(mapping.values())
    outside = values.notna() & ~values.map(lambda v: _hashable(v) in known)
    if outside.any():
        unknown = sorted({str(v) for v in values[outside]})
        first = f" (first id {ids[outside].iloc[0]!r})" if ids is not None else ""
        raise DataError(
            f"{where}: {int(outside.sum())} row(s) have label(s) {unknown[:5]} that are not in "
            f"the label map {sorted(map(str, mapping))}{first}; "
            "fix the file or extend the adapter's label map."
        )
    return values.map(lambda v: mapping.get(v, v) if pd.notna(v) else v)


def _hashable(value: Any) -> Any:
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


def carve_dev(
    frame: pd.DataFrame, fraction: float, seed: int, where: str = "corpus"
) -> pd.DataFrame:
    """Move a stratified `fraction` of train into a new dev split, reproducibly for `seed`."""
    return carve(frame, fraction, seed, where=where)


def count_overlap(frame: pd.DataFrame) -> int:
    """How many test rows have a text that also occurs in train."""
    train = set(frame.loc[frame["split"] == "train", "text"])
    return int(frame.loc[frame["split"] == "test", "text"].isin(train).sum())


def warn_overlap(frame: pd.DataFrame, where: str) -> int:
    """Warn with the count of test texts that also occur in train; return that count."""
    shared = count_overlap(frame)
    if shared:
        n_test = int((frame["split"] == "test").sum())
        log.warning(
            "%s: %d test row(s) have a text that also occurs in train (%.1f%% of test); "
            "scores on them may be optimistic",
            where,
            shared,
            100 * shared / max(n_test, 1),
        )
    return shared
