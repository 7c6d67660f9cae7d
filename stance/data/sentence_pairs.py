"""Sentences with their actors and labelled pairs, as one schema row per ordered pair.

The bundled corpora (``data/statements``, ``data/events``) store one sentence per line: its
actors with their mentions, and its non-neutral directed pairs as ``[source, target, stance]``
or ``[source, target, stance, plover_type]``; every other ordered pair of its actors is neutral.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any

__all__ = ["listed", "pair_rows"]


def listed(value: Any) -> list[Any]:
    """Arrow lists arrive as numpy arrays (or None): a plain list either way."""
    return [] if value is None else list(value)


def pair_rows(record: dict[str, Any], fields: Sequence[str] = ()) -> list[dict[str, Any]]:
    """One row per ordered pair of the sentence's actors.

    Columns: ``id`` (``<text_id>:<source>><target>``), ``text_id``, ``text``, ``source``,
    ``target``, ``source_mention`` / ``target_mention`` (each actor's first mention),
    ``stance``, ``plover_type`` (empty for neutral and unlabelled pairs), ``split``,
    ``phenomena`` (``;``-joined), and the record's `fields` as they are.
    """
    mentions = {m["actor"]: list(m["mentions"]) for m in listed(record["mentions"])}
    labelled = {}
    for pair in map(list, listed(record["pairs"])):
        if len(pair) not in (3, 4):
            raise ValueError(
                f"pair {pair!r} of {record['text_id']!r} is not [source, target, stance] "
                "or [source, target, stance, plover_type]"
            )
        labelled[(pair[0], pair[1])] = (pair[2], pair[3] if len(pair) > 3 else "")
    rows = []
    for source, target in itertools.permutations(mentions, 2):
        stance, plover = labelled.get((source, target), ("neutral", ""))
        row = {
            "id": f"{record['text_id']}:{source}>{target}",
            "text_id": record["text_id"],
            "text": record["text"],
            "source": source,
            "target": target,
            "source_mention": mentions[source][0],
            "target_mention": mentions[target][0],
            "stance": stance,
            "plover_type": plover,
        }
        row.update({name: record.get(name) for name in fields})
        row["split"] = record["split"]
        row["phenomena"] = ";".join(listed(record.get("phenomena")))
        rows.append(row)
    return rows
