"""Small saved models and generated inputs for the prediction tests (seconds to make)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.pipeline import make_pipeline
from sklearn.svm import LinearSVC

from stance.features import ngram_features
from stance.features.pair_views import PairView
from stance.io.model_files import save_model
from stance.models import build_model

LABELS = ["support", "oppose", "neutral"]


def text_model(folder: Path, seed: int = 0) -> Path:
    """A target-free stance model reading ``text`` only, saved in `folder`/model."""
    texts = ["we back this", "we oppose that", "a neutral note", "strong support", "firm no"] * 8
    labels = ["support", "oppose", "neutral", "support", "oppose"] * 8
    estimator = build_model(ngram_features(word={}), LinearSVC(random_state=seed))
    estimator.fit(pd.DataFrame({"text": texts}), np.array(labels))
    meta = {"task": "stance", "labels": LABELS, "input_columns": ["text"]}
    save_model(estimator, folder / "model", meta)
    return folder


def pair_model(folder: Path) -> Path:
    """A pair model (text, source_mention, target_mention), which also labels raw text."""
    rows = pd.DataFrame(
        {
            "text": [
                "Russia condemned China over the deal.",
                "France backs Germany on the budget.",
                "Japan met India in Delhi.",
            ]
            * 6,
            "source_mention": ["Russia", "France", "Japan"] * 6,
            "target_mention": ["China", "Germany", "India"] * 6,
        }
    )
    estimator = build_model(make_pipeline(PairView(), CountVectorizer()), LinearSVC())
    estimator.fit(rows, np.array(["oppose", "support", "neutral"] * 6))
    meta = {
        "task": "stance",
        "labels": LABELS,
        "input_columns": ["text", "source_mention", "target_mention"],
    }
    save_model(estimator, folder / "model", meta)
    return folder


def statements(path: Path, n: int, seed: int = 0) -> Path:
    """`n` rows of ``id``, ``text`` (some quoted, with commas and line breaks) as csv."""
    rng = np.random.default_rng(seed)
    words = np.array(["we", "back", "oppose", "support", "note", "firm", "no", "this", "that"])
    extra = np.array(["", ", said he", ' "quoted"', "\non two lines"])
    texts = [" ".join(rng.choice(words, 6)) + rng.choice(extra) for _ in range(n)]
    pd.DataFrame({"id": range(n), "text": texts}).to_csv(path, index=False)
    return path


def news(path: Path, n: int, seed: int = 0) -> Path:
    """`n` raw news texts naming two or three states each, with ``id`` and ``date``, as csv."""
    rng = np.random.default_rng(seed)
    states = ["Russia", "China", "France", "Germany", "Japan", "India", "Brazil", "Canada"]
    verbs = ["condemned", "backs", "met", "criticised", "praised"]
    texts = []
    for _ in range(n):
        a, b, c = rng.choice(states, 3, replace=False)
        text = f"{a} {rng.choice(verbs)} {b} over the deal."
        if rng.random() < 0.5:
            text += f" {c} {rng.choice(verbs)} {a}."
        texts.append(text)
    dates = pd.date_range("2024-01-01", periods=n, freq="h").strftime("%Y-%m-%d")
    pd.DataFrame({"id": [f"n{i}" for i in range(n)], "date": dates, "text": texts}).to_csv(
        path, index=False
    )
    return path
