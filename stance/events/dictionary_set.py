"""The dictionaries one model reads: an actor vocabulary and a verb index, compiled once.

:func:`load_dictionaries` compiles a list of dictionary files (any order; kinds are sniffed by
:func:`stance.events.sources.sniff`) into a :class:`DictionarySet`, cached per process on the
files' paths, sizes and modification times. A set is plain data (:meth:`DictionarySet.to_json`)
so a fitted estimator keeps the dictionaries it was trained with inside its model file.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from stance.actors.cameo import Vocabulary, compile_vocabulary
from stance.actors.cameo_organisations import organisation_codes
from stance.events.sources import split_by_kind
from stance.events.verb_index import VerbIndex, compile_verbs

__all__ = ["DictionarySet", "load_dictionaries"]


@dataclass(frozen=True)
class DictionarySet:
    """Compiled actor vocabulary and verb index (either may be empty)."""

    vocabulary: Vocabulary
    verbs: VerbIndex

    def to_json(self) -> str:
        """Both parts as one JSON string."""
        return json.dumps({"vocabulary": self.vocabulary.to_json(), "verbs": self.verbs.to_json()})

    @classmethod
    def from_json(cls, text: str) -> DictionarySet:
        """The inverse of :meth:`to_json`."""
        data = json.loads(text)
        return cls(Vocabulary.from_json(data["vocabulary"]), VerbIndex.from_json(data["verbs"]))

    @property
    def sources(self) -> list[str]:
        """The files the set was compiled from."""
        return [*self.vocabulary.sources, *self.verbs.sources]


def load_dictionaries(paths: Sequence[str | os.PathLike]) -> DictionarySet:
    """Compile `paths` (actor, agent and verb files in any order), cached per process."""
    stamp = tuple((str(Path(p).resolve()), *_stat(p)) for p in paths)
    return _load(stamp)


def _stat(path: str | os.PathLike) -> tuple[int, int]:
    try:
        stat = os.stat(path)
    except OSError:
        return (-1, -1)
    return (stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _load(stamp: tuple[tuple[str, int, int], ...]) -> DictionarySet:
    kinds = split_by_kind([path for path, _, _ in stamp])
    verbs = compile_verbs(kinds["verbs"])
    forms = frozenset(words[0] for words, _, _ in verbs.form_list if len(words) == 1)
    vocabulary = compile_vocabulary(
        kinds["actors"],
        kinds["agents"],
        organisation_codes(kinds["actors"]),
        common_words=forms,
    )
    return DictionarySet(vocabulary, verbs)
