"""Predictions written whole at the end: parquet output, and runs on a Dask cluster.

csv/tsv/jsonl output of a local run is streamed and resumable (:mod:`stance.predict.files`);
here the rows are labelled in chunks and written once (csv/tsv/jsonl appended to a temporary
file, parquet in one go), then renamed into place.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm.auto import tqdm

from stance.errors import DataError
from stance.io.readers import read_file
from stance.io.tables import write_chunks
from stance.predict.model import load_model
from stance.predict.resume import check_output_path


def predict_on_cluster_into(
    scheduler: str,
    model_path: str | os.PathLike,
    input_path: str | os.PathLike,
    output: Path,
    *,
    blocksize: int | str | None = None,
    **options: Any,
) -> list[dict[str, Any]]:
    """``--scheduler``: label the partitions on a Dask cluster; results stream back here in
    input order and are written like a local run's. Returns each batch's summary.

    `options` (``chunk_size``, ``drop_neutral``, ``encoding``, ``allow_pickle``, ``quiet``,
    ``inputs``) go
    to :func:`stance.predict.cluster.predict_on_cluster`.
    """
    check_output_path(output, Path(input_path))
    from stance.predict.cluster import DEFAULT_BLOCKSIZE, predict_on_cluster  # needs stance[dask]

    summaries: list[dict[str, Any]] = []
    results = predict_on_cluster(
        scheduler, model_path, input_path, blocksize=blocksize or DEFAULT_BLOCKSIZE, **options
    )

    def chunks() -> Iterator[pd.DataFrame]:
        for frame, summary in results:
            summaries.append(summary)
            yield frame

    with closing(results):  # disconnect from the cluster even when writing fails
        write_chunks(chunks(), output)
    return summaries


def predict_in_memory(
    model_path: str | os.PathLike,
    input_path: str | os.PathLike,
    output: Path,
    *,
    chunk_size: int = 10_000,
    drop_neutral: bool = False,
    encoding: str = "utf-8",
    allow_pickle: bool = False,
    quiet: bool = False,
    inputs: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Formats that cannot be appended (parquet): predict in chunks, write once at the end."""
    model = load_model(model_path, allow_pickle=allow_pickle)
    check_output_path(output, Path(input_path))
    if chunk_size < 1:
        raise DataError(f"--chunk-size must be at least 1, not {chunk_size}.")
    text_input = Path(input_path).suffix.lower() != ".parquet"  # parquet takes no encoding
    frame = read_file(input_path, **({"encoding": encoding} if text_input else {}))
    summaries: list[dict[str, Any]] = []

    def chunks() -> Iterator[pd.DataFrame]:
        with tqdm(total=len(frame), unit="rows", desc="predict", disable=quiet) as bar:
            for start in range(0, max(len(frame), 1), chunk_size):
                part = frame.iloc[start : start + chunk_size]
                result = model.predict(part, drop_neutral=drop_neutral, **(inputs or {}))
                summaries.append(result.attrs.get("summary", {}))
                bar.update(len(part))
                yield result

    write_chunks(chunks(), output)
    return summaries
