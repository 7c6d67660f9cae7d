"""Event-data dictionaries: the PETRARCH verb dictionary and CAMEO/PLOVER event codes.

>>> from stance.events import read_verb_file, quad_class
>>> quad_class("190")
4
"""

from .codes import (
    EventCode,
    PloverTable,
    PloverType,
    parse_event_code,
    plover_type,
    quad_class,
    read_plover_table,
)
from .patterns import Element, NounPhrase, Prep, Slot, Words
from .verbs import (
    Pattern,
    Synset,
    Transformation,
    Verb,
    VerbBlock,
    VerbDictionary,
    VerbForm,
    inflect,
    load_verb_file,
    read_verb_file,
)

__all__ = [
    "Element",
    "EventCode",
    "NounPhrase",
    "Pattern",
    "PloverTable",
    "PloverType",
    "Prep",
    "Slot",
    "Synset",
    "Transformation",
    "Verb",
    "VerbBlock",
    "VerbDictionary",
    "VerbForm",
    "Words",
    "inflect",
    "load_verb_file",
    "parse_event_code",
    "plover_type",
    "quad_class",
    "read_plover_table",
    "read_verb_file",
]
