"""DSE variants tried on valid and not kept (experiments/dse/README.md), 5-class figures.

    STANCE_DATA_HOME=../shared/datasets python experiments/dse/dse_variants.py
    STANCE_DATA_HOME=../shared/datasets STANCE_EMBEDDING_CACHE=~/.cache/stance \\
        python experiments/dse/dse_variants.py --embeddings        # + the MiniLM variants
    STANCE_DATA_HOME=../shared/datasets python experiments/dse/dse_variants.py --fine-tune
                                                             # + fine-tuned MiniLM (~20 min)
    STANCE_DATA_HOME=../shared/datasets python experiments/dse/dse_variants.py \
        --fine-tune-items --layers 4 [--epochs 2]            # + MiniLM on the item (~16 min)

Fits on train only and prints valid and test micro/macro-F1 (full and de-duplicated) for:
experiment=dse_ngrams; the same with C=0.1, 0.2, 0.5; + a per-class bias on the SVM scores
chosen on valid; a direct 5-class SVM on the item (same features, forward rows); the sum of the
two; with ``--embeddings`` also a linear SVM on MiniLM sentence embeddings of the marked
sentence and one on the contextual mention embeddings, each alone and added to the
experiment=dse_ngrams scores with the weight that is best on valid; with ``--fine-tune`` a
MiniLM whose top ``--layers`` layers (2) are fine-tuned on the tagged sentences of the directed
rows (model=fine_tuned_encoder), alone and blended the same way; with ``--fine-tune-items`` the
same MiniLM fine-tuned once per item on its five labels (the forward row's tagged sentence; what
experiment=dse_encoder does through stance.PairedDirections), its five log-probabilities blended
with the item scores. Every figure combines the two directed rows by the argmax rule. Settings
are chosen on valid only; test is printed beside them. Results go to
experiments/dse/dse_variants.json (the rows of the variants not asked for this time are kept
from the last run).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.svm import LinearSVC

from stance.config.build import build
from stance.config.compose import compose
from stance.evaluation.directed import five_class_metrics
from stance.features.embeddings import SentenceEmbeddings
from stance.features.mention_embeddings import MentionEmbeddings
from stance.features.pair_views import PairView
from stance.io.atomic import atomic_write
from stance.models import build_model

HERE = Path(__file__).resolve().parent
SPLITS = ("dev", "test")


def items(frame: pd.DataFrame, split: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Forward/backward row positions of each item of `split`, its gold label and duplicate."""
    rows = frame[frame["split"] == split].reset_index()
    forward = rows[rows["direction"] == "forward"].set_index("item_id")
    backward = rows[rows["direction"] == "backward"].set_index("item_id").loc[forward.index]
    return (
        np.stack([forward["index"].to_numpy(), backward["index"].to_numpy()], axis=1),
        forward["dse_label"].astype(int).to_numpy(),
        forward["duplicate"].to_numpy(),
    )


def five_scores(row_scores: np.ndarray, classes: list[str], pairs: np.ndarray) -> np.ndarray:
    """Per item, scores of labels 0-4 from the two directed rows (0: mean neutral score)."""
    forward, backward = row_scores[pairs[:, 0]], row_scores[pairs[:, 1]]
    n, s, o = (classes.index(c) for c in ("neutral", "support", "oppose"))
    return np.stack(
        [(forward[:, n] + backward[:, n]) / 2, forward[:, s], backward[:, s], forward[:, o],
         backward[:, o]], axis=1,
    )  # fmt: skip


