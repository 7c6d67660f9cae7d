"""Prediction over files of any size: stream in, predict in parallel, append out, resume.

The input is read in batches (csv/tsv/jsonl/parquet/txt), so memory stays bounded by
about ``chunk_size x (3 n_jobs + 1)`` rows. Worker processes (:mod:`stance.predict.workers`) each
load the model once. Output rows are appended to ``<output>.partial`` in input order; after
every batch, ``<output>.progress.json`` records the input rows done and the bytes written
(:mod:`stance.predict.resume`), so a crash leaves every finished batch intact, and
``resume=True`` checks that the input, model and options are the same, truncates a
half-written batch, reads past the rows done and carries on: the finished file, renamed into
place at the end, is byte for byte that of an uninterrupted run. SIGINT and SIGTERM stop the
run between two batches' writes (:mod:`stance.io.signals`).
"""

from __future__ import annotations

import gc
import math
import os
import sys
from collections import deque
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm.auto import tqdm

from stance.errors import DataError, StanceError
from stance.io.csv_text import csv_rows
from stance.io.forking import can_fork
from stance.io.model_files import model_folder
from stance.io.provenance import sha256
from stance.io.readers import check_readable, inspect_input
from stance.io.signals import Guard, Interrupted, interruptible
from stance.predict.resume import Leftovers, check_leftovers, check_output_path, start
from stance.predict.summary import summed
from stance.predict.workers import OrderedPool

APPENDABLE = (".csv", ".tsv", ".jsonl")


def iter_batches(
    path: str | os.PathLike,
    batch_size: int,
    encoding: str = "utf-8",
    skip: int = 0,
    checked: bool = False,
) -> Iterator[pd.DataFrame]:
    """Batches of `batch_size` rows of `path` (after `skip` rows), read incrementally.

    pandas' chunked readers (csv/tsv/jsonl/txt) and pyarrow's batch reader (parquet) keep one
    batch in memory; their files are closed even when the consumer stops early. Each batch's
    index is its rows' position in the file (0-based, counting skipped rows). Skipped rows are
    read and dropped, so the batches after them are exactly those of a read from the start
    (pandas infers column types per batch). `checked`: the caller has already run
    :func:`~stance.io.readers.check_readable` (a pass over the whole file).
    """
    path = Path(path)
    if not checked:
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
                keep_default_na=False,
                na_values=[""],
            )
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


def _load(model_path: str, allow_pickle: bool) -> Any:
    from stance.predict.model import load_model

    return load_model(model_path, allow_pickle=allow_pickle)


def _given(model: Any) -> Any:
    """A forked worker's model: the one this process loaded, inherited."""
    return model


def _label(
    model: Any, job: tuple[bool, pd.DataFrame, bool, dict, str]
) -> tuple[bool, int, tuple[str, str], dict]:
    """Rows of a batch (run in a worker): ``(last piece of its batch?, input rows, predictions
    as output text (header, rows), their summary)``. The text is made where the predictions
    are, so that the process writing the file only writes."""
    last, frame, drop_neutral, inputs, suffix = job
    result = model.predict(frame, drop_neutral=drop_neutral, **inputs)
    return last, len(frame), _render(result, suffix), dict(result.attrs.get("summary", {}))


#: The last batch is cut into this many pieces per worker, so that the workers end together.
TAIL = 4


def _jobs(batches: Iterator[pd.DataFrame], n: int, options: tuple) -> Iterator[tuple]:
    """The work for `n` workers, as ``(last piece of its batch?, rows, *options)``: a batch goes
    whole while `n` more are read after it (one call per batch costs least: each call has a
    fixed cost); the last `n` batches are cut into `n` pieces each, the very last into
    ``TAIL x n``, so every worker has a share of the end and none waits idle there."""
    ahead: deque[pd.DataFrame] = deque()
    for frame in batches:
        ahead.append(frame)
        if len(ahead) > n:
            yield True, ahead.popleft(), *options
    while ahead:
        cut = _pieces(ahead.popleft(), n if ahead else TAIL * n)
        for i, piece in enumerate(cut):
            yield i == len(cut) - 1, piece, *options


