"""A sentence's tokens with the actor mention owning each, and the word-level cues the event
coder reads: who is the subject of a verb, its objects, a "by" agent, the passive, negation,
noun events and their possessors, coordinated mentions (rules in :mod:`stance.events.coder`).
"""

from __future__ import annotations

from collections.abc import Sequence

from stance.actors.cameo import Token

__all__ = ["CLAUSE_END", "SentenceDoc"]

#: Tokens that end a clause: pattern words, subjects and objects are not looked for past them.
CLAUSE_END = frozenset({".", ";", ":", "?", "!", '"'})
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


class SentenceDoc:
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
            if key in CLAUSE_END:
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
            if self.keys[j] in CLAUSE_END:
                return None
            if self.keys[j] == ",":
                following = self.keys[j + 1] if j + 1 < self.n else ""
                return j if following in _RELATIVE or self.owner[j - 1] >= 0 else None
        return None

    def _earlier_mention(self, a: int) -> bool:
        for j in range(a - 1, -1, -1):
            if self.keys[j] in CLAUSE_END:
                return False
            if self.owner[j] >= 0:
                return True
        return False

    def objects(self, start: int) -> list[int]:
        """The first mention(s) after token `start` in its clause."""
        for i in range(start, self.n):
            if self.keys[i] in CLAUSE_END:
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
            if self.owner[i] >= 0 or self.keys[i] in CLAUSE_END:
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
