"""Training time, prediction throughput and peak memory of the headline models, on this machine.

    STANCE_DATA_HOME=../shared/datasets python benchmarks/cost/cost.py           # all models
    STANCE_DATA_HOME=../shared/datasets python benchmarks/cost/cost.py --repeat 3
    STANCE_DATA_HOME=../shared/datasets python benchmarks/cost/cost.py --only dse seesaw

Each headline model runs in a fresh subprocess (so its peak resident memory is its own):
compose the experiment, fit on what the experiment fits on, save and reload the skops file,
predict its corpus's test split once cold (a freshly loaded model: the embedding model is read
from its package then) and once warm. The embedding cache is switched off. The table, with
ratios to the first model measured in the same run, is written into benchmarks/README.md
between the ``<!-- cost:start -->`` and ``<!-- cost:end -->`` markers (only for a run of all
models; ``--only`` prints its table).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

from stance.io.atomic import atomic_write

HERE = Path(__file__).resolve().parent
START, END = "<!-- cost:start -->", "<!-- cost:end -->"

#: name -> stance-train overrides, in the order of the table (the first is the reference).
MODELS: dict[str, list[str]] = {
    "stance: SVM-ngrams, per target (semeval2016_stance)": ["experiment=semeval2016_stance"],
    "stance: best, n-grams + MiniLM, target-augmented (semeval2016_stance_best)": [
        "experiment=semeval2016_stance_best"
    ],
    "stance: best + 0.05 x fine-tuned MiniLM (semeval2016_stance_blend)": [
        "experiment=semeval2016_stance_blend"
    ],
    "sentiment: SVM-ngrams, pooled (semeval2016_sentiment)": ["experiment=semeval2016_sentiment"],
    "sentiment: best, n-grams + MiniLM + VADER (semeval2016_sentiment_best)": [
        "experiment=semeval2016_sentiment_best"
    ],
    "TweetEval stance: SVM-ngrams (tweeteval_stance)": ["experiment=tweeteval_stance"],
    "TweetEval stance: best (tweeteval_stance_best)": ["experiment=tweeteval_stance_best"],
    "DSE: pair n-grams, linear SVM (dse_ngrams)": ["experiment=dse_ngrams"],
    "DSE: + 0.4 x paired fine-tuned MiniLM (dse = dse_best)": ["experiment=dse"],
    "SEESAW: pair n-grams (seesaw)": ["experiment=seesaw"],
    "SEESAW: + MiniLM mention embeddings (seesaw_mentions)": ["experiment=seesaw_mentions"],
    "SEESAW: + 0.2 x fine-tuned MiniLM (seesaw_blend)": ["experiment=seesaw_blend"],
    "SEESAW: best, blend read together by story (seesaw_best)": ["experiment=seesaw_best"],
    "news: actor pairs, bundled corpus (actor_pairs)": ["experiment=actor_pairs"],
}

CHILD = r"""
import json, resource, sys, tempfile, time
from pathlib import Path
started = time.perf_counter()
from stance.config.compose import compose
from stance.config.build import build
from stance.io.model_files import load_model_file, save_model
overrides = json.loads(sys.argv[1])
cfg = compose([*overrides, "seed=1"])
task = cfg.task.name
frame = build(cfg.data.corpus).load(1)
train = frame[frame["split"].isin(list(cfg.fit_splits))].reset_index(drop=True)
test = frame[frame["split"] == "test"].reset_index(drop=True)
imported = time.perf_counter() - started
t = time.perf_counter()
model = build(cfg.pipeline).fit(train, train[task].to_numpy())
fit_seconds = time.perf_counter() - t
with tempfile.TemporaryDirectory() as folder:
    save_model(model, folder, {"task": task})
    size = (Path(folder) / "model.skops").stat().st_size
    t = time.perf_counter()
    loaded, _ = load_model_file(folder)
    load_seconds = time.perf_counter() - t
