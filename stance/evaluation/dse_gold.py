"""DSE items as gold sentences for the end-to-end evaluation on real news.

DSE (Park et al. 2021; :class:`stance.data.news_pairs.DSE`) marks one pair of entities in a
news sentence and says which of them is positive or negative toward the other. For the
end-to-end report (raw text in, actor triples out), :func:`dse_gold` keeps the items whose two
entities each normalise to one actor code and where the codes differ:

1. **Map each entity by its own words**: the actor coder (:class:`stance.actors.coding.ActorCoder`
   or the gazetteer recognizer, anything with ``find``) runs on the bracketed string alone and
   must find mentions of exactly one actor covering most of it ("Trump" -> ``USAGOV``, "the
   Kremlin" -> ``RUS``); "Breitbart New" or "Notably" map to nothing and the item is dropped.
   The sentence's own mentions are not used to map, so the coder's errors there are not gold.
2. **Keep** an item when both entities map to different codes; its label gives the gold
   triples (support or oppose in one direction; label 0: the pair is judged neutral).
3. The gold sentence is the text without brackets, with the two actors listed (their bracketed
   strings as mentions) and only that pair judged: other pairs a model finds in the sentence
   were never annotated, so :func:`stance.evaluation.triples.evaluate_triples` is called with
   ``judged_only=True``.

DSE's test split repeats training sentences (``in_train``); :func:`dse_gold` keeps them, and
the counts say how many there are.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

import pandas as pd

from stance.data.news_pairs import DSE, DSE_DIRECTED
from stance.errors import DataError

__all__ = ["DROP_REASONS", "GOLD_COLUMNS", "actor_of_string", "dse_gold"]

DROP_REASONS: tuple[str, ...] = ("unmapped", "same_actor")
GOLD_COLUMNS = ("text_id", "text", "split", "mentions", "pairs")
#: Share of an entity string's characters the mapped mentions must cover.
COVER = 0.6


def actor_of_string(name: str, coder: Any) -> str | None:
    """The one actor code `coder` finds in `name` covering most of it, else None."""
    name = " ".join(str(name).split())
    if not name:
        return None
    mentions = [m for m in coder.find(name) if m.kind != "reference"]
    codes = {m.actor for m in mentions}
    covered = sum(m.end - m.start for m in mentions)
    if len(codes) != 1 or covered < COVER * len(name.removeprefix("the ")):
        return None
    return codes.pop()


def dse_gold(
    split: str = "test", data_home: str | os.PathLike | None = None, coder: Any = None
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Gold sentences of DSE `split` (train, dev or test) and the counts of what was kept."""
    if coder is None:
        from stance.actors.coding import ActorCoder

        coder = ActorCoder()
    corpus = DSE(data_home=None if data_home is None else os.fspath(data_home), dev_fraction=0)
    rows = corpus.load()
    rows = rows[(rows["split"] == split) & (rows["direction"] == "forward")]
    if rows.empty:
        raise DataError(f"dse: no items in split {split!r}; use train, dev or test.")
    names: dict[str, str | None] = {}
    dropped: Counter[str] = Counter({reason: 0 for reason in DROP_REASONS})
    out = []
    in_train = 0
    for row in rows.to_dict("records"):
        first, second = row["source_mention"], row["target_mention"]
        codes = [names.setdefault(n, actor_of_string(n, coder)) for n in (first, second)]
        if None in codes:
            dropped["unmapped"] += 1
            continue
        if codes[0] == codes[1]:
            dropped["same_actor"] += 1
            continue
        forward, backward = DSE_DIRECTED[int(row["dse_label"])]
        pairs = [[codes[0], codes[1], forward]] if forward != "neutral" else []
        pairs += [[codes[1], codes[0], backward]] if backward != "neutral" else []
        in_train += bool(row.get("in_train", False))
        out.append(
            {
                "text_id": f"dse-{row['item_id']}",
                "text": row["text"],
                "split": split,
                "mentions": [
                    {"actor": codes[0], "mentions": [first]},
                    {"actor": codes[1], "mentions": [second]},
                ],
                "pairs": pairs,
            }
        )
    gold = pd.DataFrame(out, columns=list(GOLD_COLUMNS))
    counts = {
        "corpus": "dse",
        "split": split,
        "items": len(rows),
        "kept_items": len(gold),
        "kept_in_train": in_train,
        "gold_triples": int(sum(len(p) for p in gold["pairs"])),
        "dropped": dict(dropped),
    }
    return gold, counts
