"""Throughput and peak memory of `stance predict` against the bare scikit-learn pipeline.

    python benchmarks/cost/predict_throughput.py --sizes 10000 100000 1000000

Trains a model once (by default the bundled-corpus experiment with word 1-2-gram features, so
that 1M rows fit in minutes; pass --overrides to benchmark another), writes N statements (rows
of the bundled corpus drawn with replacement) to a csv, then measures in one session, each in
its own subprocess so memory is not shared:
  bare    - pandas reads the csv, the fitted pipeline's decision_function runs over it in
            batches of 10,000 in one process, labels are written with to_csv;
  stance  - `stance predict` on the same file (streaming, --jobs 1 and --jobs 2).
Peak memory is the largest summed RSS of the process tree, sampled every 50 ms from /proc.
The figure is the ratio of throughputs measured in the same run.
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
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from ratios import measure  # noqa: E402 - the sibling script: wall time and tree RSS

BARE = """
import sys, pandas as pd, numpy as np
from stance import load_model
model = load_model(sys.argv[1]).estimator
out = open(sys.argv[3], "w")
for i, chunk in enumerate(pd.read_csv(sys.argv[2], chunksize=10_000)):
    scores = model.decision_function(chunk)
    chunk["stance"] = model.classes_[np.argmax(scores, axis=1)]
    chunk.to_csv(out, index=False, header=i == 0)
out.close()
"""


def train(folder: Path, overrides: list[str]) -> Path:
    run = folder / "run"
    hydra = [f"hydra.run.dir={run}", "evaluation.plots=false"]
    subprocess.run(
        [sys.executable, "-m", "stance.train", *hydra, *overrides],
        check=True,
        capture_output=True,
    )
    return run


def make_input(n: int, path: Path) -> None:
    from stance.data import load_corpus

    rows = load_corpus("statements")[["text", "source_mention", "target_mention"]]
    rng = np.random.default_rng(0)
    sample = rows.iloc[rng.integers(0, len(rows), n)].reset_index(drop=True)
    sample.insert(0, "id", np.arange(n))
    sample.to_csv(path, index=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--output", default=str(HERE / "results" / "predict_throughput.json"))
    parser.add_argument(
        "--overrides", nargs="*", default=["features=word_ngrams"], help="stance-train overrides"
    )
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        run = train(tmp, args.overrides)
        for n in args.sizes:
            source = tmp / f"in_{n}.csv"
            make_input(n, source)
            row = {"n": n}
            seconds, peak = measure(
                [sys.executable, "-c", BARE, str(run), str(source), str(tmp / "bare.csv")]
            )
            row["bare"] = {"seconds": seconds, "rows_per_s": n / seconds, "peak_mb": peak / 2**20}
            for jobs in (1, 2):
                out = tmp / f"out_{jobs}.csv"
                seconds, peak = measure(
                    [
                        sys.executable,
                        "-m",
                        "stance.cli",
                        "predict",
                        "--model",
                        str(run),
                        "--input",
                        str(source),
                        "--output",
                        str(out),
                        "--jobs",
                        str(jobs),
                        "--quiet",
                    ]
                )
                row[f"stance_jobs{jobs}"] = {
                    "seconds": seconds,
                    "rows_per_s": n / seconds,
                    "peak_mb": peak / 2**20,
                    "ratio_to_bare": row["bare"]["seconds"] / seconds,
                }
                same = (pd.read_csv(out)["stance"] == pd.read_csv(tmp / "bare.csv")["stance"]).all()
                row[f"stance_jobs{jobs}"]["same_labels_as_bare"] = bool(same)
                out.unlink()
            print(json.dumps(row), flush=True)
            results.append(row)
            source.unlink()
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(
        json.dumps({"cores": os.cpu_count(), "results": results}, indent=2)
    )
    plot(results, Path(args.output).with_suffix(".png"))


def plot(results: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["n"] for r in results]
    fig, (a, b) = plt.subplots(1, 2, figsize=(9, 3.5))
    for key, label in [
        ("bare", "bare pipeline"),
        ("stance_jobs1", "stance predict, 1 job"),
        ("stance_jobs2", "stance predict, 2 jobs"),
    ]:
        a.plot(sizes, [r[key]["rows_per_s"] for r in results], marker="o", label=label)
        b.plot(sizes, [r[key]["peak_mb"] for r in results], marker="o", label=label)
    for ax, ylabel in ((a, "statements per second"), (b, "peak memory (MB)")):
        ax.set_xscale("log")
        ax.set_xlabel("statements")
        ax.set_ylabel(ylabel)
    a.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


if __name__ == "__main__":
    main()
