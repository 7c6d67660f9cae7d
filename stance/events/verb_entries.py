"""What a verb dictionary holds: verbs with their forms, blocks, patterns and synonym sets.

Frozen data read by :func:`stance.events.verbs.read_verb_file`; :func:`inflect` makes the regular
forms of a verb (the rules are in :mod:`stance.events.verbs`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from stance.events.codes import EventCode
from stance.events.patterns import Element

__all__ = [
    "Pattern",
    "Synset",
    "Transformation",
    "Verb",
    "VerbBlock",
    "VerbDictionary",
    "VerbForm",
    "inflect",
]

_VOWELS = frozenset("AEIOU")


@dataclass(frozen=True)
class VerbForm:
    """A surface form: its words and the index of the inflected verb word."""

    words: tuple[str, ...]
    head: int = 0

    def __str__(self) -> str:
        return " ".join(self.words)


@dataclass(frozen=True)
class Verb:
    """A verb of a block: its forms (the lemma first), its code (its own, else the block's)."""

    forms: tuple[VerbForm, ...]
    code: EventCode
    own_code: bool
    block: str
    where: str

    @property
    def lemma(self) -> VerbForm:
        """The form the line starts with."""
        return self.forms[0]

    @property
    def strings(self) -> frozenset[str]:
        """Every form as one string, words joined by blanks (``CORDONED OFF``)."""
        return frozenset(str(form) for form in self.forms)


@dataclass(frozen=True)
class Pattern:
    """A pattern of a verb block: elements before and after the verb, its code."""

    before: tuple[Element, ...]
    after: tuple[Element, ...]
    code: EventCode
    block: str
    where: str
    note: str | None = None


@dataclass(frozen=True)
class Synset:
    """A synonym set: its members (consecutive-word tuples, plurals included)."""

    name: str
    members: tuple[tuple[str, ...], ...]
    plurals: bool
    where: str


@dataclass(frozen=True)
class VerbBlock:
    """A ``--- NAME [CODE] ---`` block: its verbs and patterns."""

    name: str
    code: EventCode
    verbs: tuple[Verb, ...]
    patterns: tuple[Pattern, ...]
    where: str


@dataclass(frozen=True)
class Transformation:
    """A ``~ pattern = result`` line, as tokens (not interpreted)."""

    pattern: tuple[str, ...]
    result: tuple[str, ...]
    where: str


@dataclass(frozen=True)
class VerbDictionary:
    """Everything read from one verb file, and the counts of what was skipped or tolerated."""

    path: str
    synsets: Mapping[str, Synset]
    blocks: tuple[VerbBlock, ...]
    transformations: tuple[Transformation, ...] = ()
    skipped: Mapping[str, int] = field(default_factory=dict)
    tolerated: Mapping[str, int] = field(default_factory=dict)
    encoding: str = "utf-8"

    @property
    def verbs(self) -> tuple[Verb, ...]:
        """The verbs of all blocks, in file order."""
        return tuple(verb for block in self.blocks for verb in block.verbs)

    @property
    def patterns(self) -> tuple[Pattern, ...]:
        """The patterns of all blocks, in file order."""
        return tuple(pattern for block in self.blocks for pattern in block.patterns)

    def __iter__(self) -> Iterator[VerbBlock]:
        return iter(self.blocks)


def inflect(verb: str) -> tuple[str, str, str]:
    """The regular ``-S``, ``-ED`` and ``-ING`` forms of ``verb`` (rules in the module doc)."""
    consonant_y = verb.endswith("Y") and len(verb) > 1 and verb[-2] not in _VOWELS
    if verb.endswith(("S", "X", "Z", "SH", "CH")):
        third = verb + "ES"
    else:
        third = verb[:-1] + "IES" if consonant_y else verb + "S"
    past = verb + "D" if verb.endswith("E") else verb[:-1] + "IED" if consonant_y else verb + "ED"
    if verb.endswith("IE"):
        gerund = verb[:-2] + "YING"
    elif verb.endswith("E") and len(verb) > 1 and verb[-2] not in "AEIOUY":
        gerund = verb[:-1] + "ING"
    else:
        gerund = verb + "ING"
    return third, past, gerund
