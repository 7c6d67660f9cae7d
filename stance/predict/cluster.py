"""Prediction on a Dask cluster: ``stance predict --scheduler ADDRESS``.

The input is cut into partitions (csv/tsv/jsonl/txt: blocks of about `blocksize` bytes ending at
a line end; parquet: one per row group) that the workers read themselves, so it must be at the
same path on every worker (a shared file system). Each worker loads the model once and labels
its partitions; this process gathers the results in input order, so the caller can write them
exactly as the local ``stance predict`` does.

The model travels as the bytes of its files (skops file, trusted-type list, metadata, model
card), never as a pickled estimator: each worker writes them to a temporary folder and loads
them with :func:`stance.load_model`, so the hash and trusted-type checks run where the model
is rebuilt, and this process runs them first on the same bytes. (Dask does pickle the task
functions and the little plugin carrying the bytes; a cluster runs its client's code anyway.
What is never unpickled is the model file, unless ``allow_pickle`` says it may be.)

Partitions are parsed with the same pandas options as the local streaming reader, each on its
own, rather than with ``dask.dataframe.read_csv``/``read_json``: those enforce the column types
of a sample on every partition and fail where the local command succeeds (an ``id`` column
that is numeric in the first block only). Workers need the same versions of ``stance``,
scikit-learn, numpy, scipy, pandas and skops as this process; that is checked.
"""

from __future__ import annotations

import io
import os
import socket
import tempfile
import uuid
from collections import deque
from collections.abc import Iterator
from contextlib import suppress
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm.auto import tqdm

from stance.errors import ConfigError, DataError, first_line
from stance.io.model_files import (
    CARD_FILE,
    METADATA_FILE,
    MODEL_FILE,
    TRUSTED_FILE,
    model_folder,
)
from stance.io.provenance import package_versions
from stance.io.readers import check_readable
from stance.predict.model import StanceModel, load_model

INSTALL_HINT = 'pip install "stance[dask]"'

try:
    import dask
    from dask.bytes import read_bytes
    from distributed import Client, WorkerPlugin, get_worker
    from distributed.comm.addressing import parse_address, parse_host_port
except ImportError as err:  # the optional extra is missing: one line saying how to add it
    raise ConfigError(
        f"--scheduler needs dask and distributed, which are not installed: {INSTALL_HINT}"
    ) from err

#: Input bytes per partition of a text file; parquet files are split by row group.
DEFAULT_BLOCKSIZE = "32MiB"
#: Packages whose versions must match between this process and every worker.
PACKAGES = ("stance", "scikit-learn", "numpy", "scipy", "pandas", "skops")
TEXT_SUFFIXES = (".csv", ".tsv", ".jsonl", ".json", ".txt")


@dataclass(frozen=True)
class ModelBytes:
    """A model's files as bytes (paths relative to a folder), ready to send to workers."""

    files: dict[str, bytes]
    entry: str
    allow_pickle: bool = False

    @classmethod
    def read(cls, path: str | os.PathLike, allow_pickle: bool = False) -> ModelBytes:
        """Read the files :func:`stance.load_model` would read for `path`."""
        found = model_folder(path)
        if found.is_file():  # a pickle/joblib file, with its metadata when there is one
            names = {found.name: found, METADATA_FILE: found.with_name(METADATA_FILE)}
            entry = found.name
        else:
            names = {f"model/{n}": found / n for n in (MODEL_FILE, TRUSTED_FILE, METADATA_FILE)}
            if found.name == "model":  # the run's model card states the model's hash too
                names[CARD_FILE] = found.parent / CARD_FILE
            entry = "model"
        files = {name: p.read_bytes() for name, p in names.items() if p.is_file()}
        return cls(files, entry, allow_pickle)

    def load(self) -> StanceModel:
        """Write the files to a temporary folder and load them with every check."""
        with tempfile.TemporaryDirectory(prefix="stance-model-") as tmp:
            for name, data in self.files.items():
                target = Path(tmp, name)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            return load_model(Path(tmp, self.entry), allow_pickle=self.allow_pickle)


class ModelPlugin(WorkerPlugin):
    """Loads the model once per worker, when the worker starts or joins."""

    def __init__(self, files: ModelBytes) -> None:
        self.files = files
        self.model: StanceModel | None = None

    def setup(self, worker: Any) -> None:
        self.model = self.files.load()

    def teardown(self, worker: Any) -> None:
        self.model = None


