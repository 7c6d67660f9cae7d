"""``stance``: commands around trained models (``stance-train`` trains them).

stance predict --model RUN_DIR --input statements.csv --output predictions.csv
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

import pandas as pd
from tqdm.auto import tqdm

from stance.data.readers import read_file
from stance.errors import DataError, StanceError
from stance.predictor import load_model
from stance.runs.atomic import atomic_write

_WRITERS = {
    ".csv": lambda df, p: df.to_csv(p, index=False, encoding="utf-8"),
    ".tsv": lambda df, p: df.to_csv(p, index=False, sep="\t", encoding="utf-8"),
    ".jsonl": lambda df, p: df.to_json(p, orient="records", lines=True, force_ascii=False),
    ".parquet": lambda df, p: df.to_parquet(p, index=False),
}


def write_table(frame: pd.DataFrame, path: Path) -> Path:
    """Atomically write `frame` as csv/tsv/jsonl/parquet, chosen by the file suffix."""
    writer = _WRITERS.get(path.suffix.lower())
    if writer is None:
        raise DataError(
            f"{path}: unsupported output type {path.suffix!r}; use one of {', '.join(_WRITERS)}."
        )
    return atomic_write(path, lambda p: writer(frame, p))


def predict(args: argparse.Namespace) -> int:
    """Label every row of the input file and write the predictions."""
    model = load_model(args.model, allow_pickle=args.allow_pickle)
    output = Path(args.output)
    if output.resolve() == Path(args.input).resolve():
        raise DataError(f"{output}: the output would overwrite the input; choose another path.")
    frame = read_file(args.input, encoding=args.encoding)
    chunks = []
    with tqdm(total=len(frame), unit="rows", desc="predict", disable=args.quiet) as bar:
        for start in range(0, max(len(frame), 1), args.chunk_size):
            chunks.append(model.predict(frame.iloc[start : start + args.chunk_size]))
            bar.update(len(chunks[-1]))
    result = pd.concat(chunks, ignore_index=True)
    write_table(result, output)
    counts = result[model.task].value_counts().to_dict() if len(result) else {}
    print(f"labelled {len(result)} statement(s) -> {output} ({counts})", file=sys.stderr)
    return 0


def parser() -> argparse.ArgumentParser:
    """The ``stance`` argument parser."""
    top = argparse.ArgumentParser(prog="stance", description=__doc__.splitlines()[0])
    top.add_argument("--debug", action="store_true", help="show full tracebacks")
    commands = top.add_subparsers(dest="command", required=True)
    p = commands.add_parser("predict", help="label statements in a file with a trained model")
    p.add_argument("--model", required=True, help="run folder, its model/ folder or model file")
    p.add_argument("--input", required=True, help="csv/tsv/jsonl/parquet with a text column")
    p.add_argument("--output", required=True, help="where to write (csv/tsv/jsonl/parquet)")
    p.add_argument("--encoding", default="utf-8", help="encoding of a text input file")
    p.add_argument("--chunk-size", type=int, default=10_000, help="rows per prediction batch")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument(
        "--allow-pickle",
        action="store_true",
        help="allow pickle/joblib model files (they can run code: only files you trust)",
    )
    p.set_defaults(func=predict)
    return top


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point: one error line and a non-zero exit on bad input."""
    args = parser().parse_args(argv)
    debug = args.debug or os.environ.get("HYDRA_FULL_ERROR") == "1"
    try:
        return args.func(args)
    except StanceError as err:
        if debug:
            raise
        print(f"stance: error: {err}", file=sys.stderr)
        return 1


def run() -> None:
    """Console-script wrapper: exit with :func:`main`'s code."""
    sys.exit(main())


if __name__ == "__main__":
    run()
