"""The parts of a `stance predict` run that issue 25's last changes touched, measured alone.

    STANCE_DATA_HOME=../shared/datasets python benchmarks/cost/predict_parts.py [--rows 200000]

- render: the rows of predicted SemEval batches (5,000 rows, with their score columns) as csv
  text, ``DataFrame.to_csv`` against :func:`stance.io.csv_text.csv_rows` (CPU s, medians of
  interleaved rounds; the texts are checked equal).
- scan: :func:`stance.io.readers.inspect_input` of the input, with and without the row count.
- exit: the seconds from a process's last line to its end after loading the model, with
  Python's own teardown and with :func:`stance.io.teardown.skip_final_collections` (its own
  time included).
- ceiling: two copies of the bare predict script of ``ratios.py``, each on half the rows and run
  side by side, against one copy on all of them: the most two processes can do here; and
  ``stance predict`` (2 workers) on all of them, in the same interleaved rounds.

Prints a table and writes cost/results/predict_parts.json (``--only ceiling``: that part alone,
written to cost/results/predict_ceiling.json).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from ratios import (  # noqa: E402
    BARE_PREDICT,
    compiled,
    measure,
    semeval_rows,
    stance_cli,
    train_run,
)

EXIT = """
import sys, time
from stance import load_model
from stance.io.teardown import skip_final_collections
model = load_model(sys.argv[1])
print(time.time(), flush=True)
if sys.argv[2] == "skip":
    skip_final_collections()
"""


def _rounds(functions: dict, rounds: int) -> dict[str, float]:
    """Median CPU seconds of each function over interleaved rounds."""
    times: dict[str, list[float]] = {name: [] for name in functions}
    for i in range(rounds):
        for name in functions if i % 2 == 0 else list(functions)[::-1]:
            started = time.process_time()
            functions[name]()
            times[name].append(time.process_time() - started)
    return {name: statistics.median(values) for name, values in times.items()}


def render(run: Path, source: Path, rounds: int) -> dict[str, float]:
    from stance import load_model
    from stance.io.csv_text import csv_rows

    model = load_model(run)
    frame = pd.read_csv(source, keep_default_na=False, na_values=[""]).iloc[:40_000]
    batches = [model.predict(frame.iloc[i : i + 5000]) for i in range(0, len(frame), 5000)]
    assert all(b.to_csv(index=False, header=False) == csv_rows(b) for b in batches)
    return _rounds(
        {
            "to_csv": lambda: [b.to_csv(index=False, header=False) for b in batches],
            "csv_rows": lambda: [csv_rows(b) for b in batches],
        },
        rounds,
    )


def scan(source: Path, rounds: int) -> dict[str, float]:
    from stance.io.readers import inspect_input

    return _rounds(
        {
            "with rows": lambda: inspect_input(source, full=True),
            "without rows": lambda: inspect_input(source, full=True, count=False),
        },
        rounds,
    )


def exit_seconds(run: Path, rounds: int) -> dict[str, float]:
    times: dict[str, list[float]] = {"teardown": [], "skip": []}
    for i in range(rounds):
        for how in times if i % 2 == 0 else list(times)[::-1]:
            process = subprocess.Popen(
                [sys.executable, "-c", EXIT, str(run), how], stdout=subprocess.PIPE, text=True
            )
            last = float(process.stdout.readline())
            process.wait()
            times[how].append(time.time() - last)
    return {how: statistics.median(values) for how, values in times.items()}


def ceiling(run: Path, source: Path, tmp: Path, pairs: int) -> dict[str, float]:
    frame = pd.read_csv(source)
    half = len(frame) // 2
    halves = [tmp / "half_1.csv", tmp / "half_2.csv"]
    frame.iloc[:half].to_csv(halves[0], index=False)
    frame.iloc[half:].to_csv(halves[1], index=False)

    def bare(path: Path, out: str) -> list[str]:
        return [sys.executable, "-c", BARE_PREDICT, str(run), str(path), str(tmp / out)]

    stance = stance_cli("predict", "--model", str(run), "--input", str(source), "--output",
                        str(tmp / "stance.csv"), "--quiet", "--overwrite")  # fmt: skip
    times: dict[str, list[float]] = {"one process": [], "two halves": [], "stance predict": []}
    for i in range(pairs):
        for name in times if i % 2 == 0 else list(times)[::-1]:
            if name == "one process":
                seconds, _ = measure(bare(source, "all.csv"))
            elif name == "stance predict":
                seconds, _ = measure(stance)
            else:
                started = time.perf_counter()
                both = [subprocess.Popen(bare(p, f"{p.stem}.out")) for p in halves]
                if any(p.wait() for p in both):
                    raise RuntimeError("a half failed")
                seconds = time.perf_counter() - started
            times[name].append(seconds)
            print(f"  {name}: {seconds:.2f} s", flush=True)
    return {name: statistics.median(values) for name, values in times.items()}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds (pairs)")
    parser.add_argument("--output", type=Path, default=None, help="default: cost/results/...")
    parser.add_argument("--only", choices=["ceiling"], help="measure that part alone")
    args = parser.parse_args(argv)
    default = "predict_ceiling.json" if args.only else "predict_parts.json"
    args.output = args.output or HERE / "results" / default
    compiled()
    with tempfile.TemporaryDirectory(prefix="stance_parts_") as name:
        tmp = Path(name)
        run, source = tmp / "run", tmp / "rows.csv"
        measure(train_run(run, "experiment=semeval2016_stance", "evaluation.plots=false"))
        semeval_rows(args.rows, source)
        results = {}
        if not args.only:
            results["render_cpu_s_40k_rows"] = render(run, source, args.rounds)
            results[f"scan_cpu_s_{args.rows}_rows"] = scan(source, args.rounds)
            results["exit_s"] = exit_seconds(run, args.rounds)
        pairs = args.rounds if args.only else max(args.rounds // 2, 1)
        results[f"ceiling_s_{args.rows}_rows"] = ceiling(run, source, tmp, pairs)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    for part, figures in results.items():
        print(part + ": " + ", ".join(f"{k} {v:.3f}" for k, v in figures.items()))
    ceiling_s = results[f"ceiling_s_{args.rows}_rows"]
    one = ceiling_s["one process"]
    print(
        f"against one bare process: two bare halves {one / ceiling_s['two halves']:.2f}x, "
        f"stance predict {one / ceiling_s['stance predict']:.2f}x"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
