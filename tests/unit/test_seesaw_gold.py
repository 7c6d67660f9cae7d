"""SEESAW triplets as gold sentences for the triple evaluation: the mapping on hand-made records,
the format read_gold/evaluate_triples accept, and the kept counts of the real test split."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import stance.cli
import stance.evaluation.seesaw_gold as seesaw_gold_module
from stance.actors import ActorRecognizer
from stance.cli import main
from stance.data.news_pairs import seesaw_rows
from stance.evaluation.mentions import gold_spans
from stance.evaluation.seesaw_gold import (
    DROP_REASONS,
    actor_of_name,
    describe,
    gold_from_rows,
    seesaw_gold,
)
from stance.evaluation.triples import evaluate_triples, gold_labels, read_gold
from tests.conftest import corpus_folder

SENTENCES = {
    0: "Vladimir Putin warned Ukraine against joining the alliance.",
    1: "Nancy Pelosi said the Kremlin could not be trusted, a view others share.",
    2: "Russia backed Donald Trump and attacked Joe Biden, officials said.",
    3: "Donald Trump and Mike Pompeo condemned China over the outbreak.",
    4: "He said China must pay for the outbreak.",
}
#: (sentence, subject, POS/NEG, object)
TRIPLETS = [
    (0, "Vladimir Putin", "NEG", "Ukraine"),
    (1, "Nancy Pelosi", "NEG", "Russia"),  # unmapped person
    (1, "Not in the list", "NEG", "Russia"),  # placeholder
    (2, "Russia", "POS", "Donald Trump"),  # RUS -> USA support ...
    (2, "Russia", "NEG", "Joe Biden"),  # ... and oppose: conflicting, dropped
    (2, "Donald Trump", "NEG", "Joe Biden"),  # USA -> USA
    (3, "Donald Trump", "NEG", "China"),  # two triplets, one gold triple
    (3, "Mike Pompeo", "NEG", "China"),
    (4, "Donald Trump", "NEG", "China"),  # Trump is not named in the sentence
]


def _rows() -> pd.DataFrame:
    article = {"title": "t", "text": [{"id": i, "text": t} for i, t in SENTENCES.items()]}
    stances: dict[str, list] = {}
    for k, (sentence, subject, sentiment, obj) in enumerate(TRIPLETS):
        stances.setdefault(str(sentence), []).append(
            {"id": k, "subject": subject, "sentiment": sentiment, "object": obj, "annotators": []}
        )
    annotation = {"sentence-level stances": stances}
    return pd.DataFrame(seesaw_rows(annotation, article, "TRIPLET_001_DOCUMENT_0", "test"))


@pytest.fixture(scope="module")
def handmade() -> tuple[pd.DataFrame, dict]:
    return gold_from_rows(_rows(), ActorRecognizer())


@pytest.mark.parametrize(
    ("name", "actor"),
    [
        ("Vladimir Putin", "RUS"),
        ("Ukraine", "UKR"),
        ("Donald Trump", "USA"),
        ("Trump administration", "USA"),
        ("The Pentagon", "USA"),
        ("Hunter Biden", None),  # only "Biden" is recognised: not the whole name
        ("Chad Wolf", None),  # only "Chad"
        ("Democratic Party", None),
        ("Not in the list", None),
        ("None", None),
    ],
)
def test_a_name_maps_only_when_the_recognizer_covers_all_of_it(name, actor):
    assert actor_of_name(name, ActorRecognizer()) == actor


def test_handmade_records_keep_the_pairs_between_two_actors(handmade):
    gold, counts = handmade
    by_id = {r["text_id"]: r for r in gold.to_dict("records")}
    assert sorted(by_id) == ["TRIPLET_001_DOCUMENT_0:0", "TRIPLET_001_DOCUMENT_0:3"]
    putin = by_id["TRIPLET_001_DOCUMENT_0:0"]
    assert putin["pairs"] == [["RUS", "UKR", "oppose"]]
    assert putin["mentions"] == [
        {"actor": "RUS", "mentions": ["Vladimir Putin"]},
        {"actor": "UKR", "mentions": ["Ukraine"]},
    ]
    china = by_id["TRIPLET_001_DOCUMENT_0:3"]
    assert china["pairs"] == [["USA", "CHN", "oppose"]]
    assert china["mentions"] == [
        {"actor": "USA", "mentions": ["Donald Trump", "Mike Pompeo"]},
        {"actor": "CHN", "mentions": ["China"]},
    ]
    assert counts["triplets"] == len(TRIPLETS) and counts["sentences"] == len(SENTENCES)
    assert counts["dropped"] == {
        "placeholder": 1,
        "unmapped": 1,
        "same_actor": 1,
        "not_in_sentence": 1,
        "conflicting": 2,
    }
    assert counts["kept_triplets"] == 3  # Putin, and Trump + Pompeo merged into one triple
    assert counts["kept_sentences"] == 2 and counts["gold_triples"] == 2
    assert counts["kept_triplets"] + sum(counts["dropped"].values()) == counts["triplets"]
    assert counts["actors"] == {"RUS": 1, "UKR": 1, "USA": 1, "CHN": 1}
    assert tuple(counts["dropped"]) == DROP_REASONS
    line = describe({"split": "test", **counts})
    assert line.startswith("seesaw test: kept 3 of 9 triplet(s) (33.3%) in 2 of 5 sentence(s)")


def test_the_gold_passes_read_gold_and_places_every_mention(handmade, tmp_path):
    gold, _ = handmade
    path = tmp_path / "seesaw_gold.jsonl"
    gold.to_json(path, orient="records", lines=True, force_ascii=False)
    read = read_gold(path, "test")
    assert list(read["text_id"]) == list(gold["text_id"])
    for record in read.to_dict("records"):
        spans, unplaced = gold_spans(record["text"], record["mentions"])
        assert unplaced == []
        assert {s.actor for s in spans} == {m["actor"] for m in record["mentions"]}
    labels = gold_labels(read)
    assert labels[("TRIPLET_001_DOCUMENT_0:0", "RUS", "UKR")] == "oppose"
    assert labels[("TRIPLET_001_DOCUMENT_0:0", "UKR", "RUS")] == "neutral"  # never judged


class _FakeModel:
    """A pair model that predicts RUS -> UKR oppose and CHN -> USA support, nothing else."""

    is_pair_model = True
    task = "stance"

    def predict(self, frame: pd.DataFrame) -> pd.DataFrame:
        from stance.dyads.extract import candidate_pairs

        pairs, counts = candidate_pairs(list(frame["text"]), list(frame["text_id"]))
        voiced = {("RUS", "UKR"): "oppose", ("CHN", "USA"): "support"}
        pairs["stance"] = [
            voiced.get(p, "neutral") for p in zip(pairs["source"], pairs["target"], strict=True)
        ]
        pairs.attrs["summary"] = counts.as_dict()
        return pairs

    def actor_finder(self):
        """No actor coder of its own: the gold is matched with the gazetteer's."""
        return None


