"""Feature blocks joined into one matrix: n-grams, sentence embeddings, lexicon scores.

Built from config by :func:`combined_features`; each block reads the statement rows through
its own :class:`~stance.features.TextView`, so the blocks are independent of each other.
"""

from __future__ import annotations

from typing import Any

from sklearn.base import clone
from sklearn.pipeline import FeatureUnion, Pipeline

from stance.features.embeddings import SentenceEmbeddings
from stance.features.lexicon import VaderScores
from stance.features.ngrams import ngram_features
from stance.features.target_views import TargetAugmented
from stance.features.views import TextView


def combined_features(
    view: TextView | None = None,
    word: dict[str, Any] | None = None,
    char: dict[str, Any] | None = None,
    embeddings: dict[str, Any] | None = None,
    lexicon: dict[str, Any] | None = None,
    weights: dict[str, float] | None = None,
    by_target: dict[str, Any] | None = None,
) -> FeatureUnion | TargetAugmented:
    """The union of the configured blocks, optionally augmented per target.

    Parameters
    ----------
    view : the text view of the n-gram block (default: the text as it is).
    word, char : parameters of the word / character TF-IDF blocks, as for
        :func:`~stance.features.ngram_features` (``None`` leaves a block out).
    embeddings : :class:`~stance.features.embeddings.SentenceEmbeddings` parameters, read from
        the raw text (``None`` leaves the block out).
    lexicon : :class:`~stance.features.lexicon.VaderScores` parameters, read from the raw text.
    weights : a multiplier per block name (``ngrams``, ``embeddings``, ``lexicon``); 1 if absent.
    by_target : :class:`~stance.features.target_views.TargetAugmented` parameters (e.g.
        ``{"shared_weight": 0.5}``) to give each target its own copy of every feature.
    """
    blocks = []
    if word is not None or char is not None:
        blocks.append(("ngrams", ngram_features(view or TextView(), word, char)))
    if embeddings is not None:
        blocks.append(("embeddings", _raw_text(SentenceEmbeddings(**embeddings), "embed", view)))
    if lexicon is not None:
        blocks.append(("lexicon", _raw_text(VaderScores(**_tuples(lexicon)), "vader", view)))
    if not blocks:
        raise ValueError("combined_features: give at least one of word, char, embeddings, lexicon.")
    unknown = sorted(set(weights or {}) - {name for name, _ in blocks})
    if unknown:
        raise ValueError(f"combined_features: weights for blocks that are not there: {unknown}.")
    union = FeatureUnion(blocks, transformer_weights=dict(weights) if weights else None)
    return TargetAugmented(union, **by_target) if by_target is not None else union


def _raw_text(step, name: str, view: TextView | None) -> Pipeline:
    """`step` reading the raw text (a text-mode copy of `view`'s settings, else a plain view)."""
    text_view = clone(view) if view is not None and view.mode == "text" else TextView()
    return Pipeline([("view", text_view), (name, step)])


def _tuples(params: dict[str, Any]) -> dict[str, Any]:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in params.items()}
