"""The bundled events corpus, the re-labelled statements corpus and data=mix."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from stance.data import Events, Mix, Statements
from stance.data.mix import weighted
from stance.data.sentence_pairs import pair_rows
from stance.errors import ConfigError

REPO = Path(__file__).resolve().parents[2]


def test_the_checker_finds_no_problem_in_the_bundled_event_files() -> None:
    files = [REPO / "data" / "events" / "events.jsonl", REPO / "data" / "events" / "test.jsonl"]
    done = subprocess.run(
        [sys.executable, str(REPO / "tools" / "check_events.py"), *map(str, files)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout[-2000:]
    assert "2800 sentences, 0 problem(s)" in done.stderr


def test_events_corpus_rows_and_splits() -> None:
    frame = Events().load()
    # 25,162 ordered pairs in events.jsonl and 3,720 in test.jsonl (data/events/README.md).
    assert len(frame) == 25_162 + 3_720
    assert frame["split"].value_counts().to_dict() == {
        "train": frame["split"].eq("train").sum(),
        "dev": frame["split"].eq("dev").sum(),
        "test": 3_720,
    }
    labelled = frame[frame["stance"] != "neutral"]
    assert labelled["stance"].value_counts().to_dict() == {"oppose": 2_383, "support": 2_236}
    assert (labelled["plover_type"] != "").all()
    assert (frame.loc[frame["stance"] == "neutral", "plover_type"] == "").all()
    iraq = frame[frame["text"].str.startswith("Iraqi troops")]
    assert set(iraq["source"]).issubset(set(frame["source"]))


def test_statements_pairs_carry_plover_types_under_the_new_definition() -> None:
    frame = Statements().load()
    counts = frame.groupby(["split", "stance"]).size().to_dict()
    # data/statements/README.md, "Counts" (labels since December 2026).
    assert counts[("train", "support")] == 1_133
    assert counts[("test", "oppose")] == 115
    assert counts[("dev", "neutral")] == 239
    assert (frame.loc[frame["stance"] != "neutral", "plover_type"] != "").all()


def test_pair_rows_reads_three_and_four_element_pairs() -> None:
    record = {
        "text_id": "X1",
        "text": "Iraqi troops attacked rebels near Mosul.",
        "split": "train",
        "mentions": [
            {"actor": "IRQMIL", "mentions": ["Iraqi troops"]},
            {"actor": "IRQREB", "mentions": ["rebels"]},
        ],
        "pairs": [["IRQMIL", "IRQREB", "oppose", "ASSAULT"]],
    }
    rows = {(r["source"], r["target"]): r for r in pair_rows(record, fields=("date",))}
    assert rows[("IRQMIL", "IRQREB")]["stance"] == "oppose"
    assert rows[("IRQMIL", "IRQREB")]["plover_type"] == "ASSAULT"
    assert rows[("IRQREB", "IRQMIL")]["stance"] == "neutral"
    assert rows[("IRQREB", "IRQMIL")]["date"] is None
    record["pairs"] = [["IRQMIL", "IRQREB", "oppose"]]
    assert pair_rows(record)[0]["plover_type"] == ""


def _frame(n: int, split: str = "train") -> pd.DataFrame:
    return pd.DataFrame(
        {"id": [f"{split}{i}" for i in range(n)], "text": ["t"] * n, "split": [split] * n}
    )


def test_weighted_repeats_and_samples_training_rows_only() -> None:
    frame = pd.concat([_frame(10), _frame(3, "test")], ignore_index=True)
    doubled = weighted(frame, 2.0, seed=0)
    assert (doubled["split"] == "train").sum() == 20 and (doubled["split"] == "test").sum() == 3
    assert doubled["id"].is_unique
    half = weighted(frame, 0.5, seed=0)
    assert (half["split"] == "train").sum() == 5
    assert weighted(frame, 0.5, seed=0)["id"].tolist() == half["id"].tolist()
    assert (weighted(frame, 0.0, seed=0)["split"] == "train").sum() == 0
    assert weighted(frame, 1.0, seed=0) is frame


def test_mix_prefixes_ids_and_keeps_evaluation_parts() -> None:
    mix = Mix(parts={"events": Events(), "statements": Statements()}, eval_parts=["events"])
    frame = mix.load(seed=1)
    assert frame["id"].str.startswith(("events/", "statements/")).all()
    assert set(frame.loc[frame["split"] != "train", "corpus"]) == {"events"}
    assert set(frame.loc[frame["split"] == "train", "corpus"]) == {"events", "statements"}


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"weights": {"nope": 1.0}}, r"data.corpus.weights names unknown part"),
        ({"eval_parts": ["nope"]}, r"data.corpus.eval_parts names unknown part"),
        ({"weights": {"events": -1}}, r"a weight is a number >= 0"),
    ],
)
def test_mix_config_errors_are_one_line(options: dict, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Mix(parts={"events": Events()}, **options).load()


def test_relabel_log_lists_only_real_changes() -> None:
    log = pd.read_csv(REPO / "data" / "statements" / "relabel_2026-12.tsv", sep="\t")
    assert list(log.columns) == ["text_id", "split", "old_pairs", "new_pairs", "reason"]
    lines = (REPO / "data" / "statements" / "statements.jsonl").read_text(encoding="utf-8")
    current = {json.loads(x)["text_id"]: json.loads(x)["pairs"] for x in lines.splitlines()}
    for row in log.itertuples():
        assert json.loads(row.new_pairs) == current[row.text_id]
