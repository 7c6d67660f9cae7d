"""Actor recognition against the gold mentions of the statements corpus.

Gold spans are not stored as offsets: each actor lists the strings that mention it, in text
order. :func:`gold_spans` places them: longer strings first (so "China" inside "China's
foreign ministry" is not taken for a mention of its own), each string at its first
occurrences on word boundaries that no other placed mention of the same actor covers, as
many times as it is listed. Predicted spans come from :class:`stance.actors.ActorRecognizer`.

Three views, each as micro precision/recall/F1 in percent:

``exact``     a predicted span counts when (start, end, actor) equals a gold span;
``overlap``   one-to-one matching of predicted and gold spans of the same actor that share at
              least one character (exact pairs are fixed first, the rest is a maximum
              matching), so a mention that covers more or less of the phrase still counts;
``identity``  the set of actors of each sentence, ignoring where and how often they occur.

The corpus never labels a joint reference ("both sides", "the two countries") as a mention of
either actor, so the recognizer's pair references are left out unless ``pair_references=True``
(they never add an actor: both actors are named earlier in the sentence).

Every span error is one event of one kind, so that ``exact fn = boundary + wrong_actor +
missed`` and ``exact fp = boundary + wrong_actor + spurious`` (overlap: the same without
``boundary``):

``boundary``     same actor, overlapping spans, different boundaries;
``wrong_actor``  a predicted span overlaps an unmatched gold span of another actor;
``missed``       a gold span with nothing predicted over it;
``spurious``     a predicted span with no gold span under it.

``stance evaluate-actors --split test [--errors errors.csv]`` prints the table.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd

from stance.actors import ActorRecognizer, Mention
from stance.evaluation.triples import prf

__all__ = [
    "ERROR_COLUMNS",
    "ERROR_KINDS",
    "ActorSpan",
    "MentionScores",
    "Recognizer",
    "Scores",
    "evaluate_mentions",
    "format_table",
    "gold_spans",
    "match_spans",
    "predicted_spans",
]

ERROR_KINDS = ("boundary", "wrong_actor", "missed", "spurious")
ERROR_COLUMNS = (
    "text_id",
    "kind",
    "gold_actor",
    "gold_mention",
    "predicted_actor",
    "predicted_mention",
    "gold_start",
    "gold_end",
    "predicted_start",
    "predicted_end",
    "text",
)


class Recognizer(Protocol):
    """Anything with :meth:`stance.actors.ActorRecognizer.find`."""

    def find(self, text: str) -> list[Mention]: ...


@dataclass(frozen=True, order=True)
class ActorSpan:
    """A mention of ``actor`` at ``text[start:end]``."""

    start: int
    end: int
    actor: str

    def overlaps(self, other: ActorSpan) -> bool:
        return self.start < other.end and other.start < self.end


@dataclass
class Scores:
    """Counts of one view; precision, recall and F1 in percent."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    @property
    def precision(self) -> float:
        return prf(self.tp, self.fp, self.fn)["precision"]

    @property
    def recall(self) -> float:
        return prf(self.tp, self.fp, self.fn)["recall"]

    @property
    def f1(self) -> float:
        return prf(self.tp, self.fp, self.fn)["f1"]

    def as_dict(self) -> dict[str, float]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, **prf(self.tp, self.fp, self.fn)}


