"""Which Phoenix organisation codes are which of our organisations, read from shared names.

The Phoenix files code organisations as ``IGO...``/``NGO...`` (``IGOUNO`` is the United
Nations); the bundled gazetteer names them ``UN``, ``NATO``, ``EU``. :func:`organisation_codes`
links the two through names both spell the same: every Phoenix entry one of whose phrases is a
name, acronym or alternate name of one of our organisations votes for that organisation; each
code goes to the organisation with the most votes (ties: the organisation whose name comes
first in the alphabet). Codes are then looked up by their longest known prefix
(:func:`stance.actors.cameo_codes.normalise`), so ``IGOUNOXYZ`` is the UN unless ``IGOUNOXYZ``
itself is known.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Sequence

from stance.actors.dictionaries import load_actor_file
from stance.actors.gazetteer import load_gazetteer

__all__ = ["organisation_codes"]

_FORMS = frozenset({"name", "acronym", "alternate"})


def _key(text: str) -> tuple[str, ...]:
    from stance.actors.cameo import tokens

    return tuple(t.key for t in tokens(text))


def organisation_codes(actor_files: Sequence[str | os.PathLike]) -> dict[str, str]:
    """Phoenix organisation code -> our organisation id, for the codes that share a name."""
    names: dict[tuple[str, ...], str] = {}
    for alias in load_gazetteer().aliases:
        if alias.kind == "organisation" and alias.form in _FORMS:
            key = _key(alias.text.removeprefix("the ").removeprefix("The "))
            names.setdefault(key, alias.actor)
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    for path in actor_files:
        for entry in load_actor_file(path).entries:
            codes = {entry.default, *(d.code for d in entry.dated)} - {None}
            codes = {c for c in codes if c[:3] in ("IGO", "NGO")}
            if not codes:
                continue
            for phrase in entry.phrases:
                org = names.get(_key(" ".join(phrase.words)))
                if org is not None:
                    for code in codes:
                        votes[code][org] += 1
    return {code: min(c.items(), key=lambda kv: (-kv[1], kv[0]))[0] for code, c in votes.items()}
