"""CAMEO events between the actors of a sentence, from verb patterns on raw tokens.

PETRARCH2 matches its verb patterns on CoreNLP parse trees; :class:`EventCoder` reads the same
patterns (:class:`~stance.events.verb_index.VerbIndex`) on the flat tokens of a sentence whose
actor mentions are already known, with these rules (choices measured on the events corpus's
train/dev split and on DSE/SEESAW training text, never on a test set):

1. **Verbs.** Every surface form of a dictionary verb outside an actor mention is a candidate
   event, nouns included ("the attack on", "support for"); the longest form wins.
2. **Pattern.** Each pattern of the verb's block is tried: its words must occur in order after
   (before) the verb, each within :data:`WINDOW` words of the last (an actor mention counts as
   one word), inside the clause; ``$`` and ``+`` bind the actor mention found at their place.
   The pattern with most matched words wins; with none, the verb's own code (or its block's).
   A verb whose code is null gives an event with the empty code ``""`` and its block name,
   which rules ignore and a learned model may use.
3. **Target.** The ``+`` mention, else the first mention after the pattern (or the verb)
   within the clause; coordinated mentions ("X and Y") are all targets.
4. **Source.** The ``$`` mention; else, in the passive ("was attacked by X") or with a
   following "by X", the mention after "by"; else for a noun after a determiner ("the attack on
   Y") the possessor or adjective right before it ("Israel's attack", "the Israeli attack");
   else the nearest mention before the verb in its clause that is not the object of a
   preposition, skipping a parenthetical ", who ... ,"; coordinated mentions are all sources.
5. **Negation.** "not", "n't", "never" or "no" within three tokens before the verb mark the
   event ``negated``.
6. **Direction of codes.** ``[:051]`` goes from the target to the source; ``[042:043]`` gives
   042 one way and 043 the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from stance.actors.cameo import Token
from stance.events.verb_index import VerbIndex

__all__ = ["WINDOW", "Event", "EventCoder"]

#: How many tokens may come between two matched pattern elements.
WINDOW = 4
_CLAUSE_END = frozenset({".", ";", ":", "?", "!", '"'})
_BE = frozenset({"IS", "ARE", "WAS", "WERE", "BEEN", "BEING", "BE"})
_ADVERBS = frozenset({"ALSO", "REPORTEDLY", "ALLEGEDLY", "REPEATEDLY", "LATER", "THEN", "JUST"})
_NEGATIONS = frozenset({"NOT", "NEVER", "NO"})
_DETERMINERS = frozenset({"THE", "A", "AN", "ITS", "THEIR", "HIS", "HER", "THIS", "THAT"})
_PREPOSITIONS = frozenset(
    [
        "IN",
        "AT",
        "NEAR",
        "ON",
        "FROM",
        "OF",
        "TO",
        "WITH",
        "FOR",
        "AGAINST",
        "OVER",
        "BY",
        "INTO",
        "ACROSS",
        "AROUND",
        "AMONG",
        "BETWEEN",
        "TOWARD",
        "TOWARDS",
        "UNDER",
        "VIA",
        "OUTSIDE",
        "INSIDE",
    ]
)
_RELATIVE = frozenset({"WHO", "WHICH", "WHOSE", "WHOM"})


@dataclass(frozen=True)
class Event:
    """An event from mention `source` to mention `target` (indices into the mention list)."""

    source: int
    target: int
    code: str
    verb: str
    token: int
    negated: bool = False
    pattern: str = ""
    block: str = ""


class EventCoder:
    """Code the events between known actor mentions of one sentence (module doc)."""

    def __init__(self, index: VerbIndex) -> None:
        self.index = index
        self._patterns = [_compile_pattern(p) for p in index.patterns]

    def events(self, toks: Sequence[Token], spans: Sequence[tuple[int, int]]) -> list[Event]:
        """Events between `spans` (token spans ``[start, end)`` of the actor mentions)."""
        doc = _Doc(toks, spans)
        out: list[Event] = []
        for start, end, verb in self._verbs(doc):
            out.extend(self._events_of(doc, start, end, verb))
        return out

    def _verbs(self, doc: _Doc) -> list[tuple[int, int, int]]:
        found = []
        i = 0
        while i < doc.n:
            if doc.owner[i] >= 0:
                i += 1
                continue
            hit = None
            for words, _head, verb in self.index.forms.get(doc.keys[i], ()):
                stop = i + len(words)
                if tuple(doc.keys[i:stop]) == words and all(o < 0 for o in doc.owner[i:stop]):
                    hit = (i, stop, verb)
                    break
            if hit is None:
                i += 1
                continue
            found.append(hit)
            i = hit[1]
        return found

    def _events_of(self, doc: _Doc, start: int, end: int, verb: int) -> list[Event]:
        _lemma, block, forward, reverse = self.index.verbs[verb]
        best = None
        for number in self.index.blocks.get(block, ()):
            before, after, needs, p_forward, p_reverse, where = self._patterns[number]
            if not all(need & doc.keyset for need in needs):
                continue
            matched = _match_pattern(doc, before, after, start, end)
            if matched is not None and (best is None or matched[0] > best[0][0]):
                best = (matched, p_forward, p_reverse, where)
        bound: dict[str, list[int]] = {}
        last = end
        where = ""
        if best is not None:
            (_, last, bound), forward, reverse, where = best
        null = forward is None and reverse is None
        if null:  # no code: the verb's block is still evidence for a learned model
            forward = ""
        agent = doc.by_agent(last)
        passive = doc.passive(start)
        targets = bound.get("target") or (doc.subjects(start) if passive else doc.objects(end))
        if bound.get("source"):
            sources = bound["source"]
        elif agent:
            sources = agent
        elif passive:
            sources = []
        elif doc.nominal(start):
            sources = doc.possessor(start)
        else:
            sources = doc.subjects(start)
        negated = doc.negated(start)
        text = " ".join(doc.keys[start:end])
        if not targets and len(sources) > 1:  # "Egypt and Jordan held talks": each to the other
            targets = sources
            reverse = None if forward is not None else reverse
        out = []
        for source in sources:
            for target in targets:
                if source == target:
                    continue
                if forward is not None:
                    out.append(Event(source, target, forward, text, start, negated, where, block))
                if reverse is not None:
                    out.append(Event(target, source, reverse, text, start, negated, where, block))
        return out


class _Doc:
    """The tokens of one sentence with the mention that owns each token."""

    def __init__(self, toks: Sequence[Token], spans: Sequence[tuple[int, int]]) -> None:
        self.keys = [t.key for t in toks]
        self.keyset = frozenset(self.keys)
        self.n = len(self.keys)
        self.spans = list(spans)
        self.owner = [-1] * self.n
        self.first = {}
        for k, (a, b) in enumerate(self.spans):
            for i in range(a, min(b, self.n)):
                self.owner[i] = k
            self.first[a] = k

    def mention_at(self, i: int) -> int:
        """The mention starting at token `i` (or a determiner/number before it), else -1."""
        for j in range(i, min(i + 3, self.n)):
            if j in self.first:
                return self.first[j]
            if self.keys[j] not in _DETERMINERS and not self.keys[j].isdigit():
                break
        return -1

    def coordinated(self, k: int, step: int) -> list[int]:
        """`k` and the mentions joined to it by "and" / "," going `step` (-1 left, +1 right)."""
        out = [k]
        a, b = self.spans[k]
        while True:
            i = a - 1 if step < 0 else b
            if not (0 <= i < self.n) or self.keys[i] not in ("AND", ","):
                break
            j = i - 1 if step < 0 else i + 1
            if 0 <= j < self.n and self.keys[j] == "AND":  # ", and"
                j += step
            if not (0 <= j < self.n) or self.owner[j] < 0:
                break
            k = self.owner[j]
            if k in out:
                break
            out.append(k)
            a, b = self.spans[k]
        return out

    def subjects(self, verb: int) -> list[int]:
        """The nearest mention(s) before token `verb` that can be its subject (module doc)."""
        i = verb - 1
        while i >= 0 and self.keys[i] in _ADVERBS | _BE | _NEGATIONS | {"'", "T", "HAS", "HAD"}:
            i -= 1
        if i >= 0 and self.keys[i] == ",":
            comma = self._previous_comma(i)
            if comma is not None:
                i = comma - 1
        while i >= 0:
            key = self.keys[i]
            if key in _CLAUSE_END:
                return []
            k = self.owner[i]
            if k >= 0:
                a = self.spans[k][0]
                if a > 0 and self.keys[a - 1] in _PREPOSITIONS and self._earlier_mention(a):
                    i = a - 1
                    continue
                return self.coordinated(k, -1)
            i -= 1
        return []

    def _previous_comma(self, i: int) -> int | None:
        """The comma that opens a parenthetical closed by the comma at `i`, if any."""
        for j in range(i - 1, max(i - 25, -1), -1):
            if self.keys[j] in _CLAUSE_END:
                return None
            if self.keys[j] == ",":
                following = self.keys[j + 1] if j + 1 < self.n else ""
                return j if following in _RELATIVE or self.owner[j - 1] >= 0 else None
        return None

    def _earlier_mention(self, a: int) -> bool:
        for j in range(a - 1, -1, -1):
            if self.keys[j] in _CLAUSE_END:
                return False
            if self.owner[j] >= 0:
                return True
        return False

    def objects(self, start: int) -> list[int]:
        """The first mention(s) after token `start` in its clause."""
        for i in range(start, self.n):
            if self.keys[i] in _CLAUSE_END:
                return []
            if self.owner[i] >= 0:
                return self.coordinated(self.owner[i], +1)
        return []

    def by_agent(self, end: int) -> list[int]:
        """The mention(s) after "by" right after the verb phrase ending at `end`."""
        for i in range(end, min(end + 3, self.n)):
            if self.keys[i] == "BY":
                k = self.mention_at(i + 1)
                return self.coordinated(k, +1) if k >= 0 else []
            if self.owner[i] >= 0 or self.keys[i] in _CLAUSE_END:
                return []
        return []

    def passive(self, verb: int) -> bool:
        """A form of "be" before the verb (adverbs aside)."""
        i = verb - 1
        while i >= 0 and self.keys[i] in _ADVERBS | _NEGATIONS:
            i -= 1
        return i >= 0 and self.keys[i] in _BE

    def nominal(self, verb: int) -> bool:
        """The verb form is a noun: a determiner or possessive before it, or an actor adjective
        that itself follows a determiner ("the Israeli attack")."""
        i = verb - 1
        if i < 0:
            return False
        if self.keys[i] in _DETERMINERS or (self.keys[i] == "S" and i and self.keys[i - 1] == "'"):
            return True
        k = self.owner[i]
        return k >= 0 and self.spans[k][0] > 0 and self.keys[self.spans[k][0] - 1] in _DETERMINERS

    def possessor(self, verb: int) -> list[int]:
        """ "Israel's attack", "the Israeli attack": the mention right before a noun event."""
        i = verb - 1
        if i >= 1 and self.keys[i] == "S" and self.keys[i - 1] == "'":
            i -= 2
        if i >= 0 and self.owner[i] >= 0:
            return [self.owner[i]]
        return []

    def negated(self, verb: int) -> bool:
        """A negation within three tokens before the verb."""
        window = self.keys[max(0, verb - 3) : verb]
        return any(k in _NEGATIONS for k in window) or (
            "T" in window and "'" in window  # n't
        )


def _match_pattern(
    doc: _Doc, before: list, after: list, start: int, end: int
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
    doc: _Doc, element: list[Any], position: int, step: int, bound: dict[str, list[int]]
) -> tuple[int, int] | None:
    """Match `element` within the window from `position` going `step`; (next position, score)."""
    i = position
    for _ in range(WINDOW + 1):
        if not (0 <= i < doc.n) or doc.keys[i] in _CLAUSE_END:
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
    doc: _Doc, element: list[Any], i: int, step: int, bound: dict[str, list[int]]
) -> tuple[int, int] | None:
    kind = element[0]
    if kind == "w":
        if doc.keys[i] in element[1]:
            return (i + 1 if step > 0 else i - 1), 1
        for alternative in element[2]:
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


def _compile_pattern(pattern: Sequence[Any]) -> tuple:
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
        return ("w", singles, multis)
    if kind == "np":
        return ("np", [_compile_element(w, needs) for w in element[1]])
    if kind == "p":
        needs.append(frozenset(element[1]))
        return ("p", frozenset(element[1]), [_compile_element(o, needs) for o in element[2]])
    return ("s", element[1])


def _same(words: Sequence[str], alternative: Sequence[str]) -> bool:
    if len(words) != len(alternative):
        return False
    for word, wanted in zip(words, alternative, strict=True):
        if word != wanted and word != wanted + "S":
            return False
    return True