def _pieces(frame: pd.DataFrame, n: int) -> list[pd.DataFrame]:
    """`frame` cut into (at most) `n` runs of rows, index labels kept."""
    size = max(math.ceil(len(frame) / n), 1)
    return [frame.iloc[i : i + size] for i in range(0, max(len(frame), 1), size)]


def _render(frame: pd.DataFrame, suffix: str) -> tuple[str, str]:
    """`frame` as the output's (header, rows): the two together are ``to_csv`` of the frame
    (tab-separated for .tsv); jsonl has no header and a line per row."""
    if suffix == ".jsonl":
        if not len(frame):
            return "", ""
        text = frame.to_json(orient="records", lines=True, force_ascii=False)
        return "", text if text.endswith("\n") else text + "\n"
    sep = "\t" if suffix == ".tsv" else ","
    header = frame.iloc[:0].to_csv(index=False, sep=sep)
    return header, csv_rows(frame, sep)


def model_digest(model: Any, model_path: str | os.PathLike) -> str:
    """The SHA-256 that identifies a loaded model: its skops file's, else its pickle file's."""
    recorded = model.metadata.get("model_sha256")
    return str(recorded) if recorded else sha256(model_folder(model_path))


def predict_file(
    model_path: str | os.PathLike,
    input_path: str | os.PathLike,
    output_path: str | os.PathLike,
    *,
    chunk_size: int = 10_000,
    n_jobs: int = 1,
    drop_neutral: bool = False,
    resume: bool = False,
    overwrite: bool = False,
    encoding: str = "utf-8",
    allow_pickle: bool = False,
    quiet: bool = False,
    on_batch: Callable[[dict], None] | None = None,
    inputs: dict[str, Any] | None = None,
) -> list[dict]:
    """Predict every row of `input_path` into `output_path`; return each batch's summary
    (after a resume, the first one sums the batches of the earlier runs). `inputs` go to
    :meth:`StanceModel.predict` (``columns``: your column names; ``target``).

    Refused in one line, before any work: an output that exists (without `overwrite`), the
    leftovers of an interrupted run (without `resume` or `overwrite`), an output folder that
    does not exist, an input that is missing or not readable text. SIGINT/SIGTERM stop the
    run within seconds, kill the workers, keep the finished batches and raise
    :class:`~stance.io.signals.Interrupted` (its ``done`` says how many rows).
    """
    output, source = Path(output_path), Path(input_path)
    suffix = output.suffix.lower()
    if suffix not in APPENDABLE:
        raise DataError(f"{output}: streaming output must be one of {', '.join(APPENDABLE)}.")
    if chunk_size < 1 or n_jobs < 1:
        raise DataError("--chunk-size and --jobs must be at least 1.")
    check_output_path(output, source)
    files = Leftovers(output)
    check_leftovers(files, resume=resume, overwrite=overwrite)
    shown = not quiet and sys.stderr.isatty()  # the progress bar, whose total is the rows
    _, scan = inspect_input(source, encoding, full=True, count=shown)  # encoding, NUL, hash
    model = _load(str(model_path), allow_pickle)  # fail fast in this process
    fingerprint = {
        "input": {"path": str(source.resolve()), "size": scan.size, "sha256": scan.sha256},
        "model": model_digest(model, model_path),
        "options": {
            "chunk_size": chunk_size,
            "drop_neutral": drop_neutral,
            "inputs": {k: v for k, v in sorted((inputs or {}).items()) if v},
            "encoding": encoding,
            "output_format": suffix,
        },
    }
    state = start(files, fingerprint, resume=resume, overwrite=overwrite)
    if n_jobs > 1 and not can_fork():  # spawned workers load their own: free this copy
        model = None
        gc.collect()
    summaries: list[dict] = [state["summary"]] if state.get("summary") else []  # resumed
    bar = tqdm(
        total=scan.rows,
        initial=state["rows_in"],
        unit="rows",
        desc="predict",
        disable=not shown,
    )
    try:
        with interruptible() as guard:
            batches = iter_batches(
                source, chunk_size, encoding, skip=state["rows_in"], checked=True
            )
            try:
                loader = (str(model_path), allow_pickle)
                options = (drop_neutral, dict(inputs or {}), suffix)
                results = _results(model, batches, loader, n_jobs, options)
                _write(results, files, suffix, state, guard, summaries, bar, on_batch)
            finally:
                batches.close()
            if state["bytes"] == 0 and not summaries:
                files.remove()
                raise DataError(f"{source}: no rows to predict.")
            with guard.critical():
                os.replace(files.partial, output)
                files.progress.unlink(missing_ok=True)
    except Interrupted as err:
        _keep(files, state)
        done = f"{state['rows_in']:,} input rows" if state["rows_in"] else ""
        raise Interrupted(err.signum, done=done) from None
    except (StanceError, OSError) as err:
        raise _failed(err, files, state) from None
    finally:
        bar.close()
    return summaries


