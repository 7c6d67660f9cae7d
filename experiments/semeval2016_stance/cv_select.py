"""Choose settings by cross-validation on the training tweets only (test is never loaded).

    STANCE_DATA_HOME=../shared/datasets python experiments/semeval2016_stance/cv_select.py stance
    STANCE_DATA_HOME=../shared/datasets python experiments/semeval2016_stance/cv_select.py sentiment

Each candidate is a list of ``stance-train`` overrides. The official SemEval-2016 training
tweets (2,914: the carved dev split folded back in) are cut into 5 folds stratified by target
and label; each candidate is fitted on 4 folds and predicts the fifth, and the pooled
out-of-fold predictions are scored with the task's primary metric. The table goes to
``experiments/semeval2016_<task>/selection_<task>.md``. Set ``STANCE_EMBEDDING_CACHE`` to embed
each tweet once.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.model_selection import StratifiedKFold

from stance.config.build import build
from stance.config.compose import compose
from stance.evaluation import score

HERE = Path(__file__).resolve().parent
FOLDS = 5

STANCE = "experiment=semeval2016_stance"
SENTIMENT = "experiment=semeval2016_sentiment"
#: task -> [(name, overrides)], in the order of the ablation.
CANDIDATES: dict[str, list[tuple[str, list[str]]]] = {
    "stance": [
        ("SVM-ngrams: binary word 1-3 + char 2-5, per target, C=1", [STANCE]),
        ("  C=0.3", [STANCE, "model.C=0.3"]),
        ("  char analyzer instead of char_wb", [STANCE, "+features.char.analyzer=char"]),
        ("  pooled over targets", [STANCE, "per_target=false"]),
        ("sublinear TF-IDF n-grams, per target", [STANCE, "features=word_char_tfidf"]),
        (
            "  + class_weight=balanced",
            [STANCE, "features=word_char_tfidf", "model.class_weight=balanced"],
        ),
        ("  + VADER scores", [STANCE, "features=word_char_vader"]),
        ("  + MiniLM sentence embeddings", [STANCE, "features=word_char_embeddings"]),
        ("  + embeddings, C=0.3", [STANCE, "features=word_char_embeddings", "model.C=0.3"]),
        ("  + embeddings + VADER", [STANCE, "features=sentiment_blend"]),
        (
            "  + embeddings, pooled target-augmented (shared x0.5)",
            [STANCE, "features=target_augmented", "per_target=false"],
        ),
        (
            "  + embeddings, pooled target-augmented, balanced",
            [STANCE, "features=target_augmented", "per_target=false", "model=linear_svc_balanced"],
        ),
        (
            "  + embeddings, pooled target-augmented, balanced, C=0.5",
            [
                STANCE,
                "features=target_augmented",
                "per_target=false",
                "model=linear_svc_balanced",
                "model.C=0.5",
            ],
        ),
        (
            "  + embeddings, pooled target-augmented (shared x1), balanced",
            [
                STANCE,
                "features=target_augmented",
                "per_target=false",
                "model=linear_svc_balanced",
                "features.by_target.shared_weight=1.0",
            ],
        ),
    ],
    "sentiment": [
        ("SVM-ngrams: binary word 1-3 + char 2-5, pooled, C=1", [SENTIMENT]),
        ("sublinear TF-IDF n-grams", [SENTIMENT, "features=word_char_tfidf"]),
        (
            "  + class_weight=balanced",
            [SENTIMENT, "features=word_char_tfidf", "model=linear_svc_balanced"],
        ),
        ("  + VADER scores", [SENTIMENT, "features=word_char_vader", "model=linear_svc_balanced"]),
        (
            "  + MiniLM embeddings",
            [SENTIMENT, "features=sentiment_blend", "model=linear_svc_balanced"],
        ),
        (
            "  + C=0.3",
            [SENTIMENT, "features=sentiment_blend", "model=linear_svc_balanced", "model.C=0.3"],
        ),
        (
            "  + C=0.1",
            [SENTIMENT, "features=sentiment_blend", "model=linear_svc_balanced", "model.C=0.1"],
        ),
        (
            "  C=0.3, embeddings without VADER",
            [
                SENTIMENT,
                "features=word_char_embeddings",
                "model=linear_svc_balanced",
                "model.C=0.3",
            ],
        ),
        (
            "  + C=0.03",
            [SENTIMENT, "features=sentiment_blend", "model=linear_svc_balanced", "model.C=0.03"],
        ),
        (
            "  C=0.1 without class weights",
            [SENTIMENT, "features=sentiment_blend", "model.C=0.1"],
        ),
        (
            "  C=0.1, embeddings x2",
            [
                SENTIMENT,
                "features=sentiment_blend",
                "model=linear_svc_balanced",
                "model.C=0.1",
                "features.weights={embeddings: 2.0}",
            ],
        ),
        (
            "  C=0.1, per target",
            [
                SENTIMENT,
                "features=sentiment_blend",
                "model=linear_svc_balanced",
                "model.C=0.1",
                "per_target=true",
            ],
        ),
    ],
}


def columns(scores: Any) -> np.ndarray:
    """Decision scores with one column per class; a binary margin s becomes ``[-s/2, s/2]``,
    as in :class:`stance.ScoreBlend`, so sums of members' scores keep their meaning."""
    scores = np.asarray(scores, dtype=float)
    return np.stack([-scores, scores], axis=1) / 2 if scores.ndim == 1 else scores


