"""The parts of raw-text prediction issue 25 changed, measured alone (CPU s, medians of rounds).

    STANCE_DATA_HOME=../shared/datasets python benchmarks/cost/raw_parts.py [--texts 10000]

Trains the default pair model, samples raw texts as ``ratios.py`` does, then times:
- actors: the model's actor finder over every text;
- pair scores: the candidate pairs scored by the model's own pipeline (``class_scores``)
  against :func:`stance.predict.pair_scores.pair_scores` (each sentence counted once), in
  alternating rounds; the two score arrays are checked equal.

It imports the ``stance`` found from the working directory, so it also runs in a checkout of an
older commit (one without ``pair_scores`` times the pipeline only): run it in two checkouts to
compare actor recognition before and after a change. Writes cost/results/raw_parts.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from ratios import compiled, measure, raw_texts, train_run  # noqa: E402


def _cpu(function) -> tuple[float, object]:
    started = time.process_time()
    result = function()
    return time.process_time() - started, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--output", type=Path, default=HERE / "results" / "raw_parts.json")
    args = parser.parse_args(argv)
    package = compiled()
    sys.path.insert(0, str(package.parent))
    from stance import load_model
    from stance.dyads.extract import candidate_pairs
    from stance.predict.model import class_scores

    try:
        from stance.predict.pair_scores import pair_scores
    except ImportError:  # a commit before it
        pair_scores = None
    with tempfile.TemporaryDirectory(prefix="stance_raw_parts_") as name:
        run, source = Path(name) / "run", Path(name) / "texts.csv"
        measure(train_run(run, "evaluation.plots=false"))
        raw_texts(args.texts, source)
        model = load_model(run)
        texts = pd.read_csv(source)["text"].tolist()
    finder = model.actor_finder()
    candidates, counts = candidate_pairs(texts, recognizer=finder)
    view = candidates.rename(columns={"sentence": "text"})
    times: dict[str, list[float]] = {"actors": [], "pipeline": [], "pair_scores": []}
    for i in range(args.rounds):
        times["actors"].append(_cpu(lambda: [finder.find(t) for t in texts])[0])
        order = ["pipeline", "pair_scores"] if i % 2 == 0 else ["pair_scores", "pipeline"]
        for what in order:
            if what == "pipeline":
                seconds, own = _cpu(lambda: class_scores(model.estimator, view)[0])
            elif pair_scores is not None:
                seconds, counted = _cpu(lambda: pair_scores(model.estimator, view))
            else:
                continue
            times[what].append(seconds)
    if pair_scores is not None and not np.array_equal(own, counted):
        raise SystemExit("pair_scores differs from the pipeline's scores")
    result = {
        "package": str(package),
        "texts": args.texts,
        "pairs": len(view),
        "sentences_with_pairs": counts.sentences_with_pairs,
        **{f"{k}_cpu_s": statistics.median(v) for k, v in times.items() if v},
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
