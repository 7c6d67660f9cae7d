"""The ``stance`` command line's arguments (:mod:`stance.cli` runs the commands)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

DESCRIPTION = "``stance``: commands around trained models (``stance-train`` trains them)."
#: Splits ``stance evaluate-actors`` scores.
ACTOR_SPLITS = ("train", "dev", "test", "all")
#: Schema columns ``stance predict`` takes under your names (``--<name>-column``).
COLUMN_OPTIONS = ("text", "target", "source", "source_mention", "target_mention", "story", "id")


def _model_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", required=True, help="run folder, its model/ folder or model file")
    p.add_argument(
        "--allow-pickle",
        action="store_true",
        help="allow pickle/joblib model files (they can run code: only files you trust)",
    )


def parser() -> argparse.ArgumentParser:
    """The ``stance`` argument parser."""
    top = argparse.ArgumentParser(prog="stance", description=DESCRIPTION)
    top.add_argument("--debug", action="store_true", help="show full tracebacks")
    commands = top.add_subparsers(dest="command", required=True)

    p = commands.add_parser(
        "predict",
        help="label statements, or every actor pair in raw text, with a trained model",
        description="Rows with the model's input columns are labelled as they are. For a pair "
        "model, a file with a text column and no mention columns is raw text: sentences are "
        "split, actors found and every ordered pair labelled (one row per text, sentence, "
        "source and target; other input columns are carried over).",
    )
    _model_options(p)
    p.add_argument("--input", required=True, help="csv/tsv/jsonl/parquet/txt with a text column")
    p.add_argument("--output", required=True, help="where to write (csv/tsv/jsonl/parquet)")
    p.add_argument("--drop-neutral", action="store_true", help="leave out neutral rows")
    for name in COLUMN_OPTIONS:
        flag = name.replace("_", "-")
        p.add_argument(
            f"--{flag}-column",
            dest=f"{name}_column",
            metavar="COLUMN",
            help=f"your column holding {name} (default: {name}, or the name the model "
            "was trained with on data=local)",
        )
    p.add_argument(
        "--target",
        default=None,
        help="the target of every row, for a model of stance toward a target when the "
        "input has no target column",
    )
    p.add_argument("--encoding", default="utf-8", help="encoding of a text input file")
    p.add_argument(
        "--chunk-size",
        type=int,
        default=10_000,
        help="rows per prediction batch (a worker labels one at a time: its memory follows this)",
    )
    p.add_argument(
        "--jobs",
        type=int,
        default=os.cpu_count() or 1,
        help="worker processes (default: all cores)",
    )
    p.add_argument(
        "--resume",
        action="store_true",
        help="continue an interrupted run from <output>.partial without duplicating rows",
    )
    p.add_argument(
        "--overwrite",
        action="store_true",
        help="replace an existing output (and the leftovers of an interrupted run)",
    )
    p.add_argument(
        "--quiet", action="store_true", help="no progress bar (there is none when not a terminal)"
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        default=None,
        help="run on the Dask cluster of this scheduler (e.g. tcp://host:8786; needs "
        'pip install "stance[dask]"); every worker must see the input at the same path',
    )
    p.add_argument(
        "--blocksize",
        default=None,
        help="with --scheduler: input bytes per partition of a text file (default 32MiB; "
        "parquet is split by row group)",
    )

    p = commands.add_parser(
        "dyads",
        help="aggregate predicted pairs into a dyad table, network and monthly series",
        description="Writes dyads.csv (support, oppose, neutral and net stance = (support - "
        "oppose) / (support + oppose) per source and target) and network.png; with a date "
        "column also dyads_monthly.csv and monthly.png for the top dyads.",
    )
    p.add_argument("predictions", help="output of `stance predict` (source, target, stance)")
    p.add_argument("--output-dir", required=True, help="folder for the table and plots")
    p.add_argument(
        "--date-column", default=None, help="column with dates (default: date, when present)"
    )
    p.add_argument("--top", type=int, default=6, help="dyads in the monthly plot")
    p.add_argument("--layout", choices=["circle", "spring"], default="circle")
    p.add_argument("--max-nodes", type=int, default=30, help="actors in the network plot")
    p.add_argument("--min-count", type=int, default=1, help="fewest pairs an arrow shows")
    p.add_argument("--seed", type=int, default=0, help="seed of the spring layout")
    p.add_argument("--encoding", default="utf-8", help="encoding of the predictions file")

    p = commands.add_parser(
        "evaluate-triples",
        help="precision/recall/F1 of (source, target, stance) triples from raw gold text",
    )
    _model_options(p)
    p.add_argument("--split", default="test", help="train, dev, test or all (default: test)")
    p.add_argument(
        "--gold", default=None, help="gold sentences in the bundled format (default: bundled)"
    )
    p.add_argument(
        "--gold-corpus",
        choices=("bundled", "events", "seesaw", "dse"),
        default="bundled",
        help="bundled: the statements corpus (or --gold); events: the events test set written "
        "from the PLOVER definitions; seesaw / dse: real news, the items whose two entities map "
        "to two actors, only the annotated pairs judged (the kept/total counts are printed)",
    )
    p.add_argument(
        "--level",
        choices=("country", "exact"),
        default="country",
        help="country (default): states compared by their roots, two actors of one state by "
        "their roles; exact: the full CAMEO codes",
    )
    p.add_argument("--output-dir", required=True, help="folder for metrics, errors and plot")

    p = commands.add_parser(
        "evaluate-actors",
        help="mention P/R/F1 of actor recognition against the bundled corpus's gold mentions",
        description="Exact (same span and actor), overlap (one-to-one, same actor) and "
        "identity (the actors of each sentence) scores of the packaged recognizer.",
    )
    p.add_argument(
        "--split", choices=ACTOR_SPLITS, default="test", help="split to score (default test)"
    )
    p.add_argument("--gold", type=Path, default=None, help="gold jsonl (default: bundled corpus)")
    p.add_argument("--errors", type=Path, default=None, help="write the error listing as CSV")

    p = commands.add_parser(
        "aggregate",
        help="one table over the runs of a sweep: mean/sd over seeds, tests between settings",
    )
    p.add_argument("sweep", help="a folder written by `stance-train -m ...` (Hydra multirun)")
    p.add_argument("--n-resamples", type=int, default=1000, help="paired bootstrap resamples")

    p = commands.add_parser(
        "reproduce",
        help="check a run reproduces: environment, data hashes, reloaded model, retrain",
    )
    p.add_argument("run", help="a run folder written by stance-train")

    p = commands.add_parser(
        "study", help="run every row of experiments/<study>/study.yaml and regenerate its table"
    )
    p.add_argument("folder", help="a study folder, e.g. experiments/semeval2016_stance")
    p.add_argument("--output-root", default="outputs/studies", help="where the runs go")
    return top
