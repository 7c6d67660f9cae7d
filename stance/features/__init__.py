"""Features: text views and n-gram blocks."""

from stance.features.ngrams import ngram_features, tfidf
from stance.features.vectorizers import CompactTfidfVectorizer
from stance.features.views import TextView, mark_pair

__all__ = ["CompactTfidfVectorizer", "TextView", "mark_pair", "ngram_features", "tfidf"]
