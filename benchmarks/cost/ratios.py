"""What stance costs against bare scikit-learn on the same model and data, in one run (issue 25).

    python benchmarks/cost/ratios.py                        # the issue's sizes: about 40 min
    python benchmarks/cost/ratios.py --pairs 3 --only train   # one section

Every figure is the wall time of a whole fresh process (interpreter start, imports, model
loading, reading and writing files included), measured in interleaved pairs: bare, stance,
stance, bare, ... (the order flips every pair, so a drift in the machine's load hits both
sides alike); each figure is the median over the pairs and each ratio is a ratio of medians.

  train    `stance-train experiment=semeval2016_stance` (plots, model file and card included)
           against BARE_TRAIN: pandas reads the two SemEval csv files, one word 1-3 + char_wb
           2-5 n-gram LinearSVC per target plus the pooled fallback, test predictions written
           to csv and F_avg printed. Ratio = stance s / bare s (target <= 1.25).
  predict  the SemEval model of `train` on --rows rows (test tweets drawn with replacement):
           BARE_PREDICT (pandas chunks of 10,000, decision_function, argmax, to_csv, one
           process) against `stance predict` (all cores, and --jobs 1) and the Python API
           (`load_model(run).predict(frame)` on the whole csv, then to_csv). Ratio = stance
           rows/s / bare rows/s (CLI target >= 1.8 on 2 cores).
  raw      the default experiment's pair model on --texts raw texts (news sentences of the
           bundled corpus and DSE, drawn with replacement): `stance predict` and the API
           texts/s against BARE_PREDICT's rows/s on as many (text, source, target) rows of
           the bundled corpus (target >= 0.66).
  memory   peak RSS of the process tree (sampled every 50 ms from /proc) of raw-text `stance
           predict` and of the streaming API (STREAM_PREDICT: `predict_batches` over the csv
           read in chunks, each batch appended to a csv) at the sizes of --rss-texts; ratio =
           largest / smallest size (target <= 1.10). `predict(texts)` returns every pair of
           every text in one frame, so it holds the input and the result by design. A tree
           above --memory-limit is stopped and reported as such.

Both sides load the model with `stance.load_model` (skops, checked). The package's bytecode is
compiled first (:func:`compiled`), as pip does when it installs a package: in a checkout under
``PYTHONDONTWRITEBYTECODE=1`` every process would otherwise compile the package's modules
again, about 0.2 s more start-up on both sides that no installed copy pays. Results go to
cost/results/ratios.json; the table is printed and, for a run of every section, written into
benchmarks/README.md between the ``<!-- ratios:start -->`` and ``<!-- ratios:end -->`` markers.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
START, END = "<!-- ratios:start -->", "<!-- ratios:end -->"
SECTIONS = ("train", "predict", "raw", "memory")
Command = list[str] | Callable[[], list[str]]

BARE_TRAIN = """
import sys
import pandas as pd
from sklearn.base import clone
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics import f1_score
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.svm import LinearSVC

home, out = sys.argv[1], sys.argv[2]
def read(split):
    raw = pd.read_csv(f"{home}/semeval2016_task6/StanceDataset/{split}.csv", encoding="latin-1")
    raw["Tweet"] = raw["Tweet"].str.replace("#SemST", "", regex=False).str.strip()
    return raw
train, test = read("train"), read("test")
test = test[test["Target"] != "Donald Trump"].reset_index(drop=True)  # subtask A
tf = dict(lowercase=True, binary=True, use_idf=False, norm="l2")
base = Pipeline([
    ("ngrams", FeatureUnion([
        ("word", TfidfVectorizer(analyzer="word", ngram_range=(1, 3), **tf)),
        ("char", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), **tf)),
    ])),
    ("svm", LinearSVC(C=1.0, max_iter=5000, random_state=42)),
])
models = {t: clone(base).fit(g["Tweet"], g["Stance"]) for t, g in train.groupby("Target")}
fallback = clone(base).fit(train["Tweet"], train["Stance"])
test["prediction"] = ""
for target, rows in test.groupby("Target"):
    model = models.get(target, fallback)
    test.loc[rows.index, "prediction"] = model.predict(rows["Tweet"])
test.to_csv(out, index=False)
f = f1_score(test["Stance"], test["prediction"], labels=["FAVOR", "AGAINST"], average="macro")
print(f"F_avg {100 * f:.2f}")
"""

BARE_PREDICT = """
import sys
import numpy as np, pandas as pd
from stance import load_model
model = load_model(sys.argv[1]).estimator
with open(sys.argv[3], "w", encoding="utf-8") as out:
    for i, chunk in enumerate(pd.read_csv(sys.argv[2], chunksize=10_000)):
        scores = model.decision_function(chunk)
        chunk["stance"] = model.classes_[np.argmax(scores, axis=1)]
        chunk.to_csv(out, index=False, header=i == 0)
