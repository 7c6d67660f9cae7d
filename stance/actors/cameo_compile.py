"""Compiling CAMEO/Phoenix actor and agent files into a :class:`~stance.actors.cameo.Vocabulary`.

Codes are normalised to this project's (:func:`stance.actors.cameo_codes.normalise`); the
GeoNames cities come first, the files after them in the order given (later files win on a
phrase), plural demonyms the files leave out are added, and role nouns are folded to the roles
of the events corpus's guide.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from stance.actors.cameo import ActorCode, Vocabulary, phrase_keys, read_word_list
from stance.actors.cameo_codes import fold_role, normalise, split_code, state_ids
from stance.actors.dictionaries import load_actor_file, load_agent_file
from stance.errors import DataError

__all__ = ["compile_vocabulary"]


def compile_vocabulary(
    actor_files: Sequence[str | os.PathLike] = (),
    agent_files: Sequence[str | os.PathLike] = (),
    organisations: dict[str, str] | None = None,
    places: bool = True,
    common_words: frozenset[str] = frozenset(),
) -> Vocabulary:
    """Read actor and agent files into a :class:`Vocabulary` (later files win on a phrase).

    Codes are normalised (:func:`stance.actors.cameo_codes.normalise`, with `organisations`
    mapping Phoenix organisation codes to ours); an entry whose codes name no actor is left out.
    With `places`, the cities of :func:`stance.actors.places.place_phrases` come first, except
    those whose one-word name is a role noun of the agent files, one of `common_words` (e.g. the
    verb forms of the verb files) or listed in ``place_stopwords.txt``.
    """
    organisations = organisations or {}
    actors: dict[tuple[str, ...], tuple[bool, ActorCode]] = {}
    agents = _agent_table(agent_files)
    if places:
        from stance.actors.places import STOPWORDS_FILE, place_phrases

        skip = {(w,) for w in common_words | read_word_list(STOPWORDS_FILE)}
        skip |= {keys for keys, _ in agents}
        for name, state in place_phrases():
            keys = tuple(phrase_keys([name]))
            if keys and keys not in skip:
                actors[keys] = (False, ActorCode(state))
    for path in actor_files:
        for entry in _existing(path, load_actor_file).entries:
            code = _normalised(entry, organisations)
            if code is None:
                continue
            for phrase in entry.phrases:
                keys = tuple(phrase_keys(phrase.words))
                if keys:
                    actors[keys] = (phrase.stem and len(phrase.words[-1]) > 3, code)
                for plural in _demonym_plurals(keys, code):
                    actors.setdefault(plural, (False, code))
    return Vocabulary.build(
        [(keys, stem, code) for keys, (stem, code) in actors.items()],
        [(keys, gaps, role) for (keys, gaps), role in agents.items()],
        [str(p) for p in (*actor_files, *agent_files)],
    )


def _agent_table(
    agent_files: Sequence[str | os.PathLike],
) -> dict[tuple[tuple[str, ...], tuple[int, ...]], str]:
    """(phrase keys, gaps) -> role of every suffix role noun (later files win)."""
    agents: dict[tuple[tuple[str, ...], tuple[int, ...]], str] = {}
    for path in agent_files:
        for entry in _existing(path, load_agent_file).entries:
            role = fold_role(entry.role)
            if entry.position != "suffix" or not role:
                continue
            for phrase in entry.phrases:
                keys, gaps = _agent_keys(phrase.words, phrase.gaps)
                if keys:
                    agents[(keys, gaps)] = role
    return agents


def _demonym_plurals(keys: tuple[str, ...], code: ActorCode) -> list[tuple[str, ...]]:
    """Plural demonyms the files leave out: a one-word name of a bare state ending in -AN or
    -I also names its people in the plural ("AFGHAN" -> "AFGHANS", "IRAQI" -> "IRAQIS")."""
    if len(keys) != 1 or len(keys[0]) < 5 or not keys[0].isalpha():
        return []
    root, role = split_code(code.on(None) or "")
    if role or root not in state_ids() or not keys[0].endswith(("AN", "I")):
        return []
    return [(keys[0] + "S",)]


def _existing(path: str | os.PathLike, loader: Any) -> Any:
    if not Path(path).is_file():
        raise DataError(
            f"dictionary file {str(path)!r} not found; fix actors.dictionaries (a list of "
            "paths) or put the file there."
        )
    return loader(path)


def _normalised(entry: Any, organisations: dict[str, str]) -> ActorCode | None:
    default = normalise(entry.default, organisations)
    dated = tuple(
        (
            normalise(d.code, organisations),
            d.start.isoformat() if d.start else None,
            d.end.isoformat() if d.end else None,
        )
        for d in entry.dated
    )
    if default is None and not any(code for code, _, _ in dated):
        return None
    return ActorCode(default, dated)


def _agent_keys(
    words: Sequence[str], gaps: Sequence[int]
) -> tuple[tuple[str, ...], tuple[int, ...]]:
    keys: list[str] = []
    key_gaps = []
    for position, word in enumerate(words):
        keys.extend(phrase_keys([word]))
        if position in gaps:
            key_gaps.append(len(keys) - 1)
    return tuple(keys), tuple(key_gaps)
