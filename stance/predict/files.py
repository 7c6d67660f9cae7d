"""Prediction over files of any size: stream in, predict in parallel, append out, resume.

The input is read in batches (csv/tsv/jsonl/parquet/txt), so memory stays bounded by
``chunk_size x (2 n_jobs + 1)`` rows. Worker processes each load the model once. Output rows
are appended to ``<output>.partial`` in input order; after every batch,
``<output>.progress.json`` records the input rows done and the bytes written, so a crash leaves
every finished batch intact, and ``resume=True`` truncates a half-written batch, skips the rows
done and carries on. The finished file is renamed into place at the end.
"""

from __future__ import annotations

import json
import os
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm.auto import tqdm

from stance.errors import DataError
from stance.io.atomic import write_json
from stance.io.readers import check_readable

APPENDABLE = (".csv", ".tsv", ".jsonl")

_MODEL: Any = None  # the model of a worker process, set once by _init_worker


def count_rows(path: Path) -> int | None:
    """Data rows of `path` without parsing it (None when that cannot be known cheaply)."""
    suffix = path.suffix.lower()
    if suffix == ".parquet":
        import pyarrow.parquet as pq

        return pq.ParquetFile(path).metadata.num_rows
    if suffix in (".jsonl", ".txt"):
        with open(path, "rb") as handle:
            return sum(1 for line in handle if line.strip())
    return None  # csv rows may span lines (quoted newlines)


def iter_batches(
    path: str | os.PathLike, batch_size: int, encoding: str = "utf-8", skip: int = 0
) -> Iterator[pd.DataFrame]:
    """Batches of `batch_size` rows of `path` (after `skip` rows), read incrementally.

    pandas' chunked readers (csv/tsv/jsonl/txt) and pyarrow's batch reader (parquet) keep one
    batch in memory; their files are closed even when the consumer stops early. Each batch's
    index is its rows' position in the file (0-based, counting skipped rows).
    """
    path = Path(path)
    check_readable(path, encoding)  # missing, empty, unsupported, encoding, delimiter
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            yield from _parquet_batches(path, batch_size, skip)
            return
        if suffix == ".jsonl" or suffix == ".json":
            reader = pd.read_json(
                path, lines=True, chunksize=batch_size, encoding=encoding, dtype=False
            )
        elif suffix == ".txt":
            reader = pd.read_csv(
                path,
                names=["text"],
                sep="\x01",
                engine="python",
                chunksize=batch_size,
                encoding=encoding,
                skip_blank_lines=True,
                quoting=3,
            )
        else:
            reader = pd.read_csv(
                path,
                sep="\t" if suffix == ".tsv" else ",",
                chunksize=batch_size,
                encoding=encoding,
                skiprows=range(1, skip + 1) if skip else None,
                keep_default_na=False,
                na_values=[""],
            )
            skip = 0
        with reader:
            yield from _positioned(reader, skip)
    except UnicodeDecodeError:
        raise DataError(
            f"{path}: not valid {encoding}; re-save the file as UTF-8 or pass its encoding "
            "(e.g. --encoding latin-1)."
        ) from None
    except (ValueError, pd.errors.ParserError) as err:
        first = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
        raise DataError(f"{path}: could not be read: {first}") from None


def _parquet_batches(path: Path, batch_size: int, skip: int) -> Iterator[pd.DataFrame]:
    import pyarrow.parquet as pq

    with pq.ParquetFile(path) as handle:
        yield from _positioned((b.to_pandas() for b in handle.iter_batches(batch_size)), skip)


def _positioned(frames: Iterator[pd.DataFrame], skip: int) -> Iterator[pd.DataFrame]:
    """Index each frame by file position and drop the first `skip` rows."""
    offset = 0
    for frame in frames:
        frame.index = pd.RangeIndex(offset, offset + len(frame))
        offset += len(frame)
        if offset <= skip:
            continue
        yield frame.iloc[max(skip - (offset - len(frame)), 0) :]


def _init_worker(model: Any) -> None:
    """Keep the model this process already loaded: a forked worker shares its memory (no
    second load, no copy); under spawn it arrives pickled, still quicker than reading skops."""
    global _MODEL
    _MODEL = model