def out_of_fold(overrides: list[str], seed: int = 0) -> dict[str, Any]:
    """Pooled out-of-fold decision scores of a configuration on the training tweets.

    Returns ``y`` (gold labels), ``scores`` (one column per class of ``classes``), ``labels``
    (the task's labels), ``primary`` (its metric) and ``seconds``.
    """
    cfg = compose([*overrides, f"seed={seed}"])
    task = cfg.task.name
    frame = build(cfg.data.corpus).load(seed)
    train = frame[frame["split"].isin(["train", "dev"])].reset_index(drop=True)
    y = train[task].to_numpy()
    strata = train["target"].astype(str) + "|" + train[task].astype(str)
    scores, classes = None, None
    started = time.perf_counter()
    for fit_rows, held_out in StratifiedKFold(FOLDS, shuffle=True, random_state=seed).split(
        train, strata
    ):
        model = build(cfg.pipeline).fit(train.iloc[fit_rows], y[fit_rows])
        fold = columns(model.decision_function(train.iloc[held_out]))
        if scores is None:
            classes = np.asarray(model.classes_)
            scores = np.zeros((len(train), fold.shape[1]))
        scores[held_out] = fold
    return {
        "y": y,
        "scores": scores,
        "classes": classes,
        "labels": [str(x) for x in cfg.task.labels],
        "primary": str(cfg.evaluation.primary),
        "seconds": time.perf_counter() - started,
    }


def dev_scores(overrides: list[str], seed: int = 0) -> dict[str, Any]:
    """Decision scores on the official dev split of a configuration fitted on train only.

    For corpora with a dev split of their own (SEESAW, DSE); the same keys as
    :func:`out_of_fold`. Test is never scored.
    """
    cfg = compose([*overrides, f"seed={seed}"])
    task = cfg.task.name
    frame = build(cfg.data.corpus).load(seed)
    train = frame[frame["split"] == "train"].reset_index(drop=True)
    dev = frame[frame["split"] == "dev"].reset_index(drop=True)
    started = time.perf_counter()
    model = build(cfg.pipeline).fit(train, train[task].to_numpy())
    return {
        "y": dev[task].to_numpy(),
        "scores": columns(model.decision_function(dev)),
        "classes": np.asarray(model.classes_),
        "labels": [str(x) for x in cfg.task.labels],
        "primary": str(cfg.evaluation.primary),
        "seconds": time.perf_counter() - started,
    }


def oof_score(oof: dict[str, Any], scores: np.ndarray | None = None) -> float:
    """The primary metric of the argmax of `scores` (default: the configuration's own)."""
    chosen = oof["scores"] if scores is None else scores
    predicted = oof["classes"][chosen.argmax(axis=1)]
    return score(oof["primary"], oof["y"], predicted, oof["labels"])


def cross_validate(overrides: list[str], seed: int = 0) -> tuple[float, float]:
    """Pooled out-of-fold primary metric on the training tweets, and the seconds it took."""
    oof = out_of_fold(overrides, seed)
    return oof_score(oof), oof["seconds"]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("task", choices=sorted(CANDIDATES))
    parser.add_argument("--only", type=int, nargs="*", help="candidate numbers to run (0-based)")
    args = parser.parse_args(argv)
    rows = [
        "| # | candidate | CV score | seconds | overrides |",
        "|---:|---|---:|---:|---|",
    ]
    for i, (name, overrides) in enumerate(CANDIDATES[args.task]):
        if args.only is not None and i not in args.only:
            continue
        value, seconds = cross_validate(overrides)
        line = f"| {i} | {name} | {value:.2f} | {seconds:.0f} | `{' '.join(overrides)}` |"
        print(line, flush=True)
        rows.append(line)
    metric = "F_avg" if args.task == "stance" else "macro-F1"
    text = (
        f"# Setting selection, SemEval-2016 {args.task}: {FOLDS}-fold CV on the training tweets\n\n"
        "_Generated by `python experiments/semeval2016_stance/cv_select.py "
        f"{args.task}`; do not edit by hand._ "
        f"Pooled out-of-fold {metric} on the 2,914 training tweets (test never loaded).\n\n"
        + "\n".join(rows)
        + "\n"
    )
    if args.only is None:
        study = HERE.parent / f"semeval2016_{args.task}"  # beside the study it chose for
        (study / f"selection_{args.task}.md").write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
