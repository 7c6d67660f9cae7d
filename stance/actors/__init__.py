"""Actor recognition: gazetteer-based detection and normalisation of states, organisations and
their leaders in news text.

>>> from stance.actors import find_actors
>>> [(m.text, m.actor) for m in find_actors("The Kremlin rejected Washington's offer.")]
[('The Kremlin', 'RUS'), ('Washington', 'USA')]
"""

from .gazetteer import Gazetteer, is_valid_actor_id, load_gazetteer
from .recognizer import ActorRecognizer, Mention, find_actors
from .sentences import split_sentences

__all__ = [
    "ActorRecognizer",
    "Gazetteer",
    "Mention",
    "find_actors",
    "is_valid_actor_id",
    "load_gazetteer",
    "split_sentences",
]
