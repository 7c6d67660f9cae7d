"""Peak memory and throughput of prediction at 100k and 1M rows: the CLI and the Python API.

    export STANCE_DATA_HOME=../shared/datasets
    python benchmarks/cost/predict_memory.py --sizes 100000 1000000   # about 30 minutes

Two models, each trained once: the target-stance SVM (``experiment=semeval2016_stance``:
word + char n-grams, one SVM per target; input ``text``, ``target``) and the pair model on
given pairs (``experiment=actor_pairs``; input ``text``, ``source_mention``,
``target_mention``). Inputs are test rows drawn with replacement. Each way runs in its own
subprocess, and its peak is the largest summed RSS of the process tree (sampled every 50 ms
from /proc, as in predict_throughput.py):

  cli      - ``stance predict`` (default ``--jobs``: all cores; csv in, csv out);
  python   - ``load_model(run).predict(pd.read_csv(input))``, the whole frame in one call, the
             result written with ``to_csv``;
  stream   - ``predict_batches`` over ``pd.read_csv(chunksize=10_000)``, each batch appended to
             a csv (the Python way to bounded memory whatever the size).

rows/s is rows over the subprocess's wall time (start-up, reading and writing included), so
the three compare as a user would see them. Each (model, size) row is written to
``cost/results/predict_memory.json`` as soon as it is measured (the ways measured again replace
their older figures), so ``--models``, ``--sizes`` and ``--ways`` can fill the table in parts.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from predict_throughput import measure  # noqa: E402  (the sibling script's RSS sampler)

MODELS = {
    "target stance (semeval2016_stance)": (
        ["experiment=semeval2016_stance"],
        "semeval2016",
        ["text", "target"],
    ),
    "pair model, given pairs (actor_pairs)": (
        ["experiment=actor_pairs"],
        "statements",
        ["text", "source_mention", "target_mention"],
    ),
}

PYTHON = """
import sys, pandas as pd
from stance import load_model
model = load_model(sys.argv[1])
model.predict(pd.read_csv(sys.argv[2], keep_default_na=False)).to_csv(sys.argv[3], index=False)
"""

STREAM = """
import sys, pandas as pd
from stance import load_model
model = load_model(sys.argv[1])
chunks = pd.read_csv(sys.argv[2], keep_default_na=False, chunksize=10_000)
with open(sys.argv[3], "w", newline="") as out:
    for i, frame in enumerate(model.predict_batches(chunks)):
        frame.to_csv(out, index=False, header=i == 0)
"""


def train(folder: Path, overrides: list[str]) -> Path:
    run = folder / "run"
    hydra = [f"hydra.run.dir={run}", "evaluation.plots=false", "evaluation.n_resamples=20"]
    subprocess.run(
        [sys.executable, "-m", "stance.train", *hydra, *overrides], check=True, capture_output=True
    )
    return run


def make_input(corpus: str, columns: list[str], n: int, path: Path) -> None:
    from stance.data import load_corpus

    frame = load_corpus(corpus)
    rows = frame[frame["split"] == "test"][columns]
    sample = rows.iloc[np.random.default_rng(0).integers(0, len(rows), n)].reset_index(drop=True)
    sample.insert(0, "id", np.arange(n))
    sample.to_csv(path, index=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--output", default=str(HERE / "results" / "predict_memory.json"))
    parser.add_argument("--ways", nargs="+", default=["cli", "python", "stream"])
    parser.add_argument(
        "--models", nargs="+", default=["semeval2016_stance", "actor_pairs"], help="experiments"
    )
    parser.add_argument("--table", action="store_true", help="print the README table and exit")
    args = parser.parse_args()
    path = Path(args.output)
    if args.table:
        print(table(json.loads(path.read_text())["results"]))
        return
    results = json.loads(path.read_text())["results"] if path.exists() else []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for name, (overrides, corpus, columns) in MODELS.items():
            if not any(m in name for m in args.models):
                continue
            run = train(tmp / name.split()[0], overrides)
            for n in args.sizes:
                source = tmp / f"in_{n}.csv"
                make_input(corpus, columns, n, source)
                earlier = [r for r in results if (r["model"], r["n"]) == (name, n)]
                row = earlier[0] if earlier else {"model": name, "n": n}  # ways not rerun stay
                for way in args.ways:
                    out = tmp / f"out_{way}.csv"
                    command = {
                        "cli": [
                            *(sys.executable, "-m", "stance.cli", "predict", "--model", str(run)),
                            *("--input", str(source), "--output", str(out), "--quiet"),
                        ],
                        "python": [sys.executable, "-c", PYTHON, str(run), str(source), str(out)],
                        "stream": [sys.executable, "-c", STREAM, str(run), str(source), str(out)],
                    }[way]
                    seconds, peak = measure(command)
                    row[way] = {
                        "seconds": seconds,
                        "rows_per_s": n / seconds,
                        "peak_mb": peak / 2**20,
                        "labels_sha256": _labels_digest(out),
                    }
                    out.unlink()
                row["load_average"] = os.getloadavg()[1]  # 5 minutes: how busy the machine was
                print(json.dumps(row), flush=True)
                results = [r for r in results if (r["model"], r["n"]) != (name, n)] + [row]
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_text(
                    json.dumps({"cores": os.cpu_count(), "results": results}, indent=2) + "\n"
                )
                source.unlink()


def table(results: list[dict]) -> str:
    """The README table: one row per model and size, each way's rows/s and peak MB."""
    ways = [("cli", "stance predict"), ("python", "predict(frame)"), ("stream", "predict_batches")]
    head = "| model | rows | " + " | ".join(f"{t}: rows/s | peak MB" for _, t in ways)
    lines = [head + " | same labels | load |", "|---|---:|" + "---:|---:|" * 3 + "---|---:|"]
    for r in results:
        cells = [
            f"{r[w]['rows_per_s']:,.0f} | {r[w]['peak_mb']:,.0f}" if w in r else "- | -"
            for w, _ in ways
        ]
        same = len({r[w]["labels_sha256"] for w, _ in ways if w in r}) == 1
        load = f"{r['load_average']:.1f}" if "load_average" in r else "-"
        lines.append(f"| {r['model']} | {r['n']:,} | {' | '.join(cells)} | {same} | {load} |")
    return "\n".join(lines)


def _labels_digest(path: Path) -> str:
    """SHA-256 of the predicted labels in order: the ways must agree."""
    import hashlib

    import pandas as pd

    labels = pd.read_csv(path, usecols=["stance"])["stance"].astype(str)
    return hashlib.sha256("\n".join(labels).encode()).hexdigest()[:16]


if __name__ == "__main__":
    main()
