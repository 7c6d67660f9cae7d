"""A cache of parsed corpus files, keyed by the SHA-256 of their bytes.

``datasets`` stays the reader: on a miss :func:`stance.io.readers.read_file` parses the file
with it and stores the Arrow table it produced; on a hit the table is read back (Arrow IPC, no
pickle, so a cache file cannot run code) and turned into the same DataFrame, and ``datasets``
is not even imported. The key is the file's SHA-256 (the hash the run's data manifest records),
the reader's options and the versions of ``datasets`` and ``pyarrow``, so an edited file or
an upgraded reader is a miss, never a stale hit. Entries are written whole (a temporary name,
then a rename), so runs of a sweep may fill the cache at the same time.

Where: ``STANCE_CACHE_DIR`` if set (``off`` turns the cache off), else
``$XDG_CACHE_HOME/stance`` or ``~/.cache/stance``. Delete the folder to clear it.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

from stance.io.atomic import atomic_write
from stance.io.provenance import sha256

log = logging.getLogger(__name__)

ENV_VAR = "STANCE_CACHE_DIR"
#: Bump when what is stored changes meaning.
FORMAT = 1


def cache_dir() -> Path | None:
    """The folder of parsed-file entries, or None when ``STANCE_CACHE_DIR=off``."""
    value = os.environ.get(ENV_VAR, "")
    if value.strip().lower() == "off":
        return None
    if value:
        root = Path(value).expanduser()
    else:
        root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "stance"
    return root / "tables"


def entry_key(path: Path, builder: str, options: dict[str, Any]) -> str:
    """What identifies one parse: file bytes, builder, options and the readers' versions."""
    versions = {name: _version(name) for name in ("datasets", "pyarrow")}
    described = json.dumps(
        [FORMAT, sha256(path), builder, options, versions], sort_keys=True, default=str
    )
    return hashlib.sha256(described.encode("utf-8")).hexdigest()


def load(key: str) -> pd.DataFrame | None:
    """The cached DataFrame for `key`, or None (no entry, cache off or an unreadable entry)."""
    folder = cache_dir()
    if folder is None or not (folder / f"{key}.arrow").is_file():
        return None
    import pyarrow as pa

    try:
        with pa.memory_map(str(folder / f"{key}.arrow")) as source:
            table = pa.ipc.open_file(source).read_all()
    except (OSError, pa.ArrowException) as err:
        log.debug("table cache entry %s unreadable (%s); reading the file again", key, err)
        return None
    return table.to_pandas()


def store(key: str, dataset: Any) -> None:
    """Keep the table behind a ``datasets.Dataset`` when its ``to_pandas()`` is the table's own
    conversion (no row indices, no extension types, no Json features); never fails a run."""
    folder = cache_dir()
    if folder is None or not _plain(dataset):
        return
    import pyarrow as pa

    table = dataset.data.table

    def write(tmp: Path) -> None:
        with pa.OSFile(str(tmp), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
            writer.write_table(table)

    try:
        atomic_write(folder / f"{key}.arrow", write)
    except OSError as err:
        log.debug("table cache not written to %s (%s)", folder, err)


def _plain(dataset: Any) -> bool:
    import pyarrow as pa

    if getattr(dataset, "_indices", None) is not None:
        return False
    if any(_has_extension(field.type, pa) for field in dataset.data.table.schema):
        return False
    try:
        from datasets.utils.json import get_json_field_paths_from_feature
    except ImportError:  # a datasets release without Json features
        return True
    return not list(get_json_field_paths_from_feature(dataset.features))


def _has_extension(kind: Any, pa: Any) -> bool:
    if isinstance(kind, pa.ExtensionType):
        return True
    children = [kind.field(i).type for i in range(kind.num_fields)]
    return any(_has_extension(child, pa) for child in children)


def _version(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None
