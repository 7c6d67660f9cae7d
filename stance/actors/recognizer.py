"""Gazetteer-based recognition and normalisation of international actors.

Pipeline of :meth:`ActorRecognizer.find`:

1. **Tokenise** into words (maximal runs of letters/digits) and single punctuation characters,
   keeping character offsets.  Word boundaries therefore always hold: "Indiana" never contains
   "India", "USAID" never contains "US".
2. **Gazetteer match** with a token trie compiled once per gazetteer directory.  Keys are
   accent-folded ("Elysee" == "Élysée", "Erdogan" == "Erdoğan") and apostrophes are normalised.
   Matching is case-sensitive except for alias words written in lower case (function words and
   common nouns such as "the", "side", "foreign ministry"), whose first letter may be upper case,
   so a sentence-initial "The Kremlin" matches the alias "the Kremlin".  At every token the
   longest alias wins; overlapping candidates are then resolved globally, longest first
   ("South Korea" beats "Korea", "the Russian Foreign Ministry" is one mention).
   Blocked phrases ("South China Sea", "Latin American") take part and are then dropped.
3. **Noun-phrase expansion** (lexicon ``np_lexicon.tsv``), so that a mention covers the phrase
   that refers to the actor or to an agent of it, by the span rule of the statements corpus
   (``data/statements/README.md``):

   * demonym / attributive acronym + agent head: "the Chinese side", "Russian Foreign Minister
     Sergei Lavrov", "two Russian diplomats", "his Thai counterpart", "the Japanese government";
     before a thing the demonym stands alone ("a US destroyer" gives "US");
   * possessive + head: "Russia's leadership", "China's foreign ministry spokesperson Mao Ning",
     "Mexico's Claudia Sheinbaum", "the junta's foreign minister";
   * organisation + organ or official: "the UN special envoy", "NATO Secretary General Mark
     Rutte" (but "the NATO summit" gives just "NATO");
   * title + known person: "President Putin", "Prime Minister Fumio Kishida of Japan";
   * "the defence ministry in Beijing", "the Emir of Qatar", "the Trump administration";
   * epithets before a bare name ("landlocked Ethiopia"), members of an organisation ("NATO
     allies", but "US allies" gives "US"), a family noun only before a name ("Kim Jong Un's
     sister Kim Yo Jong"); a name glued after a hyphen stands alone ("non-NATO"), and a state
     name glued after an unknown capitalised word is a place ("the Paraná-Paraguay waterway").

   **Possessives**: a bare possessive marker is never part of a mention ("Russia's decision"
   gives "Russia"); it is kept only inside a longer phrase whose head names an institution,
   office or a known person of the same actor ("Russia's leadership", "Russia's Foreign
   Ministry", "Brazil's Lula").
4. **References**: anaphors such as "the bloc", "the lender", "the kingdom", "the junta" resolve to
   the nearest preceding compatible actor ("the junta in Niger" is one mention of the state);
   "both sides", "the two countries", ... yield one mention of kind ``"reference"`` for each
   of the two actors named before it in the same sentence (only when there are exactly two
   distinct ones).  Reference mentions are the only ones that may overlap.

Everything is compiled once per gazetteer directory (``functools.lru_cache``); the module holds
no other mutable state.
"""

from __future__ import annotations

import bisect
import functools
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

from .gazetteer import Alias, Gazetteer, load_gazetteer
from .sentences import split_sentences

__all__ = ["MENTION_KINDS", "ActorRecognizer", "Mention", "find_actors"]

MENTION_KINDS = frozenset({"state", "organisation", "person", "reference"})


@dataclass(frozen=True, order=True)
class Mention:
    """One actor mention: ``text == source_text[start:end]``."""

    start: int
    end: int
    text: str
    actor: str
    kind: str


# --------------------------------------------------------------------------------------------
# tokenisation

_TOKEN_RE = re.compile(r"(?:[^\W_]|[\u0300-\u036f])+|\S")
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


def _fold(s: str) -> str:
    s = s.translate(_FOLD_TABLE)
    if s.isascii():
        return s
    d = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in d if not unicodedata.combining(ch))


class _Tok(NamedTuple):
    start: int
    end: int
    key: str  # folded surface
    low: str  # folded, lower-cased
    space: bool  # whitespace (or text start) before the token
    word: bool  # letters/digits
    cap: bool  # word starting with an upper-case letter


