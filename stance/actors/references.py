"""References: anaphors and pair references resolved to the actors named before them (step 4).

Anaphors such as "the bloc", "the lender", "the kingdom", "the junta" resolve to the nearest
preceding compatible actor in the same or the previous sentence ("the junta in Niger" is one
mention of the state); "both sides", "the two countries", ... yield one mention of kind
``"reference"`` for each of the two actors named before it in the same sentence (only when
there are exactly two distinct ones). Reference mentions are the only ones that may overlap.
"""

from __future__ import annotations

import bisect

from stance.actors.document import Document, Phrase
from stance.actors.sentences import split_sentences


def resolve_references(doc: Document, spans: list[Phrase]) -> list[Phrase]:
    """Resolve anaphors and pair references; drop unresolved ones."""
    if not any(sp.kind == "reference" for sp in spans):
        return spans
    starts = [a for a, _ in split_sentences(doc.text)]

    def sent_of(tok: int) -> int:
        return bisect.bisect_right(starts, doc.toks[tok].start) - 1

    out: list[Phrase] = []
    seen: list[tuple[int, Phrase]] = []  # (sentence, actor mention) in text order
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
                out.extend(Phrase(sp.start, sp.end, a, "reference") for a in actors)
            continue
        for psi, prev in reversed(seen):
            if psi < si - 1:
                break
            if prev.actor in sp.antecedents:
                out.append(Phrase(sp.start, sp.end, prev.actor, "reference"))
                break
    return out
