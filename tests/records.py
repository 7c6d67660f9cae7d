"""Records of the bundled statements format, for tests that write their own small corpus."""

from __future__ import annotations


def statement_record(text_id: str, text: str = "Russia condemned Japan.", **changes) -> dict:
    """One statements.jsonl record: Russia opposes Japan in `text` unless `changes` say else."""
    record = {
        "text_id": text_id,
        "text": text,
        "split": "train",
        "mentions": [
            {"actor": "RUS", "mentions": ["Russia"]},
            {"actor": "JPN", "mentions": ["Japan"]},
        ],
        "pairs": [["RUS", "JPN", "oppose"]],
        "sentiment": "negative",
        "phenomena": [],
    }
    return {**record, **changes}


#: Words that carry each label of :func:`opinion_rows` (the rest of a sentence is filler).
OPINION_WORDS = {
    "pro": ["love", "back", "support", "welcome", "praise"],
    "con": ["hate", "oppose", "reject", "condemn", "fear"],
    "none": ["saw", "read about", "heard of", "mentioned", "noted"],
}


def opinion_rows(n: int, start: int = 0) -> list[dict]:
    """`n` rows of a user's own stance file under foreign names: ``sentence``, ``label`` (pro,
    con, none), ``topic`` (cats or taxes) and ``doc`` (four sentences a document); the label is
    readable from one word, so a small model learns it."""
    fillers = ["today", "again", "in town", "at work", "this week", "online", "quietly"]
    rows = []
    for i in range(start, start + n):
        label = ("pro", "con", "none")[i % 3]
        topic = ("cats", "taxes")[(i // 3) % 2]
        word = OPINION_WORDS[label][(i // 6) % 5]
        rows.append(
            {
                "sentence": f"People {word} {topic} {fillers[i % 7]} (note {i}).",
                "label": label,
                "topic": topic,
                "doc": f"doc{i // 4}",
            }
        )
    return rows