def _results(
    model: Any,
    batches: Iterator[pd.DataFrame],
    loader: tuple[str, bool],
    n_jobs: int,
    options: tuple[bool, dict, str],
) -> Iterator[tuple[int, list[tuple[str, str]], dict]]:
    """Each batch's (input rows, output text in pieces, summary), in input order. With
    workers (see :func:`_jobs` for how the batches are shared out), forked with this process's
    model where that is safe, else spawned to load their own."""
    if n_jobs == 1:
        yield from _by_batch(_label(model, (True, frame, *options)) for frame in batches)
        return
    forked = model is not None
    init, args = (_given, (model,)) if forked else (_load, loader)
    with OrderedPool(n_jobs, init, args, _label, fork=forked) as pool:
        yield from _by_batch(pool.imap(_jobs(batches, n_jobs, options), window=2 * n_jobs))


def _by_batch(
    labelled: Iterator[tuple[bool, int, tuple[str, str], dict]],
) -> Iterator[tuple[int, list[tuple[str, str]], dict]]:
    """The labelled pieces put back into their batches, each given as soon as its last piece
    is: (input rows, texts, summary)."""
    parts: list[tuple[bool, int, tuple[str, str], dict]] = []
    for part in labelled:
        parts.append(part)
        if part[0]:
            yield sum(p[1] for p in parts), [p[2] for p in parts], summed([p[3] for p in parts])
            parts = []


def _write(
    results: Iterator[tuple[int, list[tuple[str, str]], dict]],
    files: Leftovers,
    suffix: str,
    state: dict,
    guard: Guard,
    summaries: list[dict],
    bar: tqdm,
    on_batch: Callable[[dict], None] | None,
) -> None:
    """Append each batch and record it; a signal waits until both are done."""
    with open(files.partial, "ab") as raw:
        raw.truncate(state["bytes"])  # a batch whose record was never written
    with open(files.partial, "a", encoding="utf-8", newline="") as handle:
        try:
            for n_rows, texts, summary in results:
                with guard.critical():
                    for i, (header, rows) in enumerate(texts):
                        handle.write(header + rows if state["bytes"] == 0 and i == 0 else rows)
                    handle.flush()
                    os.fsync(handle.fileno())
                    state["rows_in"] += n_rows
                    state["bytes"] = handle.tell()
                    state["batches"] += 1
                    state["summary"] = summed([state.get("summary", {}), summary])
                    files.record(state)
                summaries.append(summary)
                bar.update(n_rows)
                if on_batch:
                    on_batch(state)
        finally:
            results.close()
    if bar.total is not None and bar.n != bar.total:  # the count was an estimate
        bar.total = bar.n
        bar.refresh()


def _keep(files: Leftovers, state: dict) -> None:
    """After an interrupt: the partial ends at its last recorded batch (or goes, if none)."""
    if state["rows_in"] == 0:
        files.remove()
    elif files.partial.exists():
        os.truncate(files.partial, state["bytes"])


def _failed(err: BaseException, files: Leftovers, state: dict) -> StanceError:
    """The error line of a failed run, naming what is kept of it (nothing, if no row was)."""
    if isinstance(err, StanceError):
        text = str(err).rstrip(".")
    else:  # an OSError: a full disk, a file removed under us
        where = getattr(err, "filename", None) or files.partial
        text = f"{where}: {getattr(err, 'strerror', None) or err}; check the path and free space"
    if state["rows_in"] == 0:
        files.remove()
        return err if isinstance(err, StanceError) else DataError(text + ".")
    _keep(files, state)
    return DataError(
        f"{text}; {files.partial} keeps the {state['rows_in']:,} input rows done: --resume "
        "continues it (same input and options), --overwrite starts again."
    )
