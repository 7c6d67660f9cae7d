"""Raw text to candidate actor pairs: sentences, actor mentions, every ordered pair.

Each text is split into sentences (:func:`stance.actors.split_sentences`) and its actors are
found in the whole text (:func:`stance.actors.find_actors`, so "the bloc" can point back to the
previous sentence); each mention belongs to the sentence it starts in. Mentions of the same
actor merge: one actor is one candidate, marked by its first mention in the sentence that is not
a reference ("both sides", "the bloc"), or by its first reference mention when it has no other.
Every ordered pair of distinct actors of a sentence is a candidate (source, target).

The actor finder is anything with ``find(text)``: the gazetteer recognizer (actor ids are roots:
``CHN``, ``UN``) or a :class:`stance.actors.coding.ActorCoder` (CAMEO codes with roles:
``IRQMIL``), which also takes the statement's day (``find(text, day)``, who holds an office)
and marks reporting sources ("..., Xinhua reported"): those are counted in ``reporters`` and
never paired.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Hashable, Sequence
from dataclasses import asdict, dataclass, fields
from typing import Any

import pandas as pd

from stance.actors import ActorRecognizer, Mention, split_sentences
from stance.features.events import SPANS_COLUMN

#: The kind of a reporting source's mention (stance.actors.reporters).
REPORTER = "reporter"
#: Columns of a candidate table, in order (the last two are offsets inside ``sentence``).
CANDIDATE_COLUMNS: tuple[str, ...] = (
    "row",
    "text_id",
    "sentence_index",
    "sentence",
    "source",
    "target",
    "source_mention",
    "target_mention",
    "source_start",
    "target_start",
)


@dataclass
class ExtractionCounts:
    """How much raw text went in and how many candidate pairs came out.

    ``statements`` texts (``empty_texts`` of them empty) hold ``sentences`` sentences, of
    which ``sentences_with_pairs`` name two or more actors, ``sentences_one_actor`` exactly one
    and ``sentences_no_actor`` none; ``pairs`` ordered candidate pairs came out of them. With
    requested pairs (input ``source``/``target``), ``pairs_requested`` were asked for and
    ``pairs_not_found`` of them never occurred in one sentence. ``reporters`` mentions were
    reporting sources and left out.
    """

    statements: int = 0
    empty_texts: int = 0
    sentences: int = 0
    sentences_with_pairs: int = 0
    sentences_one_actor: int = 0
    sentences_no_actor: int = 0
    mentions: int = 0
    pairs: int = 0
    pairs_requested: int = 0
    pairs_not_found: int = 0
    reporters: int = 0

    def __add__(self, other: ExtractionCounts) -> ExtractionCounts:
        return ExtractionCounts(
            **{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)}
        )

    def as_dict(self) -> dict[str, int]:
        """The counts as a plain dict."""
        return asdict(self)


@dataclass(frozen=True)
class SentenceActors:
    """One sentence of a text: its span, and its actors with their mentions in text order."""

    start: int
    end: int
    actors: dict[str, list[Mention]]

    def marker(self, actor: str) -> Mention:
        """The mention that stands for `actor`: its first non-reference mention, if any."""
        mentions = self.actors[actor]
        return next((m for m in mentions if m.kind != "reference"), mentions[0])


def sentence_actors(
    text: str, recognizer: Any = None, day: dt.date | None = None
) -> list[SentenceActors]:
    """The sentences of `text` with the actors mentioned in each (reporting sources left out)."""
    return _by_sentence(text, _find(recognizer or _recognizer(), text, day)[0])


def _by_sentence(text: str, mentions: list[Mention]) -> list[SentenceActors]:
    spans = split_sentences(text)
    if not spans:
        return []
    out = [SentenceActors(start, end, {}) for start, end in spans]
    starts = [start for start, _ in spans]
    for mention in mentions:
        index = _sentence_of(starts, mention.start)
        out[index].actors.setdefault(mention.actor, []).append(mention)
    return out


def _find(recognizer: Any, text: str, day: dt.date | None) -> tuple[list[Mention], int]:
    """The mentions of `text` without reporting sources, and how many those were."""
    found = recognizer.find(text) if day is None else recognizer.find(text, day)
    kept = [m for m in found if m.kind != REPORTER]
    return kept, len(found) - len(kept)


def _sentence_of(starts: list[int], offset: int) -> int:
    import bisect

    return max(bisect.bisect_right(starts, offset) - 1, 0)


def _recognizer() -> ActorRecognizer:
    return ActorRecognizer()


def candidate_pairs(
    texts: Sequence[Any],
    text_ids: Sequence[Hashable] | None = None,
    requested: Sequence[tuple[str, str]] | None = None,
    recognizer: Any = None,
    days: Sequence[dt.date | None] | None = None,
) -> tuple[pd.DataFrame, ExtractionCounts]:
    """Every ordered pair of distinct actors in each sentence of `texts`.

    Parameters
    ----------
    texts : raw texts; ``None``, NaN and blank texts count as empty statements.
    text_ids : one id per text (default: its position).
    requested : one ``(source, target)`` actor-id pair per text; when given, only that pair is
        kept (in every sentence where both actors occur).
    recognizer : the actor finder (default: the packaged gazetteer; see the module doc).
    days : one day per text (or None) on which office holders are coded (an ActorCoder's).

    Returns
    -------
    candidates : a DataFrame with :data:`CANDIDATE_COLUMNS`: ``row`` is the position of the
        text in `texts`, ``source_start``/``target_start`` are offsets in ``sentence``.
    counts : :class:`ExtractionCounts`.
    """
    recognizer = recognizer or _recognizer()
    ids = list(range(len(texts))) if text_ids is None else list(text_ids)
    counts = ExtractionCounts(statements=len(texts))
    rows: list[dict[str, Any]] = []
    for row, (text, text_id) in enumerate(zip(texts, ids, strict=True)):
        if _blank(text):
            counts.empty_texts += 1
            continue
        text = str(text)
        wanted = requested[row] if requested is not None else None
        counts.pairs_requested += wanted is not None
        found = False
        day = days[row] if days is not None else None
        mentions, reporters = _find(recognizer, text, day)
        counts.reporters += reporters
        for index, sentence in enumerate(_by_sentence(text, mentions)):
            counts.sentences += 1
            counts.mentions += sum(len(m) for m in sentence.actors.values())
            n_actors = len(sentence.actors)
            if n_actors == 0:
                counts.sentences_no_actor += 1
                continue
            if n_actors == 1:
                counts.sentences_one_actor += 1
                continue
            counts.sentences_with_pairs += 1
            for source, target in itertools.permutations(sentence.actors, 2):
                if wanted is not None and (source, target) != tuple(wanted):
                    continue
                found = True
                rows.append(_candidate(text, sentence, source, target, row, text_id, index))
        counts.pairs_not_found += wanted is not None and not found
    counts.pairs = len(rows)
    return _frame(rows), counts


def _blank(text: Any) -> bool:
    if text is None or (isinstance(text, float) and pd.isna(text)):
        return True
    return not str(text).strip()


def _candidate(
    text: str,
    sentence: SentenceActors,
    source: str,
    target: str,
    row: int,
    text_id: Hashable,
    index: int,
) -> dict[str, Any]:
    s, t = sentence.marker(source), sentence.marker(target)
    spans = tuple(
        sorted(
            {
                (m.start - sentence.start, m.end - sentence.start)
                for mentions in sentence.actors.values()
                for m in mentions
            }
        )
    )
    return {
        "row": row,
        "text_id": text_id,
        "sentence_index": index,
        "sentence": text[sentence.start : sentence.end],
        "source": source,
        "target": target,
        "source_mention": s.text,
        "target_mention": t.text,
        "source_start": s.start - sentence.start,
        "target_start": t.start - sentence.start,
        SPANS_COLUMN: spans,
    }


def _frame(rows: list[dict[str, Any]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=[*CANDIDATE_COLUMNS, SPANS_COLUMN])
    for column in ("row", "sentence_index", "source_start", "target_start"):
        frame[column] = frame[column].astype("int64")
    return frame
