"""Raw-text prediction of actor-pair models, and the cost of the CAMEO/Phoenix dictionaries.

    STANCE_DATA_HOME=../shared/datasets python benchmarks/cost/actor_pairs_news.py \\
        --before RUN_BEFORE --after RUN_AFTER [--texts 2000] [--repeat 3]

Measures, in one run and interleaved (medians of `--repeat` passes, so both models meet the same
load on a shared machine):

- raw-text texts/s of `load_model(RUN).predict(texts)` for each run folder, on the first
  `--texts` DSE training sentences (real news, brackets removed; each pass rotated by one, so
  no pass finds the previous one's frame in a model's caches), and their ratio;
- the dictionaries: compiling the data home's CAMEO/Phoenix files with this project's additions
  (cold, with an empty cache folder), loading them again from the cache, and reading the
  compiled set a model file keeps (``DictionarySet.from_json``).

RUN_BEFORE is a run folder of the earlier `experiment=actor_pairs` (e.g. trained by the commit
before issue 19, `9c9ce7c`), RUN_AFTER one of the current `experiment=actor_pairs`. Prints a
markdown table; the figures and the command go in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd


def _texts(n: int) -> list[str]:
    home = Path(os.environ["STANCE_DATA_HOME"])
    frame = pd.read_csv(
        home / "dse_park2021" / "train.txt", sep="\t", header=None, names=["t", "a", "b", "l"]
    )
    return [t.replace("[", "").replace("]", "") for t in frame["t"].head(n)]


def _rate(model, texts: list[str]) -> tuple[float, int]:
    started = time.perf_counter()
    out = model.predict(texts)
    return len(texts) / (time.perf_counter() - started), len(out)


def _dictionary_seconds() -> dict[str, float]:
    from stance.config.field_files import field_dictionaries
    from stance.events import dictionary_set
    from stance.events.dictionary_set import DictionarySet, load_dictionaries
    from stance.events.sources import project_dictionaries

    paths = [*field_dictionaries(), *project_dictionaries()]
    with tempfile.TemporaryDirectory() as cache:
        os.environ["STANCE_CACHE_DIR"] = cache
        dictionary_set._load.cache_clear()
        started = time.perf_counter()
        compiled = load_dictionaries(paths)
        cold = time.perf_counter() - started
        dictionary_set._load.cache_clear()
        started = time.perf_counter()
        load_dictionaries(paths)
        cached = time.perf_counter() - started
    text = compiled.to_json()
    started = time.perf_counter()
    DictionarySet.from_json(text)
    from_json = time.perf_counter() - started
    return {"compile (cold)": cold, "load (cached)": cached, "from model file": from_json}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="run folder of the earlier model")
    parser.add_argument("--after", required=True, help="run folder of the current model")
    parser.add_argument("--texts", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    import logging

    logging.disable(logging.INFO)
    from stance import load_model

    texts = _texts(args.texts)
    models = {"before": load_model(args.before), "after": load_model(args.after)}
    for model in models.values():
        model.predict(texts[:20])  # warm: dictionaries and vectorizers loaded
    rates: dict[str, list[float]] = {name: [] for name in models}
    pairs: dict[str, int] = {}
    for turn in range(args.repeat):
        # each pass reads the texts rotated by one: the same work, but not the frame of the
        # pass before, whose coded events and pair spans the model keeps (a second reading of
        # one frame, features then event columns, is coded once)
        rotated = texts[turn:] + texts[:turn]
        for name, model in models.items():
            rate, n_pairs = _rate(model, rotated)
            rates[name].append(rate)
            pairs[name] = n_pairs
    before, after = (statistics.median(rates[n]) for n in ("before", "after"))
    load = os.getloadavg()
    print(f"{len(texts)} DSE sentences, median of {args.repeat}; load {load[0]:.1f}")
    print("| model | texts/s | pairs | ratio to before |")
    print("|---|---:|---:|---:|")
    for name, value in (("before", before), ("after", after)):
        print(f"| {name} | {value:,.0f} | {pairs[name]:,} | {value / before:.2f} |")
    print()
    print("| dictionaries | seconds |")
    print("|---|---:|")
    for name, seconds in _dictionary_seconds().items():
        print(f"| {name} | {seconds:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
