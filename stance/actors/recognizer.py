"""Gazetteer-based recognition and normalisation of international actors.

Pipeline of :meth:`ActorRecognizer.find`, one module a step:

1. **Tokenise** (:mod:`~stance.actors.tokens`) into words and single punctuation characters,
   keeping character offsets.
2. **Gazetteer match** (:mod:`~stance.actors.trie`, :mod:`~stance.actors.document`) with a
   token trie compiled once per gazetteer directory; the longest alias wins, overlaps are
   resolved longest first, blocked phrases take part and are then dropped.
3. **Noun-phrase expansion** (:mod:`~stance.actors.expansion`, :mod:`~stance.actors.phrases`):
   a mention covers the phrase that refers to the actor or to an agent of it ("the Chinese
   side", "Russia's Foreign Ministry", "President Putin"), by the span rule of the statements
   corpus (``data/statements/README.md``).
4. **References** (:mod:`~stance.actors.references`): "the bloc", "the junta" resolve to the
   nearest compatible actor before them; "both sides" to the two actors of the sentence.

Everything is compiled once per gazetteer directory (``functools.lru_cache``); the module holds
no other mutable state.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Iterable
from dataclasses import dataclass

from stance.actors.expansion import MentionExpander
from stance.actors.gazetteer import Gazetteer
from stance.actors.references import resolve_references
from stance.actors.trie import compile_gazetteer

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


class ActorRecognizer:
    """Find and normalise actor mentions using the gazetteer in ``gazetteer_dir``.

    ``gazetteer_dir=None`` uses the data files shipped in ``stance/actors/data``.  The compiled
    gazetteer is cached per directory and process, so creating recognisers is cheap.
    """

    def __init__(self, gazetteer_dir: str | os.PathLike[str] | None = None) -> None:
        key = None if gazetteer_dir is None else os.fspath(gazetteer_dir)
        self._compiled = compile_gazetteer(key)

    @property
    def gazetteer(self) -> Gazetteer:
        return self._compiled.gazetteer

    @property
    def conflicts(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """Alias texts claimed by several actors with equal priority (should be empty)."""
        return tuple(self._compiled.conflicts)

    def find(self, text: str, day: object = None) -> list[Mention]:
        """All actor mentions in ``text``, sorted by start offset (then end, actor).

        `day` is taken for the interface of :class:`stance.actors.coding.ActorCoder` and not
        used: the gazetteer has no dated entries."""
        if not text:
            return []
        doc = MentionExpander(self._compiled, text)
        if doc.n == 0:
            return []
        doc.match_cores()
        if not doc.cores:
            return []
        spans = resolve_references(doc, doc.expand())
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
