"""Mention-level scoring of actor recognition: hand-made cases and the bundled test split."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from stance.actors import Mention
from stance.evaluation.mentions import (
    ERROR_COLUMNS,
    ActorSpan,
    evaluate_mentions,
    gold_spans,
    match_spans,
)
from stance.evaluation.triples import read_gold


class Fixed:
    """A stand-in recognizer returning fixed (start, end, actor[, kind]) mentions."""

    def __init__(self, *spans: tuple) -> None:
        self.spans = spans

    def find(self, text: str) -> list[Mention]:
        out = []
        for start, end, actor, *kind in self.spans:
            out.append(Mention(start, end, text[start:end], actor, kind[0] if kind else "state"))
        return out


def at(text: str, phrase: str, actor: str, nth: int = 0) -> tuple[int, int, str]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(phrase, start + 1)
    return start, start + len(phrase), actor


# --------------------------------------------------------------------------------------------
# placing gold strings


def test_gold_spans_repeated_strings_and_containment():
    text = "China met China's envoy and later China again."
    mentions = [{"actor": "CHN", "mentions": ["China", "China's envoy", "China"]}]
    spans, unplaced = gold_spans(text, mentions)
    # "China's envoy" is placed first; the two listed "China" take the first free occurrences
    assert spans == [
        ActorSpan(*at(text, "China", "CHN")),
        ActorSpan(*at(text, "China's envoy", "CHN")),
        ActorSpan(*at(text, "China", "CHN", nth=2)),
    ]
    assert unplaced == []


def test_gold_spans_listed_once_means_first_occurrence_and_word_boundaries():
    text = "Indian officials said India and India agreed."
    spans, unplaced = gold_spans(text, [{"actor": "IND", "mentions": ["India"]}])
    assert spans == [ActorSpan(*at(text, "India", "IND", nth=1))]  # not inside "Indian"
    spans, unplaced = gold_spans(text, [{"actor": "IND", "mentions": ["India"] * 4}])
    assert len(spans) == 2 and unplaced == [("IND", "India")] * 2


def test_gold_spans_of_two_actors_may_share_a_string():
    text = "Both sides met."
    spans, _ = gold_spans(
        text,
        [{"actor": "A", "mentions": ["Both sides"]}, {"actor": "B", "mentions": ["Both sides"]}],
    )
    assert spans == [ActorSpan(0, 10, "A"), ActorSpan(0, 10, "B")]


# --------------------------------------------------------------------------------------------
# matching and scores


def test_one_to_one_matching_is_maximum():
    gold = [ActorSpan(0, 5, "X"), ActorSpan(6, 10, "X")]
    # the long span overlaps both gold spans, the short one only the first: greedy matching in
    # order would pair the long span with the first and leave one gold span unmatched
    predicted = [ActorSpan(0, 10, "X"), ActorSpan(0, 4, "X")]
    exact, overlap = match_spans(gold, predicted)
    assert exact == set()
    assert overlap == {(0, 1), (1, 0)}
    # one predicted span never counts for two gold spans
    exact, overlap = match_spans(gold, [ActorSpan(0, 10, "X")])
    assert len(overlap) == 1
    # another actor never matches
    assert match_spans(gold, [ActorSpan(0, 5, "Y")]) == (set(), set())


def test_exact_pairs_are_kept_in_the_overlap_matching():
    gold = [ActorSpan(0, 5, "X"), ActorSpan(3, 9, "X")]
    predicted = [ActorSpan(0, 5, "X"), ActorSpan(2, 9, "X")]
    exact, overlap = match_spans(gold, predicted)
    assert exact == {(0, 0)}
    assert overlap == {(0, 0), (1, 1)}


def test_exact_overlap_and_identity_hand_computed():
    text = "The Kremlin said Russia's envoy met NATO officials on Friday."
    record = {
        "text_id": "T1",
        "text": text,
        "mentions": [
            {"actor": "RUS", "mentions": ["The Kremlin", "Russia's envoy"]},
            {"actor": "NATO", "mentions": ["NATO officials"]},
        ],
    }
    rec = Fixed(
        at(text, "Kremlin", "RUS"),  # boundary
        at(text, "Russia's envoy", "RUS"),  # exact
        at(text, "NATO", "EU"),  # wrong actor
        at(text, "Friday", "USA"),  # spurious
    )
    res = evaluate_mentions([record], rec)
    # exact: tp 1, fp 3, fn 2 -> P 1/4, R 1/3, F1 2/7
    assert (res.exact.tp, res.exact.fp, res.exact.fn) == (1, 3, 2)
    assert res.exact.precision == pytest.approx(25.0)
    assert res.exact.recall == pytest.approx(100 / 3)
    assert res.exact.f1 == pytest.approx(200 / 7)
    # overlap: "Kremlin" counts too -> tp 2, fp 2, fn 1 -> P 1/2, R 2/3, F1 4/7
    assert (res.overlap.tp, res.overlap.fp, res.overlap.fn) == (2, 2, 1)
    assert res.overlap.f1 == pytest.approx(400 / 7)
    # identity: gold {RUS, NATO}, found {RUS, EU, USA} -> tp 1, fp 2, fn 1 -> F1 2/5
    assert (res.identity.tp, res.identity.fp, res.identity.fn) == (1, 2, 1)
    assert res.identity.f1 == pytest.approx(40.0)
    errors = res.errors_frame()
    assert list(errors.columns) == list(ERROR_COLUMNS)
    assert sorted(errors["kind"]) == ["boundary", "spurious", "wrong_actor"]
    wrong = errors[errors["kind"] == "wrong_actor"].iloc[0]
    assert (wrong["gold_mention"], wrong["predicted_mention"]) == ("NATO officials", "NATO")
    assert (wrong["gold_actor"], wrong["predicted_actor"]) == ("NATO", "EU")
    # the error kinds add up to the exact and overlap counts
    kinds = res.as_dict()["errors"]
    assert res.exact.fn == kinds["boundary"] + kinds["wrong_actor"] + kinds["missed"]
    assert res.exact.fp == kinds["boundary"] + kinds["wrong_actor"] + kinds["spurious"]
    assert res.overlap.fn == kinds["wrong_actor"] + kinds["missed"]


def test_repeated_strings_score_per_occurrence():
    text = "China warned China."
    record = {"text": text, "mentions": [{"actor": "CHN", "mentions": ["China", "China"]}]}
    res = evaluate_mentions([record], Fixed(at(text, "China", "CHN")))
    assert (res.exact.tp, res.exact.fp, res.exact.fn) == (1, 0, 1)
    assert (res.identity.tp, res.identity.fp, res.identity.fn) == (1, 0, 0)
    missed = res.errors_frame()
    assert list(missed["kind"]) == ["missed"] and missed["gold_start"].iloc[0] == 13


def test_pair_references_are_not_scored_unless_asked():
    text = "China and Russia said both sides agreed."
    record = {
        "text": text,
        "mentions": [
            {"actor": "CHN", "mentions": ["China"]},
            {"actor": "RUS", "mentions": ["Russia"]},
        ],
    }
    both = at(text, "both sides", "")[:2]
    rec = Fixed(
        at(text, "China", "CHN"),
        at(text, "Russia", "RUS"),
        (*both, "CHN", "reference"),
        (*both, "RUS", "reference"),
    )
    assert evaluate_mentions([record], rec).exact.fp == 0
    assert evaluate_mentions([record], rec, pair_references=True).exact.fp == 2
    # an anaphor ("the bloc": one actor) is always scored
    anaphor = Fixed((*both, "CHN", "reference"))
    assert evaluate_mentions([record], anaphor).exact.fp == 1


def test_empty_input_gives_zero_scores():
    res = evaluate_mentions([], Fixed())
    assert res.sentences == 0 and res.exact.f1 == 0.0 and res.errors_frame().empty


# --------------------------------------------------------------------------------------------
# command line and the bundled corpus


def test_main_writes_the_error_listing(tmp_path: Path, capsys):
    from stance.cli import main

    gold = tmp_path / "gold.jsonl"
    rows = [
        {"text_id": "X1", "split": "test", "text": "Beijing criticised the Pentagon.",
         "mentions": [{"actor": "CHN", "mentions": ["Beijing"]},
                      {"actor": "USA", "mentions": ["Pentagon"]}], "pairs": []},
    ]  # fmt: skip
    gold.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    errors = tmp_path / "out" / "errors.csv"
    assert (
        main(["evaluate-actors", "--gold", str(gold), "--split", "all", "--errors", str(errors)])
        == 0
    )
    out = capsys.readouterr().out
    assert "exact" in out and "overlap" in out and "identity" in out
    listing = pd.read_csv(errors)
    assert list(listing["kind"]) == ["boundary"]
    assert listing["predicted_mention"].iloc[0] == "the Pentagon"
    assert main(["evaluate-actors", "--gold", str(tmp_path / "missing.jsonl")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("stance: error:") and "missing.jsonl" in err[0]


# Reached on the bundled test split (percent; span rule 2 of the data card) after tuning on train
# and dev only; a drop below these by more than the margin is a regression of the recognizer or
# of the gazetteer.
TEST_EXACT_F1 = 95.09
TEST_OVERLAP_F1 = 97.97
MARGIN = 0.5


def test_recognizer_on_the_bundled_test_split():
    res = evaluate_mentions(read_gold(None, "test"))
    assert res.sentences == 191
    assert not res.unplaced
    assert res.exact.f1 >= TEST_EXACT_F1 - MARGIN
    assert res.exact.f1 >= 95.0  # the bar of the actor-pairs issue
    assert res.overlap.f1 >= TEST_OVERLAP_F1 - MARGIN
    assert res.identity.f1 >= 99.0
