"""A text under actor recognition: tokens, gazetteer matches (cores) and token lookups.

:meth:`Document.match_cores` is step 2 of :meth:`stance.actors.ActorRecognizer.find`: at
every token the longest alias wins; overlapping candidates are then resolved globally, longest
first ("South Korea" beats "Korea", "the Russian Foreign Ministry" is one mention). Blocked
phrases ("South China Sea", "Latin American") take part and are dropped later.
"""

from __future__ import annotations

from dataclasses import dataclass

from stance.actors.tokens import tokenise
from stance.actors.trie import CompiledGazetteer, Entry
from stance.actors.words import PLACE_SUFFIXES

#: Lexicon classes of a word that makes the words before it modifiers, not a phrase's head.
NOUNISH = frozenset({"attr", "agent", "body", "thing", "title", "mod"})


@dataclass
class Core:
    """A gazetteer match over tokens ``start:end``."""

    start: int  # token index
    end: int  # token index (exclusive)
    entry: Entry


@dataclass
class Phrase:
    """A mention being built, over tokens ``start:end``."""

    start: int
    end: int
    actor: str
    kind: str
    antecedents: tuple[str, ...] = ()
    ref_type: str = ""


class Document:
    """One text under recognition: its tokens, the gazetteer matches over them (``cores``,
    with ``occ[i]`` the core holding token ``i`` or -1) and lookups around a token.

    Per-call working state, never shared between calls.
    """

    def __init__(self, comp: CompiledGazetteer, text: str) -> None:
        self.c = comp
        self.text = text
        self.toks = tokenise(text)
        self.n = len(self.toks)
        self.occ: list[int] = [-1] * self.n
        self.cores: list[Core] = []

    def low(self, i: int) -> str:
        return self.toks[i].low if 0 <= i < self.n else ""

    def free(self, i: int) -> bool:
        return 0 <= i < self.n and self.occ[i] < 0

    def core_at(self, i: int) -> Core | None:
        if 0 <= i < self.n and self.occ[i] >= 0:
            c = self.cores[self.occ[i]]
            if c.start == i:
                return c
        return None

    def lex(self, i: int) -> tuple[int, frozenset[str]] | None:
        """Lexicon unit at free token ``i`` (not crossing a gazetteer match)."""
        if not self.free(i):
            return None
        stop = i
        while stop < self.n and self.occ[stop] < 0 and stop - i < 6:
            stop += 1
        return self.c.lex_match(self.toks, i, stop)

    def compound_end(self, i: int) -> int:
        """End of a hyphenated compound word starting at ``i`` ("state-backed")."""
        j = i + 1
        while (
            j + 1 < self.n
            and self.toks[j].key == "-"
            and not self.toks[j].space
            and self.toks[j + 1].word
            and not self.toks[j + 1].space
            and self.free(j)
            and self.free(j + 1)
        ):
            j += 2
        return j

    def possessive_end(self, e: int, core_text: str = "") -> int | None:
        """Token index after a possessive marker starting at ``e`` ("'s" or bare "'")."""
        if e < self.n and self.toks[e].key == "'" and not self.toks[e].space:
            if e + 1 < self.n and self.toks[e + 1].low == "s" and not self.toks[e + 1].space:
                return e + 2
            if core_text.endswith("s") and (e + 1 >= self.n or self.toks[e + 1].space):
                return e + 1
        return None

    def suffix_end(self, e: int) -> int:
        """Extend over "Jr." / "Sr." after a name."""
        if e < self.n and self.toks[e].space and self.toks[e].low in ("jr", "sr") and self.free(e):
            e += 1
            if e < self.n and self.toks[e].key == "." and not self.toks[e].space:
                e += 1
        return e

    def keep_article(self, e: int) -> bool:
        """Whether "the" before an acronym/name stays part of the mention ending at ``e``."""
        if e >= self.n:
            return True
        t = self.toks[e]
        if t.key in ("-", "+") and not t.space:
            return False
        if not t.word or t.cap or not self.free(e):
            return True
        m = self.lex(e)
        return m is None or not (m[1] & NOUNISH)

    def joined(self, e: int) -> bool:
        """Token ``e`` is a hyphen gluing the previous word to a following word."""
        return (
            e + 1 < self.n
            and self.toks[e].key == "-"
            and not self.toks[e].space
            and self.toks[e + 1].word
            and not self.toks[e + 1].space
        )

    def joined_before(self, i: int) -> bool:
        """Token ``i`` is glued by a hyphen to a preceding word ("pro-Russian")."""
        return i >= 2 and not self.toks[i].space and self.joined(i - 1) and self.toks[i - 2].word

    def match_cores(self) -> None:
        """Gazetteer matches: the longest alias at each token, then overlaps resolved
        longest first; hyphenated compounds and place adjectives are left out."""
        cands: list[tuple[int, int, Entry]] = []
        toks = self.toks
        for i in range(self.n):
            if not toks[i].word:
                continue
            hit = self.c.longest(toks, i)
            if hit is None:
                continue
            end, entry = hit
            if entry.kind == "person" and (self.joined(end) or self.joined_before(i)):
                continue  # "Yunus-Bek Yevkurov" is not Yunus
            if self.joined(end) and toks[end + 1].low in PLACE_SUFFIXES:
                continue  # "Hague-based", "London-born": a location, not an actor
            if (
                entry.kind == "state"
                and "demonym" in entry.forms
                and "name" not in entry.forms
                and self.joined_before(i)
            ):
                continue  # "pro-Russian", "Trans-Afghan": part of a compound adjective
            if entry.kind == "state" and self.joined_before(i) and toks[i - 2].cap:
                prev = self.c.longest(toks, i - 2)
                if prev is None or prev[0] != i - 1:
                    continue  # "the Paraná-Paraguay waterway": a place named after a river
            cands.append((i, end, entry))
        cands.sort(key=lambda c: (-(toks[c[1] - 1].end - toks[c[0]].start), c[0]))
        taken = [False] * self.n
        chosen: list[tuple[int, int, Entry]] = []
        for i, end, entry in cands:
            if any(taken[i:end]):
                continue
            for k in range(i, end):
                taken[k] = True
            chosen.append((i, end, entry))
        chosen.sort(key=lambda c: c[0])
        for idx, (i, end, entry) in enumerate(chosen):
            self.cores.append(Core(i, end, entry))
            for k in range(i, end):
                self.occ[k] = idx