t = time.perf_counter()
loaded.predict(test)
cold = time.perf_counter() - t
t = time.perf_counter()
loaded.predict(test)
warm = time.perf_counter() - t
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({
    "fit_rows": len(train), "test_rows": len(test), "fit_seconds": fit_seconds,
    "load_seconds": load_seconds, "cold_seconds": cold, "warm_seconds": warm,
    "peak_mib": peak_kib / 1024, "model_mib": size / 2**20, "startup_seconds": imported,
}))
"""


def measure(overrides: list[str]) -> dict[str, float]:
    """Run one model in a fresh interpreter and return its measurements."""
    env = {k: v for k, v in os.environ.items() if k != "STANCE_EMBEDDING_CACHE"}
    env.setdefault("HF_HUB_OFFLINE", "1")
    with tempfile.TemporaryDirectory() as cwd:
        result = subprocess.run(
            [sys.executable, "-c", CHILD, json.dumps(overrides)],
            capture_output=True,
            text=True,
            env=env,
            cwd=cwd,
        )
    if result.returncode != 0:
        tail = (result.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise SystemExit(f"cost.py: {overrides} failed: {tail}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def _best(runs: list[dict[str, float]], key: str) -> float:
    """The least disturbed of the repeats: the minimum (times) or the maximum (memory)."""
    values = [r[key] for r in runs]
    return max(values) if key in ("peak_mib", "model_mib") else min(values)


def table(results: dict[str, list[dict[str, float]]]) -> str:
    """Markdown: the best of the repeats, and ratios to the first model."""
    lines = [
        "| model | fit rows | training s | ratio | test rows | predict (warm) rows/s | ratio | "
        "first predict after loading, s | peak memory MiB | ratio | model file MiB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    reference = None
    for name, runs in results.items():
        fit = _best(runs, "fit_seconds")
        rate = runs[0]["test_rows"] / _best(runs, "warm_seconds")
        cold = _best(runs, "load_seconds") + _best(runs, "cold_seconds")
        peak = _best(runs, "peak_mib")
        if reference is None:
            reference = (fit, rate, peak)
        lines.append(
            f"| {name} | {runs[0]['fit_rows']} | {fit:.1f} | {fit / reference[0]:.1f} | "
            f"{runs[0]['test_rows']} | {rate:,.0f} | {rate / reference[1]:.2f} | {cold:.1f} | "
            f"{peak:,.0f} | "
            f"{peak / reference[2]:.1f} | {_best(runs, 'model_mib'):.1f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per model (fastest time, largest memory shown)"
    )
    parser.add_argument(
        "--only",
        nargs="+",
        metavar="WORD",
        help="measure only the models whose name contains one of these words (not written "
        "into README.md; see --output)",
    )
    parser.add_argument(
        "--output", type=Path, help="with --only: also write the table to this markdown file"
    )
    args = parser.parse_args(argv)
    chosen = {
        name: overrides
        for name, overrides in MODELS.items()
        if not args.only or any(word.lower() in name.lower() for word in args.only)
    }
    if not chosen:
        parser.error(f"--only {' '.join(args.only)} matches no model; models: {list(MODELS)}")
    results: dict[str, list[dict[str, float]]] = {}
    for name, overrides in chosen.items():
        results[name] = [measure(overrides) for _ in range(args.repeat)]
        print(name, json.dumps(results[name]), flush=True)
    load = os.getloadavg()
    text = table(results)
    given = sys.argv[1:] if argv is None else argv
    command = shlex.join(["python", "benchmarks/cost/cost.py", *given])
    note = (
        f"_Generated by `{command}`; do not edit by hand._ "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
        f"load average at the end {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} (1 / 5 / 15 "
        "min: other work on the machine slows every row alike, so compare the ratio columns)."
    )
    block = f"{START}\n{note}\n\n{text}\n{END}"
    print(text)
    if args.only:
        if args.output:
            content = f"{note}\n\n{text}\n"
            atomic_write(args.output, lambda p: p.write_text(content, encoding="utf-8"))
        return 0
    readme = HERE.parent / "README.md"
    current = readme.read_text(encoding="utf-8")
    if START in current and END in current:
        head, rest = current.split(START, 1)
        updated = head + block + rest.split(END, 1)[1]
        atomic_write(readme, lambda p: p.write_text(updated, encoding="utf-8"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
