"""The gazetteer compiled for matching: a token trie of the aliases and one of the noun-phrase
lexicon, built once per gazetteer directory (``functools.lru_cache``).

Alias matching is case-sensitive except for alias words written in lower case (function words
and common nouns such as "the", "side", "foreign ministry"), whose first letter may be upper
case, so a sentence-initial "The Kremlin" matches the alias "the Kremlin". Lexicon entries get
their regular plurals ("government" -> "governments").
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

from stance.actors.gazetteer import Alias, Gazetteer, load_gazetteer
from stance.actors.tokens import Token, alias_keys, lower_first


@dataclass(frozen=True)
class Entry:
    """What an alias (a path of the trie) stands for."""

    text: str
    actor: str
    kind: str  # state | organisation | person | block | pair | anaphor
    forms: frozenset[str]
    antecedents: tuple[str, ...]


END = ""  # trie key of the terminal entry


class CompiledGazetteer:
    """Trie of aliases + lexicon trie, built once per gazetteer."""

    def __init__(self, gaz: Gazetteer) -> None:
        self.gazetteer = gaz
        self.trie: dict = {}
        self.conflicts: list[tuple[str, tuple[str, ...]]] = []
        groups: dict[tuple, list[Alias]] = {}
        for a in gaz.aliases:
            keys = alias_keys(a.text)
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
            entry = Entry(
                text=chosen.text,
                actor=chosen.actor,
                kind=chosen.kind,
                forms=frozenset(a.form for a in same),
                antecedents=chosen.antecedents,
            )
            node = self.trie
            for k in keys:
                node = node.setdefault(k, {})
            node[END] = entry
        # the words an alias can start with, to skip the search at every other token
        self.starts = frozenset(key for flex, key, _ in self.trie if not flex)
        self.flexible_starts = frozenset(key for flex, key, _ in self.trie if flex)
        # lexicon
        self.lex: dict = {}
        classes: dict[tuple, set[str]] = {}
        for phrase, cls in with_plurals(gaz.lexicon):
            keys = tuple((k.lower(), sp) for _flex, k, sp in alias_keys(phrase))
            if keys:
                classes.setdefault(keys, set()).add(cls)
        for keys, cls in classes.items():
            node = self.lex
            for k in keys:
                node = node.setdefault(k, {})
            node[END] = frozenset(cls)
        # lexicon words by class (single tokens), for quick membership tests
        self.title_words = frozenset(
            keys[0][0] for keys, cls in classes.items() if "title" in cls and len(keys) == 1
        )

    # -- alias trie ---------------------------------------------------------------------------
    def longest(self, toks: list[Token], i: int) -> tuple[int, Entry] | None:
        """The longest alias starting at token ``i``: (end token, its entry), or None."""
        first = toks[i]
        if first.key not in self.starts and not (
            first.word and lower_first(first.key) in self.flexible_starts
        ):
            return None
        best: tuple[int, Entry] | None = None
        stack = [(self.trie, i)]
        n = len(toks)
        while stack:
            node, j = stack.pop()
            entry = node.get(END)
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
                child = node.get((True, lower_first(t.key), sp))
                if child is not None:
                    stack.append((child, j + 1))
        return best

    # -- lexicon trie -------------------------------------------------------------------------
    def lex_match(self, toks: list[Token], i: int, stop: int) -> tuple[int, frozenset[str]] | None:
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
            cls = node.get(END)
            if cls is not None:
                best = (j, cls)
        return best


_PLURAL_CLASSES = frozenset({"agent", "body", "thing", "title", "people"})


def plural(phrase: str) -> str | None:
    """The regular plural of a lower-case noun phrase's last word (None: leave it)."""
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


def with_plurals(lexicon: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The lexicon plus regular plurals of its nouns ("government" -> "governments")."""
    out = list(lexicon)
    for phrase, cls in lexicon:
        if cls in _PLURAL_CLASSES:
            pl = plural(phrase)
            if pl is not None:
                out.append((pl, cls))
    return out


@functools.lru_cache(maxsize=8)
def compile_gazetteer(directory: str | None) -> CompiledGazetteer:
    """The compiled gazetteer of `directory` (None: the packaged one), once per process."""
    return CompiledGazetteer(load_gazetteer(directory))