def predict_on_cluster(
    scheduler: str,
    model_path: str | os.PathLike,
    input_path: str | os.PathLike,
    *,
    blocksize: int | str = DEFAULT_BLOCKSIZE,
    chunk_size: int = 10_000,
    drop_neutral: bool = False,
    encoding: str = "utf-8",
    allow_pickle: bool = False,
    quiet: bool = False,
    inputs: dict[str, Any] | None = None,
) -> Iterator[tuple[pd.DataFrame, dict[str, Any]]]:
    """Label every row of `input_path` on the cluster at `scheduler`.

    Yields ``(predictions, summary)`` for each batch of at most `chunk_size` input rows, in
    input order: the frames are those ``load_model(model_path).predict`` returns, with raw-text
    ``text_id`` values counting rows from the start of the file. At most two partitions per
    worker thread are in flight, so memory here stays bounded. Close the generator to
    disconnect early. `inputs` go to :meth:`StanceModel.predict` (``columns``, ``target``).
    """
    path = Path(input_path)
    check_readable(path, encoding)  # missing, empty, unsupported type, encoding, delimiter
    if "\n".encode(encoding) != b"\n":
        raise DataError(
            f"{path}: --scheduler splits the input at line ends, which needs an ASCII-based "
            f"encoding such as utf-8 or latin-1, not {encoding}; re-save the file as UTF-8."
        )
    if chunk_size < 1:
        raise DataError(f"--chunk-size must be at least 1, not {chunk_size}.")
    size = _blocksize(blocksize)
    files = ModelBytes.read(model_path, allow_pickle)
    files.load()  # the checks the workers will run, on the same bytes: fail fast here
    with _connect(scheduler) as client:
        threads = _check_workers(client, scheduler)
        name = f"stance-model-{uuid.uuid4().hex}"
        try:
            client.register_plugin(ModelPlugin(files), name=name)
            parts, lengths = _partitions(client, path, size, encoding)
            if sum(lengths) == 0:
                raise DataError(f"{path}: no rows to predict.")
            offsets = [0, *accumulate(lengths)][:-1]
            tasks = [
                (
                    n,
                    dask.delayed(_predict_partition)(
                        part, start, name, drop_neutral, chunk_size, inputs
                    ),
                )
                for part, start, n in zip(parts, offsets, lengths, strict=True)
                if n
            ]
            desc = f"predict ({len(client.nthreads())} workers)"
            with tqdm(total=sum(lengths), unit="rows", desc=desc, disable=quiet) as bar:
                yield from _in_order(client, tasks, 2 * threads, bar, path)
        finally:
            with suppress(OSError, TimeoutError, ValueError):  # gone, or never registered
                client.unregister_worker_plugin(name)


def _blocksize(value: int | str) -> int:
    try:
        size = dask.utils.parse_bytes(value)
    except (ValueError, TypeError):
        size = 0
    if size < 1:
        raise DataError(f"--blocksize must be a size such as 32MiB or 1000000, not {value!r}.")
    return size


def _connect(address: str) -> Client:
    """A client of the scheduler at `address`; ConfigError in one line when none answers.

    A plain TCP connect is tried first: a ``Client`` that fails to connect cannot be closed
    cleanly (it complains when garbage-collected), and a refused port fails at once.
    """
    try:
        scheme, location = parse_address(address)
        if scheme == "tcp":
            timeout = dask.utils.parse_timedelta(
                dask.config.get("distributed.comm.timeouts.connect")
            )
            socket.create_connection(parse_host_port(location), timeout=timeout).close()
        return Client(address, set_as_default=False)
    except (OSError, ValueError, TypeError) as err:
        raise ConfigError(
            f"--scheduler {address}: no Dask scheduler reachable there ({first_line(err)}); "
            "check the address (`dask scheduler` prints it, e.g. tcp://host:8786) and that "
            "the scheduler is running."
        ) from None


def _versions() -> dict[str, str | None]:
    """Versions of :data:`PACKAGES` in this process (runs on the workers too)."""
    return package_versions(PACKAGES, missing="not installed")


def version_mismatch(ours: dict[str, str], workers: dict[str, dict[str, str]]) -> str | None:
    """The first package whose version differs between this process and a worker, if any."""
    for worker, theirs in sorted(workers.items()):
        for name, version in ours.items():
            if theirs.get(name) != version:
                return (
                    f"worker {worker} has {name} {theirs.get(name)} but this process has "
                    f"{version}; install the same versions on every worker."
                )
    return None


def _check_workers(client: Client, address: str) -> int:
    """Worker threads of the cluster; ConfigError when it has none or versions differ."""
    threads = sum(client.nthreads().values())
    if threads == 0:
        raise ConfigError(
            f"--scheduler {address}: the scheduler has no workers; start some with "
            f"`dask worker {address}`."
        )
    problem = version_mismatch(_versions(), client.run(_versions))
    if problem:
        raise ConfigError(f"--scheduler {address}: {problem}")
    return threads


