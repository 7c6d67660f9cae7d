"""Phrases of the CAMEO/PETRARCH dictionaries: words joined by ``_`` or blanks, and plurals.

A phrase string is words separated by ``_`` (the words must be consecutive) or by blanks (other
words may come in between: ``CHIEF EXECUTIVE``); a ``_`` at the very end marks the end of a word
in TABARI's actor files, so a phrase that does *not* end in ``_`` is a stem (``AFGHAN`` also
matches ``AFGHANISTAN``). Empty words from repeated ``_`` (``RAMCIEL___``) are dropped and an
``_`` directly before a blank (``FOR_ YOUTH``) counts as a blank; the callers count both.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

__all__ = ["ParsedPhrase", "Phrase", "parse_phrase", "regular_plural"]

_VOWELS = frozenset("AEIOU")
_PLAIN = re.compile(r"[^\s_]+(?:_[^\s_]+)*_?")


@dataclass(frozen=True)
class Phrase:
    """A dictionary phrase.

    Attributes
    ----------
    words : the words, upper-case.
    stem : True when the last word may continue (TABARI stem: the phrase did not end in ``_``).
    gaps : the indices ``i`` after which other words may come before ``words[i + 1]`` (a blank
        in the file); all other neighbours are consecutive (``_``).
    """

    words: tuple[str, ...]
    stem: bool = False
    gaps: tuple[int, ...] = ()

    def __str__(self) -> str:
        joined = "".join(
            word + (" " if i in self.gaps else "_") for i, word in enumerate(self.words)
        )
        return joined[:-1] + ("" if self.stem else "_")


class ParsedPhrase(NamedTuple):
    """What :func:`parse_phrase` read: the phrase and the oddities it met."""

    phrase: Phrase
    ended_with_underscore: bool
    empty_words: int
    underscore_blank: int
    lower_case: bool


def parse_phrase(text: str) -> ParsedPhrase:
    """Read a phrase string such as ``AL_QAEDA_`` or ``CHIEF EXECUTIVE``.

    Raises ``ValueError`` when there is no word at all.
    """
    raw = text.strip()
    if _PLAIN.fullmatch(raw) and raw == raw.upper():  # the common case: A_B_C or A_B_C_
        ended = raw.endswith("_")
        words = tuple((raw[:-1] if ended else raw).split("_"))
        return ParsedPhrase(Phrase(words, stem=not ended), ended, 0, 0, False)
    body = raw.upper()
    ended = body.endswith("_")
    chunks = body.split()
    words: list[str] = []
    gaps: set[int] = set()
    empty = 0
    underscore_blank = 0
    for index, chunk in enumerate(chunks):
        parts = chunk.split("_")
        last = index == len(chunks) - 1
        if chunk.endswith("_"):  # the stop marker, or "_" directly before a blank
            parts = parts[:-1]
            underscore_blank += not last
        if chunk.startswith("_") and index > 0:  # a blank directly before "_"
            parts = parts[1:]
            underscore_blank += 1
        for part in parts:
            if part:
                words.append(part)
            else:
                empty += 1
        if words and not last:
            gaps.add(len(words) - 1)
    if not words:
        raise ValueError(f"no word in phrase {text!r}")
    return ParsedPhrase(
        Phrase(
            tuple(words), stem=not ended, gaps=tuple(sorted(g for g in gaps if g < len(words) - 1))
        ),
        ended_with_underscore=ended,
        empty_words=empty,
        underscore_blank=underscore_blank,
        lower_case=raw != body,
    )


def regular_plural(word: str) -> str:
    """The regular plural of ``word`` by the rule of ``dictionaries.rst``.

    ``S`` is added; a word ending in ``SS`` takes ``ES`` (``BOSSES``); a word ending in a
    consonant and ``Y`` takes ``IES`` (``MILITIES``). One refinement of the rst's wording ("IES
    if the root ends in Y"): after a vowel, ``Y`` takes a plain ``S`` (``ENVOYS``, not
    ``ENVOIES``, which never occurs in text).
    """
    if word.endswith("SS"):
        return word + "ES"
    if word.endswith("Y") and len(word) > 1 and word[-2] not in _VOWELS:
        return word[:-1] + "IES"
    return word + "S"