@dataclass
class MentionScores:
    """Scores of the three views, the error listing, and the gold strings not found."""

    sentences: int = 0
    exact: Scores = field(default_factory=Scores)
    overlap: Scores = field(default_factory=Scores)
    identity: Scores = field(default_factory=Scores)
    errors: list[dict[str, Any]] = field(default_factory=list)
    unplaced: list[tuple[str, str, str]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        """Figures as plain data: per view tp/fp/fn/precision/recall/f1, errors by kind."""
        kinds = {kind: 0 for kind in ERROR_KINDS}
        for error in self.errors:
            kinds[error["kind"]] += 1
        return {
            "unit": "percent",
            "sentences": self.sentences,
            "exact": self.exact.as_dict(),
            "overlap": self.overlap.as_dict(),
            "identity": self.identity.as_dict(),
            "errors": kinds,
            "unplaced_gold": len(self.unplaced),
        }

    def errors_frame(self) -> pd.DataFrame:
        """One row per error event with :data:`ERROR_COLUMNS`."""
        return pd.DataFrame(self.errors, columns=list(ERROR_COLUMNS))


def _listed(value: Any) -> list[Any]:
    """Arrow lists arrive as numpy arrays (or None): a plain list either way."""
    return [] if value is None else list(value)


def _occurrences(text: str, string: str) -> list[tuple[int, int]]:
    """Offsets of `string` in `text` on word boundaries (any offsets when there are none)."""
    hits = [
        (m.start(), m.end()) for m in re.finditer(r"(?<!\w)" + re.escape(string) + r"(?!\w)", text)
    ]
    if hits or not string:
        return hits
    return [(m.start(), m.end()) for m in re.finditer(re.escape(string), text)]


def gold_spans(
    text: str, mentions: Iterable[Mapping[str, Any]]
) -> tuple[list[ActorSpan], list[tuple[str, str]]]:
    """Place the gold mention strings of one sentence in `text`.

    Parameters
    ----------
    text : the sentence.
    mentions : ``{"actor": id, "mentions": [string, ...]}`` per actor, strings in text order.

    Returns
    -------
    spans : sorted gold spans.
    unplaced : ``(actor, string)`` for each listed string left without a free occurrence.
    """
    wanted: list[tuple[str, str, int]] = []  # (actor, string, times listed)
    for entry in mentions:
        counts: dict[str, int] = {}
        for string in _listed(entry["mentions"]):
            counts[str(string)] = counts.get(str(string), 0) + 1
        wanted.extend((str(entry["actor"]), s, n) for s, n in counts.items())
    wanted.sort(key=lambda w: -len(w[1]))
    placed: list[ActorSpan] = []
    unplaced: list[tuple[str, str]] = []
    for actor, string, times in wanted:
        for start, end in _occurrences(text, string):
            if times == 0:
                break
            span = ActorSpan(start, end, actor)
            if any(p.actor == actor and p.overlaps(span) for p in placed):
                continue
            placed.append(span)
            times -= 1
        unplaced.extend([(actor, string)] * times)
    return sorted(placed), unplaced


def _augment(g: int, edges: list[list[int]], owner: list[int | None], seen: set[int]) -> bool:
    for p in edges[g]:
        if p in seen:
            continue
        seen.add(p)
        current = owner[p]
        if current is None or _augment(current, edges, owner, seen):
            owner[p] = g
            return True
    return False


def match_spans(
    gold: Sequence[ActorSpan], predicted: Sequence[ActorSpan]
) -> tuple[set[tuple[int, int]], set[tuple[int, int]]]:
    """Match predicted to gold spans of one sentence.

    Returns
    -------
    exact : ``(gold index, predicted index)`` pairs with identical span and actor.
    overlap : a one-to-one matching of same-actor overlapping spans that contains ``exact``
        and is maximum among those that do.
    """
    exact: set[tuple[int, int]] = set()
    used_p: set[int] = set()
    for gi, g in enumerate(gold):
        for pi, p in enumerate(predicted):
            if pi not in used_p and p == g:
                exact.add((gi, pi))
                used_p.add(pi)
                break
    used_g = {gi for gi, _ in exact}
    edges = [
        [
            pi
            for pi, p in enumerate(predicted)
            if pi not in used_p and gi not in used_g and p.actor == g.actor and p.overlaps(g)
        ]
        for gi, g in enumerate(gold)
    ]
    owner: list[int | None] = [None] * len(predicted)
    for gi in range(len(gold)):
        if edges[gi]:
            _augment(gi, edges, owner, set())
    overlap = set(exact) | {(gi, pi) for pi, gi in enumerate(owner) if gi is not None}
    return exact, overlap


def _error(
    text_id: Any, kind: str, text: str, gold: ActorSpan | None, predicted: ActorSpan | None
) -> dict[str, Any]:
    return {
        "text_id": text_id,
        "kind": kind,
        "gold_actor": gold.actor if gold else "",
        "gold_mention": text[gold.start : gold.end] if gold else "",
        "predicted_actor": predicted.actor if predicted else "",
        "predicted_mention": text[predicted.start : predicted.end] if predicted else "",
        "gold_start": gold.start if gold else None,
        "gold_end": gold.end if gold else None,
        "predicted_start": predicted.start if predicted else None,
        "predicted_end": predicted.end if predicted else None,
        "text": text,
    }


def predicted_spans(
    text: str, recognizer: Recognizer, pair_references: bool = False
) -> list[ActorSpan]:
    """Sorted spans the recognizer finds in `text`; pair references only if asked for."""
    mentions = recognizer.find(text)
    if not pair_references:
        actors: dict[tuple[int, int], set[str]] = {}
        for m in mentions:
            if m.kind == "reference":
                actors.setdefault((m.start, m.end), set()).add(m.actor)
        mentions = [
            m for m in mentions if m.kind != "reference" or len(actors[(m.start, m.end)]) == 1
        ]
    return sorted({ActorSpan(m.start, m.end, m.actor) for m in mentions})


def evaluate_mentions(
    sentences: pd.DataFrame | Iterable[Mapping[str, Any]],
    recognizer: Recognizer | None = None,
    pair_references: bool = False,
) -> MentionScores:
    """Score `recognizer` (default: the packaged gazetteer) on gold sentences.

    Parameters
    ----------
    sentences : records with ``text``, ``mentions`` (as in ``statements.jsonl``) and, for the
        error listing, ``text_id`` (default: the position).
    recognizer : the actor recognizer to score.
    pair_references : also score "both sides"-style mentions (one span, two actors).
    """
    recognizer = recognizer or ActorRecognizer()
    records = sentences.to_dict("records") if isinstance(sentences, pd.DataFrame) else sentences
    out = MentionScores()
    for position, record in enumerate(records):
        text = str(record["text"])
        text_id = record.get("text_id", position)
        gold, unplaced = gold_spans(text, _listed(record["mentions"]))
        out.unplaced.extend((str(text_id), actor, s) for actor, s in unplaced)
        predicted = predicted_spans(text, recognizer, pair_references)
        exact, overlap = match_spans(gold, predicted)
        out.sentences += 1
        out.exact.add(len(exact), len(predicted) - len(exact), len(gold) - len(exact))
        out.overlap.add(len(overlap), len(predicted) - len(overlap), len(gold) - len(overlap))
        gold_actors = {g.actor for g in gold} | {actor for actor, _ in unplaced}
        found = {p.actor for p in predicted}
        out.identity.add(
            len(gold_actors & found), len(found - gold_actors), len(gold_actors - found)
        )
        for gi, pi in sorted(overlap - exact):
            out.errors.append(_error(text_id, "boundary", text, gold[gi], predicted[pi]))
        free_g = [g for gi, g in enumerate(gold) if gi not in {a for a, _ in overlap}]
        free_p = [p for pi, p in enumerate(predicted) if pi not in {b for _, b in overlap}]
        for g in free_g:
            other = next((p for p in free_p if p.overlaps(g)), None)
            if other is not None:
                free_p.remove(other)
                out.errors.append(_error(text_id, "wrong_actor", text, g, other))
            else:
                out.errors.append(_error(text_id, "missed", text, g, None))
        out.errors.extend(_error(text_id, "spurious", text, None, p) for p in free_p)
    return out


def format_table(results: Mapping[str, MentionScores]) -> str:
    """A plain-text table: one row per (split, view), then error counts per split."""
    lines = [f"{'split':<6} {'view':<9} {'P':>6} {'R':>6} {'F1':>6} {'tp':>5} {'fp':>4} {'fn':>4}"]
    for split, res in results.items():
        for view in ("exact", "overlap", "identity"):
            s: Scores = getattr(res, view)
            lines.append(
                f"{split:<6} {view:<9} {s.precision:6.2f} {s.recall:6.2f} {s.f1:6.2f} "
                f"{s.tp:5d} {s.fp:4d} {s.fn:4d}"
            )
    lines.append("")
    for split, res in results.items():
        kinds = res.as_dict()["errors"]
        counts = ", ".join(f"{k} {v}" for k, v in kinds.items())
        lines.append(f"{split}: {res.sentences} sentences; errors: {counts}")
        if res.unplaced:
            lines.append(f"{split}: {len(res.unplaced)} gold strings not found in their text")
    return "\n".join(lines)
