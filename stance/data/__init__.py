"""Corpora in one statement schema, read through Hugging Face ``datasets``."""

from stance.data.corpora import CORPORA, SemEval2016, Statements, TweetEvalStance, load_corpus
from stance.data.corpus import Corpus
from stance.data.events_corpus import Events
from stance.data.home import data_home
from stance.data.local import LocalCorpus
from stance.data.mix import Mix

__all__ = [
    "CORPORA",
    "Corpus",
    "Events",
    "LocalCorpus",
    "Mix",
    "SemEval2016",
    "Statements",
    "TweetEvalStance",
    "data_home",
    "load_corpus",
]
