"""SEESAW triplets as gold sentences for the end-to-end triple evaluation.

SEESAW (:class:`stance.data.news_pairs.Seesaw`) names entities by canonical names, mostly US
politicians and parties; our model finds actor ids of states and organisations (a leader maps to
his state). :func:`seesaw_gold` turns the sentences of one SEESAW split into gold sentences in
the bundled format (``text_id``, ``text``, ``mentions``, ``pairs``) that
:func:`stance.evaluation.triples.evaluate_triples` scores:

1. **Map each entity by its canonical name**: the packaged recognizer runs on the name alone and
   must find exactly one mention spanning the whole name (case and a leading "the" aside):
   "Vladimir Putin" -> RUS, "Donald Trump" -> USA, "Trump administration" -> USA; "Hunter Biden"
   (only "Biden" matched), "Chad Wolf" ("Chad"), "Democratic Party" (nothing) stay unmapped.
   The mention in the sentence is not used to map, because the recognizer's errors there
   ("Caputo" -> ARG) would become gold.
2. **Keep a triplet** when neither side is a placeholder ("Not in the list", "None"), both sides
   map, to two different ids (Trump vs Biden is USA -> USA: dropped), and both actors are
   named in the sentence: the recognizer finds the actor there (any mention of the id, so
   "Donald Trump" is kept through "the U.S."), or else the adapter finds the entity's name
   there (:func:`stance.data.news_pairs.find_mention`; that string is then the gold mention
   and the recognizer's miss an honest ``missed_actor``). Ids are whatever the gazetteer
   gives: states, organisations and its few ``PERSON:`` ids (the Pope).
3. **Merge** triplets of a sentence that map to the same (source, target) with the same stance;
   **drop** a (source, target) given both stances in one sentence as ambiguous (its triplets
   count as ``conflicting``). A sentence is gold only with at least one kept pair.

Each gold actor lists its mention strings in the sentence, verbatim and in text order (the
recognizer's spans, else the name match), so :func:`stance.evaluation.mentions.gold_spans`
places them all.

What is measured, and the caveat: P/R/F1 of non-neutral (source, target, stance) triples on the
subset of SEESAW triplets between our actors, on SEESAW sentences that keep one. SEESAW lists
only stance triplets, so any other pair of actors in those sentences counts as neutral although
annotators never judged it (a predicted stance there is a false positive that may be right).
Most triplets (US domestic politics, parties, topics) are dropped: the counts say how many
were kept of how many.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

import pandas as pd

from stance.actors import ActorRecognizer
from stance.data.news_pairs import Seesaw, find_mention
from stance.errors import DataError

#: Why a triplet was not kept, in the order the checks run.
DROP_REASONS: tuple[str, ...] = (
    "placeholder",
    "unmapped",
    "same_actor",
    "not_in_sentence",
    "conflicting",
)
GOLD_COLUMNS = ("text_id", "text", "split", "article", "mentions", "pairs")


def _core(name: str) -> str:
    folded = " ".join(name.replace("\u2019", "'").split()).casefold()
    return folded.removeprefix("the ").strip(".,;:'\"()")


def actor_of_name(name: str, recognizer: ActorRecognizer) -> str | None:
    """The actor id of a canonical entity name, or None: the recognizer must find exactly one
    mention in `name`, spanning all of it (case and a leading "the" aside)."""
    if not name or name in (Seesaw.NOT_IN_LIST, Seesaw.NO_SUBJECT):
        return None
    mentions = recognizer.find(name)
    if len(mentions) != 1 or _core(mentions[0].text) != _core(name):
        return None
    return mentions[0].actor


def gold_from_rows(
    rows: pd.DataFrame, recognizer: ActorRecognizer | None = None
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Gold sentences from SEESAW adapter rows (one per triplet; see :func:`seesaw_gold`).

    Parameters
    ----------
    rows : rows of :meth:`Seesaw.read` (or :func:`~stance.data.news_pairs.seesaw_rows`):
        ``text_id``, ``text``, ``source``, ``target``, ``stance`` (POS/NEG or support/oppose),
        ``split`` and ``article``.
    recognizer : the actor recognizer (default: the packaged gazetteer).

    Returns
    -------
    gold : one row per kept sentence, columns :data:`GOLD_COLUMNS`.
    counts : ``triplets``, ``sentences`` (input), ``kept_triplets``, ``kept_sentences``,
        ``gold_triples`` (after merging), ``dropped`` (triplets per reason in
        :data:`DROP_REASONS`) and ``actors`` (gold triples per actor id, either side).
    """
    recognizer = recognizer or ActorRecognizer()
    labels = Seesaw.label_maps["stance"]
    names: dict[str, str | None] = {}
    dropped: Counter[str] = Counter({reason: 0 for reason in DROP_REASONS})
    out: list[dict[str, Any]] = []
    kept_triplets = 0
    sentences: dict[Any, list[dict[str, Any]]] = {}
    for record in rows.to_dict("records"):
        sentences.setdefault(record["text_id"], []).append(record)
    for text_id, group in sentences.items():
        text = str(group[0]["text"])
        mapped = []  # (source name, target name, source id, target id, stance)
        for row in group:
            sides = (str(row["source"]), str(row["target"]))
            if any(s in (Seesaw.NOT_IN_LIST, Seesaw.NO_SUBJECT) for s in sides):
                dropped["placeholder"] += 1
                continue
            actors = [names.setdefault(s, actor_of_name(s, recognizer)) for s in sides]
            if None in actors:
                dropped["unmapped"] += 1
            elif actors[0] == actors[1]:
                dropped["same_actor"] += 1
            else:
                mapped.append((*sides, *actors, labels.get(row["stance"], row["stance"])))
        if not mapped:
            continue
        found = recognizer.find(text)
        in_text = {m.actor for m in found}
        extra: dict[str, list[tuple[int, str]]] = {}  # actor -> name matches the recognizer missed
        stances: dict[tuple[str, str], set[str]] = {}
        support: Counter[tuple[str, str]] = Counter()
        for source, target, source_id, target_id, stance in mapped:
            if not (
                _named(source, source_id, text, in_text, extra)
                and _named(target, target_id, text, in_text, extra)
            ):
                dropped["not_in_sentence"] += 1
                continue
            stances.setdefault((source_id, target_id), set()).add(stance)
            support[(source_id, target_id)] += 1
        pairs = []
        for pair, labelled in stances.items():
            if len(labelled) > 1:
                dropped["conflicting"] += support[pair]
                continue
            pairs.append([pair[0], pair[1], next(iter(labelled))])
            kept_triplets += support[pair]
        if pairs:
            first = group[0]
            out.append(
                {
                    "text_id": text_id,
                    "text": text,
                    "split": first["split"],
                    "article": first.get("article", ""),
                    "mentions": _mentions(pairs, found, extra),
                    "pairs": pairs,
                }
            )
    gold = pd.DataFrame(out, columns=list(GOLD_COLUMNS))
    per_actor: Counter[str] = Counter(a for ps in gold["pairs"] for p in ps for a in p[:2])
    counts = {
        "triplets": len(rows),
        "sentences": len(sentences),
        "kept_triplets": kept_triplets,
        "kept_sentences": len(gold),
        "gold_triples": int(sum(len(ps) for ps in gold["pairs"])),
        "dropped": dict(dropped),
        "actors": dict(per_actor.most_common()),
    }
    return gold, counts


