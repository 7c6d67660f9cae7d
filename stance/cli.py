"""``stance``: commands around trained models (``stance-train`` trains them).

stance predict --model RUN_DIR --input news.csv --output dyads.csv [--drop-neutral]
stance predict --model RUN_DIR --input news.csv --output dyads.csv --scheduler tcp://host:8786
stance dyads dyads.csv --output-dir DIR
stance evaluate-triples --model RUN_DIR --split test --output-dir DIR [--gold-corpus seesaw]
stance evaluate-actors --split test [--errors errors.csv]
stance aggregate SWEEP_DIR
stance reproduce RUN_DIR
stance study experiments/semeval2016_stance
"""

from __future__ import annotations

import argparse
import os
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

from stance.cli_parser import COLUMN_OPTIONS, parser
from stance.errors import ConfigError, DataError, StanceError
from stance.io.atomic import atomic_write
from stance.io.readers import read_file
from stance.io.signals import Interrupted, interruptible
from stance.io.tables import check_suffix
from stance.io.teardown import skip_final_collections
from stance.predict.files import APPENDABLE, predict_file
from stance.predict.model import load_model
from stance.predict.resume import check_output_path
from stance.predict.summary import summary_line, summed
from stance.predict.whole import predict_in_memory, predict_on_cluster_into


def predict(args: argparse.Namespace) -> int:
    """Label every row (rows of statements) or every actor pair (raw text) of the input file.

    csv/tsv/jsonl output is streamed: bounded memory, all cores (``--jobs``), and a crash
    leaves the finished batches in ``<output>.partial``, which ``--resume`` continues. With
    ``--scheduler`` the work runs on a Dask cluster instead (:mod:`stance.predict.cluster`).
    """
    output = Path(args.output)
    suffix = check_suffix(output)
    if args.blocksize is not None and not args.scheduler:
        raise DataError("--blocksize only applies with --scheduler.")
    if args.resume and args.overwrite:
        raise ConfigError("--resume and --overwrite exclude each other; pass one.")
    common = {
        "chunk_size": args.chunk_size,
        "drop_neutral": args.drop_neutral,
        "encoding": args.encoding,
        "allow_pickle": args.allow_pickle,
        "quiet": args.quiet,
        "inputs": _input_options(args),
    }
    if suffix in APPENDABLE and not args.scheduler:
        summaries = predict_file(
            args.model,
            args.input,
            output,
            n_jobs=args.jobs,
            resume=args.resume,
            overwrite=args.overwrite,
            **common,
        )
        print(summary_line(summed(summaries), output), file=sys.stderr)
        return 0
    if args.resume:
        how = "with --scheduler" if args.scheduler else f"{suffix} output"
        raise DataError(
            f"--resume continues a streamed csv/tsv/jsonl run; {how} is written whole at the "
            "end, so rerun without --resume."
        )
    check_output_path(output, Path(args.input))
    if output.exists() and not args.overwrite:
        raise DataError(
            f"{output} already exists; pass --overwrite to replace it or choose another --output."
        )
    if args.scheduler:
        summaries = predict_on_cluster_into(
            args.scheduler, args.model, args.input, output, blocksize=args.blocksize, **common
        )
    else:
        summaries = predict_in_memory(args.model, args.input, output, **common)
    print(summary_line(summed(summaries), output), file=sys.stderr)
    return 0


#: ``--<name>-column`` options of ``stance predict``: the schema column each one names.
def _input_options(args: argparse.Namespace) -> dict:
    """Your column names (``--text-column`` ...) and a fixed ``--target`` for the model."""
    columns = {k: getattr(args, f"{k}_column") for k in COLUMN_OPTIONS}
    options: dict = {"columns": {k: v for k, v in columns.items() if v}}
    if args.target is not None:
        options["target"] = args.target
    return options


def dyads(args: argparse.Namespace) -> int:
    """Aggregate predicted pairs into a dyad table, a network plot and monthly series."""
    from stance.dyads.report import dyad_report

    if min(args.top, args.max_nodes, args.min_count) < 1:
        raise DataError("--top, --max-nodes and --min-count must be at least 1.")
    frame = read_file(args.predictions, encoding=args.encoding)
    date_column = args.date_column or ("date" if "date" in frame.columns else None)
    if date_column is not None and date_column not in frame.columns:
        raise DataError(
            f"{args.predictions}: no column {date_column!r} for --date-column; "
            f"it has {list(frame.columns)}."
        )
    report = dyad_report(
        frame,
        args.output_dir,
        date_column=date_column,
        top=args.top,
        layout=args.layout,
        max_nodes=args.max_nodes,
        seed=args.seed,
        min_count=args.min_count,
    )
    table = report["table"]
    voiced = int(((table["support"] + table["oppose"]) > 0).sum())
    written = ", ".join(str(p) for p in report["paths"].values())
    print(
        f"{len(frame)} pair(s) -> {len(table)} dyad(s), {voiced} with support or oppose; "
        f"wrote {written}",
        file=sys.stderr,
    )
    if date_column is None:
        print("no 'date' column, so no monthly series", file=sys.stderr)
    return 0