def test_evaluate_triples_scores_the_handmade_gold(handmade):
    result = evaluate_triples(_FakeModel(), handmade[0])
    m = result["metrics"]
    # gold: RUS->UKR oppose (hit), USA->CHN oppose (missed: predicted neutral);
    # predicted CHN->USA support is the reverse pair with the other stance: spurious.
    assert (m["tp"], m["fp"], m["fn"]) == (1, 1, 1)
    assert m["errors"]["missed_stance"] == 1 and m["errors"]["spurious"] == 1


# -- the real SEESAW test split ------------------------------------------------------------
#: Measured on SEESAW test (1,920 triplets in 1,378 sentences): 3 triplets kept.
TEST_COUNTS = {
    "triplets": 1920,
    "sentences": 1378,
    "kept_triplets": 4,
    "kept_sentences": 4,
    "gold_triples": 4,
    "dropped": {
        "placeholder": 523,
        "unmapped": 1332,
        "same_actor": 57,
        "not_in_sentence": 0,
        "conflicting": 4,
    },
}


@pytest.fixture(scope="module")
def seesaw_test(data_home) -> tuple[pd.DataFrame, dict]:
    corpus_folder(data_home, "seesaw/SEESAW/meta")
    return seesaw_gold("test")


def test_seesaw_test_split_keeps_the_measured_triplets(seesaw_test):
    gold, counts = seesaw_test
    assert {k: counts[k] for k in TEST_COUNTS} == TEST_COUNTS
    assert counts["corpus"] == "seesaw" and counts["split"] == "test"
    triples = sorted(tuple(p) for ps in gold["pairs"] for p in ps)
    assert triples == [
        ("CHN", "USA", "oppose"),
        ("RUS", "USA", "oppose"),
        ("USA", "CHN", "oppose"),
        ("USA", "MEX", "oppose"),
    ]
    for record in gold.to_dict("records"):
        assert gold_spans(record["text"], record["mentions"])[1] == []


def test_cli_gold_corpus_seesaw(seesaw_test, monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(stance.cli, "load_model", lambda *a, **k: _FakeModel())
    monkeypatch.setattr(
        seesaw_gold_module, "seesaw_gold", lambda split, recognizer=None: seesaw_test
    )
    out = tmp_path / "eval"
    argv = ["evaluate-triples", "--model", "x", "--gold-corpus", "seesaw", "--output-dir", str(out)]
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "seesaw test: kept 4 of 1920 triplet(s)" in err
    metrics = json.loads((out / "triple_metrics.json").read_text(encoding="utf-8"))
    assert metrics["n_gold"] == 4 and metrics["gold_corpus"]["kept_triplets"] == 4
    assert (out / "triple_errors.png").is_file()


def test_cli_gold_and_gold_corpus_exclude_each_other(tmp_path, capsys):
    argv = ["evaluate-triples", "--model", "x", "--gold", "g.jsonl", "--gold-corpus", "seesaw"]
    assert main([*argv, "--output-dir", str(tmp_path)]) == 1
    assert "exclude each other" in capsys.readouterr().err
