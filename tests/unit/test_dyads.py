"""Raw text to dyads: candidate pairs, raw-text prediction, dyad tables, layouts, plots and
triple matching, with hand-computed values (a rule-based stand-in plays the model here; the
trained model is in tests/integration/test_dyads.py)."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from stance.dyads import candidate_pairs, sentence_actors
from stance.dyads.aggregate import (
    TABLE_COLUMNS,
    dyad_table,
    monthly_net_stance,
    net_stance,
    top_dyads,
)
from stance.dyads.layout import circle_layout, spring_layout
from stance.dyads.report import dyad_report
from stance.errors import DataError
from stance.evaluation.triples import (
    ERROR_KINDS,
    evaluate_triples,
    gold_labels,
    match_triples,
    prf,
    write_triple_report,
)
from stance.features.pair_views import PairView
from stance.predict.model import StanceModel

TEXT = (
    "Russia condemned Japan. The Kremlin and Beijing said both sides oppose NATO expansion. "
    "The alliance rejected it. No actors here."
)


# -- candidate pairs ---------------------------------------------------------------------------
def test_candidate_pairs_every_ordered_pair_per_sentence_and_counts():
    frame, counts = candidate_pairs([TEXT])
    pairs = list(zip(frame["sentence_index"], frame["source"], frame["target"], strict=True))
    assert pairs == [
        (0, "RUS", "JPN"),
        (0, "JPN", "RUS"),
        (1, "RUS", "CHN"),
        (1, "RUS", "NATO"),
        (1, "CHN", "RUS"),
        (1, "CHN", "NATO"),
        (1, "NATO", "RUS"),
        (1, "NATO", "CHN"),
    ]
    # "both sides" counts as RUS and CHN but never marks them: their own mentions do
    row = frame.iloc[2]
    assert (row["source_mention"], row["target_mention"]) == ("The Kremlin", "Beijing")
    assert row["sentence"] == "The Kremlin and Beijing said both sides oppose NATO expansion."
    assert row["sentence"][row["target_start"] :].startswith("Beijing")
    assert counts.as_dict() == {
        "statements": 1,
        "empty_texts": 0,
        "sentences": 4,
        "sentences_with_pairs": 2,
        "sentences_one_actor": 1,  # "The alliance rejected it." (NATO only)
        "sentences_no_actor": 1,
        "mentions": 8,  # Russia, Japan, The Kremlin, Beijing, both sides x2, NATO, The alliance
        "pairs": 8,
        "pairs_requested": 0,
        "pairs_not_found": 0,
        "reporters": 0,
    }


def test_mentions_of_one_actor_merge_and_a_reference_marks_an_actor_without_other_mention():
    frame, _ = candidate_pairs(["Moscow and Russia's leadership praised China."])
    assert frame[["source", "target", "source_mention"]].values.tolist() == [
        ["RUS", "CHN", "Moscow"],
        ["CHN", "RUS", "China"],
    ]
    frame, _ = candidate_pairs(["NATO met on Monday. The alliance rejected Russia's claims."])
    assert frame[
        ["sentence_index", "source", "source_mention", "target_mention"]
    ].values.tolist() == [
        [1, "NATO", "The alliance", "Russia"],
        [1, "RUS", "Russia", "The alliance"],
    ]


def test_sentence_actors_assigns_mentions_to_their_sentences():
    sentences = sentence_actors(TEXT)
    assert [list(s.actors) for s in sentences] == [
        ["RUS", "JPN"],
        ["RUS", "CHN", "NATO"],
        ["NATO"],
        [],
    ]
    assert [TEXT[s.start : s.end] for s in sentences][2] == "The alliance rejected it."


def test_empty_texts_and_requested_pairs_are_counted():
    frame, counts = candidate_pairs(["", None, float("nan"), "   "], text_ids=["a", "b", "c", "d"])
    assert frame.empty and list(frame.columns)[:3] == ["row", "text_id", "sentence_index"]
    assert (counts.statements, counts.empty_texts, counts.sentences, counts.pairs) == (4, 4, 0, 0)
    frame, counts = candidate_pairs(
        ["Russia condemned Japan.", "Russia condemned Japan.", "France alone."],
        requested=[("JPN", "RUS"), ("RUS", "CHN"), ("FRA", "DEU")],
    )
    assert frame[["row", "source", "target"]].values.tolist() == [[0, "JPN", "RUS"]]
    assert (counts.pairs_requested, counts.pairs_not_found, counts.pairs) == (3, 2, 1)


# -- raw-text prediction with a rule-based stand-in model --------------------------------------
class KeywordPairs:
    """'SRC <verb> ... TGT' with an oppose/support verb gives that stance, else neutral."""

    classes_ = np.array(["neutral", "oppose", "support"], dtype=object)
    _RULES = (
        ("oppose", re.compile(r"SRCACTOR (?:\w+ )*?(?:condemned|criticised)\b.*TGTACTOR")),
        ("support", re.compile(r"SRCACTOR (?:\w+ )*?(?:praised|backed)\b.*TGTACTOR")),
    )

    def decision_function(self, X: pd.DataFrame) -> np.ndarray:
        marked = PairView("pair").fit(X).transform(X)
        out = np.zeros((len(X), 3))
        for i, text in enumerate(marked):
            label = next((lab for lab, rule in self._RULES if rule.search(text)), "neutral")
            out[i, list(self.classes_).index(label)] = 1.0
        return out


@pytest.fixture
def rules() -> StanceModel:
    meta = {
        "task": "stance",
        "labels": ["support", "oppose", "neutral"],
        "input_columns": ["text", "source_mention", "target_mention"],
    }
    return StanceModel(KeywordPairs(), meta)


COLUMNS = [
    "text_id",
    "sentence_index",
    "sentence",
    "source",
    "target",
    "source_mention",
    "target_mention",
    "stance",
    "score",
    "score_neutral",
    "score_oppose",
    "score_support",
]


def test_raw_text_gives_one_row_per_sentence_pair_with_carried_columns(rules):
    news = pd.DataFrame(
        {
            "id": ["x", "y", "z"],
            "date": ["2024-01-05", "2024-02-01", "2024-02-02"],
            "text": ["Russia condemned Japan. Japan praised France.", "No actor.", "Chile alone."],
        },
        index=[10, 11, 12],
    )
    out = rules.predict(news)
    assert list(out.columns) == [*COLUMNS[:1], "id", "date", *COLUMNS[1:]]
    assert out[
        ["text_id", "id", "date", "sentence_index", "source", "target", "stance"]
    ].values.tolist() == [
        [10, "x", "2024-01-05", 0, "RUS", "JPN", "oppose"],
        [10, "x", "2024-01-05", 0, "JPN", "RUS", "neutral"],
        [10, "x", "2024-01-05", 1, "JPN", "FRA", "support"],
        [10, "x", "2024-01-05", 1, "FRA", "JPN", "neutral"],
    ]
    assert out["score"].tolist() == [1.0] * 4
    summary = out.attrs["summary"]
    assert (summary["statements"], summary["sentences"], summary["pairs"]) == (3, 4, 4)
    assert (summary["sentences_no_actor"], summary["sentences_one_actor"]) == (1, 1)
    assert summary["labels"] == {"neutral": 2, "oppose": 1, "support": 1}

    kept = rules.predict(news, drop_neutral=True)
    assert kept[["source", "target", "stance"]].values.tolist() == [
        ["RUS", "JPN", "oppose"],
        ["JPN", "FRA", "support"],
    ]
    assert kept.attrs["summary"]["pairs"] == 4 and kept.attrs["summary"]["kept"] == 2


def test_raw_text_from_a_list_a_text_id_column_and_requested_pairs(rules):
    out = rules.predict(["France alone.", "Germany criticised Italy."])
    assert out[["text_id", "source", "target", "stance"]].values.tolist() == [
        [1, "DEU", "ITA", "oppose"],
        [1, "ITA", "DEU", "neutral"],
    ]
    frame = pd.DataFrame({"text_id": ["a7"], "text": ["Germany criticised Italy."]})
    assert rules.predict(frame)["text_id"].tolist() == ["a7", "a7"]
    asked = pd.DataFrame(
        {
            "text": ["Germany criticised Italy."] * 2,
            "source": ["ITA", "DEU"],
            "target": ["DEU", "FRA"],
        }
    )
    out = rules.predict(asked)
    assert out[["source", "target", "stance"]].values.tolist() == [["ITA", "DEU", "neutral"]]
    assert (out.attrs["summary"]["pairs_requested"], out.attrs["summary"]["pairs_not_found"]) == (
        2,
        1,
    )


def test_empty_input_and_no_pairs_keep_the_columns(rules, caplog):
    for data in (
        [],
        pd.DataFrame({"text": pd.Series(dtype=str)}),
        ["No actor here.", "Only France."],
    ):
        out = rules.predict(data, drop_neutral=True)
        assert out.empty and list(out.columns) == COLUMNS
        assert out["score"].dtype == float and out["sentence_index"].dtype == np.int64
    assert out.attrs["summary"]["sentences"] == 2 and out.attrs["summary"]["pairs"] == 0
    assert "no sentence names two actors" in caplog.text


def test_rows_with_mentions_keep_the_row_behaviour(rules):
    rows = pd.DataFrame(
        {
            "text": ["Russia condemned Japan."] * 2,
            "source_mention": ["Russia", "Japan"],
            "target_mention": ["Japan", "Russia"],
            "stance": ["oppose", "neutral"],
        }
    )
    out = rules.predict(rows)
    assert out["stance"].tolist() == ["oppose", "neutral"]
    assert out["stance_gold"].tolist() == ["oppose", "neutral"]
    assert "sentence" not in out.columns
    assert rules.predict(rows, drop_neutral=True)["stance"].tolist() == ["oppose"]
    with pytest.raises(DataError, match=r"lacks column\(s\) \['target_mention'\]"):
        rules.predict(rows.drop(columns="target_mention"))


def test_one_string_is_one_text(rules):
    one = rules.predict("Russia condemned Japan.")
    pd.testing.assert_frame_equal(one, rules.predict(["Russia condemned Japan."]))
    assert one[["source", "target", "stance"]].values.tolist()[0][:2] == ["RUS", "JPN"]


def test_raw_text_input_errors_are_one_line(rules):
    with pytest.raises(DataError, match="lacks a 'text' column"):
        rules.predict(pd.DataFrame({"body": ["x"]}))
    with pytest.raises(DataError, match=r"\['sentence', 'score'\] clash"):
        rules.predict(pd.DataFrame({"text": ["x"], "sentence": [1], "score": [2]}))
    with pytest.raises(DataError, match="only one of 'source'/'target'"):
        rules.predict(pd.DataFrame({"text": ["x"], "source": ["RUS"]}))


# -- dyad tables -------------------------------------------------------------------------------
@pytest.fixture
def predicted() -> pd.DataFrame:
    rows = [
        ("RUS", "JPN", "oppose", "2024-01-10"),
        ("RUS", "JPN", "oppose", "2024-03-02"),
        ("RUS", "JPN", "support", "2024-01-20"),
        ("RUS", "JPN", "neutral", "2024-01-21"),
        ("CHN", "RUS", "support", "2024-01-01"),
        ("CHN", "RUS", "support", "2024-01-02T10:00:00+08:00"),
        ("CHN", "RUS", "support", "2024-02-01"),
        ("JPN", "RUS", "neutral", "2024-02-03"),
    ]
    return pd.DataFrame(rows, columns=["source", "target", "stance", "date"])


def test_dyad_table_counts_and_net_stance_by_hand(predicted):
    table = dyad_table(predicted)
    assert list(table.columns) == list(TABLE_COLUMNS)
    assert table[["source", "target", "support", "oppose", "neutral", "pairs"]].values.tolist() == [
        ["RUS", "JPN", 1, 2, 1, 4],
        ["CHN", "RUS", 3, 0, 0, 3],
        ["JPN", "RUS", 0, 0, 1, 1],
    ]
    assert table["net_stance"].iloc[0] == pytest.approx((1 - 2) / 3)
    assert table["net_stance"].iloc[1] == 1.0 and np.isnan(table["net_stance"].iloc[2])
    assert top_dyads(table, 5) == [("RUS", "JPN"), ("CHN", "RUS")]
    assert net_stance(pd.Series([0, 2]), pd.Series([0, 2])).tolist()[1] == 0.0


def test_monthly_net_stance_by_hand(predicted):
    series = monthly_net_stance(predicted, [("RUS", "JPN"), ("CHN", "RUS")])
    assert series.values.tolist()[:2] == [
        ["RUS", "JPN", "2024-01", 1, 1, 0.0],
        ["RUS", "JPN", "2024-03", 0, 1, -1.0],
    ]
    assert series.values.tolist()[2:] == [
        ["CHN", "RUS", "2024-01", 2, 0, 1.0],
        ["CHN", "RUS", "2024-02", 1, 0, 1.0],
    ]


def test_dyad_input_errors(predicted):
    with pytest.raises(DataError, match="missing column\\(s\\) 'stance'"):
        dyad_table(predicted.drop(columns="stance"))
    with pytest.raises(DataError, match=r"unknown stance label\(s\) \['favor'\]"):
        dyad_table(predicted.assign(stance="favor"))
    with pytest.raises(DataError, match="1 row\\(s\\) lack a source"):
        dyad_table(predicted.assign(source=[None] + ["RUS"] * 7))
    bad = predicted.assign(date=["2024-01-01"] * 7 + ["last week"])
    with pytest.raises(
        DataError, match="1 value\\(s\\) are not readable dates \\(first 'last week' at row 7\\)"
    ):
        monthly_net_stance(bad, [("RUS", "JPN")])


def test_dyad_report_writes_table_network_and_monthly_files(predicted, tmp_path):
    report = dyad_report(predicted, tmp_path, top=1, layout="spring")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "dyads.csv",
        "dyads_monthly.csv",
        "monthly.png",
        "network.png",
    ]
    assert pd.read_csv(tmp_path / "dyads.csv")["pairs"].tolist() == [4, 3, 1]
    assert set(report["monthly"]["source"]) == {"RUS"}
    empty = dyad_report(predicted.iloc[:0].drop(columns="date"), tmp_path / "empty")
    assert empty["table"].empty and empty["monthly"] is None
    assert (tmp_path / "empty" / "network.png").stat().st_size > 0


def test_layouts_are_deterministic_and_bounded():
    circle = circle_layout(4)
    # networkx's circle: from the right, anticlockwise
    assert np.allclose(circle, [[1, 0], [0, 1], [-1, 0], [0, -1]], atol=1e-7)
    assert circle_layout(0).shape == (0, 2)
    weights = np.array([[0, 3, 0], [0, 0, 1], [0, 0, 0]], dtype=float)
    a, b = spring_layout(weights, seed=1), spring_layout(weights, seed=1)
    assert np.array_equal(a, b) and a.shape == (3, 2) and np.abs(a).max() == pytest.approx(1.0)
    # linked nodes end closer than unlinked ones
    dist = np.linalg.norm(a[:, None] - a[None], axis=-1)
    assert dist[0, 1] < dist[0, 2]
    assert spring_layout(np.zeros((1, 1))).shape == (1, 2)


# -- triples -----------------------------------------------------------------------------------
GOLD = pd.DataFrame(
    [
        ("g1", "Russia condemned Japan.", {"RUS": 1, "JPN": 1}, [["RUS", "JPN", "oppose"]]),
        ("g2", "Japan praised France.", {"JPN": 1, "FRA": 1}, [["FRA", "JPN", "support"]]),
        ("g3", "Germany criticised Italy.", {"DEU": 1, "ITA": 1}, [["DEU", "ITA", "support"]]),
        ("g4", "Spain met Portugal.", {"ESP": 1, "PRT": 1}, [["ESP", "PRT", "support"]]),
        ("g5", "Ruritania condemned Japan.", {"RUR": 1, "JPN": 1}, [["RUR", "JPN", "oppose"]]),
        ("g6", "Poland condemned Hungary.", {"POL": 1, "HUN": 1}, []),
        (
            "g7",
            "Canada backed Mexico and Brazil.",
            {"CAN": 1, "MEX": 1},
            [["CAN", "MEX", "support"]],
        ),
        ("g8", "Chile praised Peru.", {"CHL": 1, "PER": 1}, [["CHL", "PER", "support"]]),
        (
            "g9",
            "Kenya condemned Uganda.",
            {"KEN": 1, "UGA": 1},
            [["KEN", "UGA", "oppose"], ["UGA", "KEN", "oppose"]],
        ),
    ],
    columns=["text_id", "text", "mentions", "pairs"],
)
GOLD["mentions"] = [[{"actor": a, "mentions": [a]} for a in m] for m in GOLD["mentions"]]


def test_triple_metrics_and_error_kinds_by_hand(rules, tmp_path):
    # predicted non-neutral: g1 RUS>JPN opp (tp), g2 JPN>FRA sup (wrong direction), g3 DEU>ITA
    # opp (wrong stance), g6 POL>HUN opp (spurious: gold neutral), g7 CAN>MEX sup (tp) and
    # CAN>BRA sup (spurious: BRA not in gold), g8 CHL>PER sup (tp), g9 KEN>UGA opp (tp).
    # Gold 9, predicted 8, tp 4: P = 4/8, R = 4/9, F1 = 2PR/(P+R) = 8/17.
    result = evaluate_triples(rules, GOLD)
    m = result["metrics"]
    assert (m["n_gold"], m["n_predicted"], m["tp"], m["fp"], m["fn"]) == (9, 8, 4, 4, 5)
    assert m["precision"] == pytest.approx(50.0)
    assert m["recall"] == pytest.approx(400 / 9)
    assert m["f1"] == pytest.approx(800 / 17)
    assert m["errors"] == {
        "missed_actor": 1,  # g5: Ruritania is no known actor
        "wrong_direction": 1,  # g2
        "wrong_stance": 1,  # g3
        "missed_stance": 2,  # g4 and g9 UGA>KEN (its reverse is a true positive, not an error)
        "spurious": 2,  # g6 and g7 CAN>BRA
    }
    errors = result["errors"].set_index("text_id")
    assert errors.loc["g5", "detail"] == "source not found"
    assert errors.loc["g2", "predicted"] == "JPN->FRA support"
    assert errors.loc["g3", ["gold", "predicted"]].tolist() == ["support", "oppose"]
    assert sorted(errors.loc[errors["kind"] == "spurious", "detail"]) == [
        "actor not in gold",
        "gold pair is neutral",
    ]
    assert m["per_stance"]["support"]["precision"] == pytest.approx(100 * 2 / 4)
    assert m["per_stance"]["oppose"]["recall"] == pytest.approx(100 * 2 / 4)
    assert m["pair_found_share"] == pytest.approx(100 * 8 / 9)
    paths = write_triple_report(result, tmp_path, title="hand-made")
    assert all(p.is_file() for p in paths.values())
    assert len(pd.read_csv(tmp_path / "triple_errors.csv")) == 7


def test_match_triples_prefers_the_same_pair_over_the_reverse():
    # gold A>B oppose and B>A support; predicted A>B support and B>A oppose: two wrong stances
    gold = {("t", "A", "B"): "oppose", ("t", "B", "A"): "support"}
    predicted = {("t", "A", "B", "support"), ("t", "B", "A", "oppose")}
    tp, errors = match_triples(gold, predicted, {("t", "A", "B"), ("t", "B", "A")})
    assert tp == 0 and errors["kind"].tolist() == ["wrong_stance", "wrong_stance"]
    assert gold_labels(GOLD.iloc[[5]]) == {
        ("g6", "POL", "HUN"): "neutral",
        ("g6", "HUN", "POL"): "neutral",
    }
    assert prf(0, 0, 0) == {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    assert set(ERROR_KINDS) == {
        "missed_actor",
        "wrong_direction",
        "wrong_stance",
        "missed_stance",
        "spurious",
    }


def test_triple_evaluation_needs_a_pair_model(rules):
    rules.metadata = {**rules.metadata, "input_columns": ["text"]}
    with pytest.raises(DataError, match="needs a pair model"):
        evaluate_triples(rules, GOLD)
