"""Matching one verb pattern of the index against the tokens of a sentence (for
:class:`stance.events.coder.EventCoder`): the elements compiled to sets once, each element
found within :data:`WINDOW` words of the last, an actor mention counting as one word."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from stance.events.sentence import CLAUSE_END, SentenceDoc

__all__ = ["CLAUSE_END", "WINDOW", "compile_pattern", "match_pattern"]

#: How many words may come between two matched pattern elements.
WINDOW = 4


def match_pattern(
    doc: SentenceDoc, before: list, after: list, start: int, end: int
) -> tuple[int, int, dict[str, list[int]]] | None:
    """(score, end of the match, slot bindings) when every element matches, else None."""
    bound: dict[str, list[int]] = {}
    score = 0
    position = end
    for element in after:
        hit = _find(doc, element, position, +1, bound)
        if hit is None:
            return None
        position, gained = hit
        score += gained
    back = start - 1
    for element in reversed(before):
        hit = _find(doc, element, back, -1, bound)
        if hit is None:
            return None
        back, gained = hit
        score += gained
    return score, position, bound


def _find(
    doc: SentenceDoc, element: list[Any], position: int, step: int, bound: dict[str, list[int]]
) -> tuple[int, int] | None:
    """Match `element` within the window from `position` going `step`; (next position, score)."""
    i = position
    for _ in range(WINDOW + 1):
        if not (0 <= i < doc.n) or doc.keys[i] in CLAUSE_END:
            return None
        hit = _at(doc, element, i, step, bound)
        if hit is not None:
            return hit
        k = doc.owner[i]
        if k >= 0:  # an actor mention counts as one word of the window
            a, b = doc.spans[k]
            i = b if step > 0 else a - 1
        else:
            i += step
    return None


def _at(
    doc: SentenceDoc, element: list[Any], i: int, step: int, bound: dict[str, list[int]]
) -> tuple[int, int] | None:
    kind = element[0]
    if kind == "w":
        if doc.keys[i] in element[1]:
            return (i + 1 if step > 0 else i - 1), 1
        # only the phrases whose first (going forward) or last word (going back) is this one
        for alternative in element[3 if step > 0 else 4].get(doc.keys[i], ()):
            size = len(alternative)
            words = doc.keys[i : i + size] if step > 0 else doc.keys[i - size + 1 : i + 1]
            if _same(words, alternative):
                return (i + size if step > 0 else i - size), 1
        return None
    if kind == "np":
        position, total = i, 0
        for word in element[1] if step > 0 else reversed(element[1]):
            hit = (
                _find(doc, word, position, step, bound) if total else _at(doc, word, i, step, bound)
            )
            if hit is None:
                return None
            position, gained = hit
            total += gained
        return position, total
    if kind == "p":
        if doc.keys[i] not in element[1]:
            return None
        position, total = i + step, 1
        for obj in element[2]:
            hit = _find(doc, obj, position, step, bound)
            if hit is None:
                return None
            position, gained = hit
            total += gained
        return position, total
    slot = element[1]
    k = doc.mention_at(i) if step > 0 else doc.owner[i]
    if k < 0:
        return None
    if slot in ("source", "target"):
        bound.setdefault(slot, []).append(k)
    a, b = doc.spans[k]
    return (b if step > 0 else a - 1), 0


def compile_pattern(pattern: Sequence[Any]) -> tuple:
    """A pattern of the index with its word elements as sets, and the words it needs."""
    before, after, forward, reverse, where = pattern
    needs: list[frozenset[str]] = []
    compiled_before = [_compile_element(e, needs) for e in before]
    compiled_after = [_compile_element(e, needs) for e in after]
    return compiled_before, compiled_after, needs, forward, reverse, where


def _compile_element(element: list[Any], needs: list[frozenset[str]]) -> tuple:
    kind = element[0]
    if kind == "w":
        singles = frozenset(a[0] for a in element[1] if len(a) == 1)
        singles |= frozenset(w + "S" for w in singles)
        multis = tuple(tuple(a) for a in element[1] if len(a) > 1)
        needs.append(singles | frozenset(m[0] for m in multis))
        return ("w", singles, multis, _by_word(multis, 0), _by_word(multis, -1))
    if kind == "np":
        return ("np", [_compile_element(w, needs) for w in element[1]])
    if kind == "p":
        needs.append(frozenset(element[1]))
        return ("p", frozenset(element[1]), [_compile_element(o, needs) for o in element[2]])
    return ("s", element[1])


def _by_word(phrases: tuple[tuple[str, ...], ...], at: int) -> dict[str, tuple]:
    """`phrases` by their word at `at` as :func:`_same` takes it (the word or it plus ``S``),
    each word's phrases in the order given."""
    out: dict[str, list] = {}
    for phrase in phrases:
        for key in (phrase[at], phrase[at] + "S"):
            out.setdefault(key, []).append(phrase)
    return {key: tuple(found) for key, found in out.items()}


def _same(words: Sequence[str], alternative: Sequence[str]) -> bool:
    if len(words) != len(alternative):
        return False
    for word, wanted in zip(words, alternative, strict=True):
        if word != wanted and word != wanted + "S":
            return False
    return True
