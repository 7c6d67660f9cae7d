"""Tokens of a text for actor recognition: words and single punctuation characters, with
character offsets, and the folded keys the gazetteer is matched on.

Words are maximal runs of letters/digits, so word boundaries always hold ("Indiana" never
contains "India", "USAID" never contains "US"). Keys are accent-folded ("Elysee" == "Élysée")
with apostrophes and hyphens normalised.
"""

from __future__ import annotations

import re
import unicodedata
from typing import NamedTuple

TOKEN_RE = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+|\S")
_FOLD_TABLE = str.maketrans(
    {
        "\u2019": "'",
        "\u2018": "'",
        "\u02bc": "'",
        "`": "'",
        "\u00b4": "'",
        "\u2010": "-",
        "\u2011": "-",
    }
)


def fold(s: str) -> str:
    """Apostrophes and hyphens normalised, accents removed ("Erdoğan" -> "Erdogan")."""
    s = s.translate(_FOLD_TABLE)
    if s.isascii():
        return s
    d = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in d if not unicodedata.combining(ch))


def fold_ascii(text: str) -> str | None:
    """`text` with apostrophes and hyphens normalised when that leaves it ASCII, else None.

    Normalising maps one character to one, so ``fold_ascii(text)[a:b] == fold(text[a:b])`` for
    every token: the tokenisers key a whole ASCII text at once instead of token by token.
    """
    s = text.translate(_FOLD_TABLE)
    return s if s.isascii() else None


class Token(NamedTuple):
    """A word (maximal run of letters/digits) or one punctuation character, with offsets."""

    start: int
    end: int
    key: str  # folded surface
    low: str  # folded, lower-cased
    space: bool  # whitespace (or text start) before the token
    word: bool  # letters/digits
    cap: bool  # word starting with an upper-case letter


def tokenise(text: str) -> list[Token]:
    """The tokens of `text`, in order."""
    folded = fold_ascii(text)
    if folded is not None:
        return _tokenise_ascii(text, folded)
    toks: list[Token] = []
    prev_end = 0
    for m in TOKEN_RE.finditer(text):
        raw = m.group(0)
        key = fold(raw)
        first = raw[0]
        word = first.isalnum() or unicodedata.combining(first) > 0
        toks.append(
            Token(
                m.start(),
                m.end(),
                key,
                key.lower(),
                m.start() > prev_end or m.start() == 0,
                word,
                word and first.isupper(),
            )
        )
        prev_end = m.end()
    return toks


def _tokenise_ascii(text: str, folded: str) -> list[Token]:
    """:func:`tokenise` of a text whose folded form is ASCII: keys sliced from `folded`."""
    lower = folded.lower()
    toks: list[Token] = []
    prev_end = 0
    for m in TOKEN_RE.finditer(text):
        start, end = m.span()
        first = text[start]
        word = first.isalnum() or unicodedata.combining(first) > 0
        fields = (
            start,
            end,
            folded[start:end],
            lower[start:end],
            start > prev_end or start == 0,
            word,
            word and first.isupper(),
        )
        toks.append(_make(Token, fields))  # Token(*fields) without its Python-level __new__
        prev_end = end
    return toks


_make = tuple.__new__


def alias_keys(alias: str) -> tuple[tuple[bool, str, bool | None], ...]:
    """Trie keys of an alias: (flexible-case, folded text, space-before)."""
    keys = []
    prev_end = -1
    for i, m in enumerate(TOKEN_RE.finditer(alias)):
        key = fold(m.group(0))
        flex = any(ch.isalpha() for ch in key) and key == key.lower()
        space: bool | None = None if i == 0 else m.start() > prev_end
        keys.append((flex, key, space))
        prev_end = m.end()
    return tuple(keys)


def lower_first(s: str) -> str:
    """`s` with its first character in lower case."""
    return s[:1].lower() + s[1:]
