"""Scores of raw text's actor pairs, each sentence's character n-grams counted once (issue 25).

A sentence naming k actors gives k(k-1) ordered pairs. The pair view of each
(:func:`~stance.features.views.mark_pair`: the sentence with both mentions replaced by tokens)
differs from the sentence only in the words a mention touches. A ``char_wb`` vectorizer counts
the n-grams of each whitespace-separated word on its own, so a view's counts are the
sentence's, less those of the words a mention touches, plus those of what the view has in their
place: the tokens and the pieces of those words the mentions leave. That is the matrix the
vectorizer's ``transform`` gives, entry for entry (tested against it); the TF-IDF weighting is
the vectorizer's own. Word n-grams span words: those blocks are computed from the views as
usual. A model of any other shape gets None here and is scored by its own pipeline.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from itertools import chain
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline

from stance.features.views import TextView, pair_spans

_WORD = re.compile(r"\S+")  # the words of str.split(): runs of non-whitespace


def pair_scores(estimator: Any, view: pd.DataFrame) -> np.ndarray | None:
    """Per-class scores of the pair rows in `view` (``text``: the sentence, ``source_mention``,
    ``target_mention``), as :func:`~stance.predict.model.class_scores` gives them; None when
    `estimator` is not a pair-view n-gram pipeline (``TextView(mode="pair")``, a FeatureUnion of
    TF-IDF vectorizers, a classifier)."""
    parts = _parts(estimator)
    if parts is None:
        return None
    text_view, union, classifier = parts
    docs = None
    blocks = []
    for _, vectorizer in union.transformer_list:
        if _countable(vectorizer):
            blocks.append(_char_wb_tfidf(vectorizer, text_view, view))
        else:
            docs = text_view.transform(view) if docs is None else docs
            blocks.append(vectorizer.transform(docs))
    X = sp.hstack(blocks).tocsr()  # what FeatureUnion does with sparse blocks
    if hasattr(classifier, "predict_proba"):
        return np.asarray(classifier.predict_proba(X))
    scores = np.asarray(classifier.decision_function(X))
    return np.column_stack([-scores, scores]) if scores.ndim == 1 else scores


def _parts(estimator: Any) -> tuple[TextView, FeatureUnion, Any] | None:
    """(view, union, classifier) of a ``Pipeline([features, classifier])`` whose features are
    ``Pipeline([TextView(mode="pair"), FeatureUnion(TF-IDF vectorizers)])``; else None."""
    if not isinstance(estimator, Pipeline) or len(estimator.steps) != 2:
        return None
    features, classifier = (step for _, step in estimator.steps)
    if not isinstance(features, Pipeline) or len(features.steps) != 2:
        return None
    text_view, union = (step for _, step in features.steps)
    if type(text_view) is not TextView or text_view.mode != "pair":
        return None
    if not isinstance(union, FeatureUnion) or union.transformer_weights:
        return None
    if not all(isinstance(v, TfidfVectorizer) for _, v in union.transformer_list):
        return None
    if not hasattr(classifier, "decision_function") and not hasattr(classifier, "predict_proba"):
        return None
    return text_view, union, classifier


def _countable(vectorizer: TfidfVectorizer) -> bool:
    """A fitted ``char_wb`` vectorizer whose n-grams are those of each word on its own."""
    return (
        vectorizer.analyzer == "char_wb"
        and vectorizer.input == "content"
        and vectorizer.preprocessor is None
        and vectorizer.strip_accents is None
        and hasattr(vectorizer, "vocabulary_")
        and hasattr(vectorizer, "_tfidf")
    )


def _char_wb_tfidf(vectorizer: TfidfVectorizer, text_view: TextView, view: pd.DataFrame) -> Any:
    """``vectorizer.transform`` of the pair views of `view`'s rows, counted per sentence."""
    words = _WordCounts(vectorizer)
    last, known = None, ([], [], {})  # a sentence's pairs come one after another: count it once
    j_indices: list[int] = []
    values: list[int] = []
    indptr = [0]
    tokens = (text_view.source_token, text_view.target_token)
    for text, source, target in zip(
        view["text"], view["source_mention"], view["target_mention"], strict=True
    ):
        text = str(text)
        if text != last:
            spans = [m.span() for m in _WORD.finditer(text)]
            counted = Counter(chain.from_iterable(words(text[a:b]) for a, b in spans))
            last, known = text, (spans, [b for _, b in spans], dict(counted))
        counts = _pair_counts(text, known, pair_spans(text, source, target, *tokens), words)
        j_indices.extend(counts)
        values.extend(counts.values())
        indptr.append(len(j_indices))
    big = indptr[-1] > np.iinfo(np.int32).max
    index_type = np.int64 if big else np.int32
    X = sp.csr_array(
        (
            np.asarray(values, dtype=np.intc),
            np.asarray(j_indices, dtype=index_type),
            np.asarray(indptr, dtype=index_type),
        ),
        shape=(len(indptr) - 1, len(vectorizer.vocabulary_)),
        dtype=vectorizer.dtype,
    )
    X.sort_indices()
    if vectorizer.binary:
        X.data.fill(1)
    return vectorizer._tfidf.transform(X, copy=False)  # TfidfVectorizer.transform's last step


def _pair_counts(
    text: str,
    sentence: tuple[list[tuple[int, int]], list[int], dict[int, int]],
    marked: tuple[list[str], list[tuple[int, int, str]]],
    words: Callable[[str], tuple[int, ...]],
) -> dict[int, int]:
    """The n-gram counts of one pair view: the sentence's, with the words the spans touch
    taken out and the view's words in their place (the prefix, the tokens, the pieces)."""
    spans, ends, base = sentence  # the words' (start, end), their ends, the n-gram counts
    prefix, marks = marked
    counts = dict(base)
    added: list[str] = [w for p in prefix for w in p.split()]
    touched: set[int] = set()
    for start, end, token in marks:
        added += token.split()
        i = bisect_right(ends, start)  # the first word ending after the span starts
        while i < len(spans) and spans[i][0] < end:
            touched.add(i)
            i += 1
    taken: list[int] = []
    for i in touched:
        a, b = spans[i]
        taken += words(text[a:b])
        cursor = a
        for start, end, _ in marks:  # the pieces of the word no span covers
            if end <= a or start >= b:
                continue
            if start > cursor:
                added.append(text[cursor:start])
            cursor = end  # spans never overlap
        if cursor < b:
            added.append(text[cursor:b])
    for index in taken:
        counts[index] -= 1
    for word in added:
        for index in words(word):
            counts[index] = counts.get(index, 0) + 1
    for index in taken:  # the transform has no zero entries
        if counts.get(index) == 0:
            del counts[index]
    return counts


class _WordCounts:
    """The vocabulary columns of one word's n-grams (repeats kept), remembered per word."""

    def __init__(self, vectorizer: TfidfVectorizer) -> None:
        self._analyze = vectorizer.build_analyzer()
        self._vocabulary = vectorizer.vocabulary_
        self._seen: dict[str, tuple[int, ...]] = {}

    def __call__(self, word: str) -> tuple[int, ...]:
        hit = self._seen.get(word)
        if hit is None:
            found = map(self._vocabulary.get, self._analyze(word))
            hit = self._seen[word] = tuple(i for i in found if i is not None)
        return hit
