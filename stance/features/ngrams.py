"""N-gram feature pipelines built from config."""

from __future__ import annotations

from typing import Any

from sklearn.pipeline import FeatureUnion, Pipeline

from stance.features.vectorizers import CompactTfidfVectorizer
from stance.features.views import TextView


def tfidf(**params: Any) -> CompactTfidfVectorizer:
    """A TF-IDF vectorizer; YAML lists for ``ngram_range`` become the tuple sklearn expects."""
    if "ngram_range" in params:
        params["ngram_range"] = tuple(params["ngram_range"])
    return CompactTfidfVectorizer(**params)


def ngram_features(
    view: TextView | None = None,
    word: dict[str, Any] | None = None,
    char: dict[str, Any] | None = None,
) -> Pipeline:
    """A text view followed by word and/or character TF-IDF n-grams.

    `word` and `char` are TfidfVectorizer parameters (``None`` leaves that block out); the
    character block defaults to ``analyzer="char_wb"``.
    """
    blocks = []
    if word is not None:
        blocks.append(("word", tfidf(**{"analyzer": "word", **word})))
    if char is not None:
        blocks.append(("char", tfidf(**{"analyzer": "char_wb", **char})))
    if not blocks:
        raise ValueError("ngram_features: give at least one of `word` or `char`.")
    return Pipeline([("view", view or TextView()), ("ngrams", FeatureUnion(blocks))])
