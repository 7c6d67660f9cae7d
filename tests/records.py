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
