"""Dyads: actor pairs from raw text, counted into who-supports-or-opposes-whom tables.

``extract`` (raw text -> candidate pairs), ``aggregate`` (dyad tables, monthly net stance),
``layout`` and ``plots`` (network, monthly series, triple errors; matplotlib is imported only
there), ``report`` (the files of ``stance dyads``).
"""

from stance.dyads.aggregate import dyad_table, monthly_net_stance, top_dyads
from stance.dyads.extract import ExtractionCounts, candidate_pairs, sentence_actors

__all__ = [
    "ExtractionCounts",
    "candidate_pairs",
    "dyad_table",
    "monthly_net_stance",
    "sentence_actors",
    "top_dyads",
]
