"""The CAMEO/Phoenix dictionaries compiled for matching raw text: actor phrases and role nouns.

A :class:`Vocabulary` (compiled by :func:`stance.actors.cameo_compile.compile_vocabulary` from
actor and agent files in the PETRARCH formats) holds a flat table of actor phrases with their
(dated) codes and a token trie of role nouns with their roles. It is plain data
(:meth:`Vocabulary.to_json`), so a trained model carries the one it was trained with.

Matching rules (documented choices; PETRARCH matches inside parsed noun phrases instead):

- Text and phrases are tokenised alike (:func:`tokens`): runs of letters/digits and single
  other characters, upper-cased, accents folded ("Côte d'Ivoire" = ``COTE D ' IVOIRE``).
- A phrase matches consecutive tokens; a blank in an agent phrase lets up to
  :data:`MAX_GAP` tokens come in between. A *stem* (an actor phrase not ending in ``_``) lets
  its last word take a plural ending (``S``, ``ES``) and no other continuation: TABARI's open
  stems (``UN`` also matching ``UNDER``) give false actors in raw text.
- Actor phrases need an upper-case first letter in the text (names are capitalised; "us",
  "chad" and "turkey" are not actors); role nouns match in any case.
- Longest match first, left to right, no overlaps.
- Later files win over earlier ones for the same phrase, so a project's own additions file,
  read last, corrects or extends the field's files.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from stance.actors.tokens import TOKEN_RE, fold, fold_ascii

__all__ = [
    "MAX_GAP",
    "Match",
    "Token",
    "Vocabulary",
    "phrase_keys",
    "read_word_list",
    "tokens",
]

#: Tokens an agent phrase's blank may skip ("CHIEF EXECUTIVE" in "chief financial executive").
MAX_GAP = 2
_END = "\x00"
_GAP = "\x01"
_PLURALS = ("S", "ES")


class Token(NamedTuple):
    """A token of raw text: its offsets, its folded upper-case key and whether it is a word
    starting with an upper-case letter."""

    start: int
    end: int
    key: str
    capital: bool


def tokens(text: str) -> list[Token]:
    """The tokens of `text` (see the module doc)."""
    folded = fold_ascii(text)
    if folded is not None:  # the common case: keys sliced from the whole text, upper-cased once
        upper = folded.upper()
        return [
            Token(start, end, upper[start:end], text[start].isupper())
            for start, end in (m.span() for m in TOKEN_RE.finditer(text))
        ]
    out = []
    for m in TOKEN_RE.finditer(text):
        raw = m.group(0)
        out.append(Token(m.start(), m.end(), fold(raw).upper(), raw[0].isupper()))
    return out


def read_word_list(path: str | os.PathLike) -> frozenset[str]:
    """The words of a word-list file: one per line, ``#`` starts a comment."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return frozenset(w for line in lines if (w := line.split("#", 1)[0].strip()))


def phrase_keys(words: Sequence[str]) -> list[str]:
    """Dictionary words as the token keys of :func:`tokens` ("U.S." -> U . S .)."""
    out: list[str] = []
    for word in words:
        if word.isascii() and word.isalnum():  # the common case, as tokens() would key it
            out.append(word.upper())
        else:
            out.extend(t.key for t in tokens(word))
    return out


class Match(NamedTuple):
    """A phrase found in a token list: tokens ``[start, end)`` and the payload's index."""

    start: int
    end: int
    index: int


@dataclass(frozen=True)
class ActorCode:
    """The codes of one actor phrase: a default and dated codes (ISO dates, limits inclusive)."""

    default: str | None
    dated: tuple[tuple[str | None, str | None, str | None], ...] = ()

    def on(self, day: dt.date | None) -> str | None:
        """The code on `day` (the rule of :meth:`ActorEntry.code_on`)."""
        return code_on([self.default, self.dated], day)