def _tokenise(text: str) -> list[_Tok]:
    toks: list[_Tok] = []
    prev_end = 0
    for m in _TOKEN_RE.finditer(text):
        raw = m.group(0)
        key = _fold(raw)
        first = raw[0]
        word = first.isalnum() or unicodedata.combining(first) > 0
        toks.append(
            _Tok(
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


def _alias_keys(alias: str) -> tuple[tuple[bool, str, bool | None], ...]:
    """Trie keys of an alias: (flexible-case, folded text, space-before)."""
    keys = []
    prev_end = -1
    for i, m in enumerate(_TOKEN_RE.finditer(alias)):
        key = _fold(m.group(0))
        flex = any(ch.isalpha() for ch in key) and key == key.lower()
        space: bool | None = None if i == 0 else m.start() > prev_end
        keys.append((flex, key, space))
        prev_end = m.end()
    return tuple(keys)


def _lower_first(s: str) -> str:
    return s[:1].lower() + s[1:]


# --------------------------------------------------------------------------------------------
# compiled gazetteer


@dataclass(frozen=True)
class _Entry:
    text: str
    actor: str
    kind: str  # state | organisation | person | block | pair | anaphor
    forms: frozenset[str]
    antecedents: tuple[str, ...]


_END = ""  # trie key of the terminal entry

_DAYS_MONTHS = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)
_NAME_PARTICLES = frozenset(
    [
        "al",
        "el",
        "bin",
        "bint",
        "ibn",
        "da",
        "de",
        "di",
        "do",
        "dos",
        "du",
        "van",
        "von",
        "der",
        "den",
        "la",
        "le",
        "del",
        "ter",
        "y",
        "abu",
        "bou",
    ]
)
_PLACE_SUFFIXES = frozenset({"based", "born", "headquartered", "bound", "registered", "listed"})
_CAP_STOP = frozenset({"the", "a", "an", "and", "or", "but", "in", "on", "at", "of", "for", "to"})


class _Compiled:
    """Trie of aliases + lexicon trie, built once per gazetteer."""

    def __init__(self, gaz: Gazetteer) -> None:
        self.gazetteer = gaz
        self.trie: dict = {}
        self.conflicts: list[tuple[str, tuple[str, ...]]] = []
        groups: dict[tuple, list[Alias]] = {}
        for a in gaz.aliases:
            keys = _alias_keys(a.text)
            if keys:
                groups.setdefault(keys, []).append(a)
        self.n_aliases = len(groups)
        for keys, als in groups.items():
            best = min(a.priority for a in als)
            top = [a for a in als if a.priority == best]
            actors = sorted({a.actor for a in top})
            if len(actors) > 1:
                self.conflicts.append((top[0].text, tuple(actors)))
            chosen = top[0]
            same = [a for a in als if a.actor == chosen.actor and a.kind == chosen.kind]
            entry = _Entry(
                text=chosen.text,
                actor=chosen.actor,
                kind=chosen.kind,
                forms=frozenset(a.form for a in same),
                antecedents=chosen.antecedents,
            )
            node = self.trie
            for k in keys:
                node = node.setdefault(k, {})
            node[_END] = entry
        # lexicon
        self.lex: dict = {}
        classes: dict[tuple, set[str]] = {}
        for phrase, cls in _with_plurals(gaz.lexicon):
            keys = tuple((k.lower(), sp) for _flex, k, sp in _alias_keys(phrase))
            if keys:
                classes.setdefault(keys, set()).add(cls)
        for keys, cls in classes.items():
            node = self.lex
            for k in keys:
                node = node.setdefault(k, {})
            node[_END] = frozenset(cls)
        # lexicon words by class (single tokens), for quick membership tests
        self.title_words = frozenset(
            keys[0][0] for keys, cls in classes.items() if "title" in cls and len(keys) == 1
        )

    # -- alias trie ---------------------------------------------------------------------------
    def longest(self, toks: list[_Tok], i: int) -> tuple[int, _Entry] | None:
        best: tuple[int, _Entry] | None = None
        stack = [(self.trie, i)]
        n = len(toks)
        while stack:
            node, j = stack.pop()
            entry = node.get(_END)
            if entry is not None and (best is None or j > best[0]):
                best = (j, entry)
            if j >= n:
                continue
            t = toks[j]
            sp = None if j == i else t.space
            child = node.get((False, t.key, sp))
            if child is not None:
                stack.append((child, j + 1))
            if t.word:
                child = node.get((True, _lower_first(t.key), sp))
                if child is not None:
                    stack.append((child, j + 1))
        return best

    # -- lexicon trie -------------------------------------------------------------------------
    def lex_match(self, toks: list[_Tok], i: int, stop: int) -> tuple[int, frozenset[str]] | None:
        """Longest lexicon entry starting at token ``i`` and ending at or before ``stop``."""
        best = None
        node = self.lex
        j = i
        while j < stop:
            t = toks[j]
            node = node.get((t.low, None if j == i else t.space))
            if node is None:
                break
            j += 1
            cls = node.get(_END)
            if cls is not None:
                best = (j, cls)
        return best


_PLURAL_CLASSES = frozenset({"agent", "body", "thing", "title", "people"})


def _plural(phrase: str) -> str | None:
    words = phrase.split(" ")
    w = words[-1]
    if not w.isalpha() or w.endswith("s") or not w.islower():
        return None
    if w.endswith("y") and w[-2:-1] not in ("a", "e", "i", "o", "u"):
        w = w[:-1] + "ies"
    elif w.endswith(("sh", "ch", "x", "z")):
        w = w + "es"
    elif w.endswith("man"):
        w = w[:-3] + "men"
    else:
        w = w + "s"
    return " ".join([*words[:-1], w])


def _with_plurals(lexicon: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The lexicon plus regular plurals of its nouns ("government" -> "governments")."""
    out = list(lexicon)
    for phrase, cls in lexicon:
        if cls in _PLURAL_CLASSES:
            pl = _plural(phrase)
            if pl is not None:
                out.append((pl, cls))
    return out


@functools.lru_cache(maxsize=8)
def _compile(directory: str | None) -> _Compiled:
    return _Compiled(load_gazetteer(directory))


# --------------------------------------------------------------------------------------------
# recognition


@dataclass
class _Core:
    start: int  # token index
    end: int  # token index (exclusive)
    entry: _Entry


@dataclass
class _Span:
    start: int
    end: int
    actor: str
    kind: str
    antecedents: tuple[str, ...] = ()
    ref_type: str = ""


_HEADS_DEMONYM = frozenset({"agent", "body", "title"})
_HEADS_INSTITUTION = frozenset({"agent", "body", "title"})
_HEADS_ORGANISATION = _HEADS_INSTITUTION | {"member"}
_HEADS_TITLE = frozenset({"title"})
_HEADS_OFFICE = frozenset({"body", "title"})
_NOUNISH = frozenset({"attr", "agent", "body", "thing", "title", "mod"})


class _Doc:
    """Per-call working state (never shared between calls)."""

    def __init__(self, comp: _Compiled, text: str) -> None:
        self.c = comp
        self.text = text
        self.toks = _tokenise(text)
        self.n = len(self.toks)
        self.occ: list[int] = [-1] * self.n
        self.cores: list[_Core] = []

    # -- helpers -----------------------------------------------------------------------------
    def low(self, i: int) -> str:
        return self.toks[i].low if 0 <= i < self.n else ""

    def free(self, i: int) -> bool:
        return 0 <= i < self.n and self.occ[i] < 0

    def core_at(self, i: int) -> _Core | None:
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

    # -- noun-phrase walk ----------------------------------------------------------------------
    def walk(
        self, q: int, actor: str, heads: frozenset[str]
    ) -> tuple[int, frozenset[str], list[int]] | None:
        """Walk modifiers/heads from ``q``; return (end of last head, its classes, absorbed
        cores) or ``None`` when no head follows."""
        last: tuple[int, frozenset[str], list[int]] | None = None
        absorbed: list[int] = []
        steps = 0
        while q < self.n and steps < 10:
            steps += 1
            t = self.toks[q]
            if not t.space or not t.word:
                break
            core = self.core_at(q)
            if core is not None:
                e = core.entry
                if e.actor != actor:
                    break
                if e.kind == "state" and "demonym" in e.forms and not e.forms & {"name"}:
                    absorbed.append(self.occ[q])
                    q = core.end
                    continue
                if (
                    e.kind in ("state", "organisation")
                    and (e.forms & {"seat", "agency", "body"})
                    and (heads & {"agent", "body"})
                ):
                    absorbed.append(self.occ[q])
                    q = core.end
                    last = (q, frozenset({"agent"}), list(absorbed))
                    continue
                if (
                    e.kind == "person"
                    and "title" in heads
                    and self.low(core.start) in self.c.title_words
                ):
                    absorbed.append(self.occ[q])
                    q = core.end
                    last = (q, frozenset({"title", "named"}), list(absorbed))
                    break
                break
            if not self.free(q):
                break
            m = self.lex(q)
            cend = self.compound_end(q)
            if m is not None and m[0] >= cend:
                end, cls = m
            elif cend > q + 1:
                end = cend
                last_part = self.lex(cend - 1)
                first = m[1] if m is not None else frozenset()
                if last_part is not None and last_part[0] == cend:
                    cls = last_part[1]
                elif first & {"title", "agent"}:
                    # "Chinese state-backed groups" gives "Chinese"
                    ends_ed = self.toks[cend - 1].low.endswith("ed")
                    cls = frozenset({"thing"}) if ends_ed else first
                elif all(not self.toks[k].cap for k in range(q, cend)):
                    cls = frozenset({"mod"})
                else:
                    cls = frozenset({"proper"})
            elif m is not None:
                end, cls = m
            elif t.cap and t.low not in _DAYS_MONTHS and t.low not in _CAP_STOP:
                end = q + 1
                cls = frozenset({"proper"})
                # "People's Liberation Army"
                pe = self.possessive_end(end)
                if pe is not None and pe < self.n and self.toks[pe].cap and self.free(pe):
                    end = pe
            else:
                break
            if "kin" in cls and "title" in heads:
                if self.name_end(end, None) is None:
                    break  # "the prime minister's wife": not an agent
                cls = frozenset({"title"})  # "Kim Jong Un's sister Kim Yo Jong"
            if cls & heads:
                last = (end, cls & (heads | {"mod"}), list(absorbed))
            elif not cls & {"mod", "proper", "preadj"}:
                if last is not None and last[0] == q and cls & {"thing", "attr", "people"}:
                    return None  # "U.S. military intervention": the head was a modifier
                break
            q = end
        return last

    def name_end(self, q: int, actor: str | None) -> tuple[int, int | None] | None:
        """A personal name starting at ``q``: (end token, absorbed core index or None).

        A known person is absorbed when ``actor`` is ``None`` (any actor) or matches."""
        if q >= self.n or not self.toks[q].space:
            return None
        core = self.core_at(q)
        if core is not None:
            if core.entry.kind == "person" and actor in (None, core.entry.actor):
                return self.suffix_end(core.end), self.occ[q]
            return None
        i = q
        words = 0
        while i < self.n and words < 6 and self.free(i):
            t = self.toks[i]
            if i > q and t.space is False and t.key in ("-", "'") and i + 1 < self.n:
                nxt = self.toks[i + 1]
                if nxt.word and not nxt.space and self.free(i + 1):
                    i += 2
                    continue
                break
            if i > q and not t.space:
                if t.key == "." and len(self.toks[i - 1].key) == 1:
                    i += 1  # initial "K."
                    continue
                break
            if not t.word:
                break
            if t.cap and t.low not in _DAYS_MONTHS and t.low not in _CAP_STOP:
                if self.c.lex_match(self.toks, i, i + 1) is not None and words == 0:
                    return None
                words += 1
                i += 1
                continue
            if (
                words > 0
                and t.low in _NAME_PARTICLES
                and i + 1 < self.n
                and (self.toks[i + 1].cap or self.toks[i + 1].key == "-")
            ):
                i += 1
                continue
            break
        if words == 0:
            return None
        return self.suffix_end(i), None

    def suffix_end(self, e: int) -> int:
        """Extend over "Jr." / "Sr." after a name."""
        if e < self.n and self.toks[e].space and self.toks[e].low in ("jr", "sr") and self.free(e):
            e += 1
            if e < self.n and self.toks[e].key == "." and not self.toks[e].space:
                e += 1
        return e

    def left_modifiers(self, s: int, floor: int, det: bool = True) -> int:
        """Extend left over pre-adjectives and one determiner (not below ``floor``)."""
        k = self.words_before(s, floor, "preadj", (2, 1))  # "newly appointed"
        if det and k - 1 >= floor and self.free(k - 1):
            m = self.c.lex_match(self.toks, k - 1, k)
            if m is not None and "det" in m[1]:
                k -= 1
        return k

    def words_before(self, s: int, floor: int, cls: str, widths: tuple[int, ...]) -> int:
        """Start of the run of free lexicon entries of class ``cls`` (each ``widths`` tokens
        long at most, tried longest first) that ends at ``s``; ``s`` when there is none."""
        k = s
        while True:
            for width in widths:
                a = k - width
                if a < floor or not all(self.free(x) for x in range(a, k)):
                    continue
                m = self.c.lex_match(self.toks, a, k)
                if m is not None and m[0] == k and cls in m[1] and self.toks[a].space:
                    k = a
                    break
            else:
                return k

    def title_prefix(self, s: int, floor: int) -> int:
        """Start of a title sequence ("Secretary of State", "former President") before ``s``."""
        best = s
        for k in range(s - 1, max(floor, s - 7) - 1, -1):
            if not self.free(k):
                break
            j = k
            last_cls: frozenset[str] = frozenset()
            while j < s:
                m = self.c.lex_match(self.toks, j, s)
                if m is None or not m[1] & {"mod", "title", "preadj"}:
                    break
                j, last_cls = m
            if j == s and "title" in last_cls:
                best = k
        if best < s:
            best = self.left_modifiers(best, floor)
        return best

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
        return m is None or not (m[1] & _NOUNISH)

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

    # -- main ----------------------------------------------------------------------------------
    def match_cores(self) -> None:
        cands: list[tuple[int, int, _Entry]] = []
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
            if self.joined(end) and toks[end + 1].low in _PLACE_SUFFIXES:
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
        chosen: list[tuple[int, int, _Entry]] = []
        for i, end, entry in cands:
            if any(taken[i:end]):
                continue
            for k in range(i, end):
                taken[k] = True
            chosen.append((i, end, entry))
        chosen.sort(key=lambda c: c[0])
        for idx, (i, end, entry) in enumerate(chosen):
            self.cores.append(_Core(i, end, entry))
            for k in range(i, end):
                self.occ[k] = idx

    def expand(self) -> list[_Span]:
        spans: list[_Span] = []
        consumed: set[int] = set()
        floor = 0
        for ci, core in enumerate(self.cores):
            if ci in consumed:
                continue
            e = core.entry
            if e.kind == "block":
                floor = core.end
                continue
            if e.kind in ("pair", "anaphor"):
                if e.kind == "anaphor" and self.placed_after(core):
                    continue  # "the junta in Niger": a phrase around the state's name
                end = core.end
                if e.kind == "anaphor":  # "the junta's foreign minister", "the bloc's council"
                    end = self.chain_possessive(end, "", [], _HEADS_OFFICE)
                spans.append(_Span(core.start, end, "", "reference", e.antecedents, e.kind))
                floor = end
                continue
            res = self.expand_core(core, floor)
            if res is None:
                floor = core.end
                continue
            span, used = res
            consumed.update(used)
            spans.append(span)
            floor = span.end
        return spans

    def placed_after(self, core: _Core) -> bool:
        """An anaphor followed by "in"/"of" + one of its antecedent states ("the junta in
        Niger"): free its tokens so that the state's mention can take in the whole phrase."""
        nxt = self.core_at(core.end + 1)
        if (
            self.low(core.end) not in ("in", "of")
            or nxt is None
            or nxt.entry.kind != "state"
            or nxt.entry.actor not in core.entry.antecedents
        ):
            return False
        for k in range(core.start, core.end):
            self.occ[k] = -1
        return True

    def expand_core(self, core: _Core, floor: int) -> tuple[_Span, list[int]] | None:
        """Turn a gazetteer match into a mention span (``None``: not an actor mention)."""
        e = core.entry
        actor = e.actor
        kind = e.kind
        s, t = core.start, core.end
        forms = e.forms
        used: list[int] = []
        the_before = s - 1 >= floor and self.free(s - 1) and self.low(s - 1) == "the"
        article_in_alias = self.low(s) == "the"
        article_before = kind == "organisation" and not article_in_alias and the_before
        is_demonym = kind == "state" and "demonym" in forms
        is_acronym = "acronym" in forms
        is_seat = kind == "state" and "seat" in forms
        is_agency = kind == "state" and "agency" in forms and not is_seat
        if self.joined_before(s):
            return _Span(s, t, actor, kind), used  # "a major non-NATO ally": the name alone

        def titled(end: int, cls: frozenset[str]) -> tuple[int, bool, list[int]]:
            """Absorb a personal name after a title head: (end, is_person, absorbed cores)."""
            if "named" in cls:
                return end, True, []
            if "title" not in cls:
                return end, False, []
            ne = self.name_end(end, None)
            if ne is None:
                head = self.toks[end - 1].low
                return end, not (head.endswith("s") and not head.endswith("ss")), []
            return ne[0], True, ([] if ne[1] is None else [ne[1]])

        # 1. possessive + institution/office head: "Russia's Foreign Ministry"
        core_text = self.text[self.toks[s].start : self.toks[t - 1].end]
        pe = self.possessive_end(t, core_text)
        if pe is not None and not (is_demonym and "name" not in forms):
            w = self.walk(pe, actor, _HEADS_INSTITUTION)
            if w is not None:
                end, cls, absorbed = w
                end, is_person, named = titled(end, cls)
                used.extend(absorbed + named)
                start = s - 1 if article_before else s
                if kind == "person":
                    start = self.title_prefix(s, floor)
                k = "person" if (is_person or kind == "person") else kind
                return _Span(start, end, actor, k), used
            nxt = self.core_at(pe)
            if nxt is not None and nxt.entry.kind == "person" and nxt.entry.actor == actor:
                # "Mexico's Claudia Sheinbaum", "The IMF's Kristalina Georgieva": one mention
                used.append(self.occ[pe])
                start = s - 1 if article_before else s
                return _Span(start, self.suffix_end(nxt.end), actor, "person"), used
            if kind != "person":
                return _Span(s - 1 if article_before else s, t, actor, kind), used

        # 2. attributive use: demonym / acronym / seat / organisation + head
        heads: frozenset[str] | None = None
        need_name = False
        det_start = None
        if pe is not None:
            heads = None
        elif is_demonym:
            heads = _HEADS_DEMONYM
            prev = self.low(s - 1)
            if prev in ("and", "or", ",", "&") and s - 2 >= 0 and self.occ[s - 2] >= 0:
                pc = self.cores[self.occ[s - 2]]
                if pc.entry.forms & {"demonym", "acronym"}:
                    heads = None  # "US and Israeli officials": a head shared by both
        elif (kind == "state" and is_acronym) or is_seat:
            heads = _HEADS_INSTITUTION
        elif is_agency:
            heads = _HEADS_TITLE
        elif kind == "organisation":
            heads = _HEADS_ORGANISATION
        elif kind == "state" and forms & {"name", "official"}:
            if the_before or article_in_alias:
                # "The Bangladesh government", "the United States government"
                heads = _HEADS_INSTITUTION
                det_start = s if article_in_alias else s - 1
            else:
                heads = _HEADS_TITLE  # "Palestinian Authority President Mahmoud Abbas"
                need_name = True
        if heads is not None:
            w = self.walk(t, actor, heads)
            if w is not None:
                end, cls, absorbed = w
                end2, is_person, named = titled(end, cls)
                if not need_name or end2 > end or "named" in cls:
                    used.extend(absorbed + named)
                    if det_start is not None:
                        start = det_start
                    elif article_before:
                        start = s - 1
                    elif article_in_alias:
                        start = s
                    else:
                        start = self.left_modifiers(s, floor)
                    end = self.chain_possessive(end2, actor, used)
                    return _Span(start, end, actor, "person" if is_person else kind), used
            if is_demonym and heads is _HEADS_DEMONYM and t < self.n and self.toks[t].space:
                m = self.lex(t)
                if m is not None and "people" in m[1]:
                    return None  # "Syrian refugees": people in general, not the state

        # 3. person: titles before, "Jr.", "of <state>", "the Trump administration"
        if kind == "person":
            end = self.suffix_end(t)
            start = self.title_prefix(s, floor)
            if self.low(start - 1) in ("former", "late") or (
                self.low(start - 1) == "-" and self.low(start - 2) == "ex"
            ):
                return None  # a former office-holder does not speak for the actor
            span_kind = "person"
            if pe is None and start == s and end < self.n and self.toks[end].space:
                m = self.lex(end)
                if m is not None and self.toks[end].low == "administration":
                    end = m[0]
                    w = self.walk(end, actor, _HEADS_INSTITUTION)
                    if w is not None:  # "Obama administration officials"
                        end = w[0]
                    if the_before:
                        start = s - 1
                    span_kind = "state"
            end = self.of_state(end, actor, used)
            return _Span(start, end, actor, span_kind), used

        # 4. bare core: article handling, "the X ministry in <capital>", "the Emir of Qatar"
        start, end = s, t
        if (is_acronym or kind == "organisation") and (article_in_alias or article_before):
            keep = self.keep_article(t)
            if article_in_alias and not keep:
                start = s + 1
            elif article_before and keep:
                start = s - 1
        elif article_before:
            start = s - 1
        if kind == "state" and "capital" in forms and the_before:
            m = self.lex(t) if t < self.n and self.toks[t].space else None
            if m is not None and "attr" in m[1]:
                return None  # "the Vilnius summit": a place name used as a modifier
        if kind == "state" and forms & {"name", "capital", "official"} and start == s:
            start = self.in_place_prefix(start, floor)
            if start == s:
                start = self.of_prefix(start, floor)
            if start == s:
                start = self.adjective_prefix(s, t, floor)
        return _Span(start, end, actor, kind), used

    def chain_possessive(
        self, end: int, actor: str, used: list[int], heads: frozenset[str] = _HEADS_INSTITUTION
    ) -> int:
        """ "The Myanmar junta's foreign minister": a phrase + possessive + office head."""
        pe = self.possessive_end(end)
        if pe is None:
            return end
        w = self.walk(pe, actor, heads)
        if w is None:
            return end
        new_end, cls, absorbed = w
        used.extend(absorbed)
        if "title" in cls and "named" not in cls:
            ne = self.name_end(new_end, actor)
            if ne is not None:
                new_end = ne[0]
                if ne[1] is not None:
                    used.append(ne[1])
        return new_end

    def of_state(self, end: int, actor: str, used: list[int]) -> int:
        """ "Prime Minister Fumio Kishida of Japan": absorb "of <same state>"."""
        if self.low(end) != "of" or not self.free(end):
            return end
        nxt = self.core_at(end + 1)
        if nxt is None and self.low(end + 1) == "the" and self.free(end + 1):
            nxt = self.core_at(end + 2)
        if nxt is not None and nxt.entry.actor == actor and nxt.entry.kind == "state":
            used.append(self.occ[nxt.start])
            return nxt.end
        return end

    def in_place_prefix(self, s: int, floor: int) -> int:
        """ "the defence ministry in Beijing": NP with institution head + "in" + place."""
        if s - 1 < floor or self.low(s - 1) != "in" or not self.free(s - 1):
            return s
        k = s - 1
        for a in range(k - 1, max(floor, k - 6) - 1, -1):
            if not self.free(a):
                break
            if self.low(a) != "the":
                continue
            j = a + 1
            last: frozenset[str] = frozenset()
            while j < k:
                m = self.c.lex_match(self.toks, j, k)
                if m is None:
                    break
                j, last = m
            if j == k and last & {"agent", "body"} and j > a + 1:
                return a
        return s

    def of_prefix(self, s: int, floor: int) -> int:
        """ "the Emir of Qatar", "King Abdullah of Jordan", "the government of Bolivia"."""
        k = s
        if self.low(k - 1) == "the" and self.free(k - 1):
            k -= 1
        if k - 1 < floor or self.low(k - 1) != "of" or not self.free(k - 1):
            return s
        k -= 1
        # optional unknown name before "of"
        j = k
        while j - 1 >= floor and self.free(j - 1) and self.toks[j - 1].cap:
            if self.c.lex_match(self.toks, j - 1, j) is not None:
                break
            j -= 1
            if k - j >= 5:
                break
        named = j < k
        # title / institution sequence ending at j
        for a in range(j - 1, max(floor, j - 5) - 1, -1):
            if not self.free(a):
                break
            p = a
            last: frozenset[str] = frozenset()
            last_word = ""
            while p < j:
                m = self.c.lex_match(self.toks, p, j)
                if m is None:
                    break
                last_word = self.toks[m[0] - 1].low
                p, last = m
            if p != j:
                continue
            plural = last_word.endswith("s") and not last_word.endswith("ss")
            if plural:
                return s
            if named and "title" in last:
                return self.left_modifiers(a, floor)
            if not named and last & {"title", "agent"} and self.low(a - 1) == "the":
                return a - 1
        return s

    def adjective_prefix(self, s: int, t: int, floor: int) -> int:
        """ "landlocked Ethiopia", "reclusive North Korea": epithets (and their article) before a
        name that heads its phrase (not "the new Japan-Philippines pact")."""
        if self.joined(t):
            return s  # "the new Japan-Philippines pact"
        if t < self.n and self.toks[t].space:
            m = self.lex(t)
            if m is not None and m[1] & _NOUNISH:
                return s
        k = self.words_before(s, floor, "epithet", (3, 1))  # "war-torn" is three tokens
        if k < s and k - 1 >= floor and self.free(k - 1) and self.low(k - 1) in ("the", "a", "an"):
            k -= 1
        return k

    def references(self, spans: list[_Span]) -> list[_Span]:
        """Resolve anaphors and pair references; drop unresolved ones."""
        if not any(sp.kind == "reference" for sp in spans):
            return spans
        starts = [a for a, _ in split_sentences(self.text)]

        def sent_of(tok: int) -> int:
            return bisect.bisect_right(starts, self.toks[tok].start) - 1

        out: list[_Span] = []
        seen: list[tuple[int, _Span]] = []  # (sentence, actor mention) in text order
        distinct: dict[int, list[str]] = {}  # sentence -> distinct actors so far
        for sp in spans:
            si = sent_of(sp.start)
            if sp.kind != "reference":
                out.append(sp)
                seen.append((si, sp))
                actors = distinct.setdefault(si, [])
                if sp.actor not in actors:
                    actors.append(sp.actor)
                continue
            if sp.ref_type == "pair":
                actors = distinct.get(si, [])
                if len(actors) == 2:
                    out.extend(_Span(sp.start, sp.end, a, "reference") for a in actors)
                continue
            for psi, prev in reversed(seen):
                if psi < si - 1:
                    break
                if prev.actor in sp.antecedents:
                    out.append(_Span(sp.start, sp.end, prev.actor, "reference"))
                    break
        return out


class ActorRecognizer:
    """Find and normalise actor mentions using the gazetteer in ``gazetteer_dir``.

    ``gazetteer_dir=None`` uses the data files shipped in ``stance/actors/data``.  The compiled
    gazetteer is cached per directory and process, so creating recognisers is cheap.
    """

    def __init__(self, gazetteer_dir: str | os.PathLike[str] | None = None) -> None:
        key = None if gazetteer_dir is None else os.fspath(gazetteer_dir)
        self._compiled = _compile(key)

    @property
    def gazetteer(self) -> Gazetteer:
        return self._compiled.gazetteer

    @property
    def conflicts(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Alias texts claimed by several actors with equal priority (should be empty)."""
        return tuple(self._compiled.conflicts)

    def find(self, text: str) -> list[Mention]:
        """All actor mentions in ``text``, sorted by start offset (then end, actor)."""
        if not text:
            return []
        doc = _Doc(self._compiled, text)
        if doc.n == 0:
            return []
        doc.match_cores()
        if not doc.cores:
            return []
        spans = doc.references(doc.expand())
        out = []
        for sp in spans:
            a = doc.toks[sp.start].start
            b = doc.toks[sp.end - 1].end
            out.append(Mention(a, b, text[a:b], sp.actor, sp.kind))
        out.sort(key=lambda m: (m.start, m.end, m.actor))
        return out

    def find_all(self, texts: Iterable[str]) -> list[list[Mention]]:
        return [self.find(t) for t in texts]


@functools.lru_cache(maxsize=1)
def _default_recognizer() -> ActorRecognizer:
    return ActorRecognizer()


def find_actors(text: str) -> list[Mention]:
    """Actor mentions in ``text`` using the default (packaged) gazetteer."""
    return _default_recognizer().find(text)
