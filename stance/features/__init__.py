"""Features: text views, n-gram blocks, sentence embeddings, lexicon scores, target augmentation."""

from stance.features.combined import combined_features
from stance.features.embeddings import SentenceEmbeddings
from stance.features.lexicon import VaderScores
from stance.features.ngrams import ngram_features, tfidf
from stance.features.target_views import TargetAugmented
from stance.features.vectorizers import CompactTfidfVectorizer
from stance.features.views import TextView, mark_pair

__all__ = [
    "CompactTfidfVectorizer",
    "SentenceEmbeddings",
    "TargetAugmented",
    "TextView",
    "VaderScores",
    "combined_features",
    "mark_pair",
    "ngram_features",
    "tfidf",
]
