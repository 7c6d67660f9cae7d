"""Your own annotated data (``data=local``): local files or a Hub dataset, mapped onto the schema.

Files (csv, tsv, jsonl, parquet) are read through Hugging Face ``datasets``. ``columns`` names
the column of yours that holds each schema column, ``labels`` maps your labels onto the
schema's. Splits come from separate files, from a split column, or are carved from train with
the run's seed (stratified by target and label, or by ``story`` so the rows of one document
stay together). Empty texts and repeated rows are counted in the run's ``data_manifest.json``.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from stance.data.corpus import Corpus
from stance.data.labels import check_label_map, map_labels
from stance.data.mapping import COLUMN_KEYS, resolve_columns
from stance.data.schema import AUTHOR, SENTIMENT_LABELS, STANCE_LABELS
from stance.data.splits import carve
from stance.errors import ConfigError, DataError
from stance.io.readers import read_file, read_hub_splits

log = logging.getLogger(__name__)

#: The ``target`` of every row when no target column is mapped.
NO_TARGET = "all"
#: Split names understood without a map (``data.split_names`` adds yours).
SPLIT_NAMES = {
    "train": "train",
    "training": "train",
    "dev": "dev",
    "valid": "dev",
    "validation": "dev",
    "val": "dev",
    "test": "test",
    "testing": "test",
}
#: Columns that make two rows the same input.
INPUT_COLUMNS = ("text", "target", "source_mention", "target_mention")
POLICIES = {"empty_texts": ("drop", "error"), "duplicates": ("keep", "drop")}


def _paths(value: Any) -> list[str]:
    if value in (None, "", []):
        return []
    return [str(v) for v in value] if isinstance(value, list | tuple) else [str(value)]


class LocalCorpus(Corpus):
    """Rows of your own files (or a Hub dataset) in the statement schema.

    Parameters
    ----------
    name : how runs, cards and tables name the corpus.
    train, dev, test : a file (or a list of files) per split; `dev` and `test` are optional.
    file : one file holding every row (split by ``columns.split`` or with the seed); instead
        of `train`/`dev`/`test`.
    hub, hub_config, revision : a Hub dataset (``owner/name``) instead of files.
    encoding : of csv/tsv/jsonl files.
    columns : schema column -> your column (see :data:`COLUMN_KEYS`); None leaves it out.
    labels : your label -> schema label, for the stance column (or the sentiment column when
        there is no stance column).
    sentiment_labels : the same for the sentiment column when both are mapped.
    split_names : your split name -> train/dev/test (for ``columns.split`` or Hub splits).
    test_fraction, dev_fraction : shares of train carved out, with the seed, as test and dev
        when the data has no such split; 0 disables it.
    empty_texts : ``drop`` rows with an empty text, or stop with an ``error``.
    duplicates : ``keep`` or ``drop`` rows whose input and label repeat an earlier row.
    """

    name = "local"

    def __init__(
        self,
        name: str = "local",
        train: Any = None,
        dev: Any = None,
        test: Any = None,
        file: Any = None,
        hub: str | None = None,
        hub_config: str | None = None,
        revision: str | None = None,
        encoding: str = "utf-8",
        columns: Mapping[str, Any] | None = None,
        labels: Mapping[Any, Any] | None = None,
        sentiment_labels: Mapping[Any, Any] | None = None,
        split_names: Mapping[Any, Any] | None = None,
        test_fraction: float = 0.2,
        dev_fraction: float = 0.1,
        empty_texts: str = "drop",
        duplicates: str = "keep",
        **kwargs: Any,
    ) -> None:
        super().__init__(dev_fraction=dev_fraction, **kwargs)
        self.name = name
        self.train = train
        self.dev = dev
        self.test = test
        self.file = file
        self.hub = hub
        self.hub_config = hub_config
        self.revision = revision
        self.encoding = encoding
        self.columns = columns
        self.labels = labels
        self.sentiment_labels = sentiment_labels
        self.split_names = split_names
        self.test_fraction = test_fraction
        self.empty_texts = empty_texts
        self.duplicates = duplicates

    # -- where the rows are ---------------------------------------------------------------
    def sources(self) -> dict[str, list[Path]]:
        """Files by split (``all`` for `file`), absolute, as given."""
        if self.file not in (None, ""):
            return {"all": [Path(p).resolve() for p in _paths(self.file)]}
        given = {"train": self.train, "dev": self.dev, "test": self.test}
        return {k: [Path(p).resolve() for p in _paths(v)] for k, v in given.items() if _paths(v)}

    def files(self) -> list[Path]:
        return [p for paths in self.sources().values() for p in paths]

    def folder(self) -> Path:
        files = self.files()
        return files[0].parent if files else Path.cwd()

    def where(self) -> str:
        shown = self.hub or ", ".join(p.name for p in self.files()) or "no files"
        return f"data {self.name!r} ({shown})"

    def check(self) -> None:
        """Check the options before anything is read: one ConfigError or DataError line."""
        named = {k: _paths(getattr(self, k)) for k in ("train", "dev", "test", "file")}
        if self.hub and any(named.values()):
            raise ConfigError(
                "data.hub and data files exclude each other; pass the Hub dataset or the files."
            )
        if named["file"] and any(named[k] for k in ("train", "dev", "test")):
            raise ConfigError(
                "data.file (one file with every row) excludes data.train/dev/test; pass one way."
            )
        if not self.hub and not named["file"] and not named["train"]:
            raise ConfigError(
                "data=local needs your data: data.train=FILE (and data.test=FILE), "
                "data.file=FILE (split with the seed) or data.hub=owner/name."
            )
        for option, allowed in POLICIES.items():
            if getattr(self, option) not in allowed:
                raise ConfigError(
                    f"data.{option}={getattr(self, option)!r}: expected one of {list(allowed)}."
                )
        for option in ("test_fraction", "dev_fraction"):
            value = getattr(self, option)
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < 1:
                raise ConfigError(f"data.{option}={value!r}: expected a share in [0, 1), e.g. 0.2.")
        unknown = sorted(set(self.columns or {}) - set(COLUMN_KEYS))
        if unknown:
            raise ConfigError(
                f"data.columns: {unknown} are not schema columns; map onto {list(COLUMN_KEYS)}."
            )
        for key, paths in named.items():
            for path in paths:
                if not Path(path).is_file():
                    raise DataError(
                        f"data.{key}: {path}: file not found (relative paths are read from "
                        f"{Path.cwd()}); check the path."
                    )

    def load(self, seed: int = 0) -> pd.DataFrame:
        self.check()
        return super().load(seed)

    # -- reading --------------------------------------------------------------------------
    def read(self) -> pd.DataFrame:
        parts = self._read_parts()
        columns = resolve_columns(self.columns or {}, [(w, raw) for _, w, raw in parts])
        maps = self._label_maps(columns)
        self.report_: dict[str, Any] = {"rows_read": sum(len(raw) for _, _, raw in parts)}
        frames, empty = [], 0
        for split, where, raw in parts:
            rows, dropped = self._schema_rows(split, where, raw, columns)
            frames.append(rows)
            empty += dropped
        # rows are only dropped with empty_texts=drop: `error` stopped at the first empty text
        self.report_["empty_texts"] = {"rows": empty, "action": "dropped" if empty else "none"}
        frame = pd.concat(frames, ignore_index=True)
        for key, (mapping, setting) in maps.items():  # every file at once: all unknown labels
            frame[key] = map_labels(
                frame[key],
                mapping,
                STANCE_LABELS if key == "stance" else SENTIMENT_LABELS,
                where=f"{self.where()}, column {columns[key]!r}",
                setting=setting,
                ids=frame["id"],
            )
        return self._duplicates(frame)

    def _read_parts(self) -> list[tuple[str, str, pd.DataFrame]]:
        """``(split, where, raw rows)`` per split, in the order train, dev, test."""
        if self.hub:
            loaded = read_hub_splits(self.hub, self.hub_config, self.revision)
            splits = self._splits(pd.Series(list(loaded)), f"Hub dataset {self.hub}")
            named = [(s, k, f) for s, (k, f) in zip(splits, loaded.items(), strict=True)]
            order = ("train", "dev", "test")
            named.sort(key=lambda p: order.index(p[0]))
            return [(s, f"{self.hub} split {k!r}", f) for s, k, f in named]
        parts = []
        for split, paths in self.sources().items():
            frames = [read_file(p, **self._read_options(p)) for p in paths]
            raw = pd.concat(frames, ignore_index=True)
            shown = ", ".join(p.name for p in paths)
            parts.append((split, f"data.{'file' if split == 'all' else split} ({shown})", raw))
        return parts

    def _read_options(self, path: Path) -> dict[str, Any]:
        return {} if path.suffix.lower() == ".parquet" else {"encoding": self.encoding}

    def _splits(self, values: pd.Series, where: str) -> pd.Series:
        """Your split names as train/dev/test; unknown names listed with their row counts."""
        names = {**SPLIT_NAMES, **{str(k): str(v) for k, v in (self.split_names or {}).items()}}
        keys = values.astype(str).str.strip()
        mapped = keys.map(lambda v: names.get(v, names.get(v.lower())))
        unknown = keys[~mapped.isin(["train", "dev", "test"])].value_counts()
        if len(unknown):
            listed = ", ".join(f"{k!r} ({n} rows)" for k, n in unknown.items())
            fix = ", ".join(f"{k}: ?" for k in unknown.index)
            raise DataError(
                f"{where}: split name(s) {listed} are not train, dev or test; name them with "
                f'"data.split_names={{{fix}}}" (each ? one of train, dev, test).'
            )
        return mapped

    def _label_maps(self, columns: dict[str, str]) -> dict[str, tuple[dict[str, str], str]]:
        """Checked label maps by schema label column, with the setting that holds each."""
        maps: dict[str, tuple[dict[str, str], str]] = {}
        if "stance" in columns:
            own = check_label_map(self.labels or {}, STANCE_LABELS, "data.labels")
            maps["stance"] = (own, "data.labels")
        if "sentiment" in columns:
            setting = "data.labels" if "stance" not in columns else "data.sentiment_labels"
            given = self.sentiment_labels or ({} if "stance" in columns else self.labels)
            maps["sentiment"] = (check_label_map(given or {}, SENTIMENT_LABELS, setting), setting)
        self.label_maps_ = {column: mapping for column, (mapping, _) in maps.items()}
        return maps

    def _schema_rows(
        self,
        split: str,
        where: str,
        raw: pd.DataFrame,
        columns: dict[str, str],
    ) -> tuple[pd.DataFrame, int]:
        """One part's rows in the schema, and how many empty-text rows were dropped."""
        raw = raw.reset_index(drop=True)
        text = raw[columns["text"]]
        blank = text.isna() | (text.astype(str).str.strip() == "")
        if blank.any() and self.empty_texts == "error":
            rows = [int(i) + 1 for i in blank.to_numpy().nonzero()[0][:3]]
            raise DataError(
                f"{where}: {int(blank.sum())} empty text(s) (data rows {rows}); fill them in, "
                "remove them or set data.empty_texts=drop."
            )
        raw = raw[~blank.to_numpy()]
        out = pd.DataFrame({"text": raw[columns["text"]].astype(str)})  # raw's index
        if "id" in columns:
            out["id"] = raw[columns["id"]].astype(str)
        else:  # the row's place in its split's file(s), empty rows counted
            out["id"] = [f"{'row' if split == 'all' else split}-{i:05d}" for i in raw.index]
        for key in ("source_mention", "target_mention", "target", "source"):
            if key in columns:
                out[key] = self._cells(raw[columns[key]], where, key, columns[key])
        out["source"] = out.get("source", out.get("source_mention", AUTHOR))
        out["target"] = out.get("target", out.get("target_mention", NO_TARGET))
        for key in ("stance", "sentiment"):
            if key in columns:
                out[key] = raw[columns[key]].astype(object)
        if "story" in columns:
            story = raw[columns["story"]]
            out["story"] = story.astype(str).where(story.notna(), out["id"])
        if "split" in columns:
            values = raw[columns["split"]].astype(str)
            out["split"] = self._splits(values, f"{where}, column {columns['split']!r}")
        else:
            out["split"] = "train" if split == "all" else split
        return out.reset_index(drop=True), int(blank.sum())

    def _cells(self, values: pd.Series, where: str, key: str, column: str) -> pd.Series:
        empty = values.isna() | (values.astype(str).str.strip() == "")
        if empty.any():
            first = int(empty.to_numpy().argmax()) + 1
            raise DataError(
                f"{where}: {int(empty.sum())} row(s) have no {key} in column {column!r} (first "
                f"at data row {first}); fill them in or remove those rows."
            )
        return values.astype(str).str.strip()

    def _duplicates(self, frame: pd.DataFrame) -> pd.DataFrame:
        """Count (and with ``duplicates=drop`` drop) rows repeating an earlier row's input."""
        key = [c for c in INPUT_COLUMNS if c in frame.columns]
        labels = [c for c in ("stance", "sentiment") if c in frame.columns]
        repeats = frame.duplicated(subset=key + labels)
        varied = frame.groupby(key, sort=False)[labels[0]].transform("nunique") > 1
        dropping = self.duplicates == "drop" and bool(repeats.any())
        self.report_["duplicates"] = {
            "rows": int(repeats.sum()),
            "conflicting_label_rows": int(varied.sum()),
            "action": "dropped" if dropping else "kept",
        }
        if varied.any():
            log.warning(
                "%s: %d row(s) share their input with a row of another label",
                self.where(),
                int(varied.sum()),
            )
        return frame[~repeats].reset_index(drop=True) if dropping else frame

    # -- splits ---------------------------------------------------------------------------
    def carve(self, frame: pd.DataFrame, seed: int) -> pd.DataFrame:
        """Test, then dev, carved from train with `seed` when the data has no such split."""
        label = "stance" if "stance" in frame.columns else "sentiment"
        group = "story" if "story" in frame.columns else None
        carved = []
        for split, fraction in (("test", self.test_fraction), ("dev", self.dev_fraction)):
            if split not in set(frame["split"]) and fraction > 0:
                frame = carve(
                    frame,
                    fraction,
                    seed,
                    into=split,
                    label=label,
                    group=group,
                    where=self.where(),
                    setting=f"data.{split}_fraction",
                )
                carved.append(f"{split} {fraction:g}")
        how = "as given"
        if carved:
            by = "grouped by story" if group else f"stratified by target and {label}"
            how = f"{', '.join(carved)} of train carved with seed {seed}, {by}"
        self.report_["splits"] = how
        if group:
            shared = int((frame.groupby("story")["split"].nunique() > 1).sum())
            self.report_["stories_in_several_splits"] = shared
            if shared:
                log.warning("%s: %d story id(s) occur in more than one split", self.where(), shared)
        return frame

    def metadata(self) -> dict[str, Any]:
        mapped = {k: str(v) for k, v in (self.columns or {}).items() if v not in (None, "")}
        source = (
            {"hub": self.hub, "hub_config": self.hub_config, "revision": self.revision}
            if self.hub
            else {split: [str(p) for p in paths] for split, paths in self.sources().items()}
        )
        return {
            **super().metadata(),
            "label_maps": getattr(self, "label_maps_", {}),
            "columns": mapped,
            "source": source,
            "rows": getattr(self, "report_", {}),
        }
