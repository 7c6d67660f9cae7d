"""Verb-pattern elements and the parser of one pattern line of the PETRARCH verb dictionary.

A pattern line is ``- [pre-verb] * [post-verb] [CODE] # comment``; the two halves hold a small
closed set of elements (``dictionaries.rst``, "Patterns"; TABARI for the slot markers):

- :class:`Words`: a bare word (the head of a noun phrase), ``A_B`` (consecutive words), ``&SET``
  (any member of a synonym set, plurals included) or ``A/B`` (alternatives, 9 patterns); each
  alternative is a tuple of consecutive words. ``FIGHTER_&AIRCRAFT`` mixes them.
- :class:`NounPhrase`: ``{FINANCIAL AID}``, words of one noun phrase; the last is the head.
- :class:`Prep`: ``(FOR {FINANCIAL AID})``, a preposition and what it governs (often nothing:
  ``(TO)``; may hold a slot: ``(TO +)``).
- :class:`Slot`: ``$`` source, ``+`` target, ``^`` skip (matches one noun phrase that is neither
  source nor target: ``SET * OFF (FROM ^)``, as PETRARCH2's ``match_noun`` does), ``%`` compound
  (TABARI: a compound actor, the event is coded between its members; once, ``- % &AIRCRAFT *
  [062:062]``, with a symmetric code).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "Element",
    "NounPhrase",
    "PatternSyntaxError",
    "Prep",
    "Slot",
    "UndefinedSynset",
    "Words",
    "parse_pattern_body",
]

SlotKind = Literal["source", "target", "skip", "compound"]
_SLOTS: dict[str, SlotKind] = {"$": "source", "+": "target", "^": "skip", "%": "compound"}
_TOKEN = re.compile(r"[(){}*]|[^\s(){}*]+")


@dataclass(frozen=True)
class Words:
    """One word position: each alternative is a run of consecutive words (upper-case).

    ``synsets`` names the synonym sets it was expanded from (empty for plain words)."""

    alternatives: tuple[tuple[str, ...], ...]
    synsets: tuple[str, ...] = ()


@dataclass(frozen=True)
class NounPhrase:
    """``{...}``: the words of one noun phrase; :attr:`head` is the last."""

    words: tuple[Words, ...]

    @property
    def head(self) -> Words:
        """The head word of the phrase (its last word)."""
        return self.words[-1]


@dataclass(frozen=True)
class Slot:
    """``$`` (source), ``+`` (target), ``^`` (skip) or ``%`` (compound)."""

    kind: SlotKind


@dataclass(frozen=True)
class Prep:
    """``(PREP ...)``: the preposition (alternatives, usually one) and what it governs."""

    prepositions: tuple[str, ...]
    objects: tuple[Words | NounPhrase | Slot, ...] = ()


Element = Words | NounPhrase | Prep | Slot


class PatternSyntaxError(ValueError):
    """The pattern cannot be read; the message says what is wrong. ``unbalanced`` is True when
    the only trouble is a bracket that closes nothing or is never closed."""

    def __init__(self, message: str, *, unbalanced: bool = False) -> None:
        super().__init__(message)
        self.unbalanced = unbalanced


class UndefinedSynset(ValueError):
    """The pattern uses a synonym set that is not defined (yet); ``args[0]`` is its name."""


@dataclass
class _Reader:
    """Recursive-descent reader over the tokens of one pattern (used while parsing only)."""

    tokens: list[str]
    synsets: Mapping[str, tuple[tuple[str, ...], ...]]
    oddities: list[str]
    position: int = 0

    def peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> str:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def elements(self, stop: str | None) -> tuple[Element, ...]:
        out: list[Element] = []
        while (token := self.peek()) is not None and token != stop:
            out.append(self.element())
        return tuple(out)

    def element(self) -> Element:
        token = self.take()
        if token == "(":
            return self.prep()
        if token == "{":
            return self.noun_phrase()
        if token in (")", "}", "*"):
            raise PatternSyntaxError(f"a '{token}' out of place", unbalanced=token != "*")
        return self.atom(token)

    def atom(self, token: str) -> Words | Slot:
        if token in _SLOTS:
            return Slot(_SLOTS[token])
        return self.words(token)

    def noun_phrase(self) -> NounPhrase:
        words: list[Words] = []
        while (token := self.peek()) != "}":
            if token is None:
                raise PatternSyntaxError("an unclosed '{'", unbalanced=True)
            token = self.take()
            if token in _SLOTS or token in ("(", ")", "{", "*"):
                raise PatternSyntaxError(f"'{token}' inside {{...}}")
            words.append(self.words(token))
        self.take()
        if not words:
            self.oddities.append("empty {} in a pattern (dropped)")
        return NounPhrase(tuple(words))

    def prep(self) -> Prep:
        token = self.peek()
        if token is None or token in ("(", ")", "{", "}", "*") or token in _SLOTS:
            raise PatternSyntaxError("a '(' that does not start with a preposition")
        word = self.take().upper().strip("_")
        if "/" in word:
            self.oddities.append("alternatives A/B in a pattern")
        objects: list[Words | NounPhrase | Slot] = []
        while (token := self.peek()) != ")":
            if token is None:
                raise PatternSyntaxError("an unclosed '('", unbalanced=True)
            element = self.element()
            if isinstance(element, Prep):
                raise PatternSyntaxError("a '(' inside (...)")
            objects.append(element)
        self.take()
        return Prep(tuple(part for part in word.split("/") if part), tuple(objects))

    def words(self, token: str) -> Words:
        """``A``, ``A_B``, ``&SET``, ``A/B`` or a mix joined by ``_``: all alternatives."""
        if token != token.upper():
            self.oddities.append("lower-case letters (upper-cased)")
        parts = token.upper().split("_")
        if "" in parts:
            self.oddities.append("empty word (stray '_')")
        choices: list[tuple[tuple[str, ...], ...]] = []
        names: list[str] = []
        index = 0
        while index < len(parts):
            part = parts[index]
            index += 1
            if not part:
                continue
            if part.startswith("&"):
                # The longest defined label wins: "&FIGHT_OF_WORDS" is one set, while
                # "&FIGHT_CRIM" is the set &FIGHT followed by the word CRIM.
                for end in range(len(parts), index - 1, -1):
                    name = "_".join([part, *parts[index:end]])
                    if name in self.synsets:
                        index = end
                        break
                else:
                    raise UndefinedSynset(part)
                choices.append(self.synsets[name])
                names.append(name)
            elif "/" in part:
                self.oddities.append("alternatives A/B in a pattern")
                choices.append(tuple((alt,) for alt in part.split("/") if alt))
            else:
                choices.append(((part,),))
        if not choices:
            raise PatternSyntaxError(f"no word in {token!r}")
        alternatives = tuple(
            tuple(word for run in combination for word in run)
            for combination in itertools.product(*choices)
        )
        return Words(tuple(dict.fromkeys(alternatives)), tuple(names))


def parse_pattern_body(
    body: str, synsets: Mapping[str, tuple[tuple[str, ...], ...]]
) -> tuple[tuple[Element, ...], tuple[Element, ...], list[str]]:
    """Read ``[pre-verb] * [post-verb]`` (code and comment already removed).

    Returns the elements before and after the verb and the oddities met (to be counted).
    Raises :class:`PatternSyntaxError` or :class:`UndefinedSynset`.
    """
    oddities: list[str] = []
    if body.count("*") != 1:
        raise PatternSyntaxError(f"{body.count('*')} verb markers '*' (one is needed)")
    star = body.index("*")
    before_ok = star == 0 or body[star - 1].isspace()
    after_ok = star == len(body) - 1 or body[star + 1].isspace()
    if not (before_ok and after_ok):
        oddities.append("verb marker '*' joined to a word")
    reader = _Reader(_TOKEN.findall(body), synsets, oddities)
    before = reader.elements(stop="*")
    reader.take()
    after = reader.elements(stop=None)
    return before, after, oddities