def evaluate_triples(args: argparse.Namespace) -> int:
    """End-to-end (source, target, stance) triples on gold sentences, with errors by kind."""
    from stance.evaluation.triples import evaluate_triples as run
    from stance.evaluation.triples import read_gold, write_triple_report

    if args.gold_corpus != "bundled" and args.gold is not None:
        raise DataError(
            f"--gold and --gold-corpus {args.gold_corpus} exclude each other; pass one."
        )
    model = load_model(args.model, allow_pickle=args.allow_pickle)
    split = None if args.split == "all" else args.split
    corpus = None
    judged = args.gold_corpus in ("seesaw", "dse")
    if args.gold_corpus == "seesaw":
        from stance.evaluation.seesaw_gold import describe, seesaw_gold

        sentences, corpus = seesaw_gold(split, recognizer=model.actor_finder())
        print(describe(corpus), file=sys.stderr)
    elif args.gold_corpus == "dse":
        from stance.evaluation.dse_gold import dse_gold

        sentences, corpus = dse_gold(split or "test", coder=model.actor_finder())
        print(
            f"dse {corpus['split']}: kept {corpus['kept_items']} of {corpus['items']} items",
            file=sys.stderr,
        )
    elif args.gold_corpus == "events":
        from stance.data.home import bundled_dir

        sentences = read_gold(bundled_dir("events") / "test.jsonl", "test")
    else:
        sentences = read_gold(args.gold, split)
    result = run(model, sentences, args.level, judged_only=judged)
    if corpus is not None:
        result["metrics"]["gold_corpus"] = corpus
    title = f"{args.gold_corpus} {args.split} split, {args.level} level"
    paths = write_triple_report(result, args.output_dir, title=title)
    m = result["metrics"]
    kinds = ", ".join(f"{k} {v}" for k, v in m["errors"].items())
    print(
        f"{m['n_sentences']} sentence(s), {m['n_gold']} gold and {m['n_predicted']} predicted "
        f"triple(s): P {m['precision']:.2f} R {m['recall']:.2f} F1 {m['f1']:.2f}; "
        f"errors: {kinds}; wrote {paths['metrics'].parent}",
        file=sys.stderr,
    )
    return 0


def evaluate_actors(args: argparse.Namespace) -> int:
    """Mention-level scores of the packaged actor recognizer on a split of the gold corpus."""
    from stance.evaluation.mentions import evaluate_mentions, format_table
    from stance.evaluation.triples import read_gold

    gold = read_gold(args.gold, None if args.split == "all" else args.split)
    result = evaluate_mentions(gold)
    if args.errors is not None:
        frame = result.errors_frame()
        atomic_write(args.errors, lambda p: frame.to_csv(p, index=False))
    print(format_table({args.split: result}))
    if args.errors is not None:
        print(f"{len(result.errors)} errors written to {args.errors}")
    return 0


def aggregate(args: argparse.Namespace) -> int:
    """Summarise a sweep into summary.csv, summary.md and summary.png inside it."""
    from stance.reports.sweep_table import aggregate as build_summary

    table = build_summary(args.sweep, n_resamples=args.n_resamples)
    failed = int((table["status"] != "complete").sum())
    print(
        f"{len(table)} run(s), {failed} not complete -> {Path(args.sweep) / 'summary.csv'}",
        file=sys.stderr,
    )
    return 0


def reproduce(args: argparse.Namespace) -> int:
    """Exit 0 only when the run reproduces exactly; the report goes beside the run."""
    from stance.train.reproduce import report_markdown
    from stance.train.reproduce import reproduce as check

    report = check(args.run)
    print(report_markdown(report))
    return 0 if report["reproduced"] else 1


def study(args: argparse.Namespace) -> int:
    """Train every row and seed of a study and rewrite its results table."""
    from stance.train.study import run_study

    print(run_study(args.folder, args.output_root))
    return 0


COMMANDS = {
    "predict": predict,
    "dyads": dyads,
    "evaluate-triples": evaluate_triples,
    "evaluate-actors": evaluate_actors,
    "aggregate": aggregate,
    "reproduce": reproduce,
    "study": study,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point: one error line and a non-zero exit on bad input.

    SIGINT and SIGTERM end a command with one line and exit 130 / 143; an interrupted
    ``stance predict`` keeps its finished batches and prints the command that resumes it.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parser().parse_args(argv)
    debug = args.debug or os.environ.get("HYDRA_FULL_ERROR") == "1"
    try:
        with interruptible():
            return COMMANDS[args.command](args)
    except Interrupted as err:
        if debug:
            raise
        print(f"stance: {interrupted_line(err, argv)}", file=sys.stderr)
        return err.exit_code
    except StanceError as err:
        if debug:
            raise
        print(f"stance: error: {err}", file=sys.stderr)
        return 1
    except OSError as err:
        if debug or not err.filename:
            raise
        print(
            f"stance: error: {err.filename}: {err.strerror}; check the path, its permissions "
            "and free space.",
            file=sys.stderr,
        )
        return 1


def interrupted_line(err: Interrupted, argv: list[str]) -> str:
    """What an interrupted command says: how far it got and, for predict, how to resume."""
    if not err.done:
        return f"{err} before finishing; run the command again."
    again = shlex.join(["stance", *(a for a in argv if a not in ("--overwrite", "--resume"))])
    return f"interrupted after {err.done}; resume with: {again} --resume"


def run() -> None:
    """Console-script wrapper: exit with :func:`main`'s code (quietly when the reader of stdout,
    such as ``head``, closes the pipe early)."""
    try:
        try:
            code = main()
        finally:  # output still in the buffer meets the closed pipe here, not at exit
            skip_final_collections()
            sys.stdout.flush()
    except BrokenPipeError:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # no second error when Python flushes stdout
        sys.exit(141)  # 128 + SIGPIPE, what a shell tool would return
    sys.exit(code)


if __name__ == "__main__":
    run()