def _partitions(
    client: Client, path: Path, blocksize: int, encoding: str
) -> tuple[list[Any], list[int]]:
    """The partitions (delayed frames) of `path` and their row counts.

    Text files are counted in a first pass on the workers (parsing is cheap beside
    prediction), which also reports a malformed file before any prediction runs.
    """
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        try:
            with pq.ParquetFile(path) as handle:
                groups = range(handle.num_row_groups)
                lengths = [handle.metadata.row_group(i).num_rows for i in groups]
        except (OSError, ValueError) as err:  # pyarrow's errors derive from these
            raise DataError(f"{path}: not a readable parquet file ({first_line(err)}).") from None
        return [dask.delayed(_read_row_group)(str(path), i) for i in groups], lengths
    header = b""
    if suffix in (".csv", ".tsv"):
        with open(path, "rb") as handle:
            header = handle.readline()
    _, (blocks,) = read_bytes(str(path), delimiter=b"\n", blocksize=blocksize, sample=False)
    parts = [
        dask.delayed(_parse_block)(block, suffix, encoding, header if i else b"")
        for i, block in enumerate(blocks)
    ]
    counts = client.compute([dask.delayed(len)(part) for part in parts])
    try:
        return parts, client.gather(counts)
    except Exception as err:
        raise _read_error(err, path) from None


def _read_error(err: Exception, path: Path) -> Exception:
    """A one-line DataError for a worker's failure to read `path` (other errors unchanged)."""
    if isinstance(err, UnicodeDecodeError):
        return DataError(f"{path}: not valid for its encoding ({first_line(err)}).")
    if isinstance(err, OSError):
        return DataError(
            f"{path}: a worker could not read it ({first_line(err)}); with --scheduler the "
            "input must be at the same path on every worker (a shared file system)."
        )
    if isinstance(err, ValueError):
        hint = ""
        if "inside string" in str(err):
            hint = (
                "; a quoted field spans lines across a partition boundary: convert the "
                "file to jsonl or parquet, or raise --blocksize"
            )
        return DataError(f"{path}: could not be read: {first_line(err)}{hint}")
    return err


def _parse_block(block: bytes, suffix: str, encoding: str, header: bytes) -> pd.DataFrame:
    """One block of a text file, parsed as :func:`stance.predict.files.iter_batches` does."""
    if not block.strip():
        return pd.DataFrame()
    if suffix in (".jsonl", ".json"):
        text = io.StringIO(block.decode(encoding))
        return pd.read_json(text, lines=True, dtype=False)
    if suffix == ".txt":
        return pd.read_csv(
            io.BytesIO(block),
            names=["text"],
            sep="\x01",
            engine="python",
            encoding=encoding,
            skip_blank_lines=True,
            quoting=3,
        )
    return pd.read_csv(
        io.BytesIO(header + block),
        sep="\t" if suffix == ".tsv" else ",",
        encoding=encoding,
        keep_default_na=False,
        na_values=[""],
    )


def _read_row_group(path: str, index: int) -> pd.DataFrame:
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as handle:
        return handle.read_row_group(index).to_pandas()


def _predict_partition(
    frame: pd.DataFrame,
    offset: int,
    plugin: str,
    drop_neutral: bool,
    chunk_size: int,
    inputs: dict[str, Any] | None = None,
) -> list[tuple[pd.DataFrame, dict[str, Any]]]:
    """Label one partition on a worker, in batches of `chunk_size` rows."""
    model = get_worker().plugins[plugin].model
    frame = frame.set_axis(pd.RangeIndex(offset, offset + len(frame)))  # file positions
    results = []
    for start in range(0, len(frame), chunk_size):
        batch = frame.iloc[start : start + chunk_size]
        result = model.predict(batch, drop_neutral=drop_neutral, **(inputs or {}))
        results.append((result, dict(result.attrs.get("summary", {}))))
    return results


def _in_order(
    client: Client, tasks: list[tuple[int, Any]], window: int, bar: tqdm, path: Path
) -> Iterator[tuple[pd.DataFrame, dict[str, Any]]]:
    """Run `tasks` with at most `window` in flight; yield their batches in task order."""
    todo = iter(tasks)
    pending: deque = deque()

    def fill() -> None:
        while len(pending) < window and (task := next(todo, None)) is not None:
            pending.append((task[0], client.compute(task[1])))

    fill()
    while pending:
        n_rows, future = pending.popleft()
        try:
            batches = future.result()
        except OSError as err:  # a parquet row group the worker could not read
            raise _read_error(err, path) from None
        future.release()  # the cluster may drop the result now
        fill()
        bar.update(n_rows)
        yield from batches