"""

API_PREDICT = """
import sys
import pandas as pd
from stance import load_model
model = load_model(sys.argv[1])
frame = pd.read_csv(sys.argv[2])
data = frame["text"].tolist() if sys.argv[4] == "raw" else frame
model.predict(data).to_csv(sys.argv[3], index=False)
"""


STREAM_PREDICT = """
import sys
import pandas as pd
from stance import load_model
model = load_model(sys.argv[1])
with open(sys.argv[3], "w", encoding="utf-8") as out:
    batches = model.predict_batches(pd.read_csv(sys.argv[2], chunksize=10_000))
    for i, batch in enumerate(batches):
        batch.to_csv(out, index=False, header=i == 0)
"""


def compiled() -> Path:
    """Write the bytecode of the `stance` package the measured commands import (the one found
    from the working directory, as ``python -m`` finds it); return its folder."""
    import compileall
    import importlib.util

    sys.path.insert(0, os.getcwd())
    try:
        package = Path(importlib.util.find_spec("stance").origin).parent
    finally:
        sys.path.pop(0)
    compileall.compile_dir(package, quiet=1)
    return package


def tree_rss(pid: int) -> int:
    """Summed resident memory (bytes) of `pid` and all its descendants."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as handle:
                for line in handle:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1]) * 1024
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as handle:
                    stack += [int(c) for c in handle.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total


def cpu_seconds() -> float:
    """User + system CPU seconds of this process's finished (waited-for) children so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(command: list[str], limit: int | None = None) -> tuple[float, int]:
    """Wall seconds and peak summed RSS (bytes) of running `command` in a new session; a tree
    above `limit` bytes is killed (seconds is then NaN). The CPU seconds of the whole tree are
    the growth of :func:`cpu_seconds` over the call."""
    started = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    peak, killed, done = 0, False, threading.Event()

    def sample() -> None:
        nonlocal peak, killed
        while not done.is_set():
            peak = max(peak, tree_rss(process.pid))
            if limit and peak > limit and not killed:
                killed = True
                os.killpg(process.pid, 9)
            time.sleep(0.05)

    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    _, err = process.communicate()
    seconds = time.perf_counter() - started
    done.set()
    thread.join()
    if killed:
        return float("nan"), peak
    if process.returncode:
        raise RuntimeError(f"{shlex.join(command)} failed:\n{err.decode()[-2000:]}")
    return seconds, peak


def interleaved(commands: dict[str, Command], pairs: int, limit: int | None = None) -> dict:
    """Median seconds and peak RSS of each command over `pairs` rounds, the order flipping
    every round (a callable gives a new command each time)."""
    names = list(commands)
    seconds: dict[str, list[float]] = {n: [] for n in names}
    cpu: dict[str, list[float]] = {n: [] for n in names}
    peaks: dict[str, list[int]] = {n: [] for n in names}
    for i in range(pairs):
        for name in names if i % 2 == 0 else names[::-1]:
            command = commands[name]
            before = cpu_seconds()
            s, p = measure(command() if callable(command) else command, limit)
            seconds[name].append(s)
            cpu[name].append(cpu_seconds() - before)
            peaks[name].append(p)
            print(f"  {name}: {s:.2f} s ({cpu[name][-1]:.2f} CPU s), peak {p / 2**20:.0f} MiB")
    return {
        n: {
            "seconds": statistics.median(seconds[n]),
            "all_seconds": seconds[n],
            "cpu_seconds": statistics.median(cpu[n]),
            "peak_mib": max(peaks[n]) / 2**20,
        }
        for n in names
    }


def stance_cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "stance.cli", *args]


def train_run(folder: Path, *overrides: str) -> list[str]:
    return [sys.executable, "-m", "stance.train", f"hydra.run.dir={folder}", *overrides]


def semeval_rows(n: int, path: Path) -> None:
    from stance.data import load_corpus

    test = load_corpus("semeval2016")
    test = test[test["split"] == "test"][["text", "target"]].reset_index(drop=True)
    sample = test.iloc[np.random.default_rng(0).integers(0, len(test), n)]
    sample.insert(0, "id", np.arange(n))
    sample.to_csv(path, index=False)


def raw_texts(n: int, path: Path) -> None:
    from stance.data import load_corpus

    texts = pd.concat(
        [load_corpus("statements")["text"], load_corpus("dse")["text"]], ignore_index=True
    ).drop_duplicates()
    sample = texts.iloc[np.random.default_rng(0).integers(0, len(texts), n)].to_numpy()
    pd.DataFrame({"id": np.arange(n), "text": sample}).to_csv(path, index=False)


def pair_rows(n: int, path: Path) -> None:
    from stance.data import load_corpus

    rows = load_corpus("statements")[["text", "source_mention", "target_mention"]]
    sample = rows.iloc[np.random.default_rng(0).integers(0, len(rows), n)].reset_index(drop=True)
    sample.insert(0, "id", np.arange(n))
    sample.to_csv(path, index=False)


def same_labels(*paths: Path) -> bool:
    first = pd.read_csv(paths[0])["stance"]
    return all(pd.read_csv(p)["stance"].equals(first) for p in paths[1:])


def section_train(tmp: Path, args: argparse.Namespace) -> dict:
    home = os.environ["STANCE_DATA_HOME"]
    runs = iter(range(10**6))
    # the model the predict section uses; the first run also fills the corpus cache
    measure(train_run(tmp / "semeval_run", "experiment=semeval2016_stance"))
    bare = [sys.executable, "-c", BARE_TRAIN, home, str(tmp / "bare_train.csv")]
    measure(bare)

    def stance() -> list[str]:  # a new run folder every time
        return train_run(tmp / f"train_{next(runs)}", "experiment=semeval2016_stance")

    result = interleaved({"bare": bare, "stance": stance}, args.pairs)
    result["ratio"] = result["stance"]["seconds"] / result["bare"]["seconds"]
    return result


def section_predict(tmp: Path, args: argparse.Namespace) -> dict:
    run = tmp / "semeval_run"
    if not (run / "model").is_dir():
        measure(train_run(run, "experiment=semeval2016_stance", "evaluation.plots=false"))
    source = tmp / "semeval_rows.csv"
    semeval_rows(args.rows, source)
    out = {k: tmp / f"predict_{k}.csv" for k in ("bare", "cli", "cli_1job", "api")}
    commands = {
        "bare": [sys.executable, "-c", BARE_PREDICT, str(run), str(source), str(out["bare"])],
        "cli": stance_cli("predict", "--model", str(run), "--input", str(source), "--output",
                          str(out["cli"]), "--quiet", "--overwrite"),
        "cli_1job": stance_cli("predict", "--model", str(run), "--input", str(source),
                               "--output", str(out["cli_1job"]), "--quiet", "--jobs", "1",
                               "--overwrite"),
        "api": [sys.executable, "-c", API_PREDICT, str(run), str(source), str(out["api"]), "rows"],
    }  # fmt: skip
    result = interleaved(commands, args.pairs)
    for name in commands:
        result[name]["rows_per_s"] = args.rows / result[name]["seconds"]
        result[name]["ratio"] = result["bare"]["seconds"] / result[name]["seconds"]
    result["same_labels"] = same_labels(*out.values())
    return result


def _pair_model(tmp: Path) -> Path:
    run = tmp / "pairs_run"
    if not (run / "model").is_dir():
        measure(train_run(run, "evaluation.plots=false"))
    return run


def section_raw(tmp: Path, args: argparse.Namespace) -> dict:
    run = _pair_model(tmp)
    texts, pairs = tmp / "raw_texts.csv", tmp / "pair_rows.csv"
    raw_texts(args.texts, texts)
    pair_rows(args.texts, pairs)
    out = {k: tmp / f"raw_{k}.csv" for k in ("bare", "cli", "api")}
    commands = {
        "bare": [sys.executable, "-c", BARE_PREDICT, str(run), str(pairs), str(out["bare"])],
        "cli": stance_cli("predict", "--model", str(run), "--input", str(texts), "--output",
                          str(out["cli"]), "--quiet", "--overwrite"),
        "api": [sys.executable, "-c", API_PREDICT, str(run), str(texts), str(out["api"]), "raw"],
    }  # fmt: skip
    result = interleaved(commands, args.pairs, args.memory_limit * 2**30)
    for name in commands:
        per_s = args.texts / result[name]["seconds"]
        result[name]["per_s"] = per_s
        result[name]["ratio"] = per_s / (args.texts / result["bare"]["seconds"])
    result["same_dyads"] = same_labels(out["cli"], out["api"])
    return result


def section_memory(tmp: Path, args: argparse.Namespace) -> dict:
    run = _pair_model(tmp)
    result: dict = {}
    for n in args.rss_texts:
        texts = tmp / f"rss_{n}.csv"
        raw_texts(n, texts)
        commands = {
            "cli": stance_cli("predict", "--model", str(run), "--input", str(texts), "--output",
                              str(tmp / f"rss_cli_{n}.csv"), "--quiet", "--overwrite"),
            "api": [sys.executable, "-c", STREAM_PREDICT, str(run), str(texts),
                    str(tmp / f"rss_api_{n}.csv")],
        }  # fmt: skip
        result[str(n)] = interleaved(commands, 1, args.memory_limit * 2**30)
        texts.unlink()
    small, large = (str(n) for n in (min(args.rss_texts), max(args.rss_texts)))
    for name in ("cli", "api"):
        result[f"{name}_ratio"] = result[large][name]["peak_mib"] / result[small][name]["peak_mib"]
    return result


def table(results: dict, args: argparse.Namespace) -> str:
    rows = [
        "| pair | stance | bare scikit-learn | ratio | target | CPU s: stance / bare |",
        "|---|---:|---:|---:|---|---:|",
    ]

    def cpu(section: dict, key: str) -> str:
        return f"{section[key]['cpu_seconds']:.1f} / {section['bare']['cpu_seconds']:.1f}"

    if "train" in results:
        t = results["train"]
        rows.append(
            f"| training, `experiment=semeval2016_stance` (s) | {t['stance']['seconds']:.2f} | "
            f"{t['bare']['seconds']:.2f} | {t['ratio']:.2f}x | <= 1.25x | {cpu(t, 'stance')} |"
        )
    if "predict" in results:
        p = results["predict"]
        for key, what, target in (
            ("cli", "`stance predict`", ">= 1.8x"),
            ("cli_1job", "`stance predict --jobs 1`", ""),
            ("api", "`load_model(run).predict(frame)`", ""),
        ):
            rows.append(
                f"| {what}, {args.rows:,} SemEval rows (rows/s) | {p[key]['rows_per_s']:,.0f} | "
                f"{p['bare']['rows_per_s']:,.0f} | {p[key]['ratio']:.2f}x | {target} | "
                f"{cpu(p, key)} |"
            )
    if "raw" in results:
        r = results["raw"]
        bare = r["bare"]["per_s"]
        for key, what in (("cli", "`stance predict`"), ("api", "`load_model(run).predict(texts)`")):
            rows.append(
                f"| {what}, {args.texts:,} raw texts (texts/s; bare: pair rows/s) | "
                f"{r[key]['per_s']:,.0f} | {bare:,.0f} | {r[key]['ratio']:.2f}x | >= 0.66x | "
                f"{cpu(r, key)} |"
            )
    if "memory" in results:
        m = results["memory"]
        small, large = min(args.rss_texts), max(args.rss_texts)
        for key, what in (("cli", "`stance predict`"), ("api", "`predict_batches`")):
            rows.append(
                f"| peak RSS of the process tree, {what}, raw text (MiB): {large:,} texts / "
                f"{small:,} | {m[str(large)][key]['peak_mib']:,.0f} / "
                f"{m[str(small)][key]['peak_mib']:,.0f} | | {m[f'{key}_ratio']:.2f}x | <= 1.10x | |"
            )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pairs", type=int, default=5, help="interleaved pairs per figure")
    parser.add_argument("--rows", type=int, default=200_000, help="SemEval rows to predict")
    parser.add_argument("--texts", type=int, default=60_000, help="raw texts to predict")
    parser.add_argument("--rss-texts", type=int, nargs=2, default=[100_000, 1_000_000])
    parser.add_argument("--memory-limit", type=float, default=8.0, help="GiB; stop a tree above")
    parser.add_argument("--only", nargs="+", choices=SECTIONS, default=list(SECTIONS))
    parser.add_argument("--output", type=Path, default=HERE / "results" / "ratios.json")
    args = parser.parse_args(argv)
    if not os.environ.get("STANCE_DATA_HOME"):
        parser.error("set STANCE_DATA_HOME to the folder of the external corpora (SemEval, DSE)")
    sections = {"train": section_train, "predict": section_predict, "raw": section_raw}
    sections["memory"] = section_memory
    print(f"bytecode of {compiled()} written", flush=True)
    results: dict = {"load_before": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="stance_ratios_") as tmp:
        for name in (s for s in SECTIONS if s in args.only):
            print(f"{name} (load {os.getloadavg()[0]:.1f})", flush=True)
            results[name] = sections[name](Path(tmp), args)
    results["load_after"] = os.getloadavg()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    given = sys.argv[1:] if argv is None else argv
    before, after = results["load_before"], results["load_after"]
    note = (
        f"_Generated by `{shlex.join(['python', 'benchmarks/cost/ratios.py', *given])}` on "
        f"{time.strftime('%Y-%m-%d')}; do not edit by hand._ {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, {args.pairs} interleaved "
        f"pairs, medians; load average (1 / 5 / 15 min) {before[0]:.1f} / {before[1]:.1f} / "
        f"{before[2]:.1f} before, {after[0]:.1f} / {after[1]:.1f} / {after[2]:.1f} after."
    )
    text = table(results, args)
    print(f"\n{note}\n\n{text}")
    if set(args.only) == set(SECTIONS):
        readme = HERE.parent / "README.md"
        current = readme.read_text(encoding="utf-8")
        if START in current and END in current:
            head, rest = current.split(START, 1)
            block = f"{START}\n{note}\n\n{text}\n{END}"
            readme.write_text(head + block + rest.split(END, 1)[1], encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