def _named(
    name: str, actor: str, text: str, in_text: set[str], extra: dict[str, list[tuple[int, str]]]
) -> bool:
    """Whether `actor` (the entity `name`) is named in `text`; record a name-only mention."""
    if actor in in_text:
        return True
    mention, start, _ = find_mention(name, text)
    if start < 0:
        return False
    if (start, mention) not in extra.setdefault(actor, []):
        extra[actor].append((start, mention))
    return True


def _mentions(
    pairs: list[list[str]], found: list, extra: dict[str, list[tuple[int, str]]]
) -> list[dict[str, Any]]:
    """``{"actor", "mentions"}`` per actor of `pairs`, actors and strings in text order."""
    actors = {a for p in pairs for a in p[:2]}
    spans: dict[str, list[tuple[int, str]]] = {}
    for m in found:
        if m.actor in actors:
            spans.setdefault(m.actor, []).append((m.start, m.text))
    for actor, matches in extra.items():
        if actor in actors and actor not in spans:
            spans[actor] = list(matches)
    ordered = sorted(spans.items(), key=lambda item: min(item[1]))
    return [{"actor": a, "mentions": [s for _, s in sorted(ms)]} for a, ms in ordered]


def seesaw_gold(
    split: str | None = "test",
    data_home: str | os.PathLike | None = None,
    recognizer: ActorRecognizer | None = None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Gold sentences of SEESAW `split` (train, dev, test; None: all) for
    :func:`~stance.evaluation.triples.evaluate_triples`, and the counts of
    :func:`gold_from_rows` (plus ``split``)."""
    if split is not None and split not in Seesaw.SPLITS.values():
        raise DataError(f"seesaw: no split {split!r}; use train, dev, test or all.")
    corpus = Seesaw(data_home=None if data_home is None else os.fspath(data_home))
    rows = corpus.split_rows(split)
    gold, counts = gold_from_rows(rows, recognizer)
    if gold.empty:
        raise DataError(f"seesaw {split or 'all'}: no triplet maps to two of our actors.")
    return gold, {"corpus": "seesaw", "split": split or "all", **counts}


def describe(counts: dict[str, Any]) -> str:
    """One line: how many triplets and sentences were kept of how many, and why not."""
    dropped = ", ".join(f"{k} {v}" for k, v in counts["dropped"].items())
    share = 100 * counts["kept_triplets"] / counts["triplets"] if counts["triplets"] else 0.0
    return (
        f"seesaw {counts.get('split', '')}: kept {counts['kept_triplets']} of "
        f"{counts['triplets']} triplet(s) ({share:.1f}%) in {counts['kept_sentences']} of "
        f"{counts['sentences']} sentence(s), {counts['gold_triples']} gold triple(s); "
        f"dropped: {dropped}"
    )