def code_on(code: Sequence[Any], day: dt.date | None) -> str | None:
    """The code on `day` of ``[default, dated]`` (dated: ``[code, start, end]`` with ISO dates,
    limits inclusive): among the restrictions holding that day the one that starts latest;
    without a day the most recent restriction (latest end, an open end latest); else the
    default."""
    default, dated = code
    if not dated:
        return default
    if day is None:
        best = max(
            enumerate(dated), key=lambda item: (item[1][2] or "9999", item[1][1] or "", item[0])
        )
        return best[1][0]
    iso = day.isoformat()
    live = [
        (start or "", index, value)
        for index, (value, start, end) in enumerate(dated)
        if (start is None or start <= iso) and (end is None or iso <= end)
    ]
    return max(live)[2] if live else default


class Vocabulary:
    """Actor phrases with their codes and role nouns with their roles, as token tries.

    Build with :meth:`build` (from ``(keys, stem, ActorCode)`` and ``(keys, gaps, role)``
    entries) or :meth:`from_json`: the table and the trie are plain dicts, so a model file's
    JSON loads without rebuilding them.
    """

    def __init__(
        self,
        codes: list[list[Any]],
        roles: list[str],
        actor_table: dict[str, list[list[Any]]],
        actor_prefixes: Sequence[str],
        agent_trie: dict,
        sources: Sequence[str] = (),
    ) -> None:
        self.codes = codes
        self.roles = roles
        self._actor_table = actor_table
        self._actor_prefixes = frozenset(actor_prefixes)
        self._agent_trie = agent_trie
        self.sources = list(sources)

    @classmethod
    def build(
        cls,
        actors: Sequence[tuple[tuple[str, ...], bool, ActorCode]],
        agents: Sequence[tuple[tuple[str, ...], tuple[int, ...], str]],
        sources: Sequence[str] = (),
    ) -> Vocabulary:
        """A vocabulary from its entries (later entries of the same phrase are not merged)."""
        codes = [[code.default, [list(d) for d in code.dated]] for _, _, code in actors]
        roles = [role for _, _, role in agents]
        table: dict[str, list[list[Any]]] = {}
        prefixes: set[str] = set()
        for index, (keys, stem, _) in enumerate(actors):
            table.setdefault(" ".join(keys), []).append([index, stem])
            prefixes.update(" ".join(keys[:n]) for n in range(1, len(keys)))
        return cls(
            codes,
            roles,
            table,
            sorted(prefixes),
            _trie((keys, gaps, False) for keys, gaps, _ in agents),
            sources,
        )

    def __len__(self) -> int:
        return len(self.codes) + len(self.roles)

    def find_actors(self, toks: Sequence[Token], day: dt.date | None = None) -> list[Match]:
        """Actor phrases in `toks` whose code on `day` names an actor (longest first)."""
        found = _find_flat(self._actor_table, self._actor_prefixes, toks)
        return [m for m in found if code_on(self.codes[m.index], day)]

    def actor_code(self, match: Match, day: dt.date | None = None) -> str | None:
        """The project's code of an actor match on `day`."""
        return code_on(self.codes[match.index], day)

    def find_agents(self, toks: Sequence[Token]) -> list[Match]:
        """Role nouns in `toks` (longest first)."""
        return _find(self._agent_trie, toks, capital=False)

    def role(self, match: Match) -> str:
        """The role of an agent match."""
        return self.roles[match.index]

    def to_data(self) -> dict[str, Any]:
        """The vocabulary as plain lists and dicts (JSON-ready)."""
        return {
            "sources": self.sources,
            "codes": self.codes,
            "roles": self.roles,
            "actor_table": self._actor_table,
            "actor_prefixes": sorted(self._actor_prefixes),
            "agent_trie": self._agent_trie,
        }

    def to_json(self) -> str:
        """The vocabulary as one JSON string."""
        return json.dumps(self.to_data(), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> Vocabulary:
        """The inverse of :meth:`to_json`."""
        return cls.from_data(json.loads(text))

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Vocabulary:
        """The inverse of :meth:`to_data`."""
        return cls(
            data["codes"],
            data["roles"],
            data["actor_table"],
            data["actor_prefixes"],
            data["agent_trie"],
            data.get("sources", []),
        )


def _trie(phrases: Iterable[tuple[tuple[str, ...], tuple[int, ...], bool]]) -> dict:
    root: dict[str, Any] = {}
    for index, (keys, gaps, stem) in enumerate(phrases):
        node = root
        for position, key in enumerate(keys):
            node = node.setdefault(key, {})
            if position in gaps:
                node = node.setdefault(_GAP, {})
        node.setdefault(_END, []).append([index, stem])
    return root


def _find(trie: dict, toks: Sequence[Token], capital: bool) -> list[Match]:
    """Longest role-noun phrases left to right, without overlaps."""
    if _END in trie or _GAP in trie:
        return _scan(toks, capital, lambda i: _longest(trie, toks, i))
    # no phrase is empty or starts with a blank: only a token that starts one can match
    return _scan(toks, capital, lambda i: _longest(trie, toks, i) if toks[i].key in trie else None)


def _find_flat(
    table: dict[str, list[list[Any]]], prefixes: frozenset[str], toks: Sequence[Token]
) -> list[Match]:
    """Longest actor phrases left to right, without overlaps, each starting at a capitalised
    word (see :func:`_longest_flat`)."""
    return _scan(toks, True, lambda i: _longest_flat(table, prefixes, toks, i))


def _scan(
    toks: Sequence[Token], capital: bool, longest: Callable[[int], tuple[int, int] | None]
) -> list[Match]:
    """Matches left to right: the longest at each token (`longest`), then past it."""
    out: list[Match] = []
    i, n = 0, len(toks)
    while i < n:
        best = None if capital and not toks[i].capital else longest(i)
        if best is None:
            i += 1
            continue
        out.append(Match(i, best[0], best[1]))
        i = best[0]
    return out


def _longest_flat(
    table: dict[str, list[list[Any]]], prefixes: frozenset[str], toks: Sequence[Token], i: int
) -> tuple[int, int] | None:
    """(end, index) of the longest phrase of a flat table starting at token `i`: a phrase is its
    keys joined by blanks, `prefixes` holds every proper prefix of a phrase (a longer phrase is
    tried only while one can still match), and a stem's last word may take a plural ending."""
    best: tuple[int, int] | None = None
    phrase = ""
    for j in range(i, len(toks)):
        key = toks[j].key
        head = phrase
        phrase = f"{phrase} {key}" if phrase else key
        entries = table.get(phrase)
        if entries:
            best = (j + 1, entries[0][0])
        else:
            for suffix in _PLURALS:  # a stem's plural: AFGHAN -> AFGHANS
                if key.endswith(suffix) and len(key) > len(suffix) + 2:
                    stem = key[: -len(suffix)]
                    stemmed = table.get(f"{head} {stem}" if head else stem, ())
                    hit = next((e for e in stemmed if e[1]), None)
                    if hit is not None:
                        best = (j + 1, hit[0])
                        break
        if phrase not in prefixes:
            break
    return best


def _longest(trie: dict, toks: Sequence[Token], i: int) -> tuple[int, int] | None:
    """(end, payload index) of the longest role-noun phrase starting at token `i` (agent
    phrases are whole words, never stems; a blank lets up to :data:`MAX_GAP` tokens in)."""
    best: tuple[int, int] | None = None
    stack = [(trie, i)]
    while stack:
        node, j = stack.pop()
        for index, _stem in node.get(_END, ()):
            if best is None or j > best[0]:
                best = (j, index)
        if _GAP in node:
            for skip in range(MAX_GAP + 1):
                if j + skip <= len(toks):
                    stack.append((node[_GAP], j + skip))
        if j >= len(toks):
            continue
        key = toks[j].key
        child = node.get(key)
        if child is not None:
            stack.append((child, j + 1))
    return best