def _predict_batch(frame: pd.DataFrame, drop_neutral: bool) -> tuple[pd.DataFrame, dict]:
    result = _MODEL.predict(frame, drop_neutral=drop_neutral)
    return result, dict(result.attrs.get("summary", {}))


def _append(frame: pd.DataFrame, handle: Any, suffix: str, header: bool) -> None:
    if suffix == ".jsonl":
        if len(frame):
            text = frame.to_json(orient="records", lines=True, force_ascii=False)
            handle.write(text if text.endswith("\n") else text + "\n")
    else:
        frame.to_csv(handle, index=False, header=header, sep="\t" if suffix == ".tsv" else ",")


def predict_file(
    model_path: str | os.PathLike,
    input_path: str | os.PathLike,
    output_path: str | os.PathLike,
    *,
    chunk_size: int = 10_000,
    n_jobs: int = 1,
    drop_neutral: bool = False,
    resume: bool = False,
    encoding: str = "utf-8",
    allow_pickle: bool = False,
    quiet: bool = False,
    on_batch: Callable[[dict], None] | None = None,
) -> list[dict]:
    """Predict every row of `input_path` into `output_path`; return each batch's summary."""
    output = Path(output_path)
    suffix = output.suffix.lower()
    if suffix not in APPENDABLE:
        raise DataError(f"{output}: streaming output must be one of {', '.join(APPENDABLE)}.")
    if Path(input_path).resolve() == output.resolve():
        raise DataError(f"{output}: the output would overwrite the input; choose another path.")
    if chunk_size < 1 or n_jobs < 1:
        raise DataError("--chunk-size and --jobs must be at least 1.")
    partial = output.with_name(output.name + ".partial")
    progress = output.with_name(output.name + ".progress.json")
    state = {"rows_in": 0, "bytes": 0, "batches": 0}
    if resume and progress.is_file():
        state = json.loads(progress.read_text(encoding="utf-8"))
    elif partial.exists() and not resume:
        raise DataError(
            f"{partial} is left from an interrupted run; pass --resume to continue it "
            "or delete it to start again."
        )
    check_readable(input_path, encoding)  # cheap checks before the model loads

    from stance.predict.model import load_model

    model = load_model(model_path, allow_pickle=allow_pickle)  # fail fast in this process
    with open(partial, "ab") as handle:
        handle.truncate(state["bytes"])  # drop a batch whose progress was never recorded
    total = count_rows(Path(input_path))
    batches = iter_batches(input_path, chunk_size, encoding, skip=state["rows_in"])
    summaries: list[dict] = []
    bar = tqdm(total=total, initial=state["rows_in"], unit="rows", desc="predict", disable=quiet)
    executor = (
        ProcessPoolExecutor(n_jobs, initializer=_init_worker, initargs=(model,))
        if n_jobs > 1
        else None
    )
    try:
        with open(partial, "a", encoding="utf-8", newline="") as handle:
            pending: deque[tuple[int, Future | tuple]] = deque()

            def submit(frame: pd.DataFrame) -> None:
                if executor is None:
                    result = model.predict(frame, drop_neutral=drop_neutral)
                    pending.append((len(frame), (result, dict(result.attrs.get("summary", {})))))
                else:
                    pending.append(
                        (len(frame), executor.submit(_predict_batch, frame, drop_neutral))
                    )

            def drain(limit: int) -> None:
                while len(pending) > limit:
                    n_rows, job = pending.popleft()
                    result, summary = job.result() if isinstance(job, Future) else job
                    _append(result, handle, suffix, header=state["bytes"] == 0)
                    handle.flush()
                    os.fsync(handle.fileno())
                    state["rows_in"] += n_rows
                    state["bytes"] = handle.tell()
                    state["batches"] += 1
                    write_json(progress, state)
                    summaries.append(summary)
                    bar.update(n_rows)
                    if on_batch:
                        on_batch(state)

            for frame in batches:
                submit(frame)
                drain(2 * n_jobs)
            drain(0)
    finally:
        batches.close()
        bar.close()
        if executor is not None:
            executor.shutdown(cancel_futures=True)
    if state["bytes"] == 0 and not summaries:
        raise DataError(f"{input_path}: no rows to predict.")
    os.replace(partial, output)
    progress.unlink(missing_ok=True)
    return summaries