def figures(scores: np.ndarray, gold: np.ndarray, duplicate: np.ndarray) -> list[float]:
    predicted = scores.argmax(axis=1)
    full = five_class_metrics(gold, predicted, n_resamples=0)
    kept = five_class_metrics(gold[~duplicate], predicted[~duplicate], n_resamples=0)
    return [round(float(m[k]), 2) for m in (full, kept) for k in ("micro_f1", "macro_f1")]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--embeddings", action="store_true", help="also the MiniLM variants")
    parser.add_argument(
        "--fine-tune", action="store_true", help="also the fine-tuned MiniLM (about 20 minutes)"
    )
    parser.add_argument(
        "--fine-tune-items",
        action="store_true",
        help="also a MiniLM fine-tuned on whole items, 5 classes (about 15 minutes)",
    )
    parser.add_argument(
        "--layers", type=int, default=2, help="top MiniLM layers fine-tuned (default 2)"
    )
    parser.add_argument("--epochs", type=int, default=2, help="fine-tuning epochs (default 2)")
    args = parser.parse_args()
    cfg = compose(["experiment=dse_ngrams"])
    frame = build(cfg.data.corpus).load(42).reset_index(drop=True)
    train = frame[frame["split"] == "train"]
    per_split = {s: items(frame, s) for s in SPLITS}
    out: dict[str, dict[str, list[float]]] = {}

    def report(name: str, five: dict[str, np.ndarray]) -> None:
        out[name] = {s: figures(five[s], *per_split[s][1:]) for s in SPLITS}
        print(f"{name:55s} valid {out[name]['dev']}  test {out[name]['test']}", flush=True)

    needed = np.sort(np.concatenate([per_split[s][0].ravel() for s in SPLITS]))

    def directed(model, features) -> dict[str, np.ndarray]:
        """Five item scores per split; the model scores only the valid and test rows."""
        rows = features.iloc[needed] if hasattr(features, "iloc") else features[needed]
        scores = np.zeros((len(frame), len(model.classes_)))
        scores[needed] = model.decision_function(rows)
        classes = [str(c) for c in model.classes_]
        return {s: five_scores(scores, classes, per_split[s][0]) for s in SPLITS}

    pipeline = build(cfg.pipeline).fit(train, train["stance"].to_numpy())
    base = directed(pipeline, frame)
    report("experiment=dse_ngrams", base)

    for c in (0.1, 0.2, 0.5):
        other = build(compose(["experiment=dse_ngrams", f"model.C={c}"]).pipeline)
        report(
            f"experiment=dse_ngrams with C={c}", directed(other.fit(train, train["stance"]), frame)
        )

    grid = np.round(np.arange(-0.6, 0.61, 0.1), 1)
    best = max(
        (np.array([0.0, a, a, b, b]) for a, b in itertools.product(grid, grid)),
        key=lambda bias: figures(base["dev"] + bias, *per_split["dev"][1:])[1],
    )
    report(f"+ per-class bias chosen on valid {best.tolist()}", {s: base[s] + best for s in SPLITS})

    forward = frame[frame["direction"] == "forward"]
    item_model = build(cfg.pipeline).fit(
        forward[forward["split"] == "train"], forward[forward["split"] == "train"]["dse_label"]
    )
    direct = {s: item_model.decision_function(frame.loc[per_split[s][0][:, 0]]) for s in SPLITS}
    report("direct 5-class SVM on the item", direct)
    report(
        "experiment=dse_ngrams + direct 5-class SVM (sum)", {s: base[s] + direct[s] for s in SPLITS}
    )

    def blended(name: str, alone: dict[str, np.ndarray]) -> None:
        report(f"{name}, alone", alone)
        weight = max(
            (0.0, 0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0),
            key=lambda w: figures(base["dev"] + w * alone["dev"], *per_split["dev"][1:])[1],
        )
        report(
            f"experiment=dse_ngrams + {weight} x ({name}) (weight chosen on valid)",
            {s: base[s] + weight * alone[s] for s in SPLITS},
        )

    # The bare encoder of experiment=dse_encoder (tagged sentence -> MiniLM), without the
    # PairedDirections wrapper: each variant below feeds it its own rows and labels.
    tuned = compose([
        "experiment=dse_encoder", f"model.trainable_layers={args.layers}",
        f"model.epochs={args.epochs}",
    ])  # fmt: skip
    epochs = f"{args.epochs} epochs"
    if args.fine_tune:
        encoder = build_model(build(tuned.features), build(tuned.model))
        encoder.fit(train, train["stance"].to_numpy())
        blended(f"MiniLM, top {args.layers} layers fine-tuned on the tagged sentence ({epochs})",
                directed(encoder, frame))  # fmt: skip

    if args.fine_tune_items:
        first = forward[forward["split"] == "train"]
        encoder = build_model(build(tuned.features), build(tuned.model))
        encoder.fit(first, first["dse_label"].astype(int).to_numpy())
        if [int(c) for c in encoder.classes_] != [0, 1, 2, 3, 4]:
            raise SystemExit("dse_variants.py: the item encoder did not see all five labels.")
        blended(
            f"MiniLM, top {args.layers} layers fine-tuned on the item (5 classes, {epochs})",
            {s: encoder.decision_function(frame.loc[per_split[s][0][:, 0]]) for s in SPLITS},
        )

    if args.embeddings:
        cache = os.environ.get("STANCE_EMBEDDING_CACHE")
        marked = PairView(source_token="SOURCE", target_token="TARGET").fit(frame)
        texts = marked.transform(frame)
        variants = {
            "MiniLM sentence embedding of the marked sentence": SentenceEmbeddings(cache_dir=cache)
            .fit(texts[:1])
            .transform(texts),
            "MiniLM contextual embeddings of the two mentions": MentionEmbeddings(cache_dir=cache)
            .fit(frame)
            .transform(frame),
        }
        is_train = (frame["split"] == "train").to_numpy()
        for name, matrix in variants.items():
            svm = LinearSVC(C=0.3, class_weight="balanced").fit(
                matrix[is_train], frame["stance"][is_train]
            )
            blended(name, directed(svm, matrix))
    target = HERE / "dse_variants.json"
    kept = json.loads(target.read_text())["rows"] if target.is_file() else {}
    result = {"columns": ["micro", "macro", "dedup micro", "dedup macro"], "rows": {**kept, **out}}
    target.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(target, lambda p: p.write_text(json.dumps(result, indent=2) + "\n"))


if __name__ == "__main__":
    main()
