"""DSE and SEESAW load with the source cards' counts; DSE's 5-class report on hand-made data."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from stance.config.build import build
from stance.config.compose import compose
from stance.data import load_corpus
from stance.data.news_pairs import DSE, Seesaw, find_mention, seesaw_rows
from stance.errors import ConfigError, DataError
from stance.evaluation.directed import combine_directions, dse_five_class, five_class_metrics
from stance.evaluation.metrics import bootstrap_interval
from stance.features.pair_views import PairView
from stance.features.views import TextView
from tests.conftest import corpus_folder

# -- DSE ------------------------------------------------------------------------------------
#: SOURCE.md, "Counts": items per split and label 0-4.
DSE_COUNTS = {
    "train": {0: 8589, 1: 1341, 2: 265, 3: 2562, 4: 387},
    "dev": {0: 955, 1: 149, 2: 29, 3: 285, 4: 43},
    "test": {0: 1060, 1: 166, 2: 33, 3: 316, 4: 48},
}
#: label -> (stance ent1 -> ent2, stance ent2 -> ent1), written out from the brief.
DIRECTED = {
    0: ("neutral", "neutral"),
    1: ("support", "neutral"),
    2: ("neutral", "support"),
    3: ("oppose", "neutral"),
    4: ("neutral", "oppose"),
}


@pytest.fixture(scope="module")
def dse(data_home) -> pd.DataFrame:
    corpus_folder(data_home, "dse_park2021/train.txt")
    return load_corpus("dse")


@pytest.fixture(scope="module")
def seesaw(data_home) -> pd.DataFrame:
    corpus_folder(data_home, "seesaw/SEESAW/meta")
    return load_corpus("seesaw")


def test_dse_counts_match_the_source_card(dse):
    items = dse[dse.direction == "forward"]
    assert items.groupby("split").size().to_dict() == {"train": 13144, "dev": 1461, "test": 1623}
    for split, expected in DSE_COUNTS.items():
        assert items[items.split == split]["dse_label"].value_counts().to_dict() == expected
    assert len(dse) == 2 * 16228
    assert (dse.groupby("item_id").size() == 2).all()


@pytest.mark.parametrize("label", [0, 1, 2, 3, 4])
def test_dse_two_directed_rows_per_label(dse, label):
    item = dse[dse.dse_label == label].item_id.iloc[0]
    rows = dse[dse.item_id == item].set_index("direction")
    forward, backward = rows.loc["forward"], rows.loc["backward"]
    assert (forward.stance, backward.stance) == DIRECTED[label]
    assert (forward.source, forward.target) == (backward.target, backward.source)
    assert (forward.source_mention, forward.target_mention) == (
        backward.target_mention,
        backward.source_mention,
    )
    assert forward.text == backward.text and "[" not in forward.text
    assert forward.source_start < forward.target_start  # ent1 comes first
    for row in (forward, backward):
        at = row.source_start
        assert row.text[at : at + len(row.source_mention)] == row.source_mention
        assert row.source == row.source_mention.strip()


def test_dse_reads_quoted_fields_and_keeps_the_bracketed_mentions(dse):
    # train.txt line 229: a quoted field with doubled quotes, and a mention spanning them.
    row = dse[(dse.item_id == "train-00228") & (dse.direction == "forward")].iloc[0]
    assert row.text.startswith("The one-sided resolution before the Council")
    assert row.target_mention == 'Yassin."The Security Council'
    assert row.text.endswith('siding with Yassin."The Security Council ...')
    # a bracket with inner spaces ("[Omar Othman ]"): exact mention, normalised name
    spaced = dse[dse.source_mention == "Omar Othman "].iloc[0]
    assert spaced.source == "Omar Othman" and "Omar Othman  has" in spaced.text
    # test.txt line 5: the doubled quotes of a quoted field become single ones
    quoted = dse[dse.item_id == "test-00004"].text.iloc[0]
    assert quoted.startswith("But Portland's city code prohibits persons")
    assert 'unless "expressly permitted under the terms of a lease' in quoted
    assert 'permit.""We totally understand the rule," Root' in quoted  # two quotes meet


def test_dse_deduplicated_test_and_leakage_flags(dse):
    items = dse[dse.direction == "forward"]
    test = items[items.split == "test"]
    kept = test[~test.duplicate]
    assert len(kept) == 1144
    assert kept.dse_label.value_counts().to_dict() == {0: 870, 3: 138, 1: 86, 4: 26, 2: 24}
    assert int(test.in_train.sum()) == 400
    assert int(items[items.split == "dev"].in_train.sum()) == 392
    assert not items[items.split == "train"].in_train.any()
    assert int(items[items.split == "train"].duplicate.sum()) == 1611


def test_dse_label_map_is_recorded_but_the_label_column_stays_numeric(dse):
    assert DSE().metadata()["label_maps"]["label"]["2"] == "ent2 -> ent1 support"
    assert dse.dse_label.dtype.kind == "i"


def test_pair_views_mark_every_dse_row_in_direction_order(dse):
    marked = PairView().fit(dse).transform(dse)
    for text, direction in zip(marked, dse.direction, strict=True):
        words = text.split()
        assert words.count("SRCACTOR") == 1 and words.count("TGTACTOR") == 1
        assert (words.index("SRCACTOR") < words.index("TGTACTOR")) == (direction == "forward")
    # TextView's first-occurrence marking agrees everywhere but one row, where the mention
    # "GTA" is found inside the token "TGTACTOR" put in for the other mention first.
    first_occurrence = TextView(mode="pair").fit(dse).transform(dse)
    assert (first_occurrence != marked).sum() <= 1


@pytest.mark.parametrize(
    ("text", "source", "s_at", "target", "t_at", "expected"),
    [
        # same string for both entities: the offsets tell them apart
        ("Smith said Smith lied.", "Smith", 11, "Smith", 0, "TGTACTOR said SRCACTOR lied."),
        # one mention inside the other
        ("Obama met Barack Obama.", "Obama", 0, "Barack Obama", 10, "SRCACTOR met TGTACTOR ."),
        ("Obama met Barack Obama.", "Obama", -1, "Barack Obama", -1, "SRCACTOR met TGTACTOR ."),
        # a mention that is part of a placeholder token
        ("And Houser made GTA.", "GTA", 16, "Houser", 4, "And TGTACTOR made SRCACTOR ."),
        ("And Houser made GTA.", "GTA", -1, "Houser", -1, "And TGTACTOR made SRCACTOR ."),
        # an unseen mention
        ("Nobody here.", "Kim", -1, "Nobody", 0, "SRCACTOR_UNSEEN TGTACTOR here."),
    ],
)
def test_pair_view_marks_positions(text, source, s_at, target, t_at, expected):
    row = pd.DataFrame(
        {
            "text": [text],
            "source_mention": [source],
            "target_mention": [target],
            "source_start": [s_at],
            "target_start": [t_at],
        }
    )
    assert PairView().fit(row).transform(row)[0] == expected


def test_pair_view_between_ordered_and_names_modes():
    row = pd.DataFrame(
        {
            "text": ["Yesterday Lee was praised warmly by Park in Seoul."],
            "source_mention": ["Park"],
            "target_mention": ["Lee"],
        }
    )
    assert PairView(mode="between").fit(row).transform(row)[0] == (
        "TGTACTOR was praised warmly by SRCACTOR"
    )
    assert PairView(mode="between", window=1).fit(row).transform(row)[0] == (
        "Yesterday TGTACTOR was praised warmly by SRCACTOR in"
    )
    assert PairView(mode="ordered").fit(row).transform(row)[0] == (
        "B_Yesterday TGTACTOR B_was B_praised B_warmly B_by SRCACTOR B_in B_Seoul."
    )
    assert PairView(mode="names").fit(row).transform(row)[0] == "S_park T_lee"
    assert PairView(mode="context", window=2).fit(row).transform(row)[0] == (
        "SL_warmly SL_by SR_in SR_seoul TL_yesterday TR_was TR_praised"
    )
    unseen = row.assign(source_mention="Kim")
    assert PairView(mode="context", window=2).fit(unseen).transform(unseen)[0] == "NOPAIR"
    with pytest.raises(ValueError, match="unknown mode"):
        PairView(mode="nope").fit(row)


# -- the 5-class report ---------------------------------------------------------------------
def _predictions() -> pd.DataFrame:
    """Eight items; (gold, forward prediction, backward prediction) -> hand-derived 5-class."""
    items = [
        # id, gold, (fwd label, score), (bwd label, score), duplicate  -> predicted
        ("A", 0, ("neutral", 0.9), ("neutral", 0.8), False),  # 0: both neutral
        ("B", 1, ("support", 0.9), ("neutral", 0.7), False),  # 1
        ("C", 2, ("support", 0.6), ("support", 0.8), False),  # 2: backward scores higher
        ("D", 3, ("oppose", 0.7), ("support", 0.5), False),  # 3: forward scores higher
        ("E", 4, ("neutral", 0.6), ("neutral", 0.5), False),  # 0
        ("F", 0, ("neutral", 0.9), ("oppose", 0.4), False),  # 4
        ("G", 3, ("oppose", 0.55), ("oppose", 0.65), False),  # 4
        ("H", 1, ("support", 0.7), ("neutral", 0.9), True),  # 1, a duplicate item
    ]
    rows = []
    for item, gold, forward, backward, duplicate in items:
        for direction, (label, score) in (("forward", forward), ("backward", backward)):
            others = (1 - score) / 2
            scores = {c: score if c == label else others for c in ("neutral", "oppose", "support")}
            rows.append(
                {
                    "item_id": item,
                    "direction": direction,
                    "dse_label": gold,
                    "duplicate": duplicate,
                    "stance": label,
                    **{f"score_{c}": v for c, v in scores.items()},
                }
            )
    return pd.DataFrame(rows).sample(frac=1.0, random_state=3).reset_index(drop=True)


def test_combine_directions_by_hand():
    items = combine_directions(_predictions()).set_index("item_id").sort_index()
    assert items["gold"].tolist() == [0, 1, 2, 3, 4, 0, 3, 1]
    assert items["predicted"].tolist() == [0, 1, 2, 3, 0, 4, 4, 1]
    assert items["duplicate"].tolist() == [False] * 7 + [True]


def test_combine_directions_by_the_argmax_rule_by_hand():
    # five item scores (0: mean neutral score of the two rows), e.g. F: neutral 0.9 forward and
    # 0.3 backward -> 0.6 beats backward oppose 0.4, where neutral_first says 4
    items = combine_directions(_predictions(), rule="argmax").set_index("item_id").sort_index()
    assert items["predicted"].tolist() == [0, 1, 2, 3, 0, 0, 4, 1]
    frame = _predictions()
    frame.loc[frame.item_id == "C", "score_support"] = 0.8  # a tie of labels 1 and 2
    items = combine_directions(frame, rule="argmax").set_index("item_id")
    assert items.loc["C", "predicted"] == 1
    report = dse_five_class(n_resamples=0, rule="argmax")(_predictions(), "stance")
    assert report["full"]["micro_f1"] == pytest.approx(75.0)  # 6 of 8
    assert report["rule"].startswith("argmax")
    with pytest.raises(DataError, match="no score column for label"):
        combine_directions(
            _predictions().assign(stance="support").drop(columns="score_neutral"), rule="argmax"
        )
    with pytest.raises(DataError, match="unknown rule"):
        combine_directions(_predictions(), rule="vote")
    with pytest.raises(ConfigError, match="unknown rule"):
        dse_five_class(rule="vote")


def test_five_class_report_by_hand():
    report = dse_five_class(n_resamples=200, seed=1)(_predictions(), "stance")
    full, kept = report["full"], report["deduplicated"]
    # accuracy 5/8; F1 per class: 0 -> 1/2, 1 -> 1, 2 -> 1, 3 -> 2/3 (P 1, R 1/2), 4 -> 0
    assert full["n_items"] == 8
    assert full["micro_f1"] == pytest.approx(62.5)
    assert full["macro_f1"] == pytest.approx(100 * (0.5 + 1 + 1 + 2 / 3 + 0) / 5)
    assert full["per_class_f1"] == pytest.approx(
        {"0": 50.0, "1": 100.0, "2": 100.0, "3": 200 / 3, "4": 0.0}
    )
    # without the duplicate item H: accuracy 4/7, the same per-class F1
    assert kept["n_items"] == 7
    assert kept["micro_f1"] == pytest.approx(400 / 7)
    assert kept["macro_f1"] == pytest.approx(full["macro_f1"])
    gold, predicted = [0, 1, 2, 3, 4, 0, 3, 1], [0, 1, 2, 3, 0, 4, 4, 1]
    for metric in ("micro_f1", "macro_f1"):
        low, high = full[f"{metric}_ci95"]
        assert low <= full[metric] <= high
    json.dumps(report)  # goes into metrics.json as it is
    # the interval is the shared bootstrap over items (order of items does not matter)
    again = five_class_metrics(gold, predicted, n_resamples=200, seed=1)
    expected = bootstrap_interval(gold, predicted, (0, 1, 2, 3, 4), "micro_f1", 200, 1)
    assert again["micro_f1_ci95"] == pytest.approx(list(expected))


def test_a_tie_goes_to_the_forward_direction():
    frame = _predictions()
    c = frame.item_id == "C"  # support 0.6 forward vs 0.8 backward: now equal
    frame.loc[c, "score_support"] = 0.8
    items = combine_directions(frame.drop(columns="duplicate")).set_index("item_id")
    assert items.loc["C", "predicted"] == 1
    assert not items["duplicate"].any()  # no duplicate column: every item counts


def test_five_class_report_needs_whole_items():
    frame = _predictions()
    with pytest.raises(DataError, match="exactly one forward and one backward"):
        combine_directions(frame.iloc[1:])
    with pytest.raises(DataError, match="lack column"):
        combine_directions(frame.drop(columns="item_id"))
    with pytest.raises(DataError, match="unknown direction"):
        combine_directions(frame.assign(direction="sideways"))


def test_dse_ngrams_experiment_builds_and_its_report_runs_on_real_rows(dse):
    cfg = compose(["experiment=dse_ngrams", "evaluation.n_resamples=50"])
    assert cfg.evaluation.primary == "macro_f1"
    report = build(cfg.evaluation.extra.dse_5class)
    assert callable(report) and report.n_resamples == 50
    from stance.predict.model import StanceModel

    train = dse[dse.split == "train"].sample(3000, random_state=0)  # the files are by label
    model = build(cfg.pipeline).fit(train, train.stance.to_numpy())
    dev = dse[dse.split == "dev"]
    dev = dev[dev.item_id.isin(dev.item_id.drop_duplicates().sample(200, random_state=0))]
    meta = {"task": "stance", "input_columns": ["text", "source_mention", "target_mention"]}
    out = report(StanceModel(model, meta).predict(dev), "stance")
    assert out["full"]["n_items"] == 200
    assert out["deduplicated"]["n_items"] == int((~dev.duplicate).sum()) // 2
    assert 0 <= out["full"]["macro_f1"] <= out["full"]["micro_f1"] <= 100


# -- SEESAW ---------------------------------------------------------------------------------
def test_seesaw_counts_match_the_source_card(seesaw):
    counts = seesaw.groupby("split")["stance"].value_counts().unstack().to_dict("index")
    assert counts == {
        "train": {"oppose": 3817, "support": 2446},
        "dev": {"oppose": 1601, "support": 835},
        "test": {"oppose": 1206, "support": 714},
    }
    assert seesaw.groupby("split").text_id.nunique().to_dict() == {
        "train": 4505,
        "dev": 1613,
        "test": 1378,
    }
    stories = seesaw.article.str.slice(0, len("TRIPLET_000"))
    assert (seesaw.story == stories).all()
    assert seesaw.story.groupby(seesaw.split).nunique().to_dict() == {
        "train": 127,
        "dev": 35,
        "test": 41,
    }
    assert int(seesaw.not_in_list.sum()) == 1892
    assert int(seesaw.subject_none.sum()) == 968
    assert "neutral" not in set(seesaw.stance)


def test_seesaw_drop_not_in_list(data_home):
    corpus_folder(data_home, "seesaw/SEESAW/meta")
    kept = Seesaw(drop_not_in_list=True).load()
    assert len(kept) == 10619 - 1892 and not kept.not_in_list.any()


def test_seesaw_rows_of_one_real_article(data_home):
    base = corpus_folder(data_home, "seesaw/SEESAW")
    name = "TRIPLET_001_DOCUMENT_0"
    annotation = json.loads((base / "annotations" / f"{name}.json").read_text(encoding="utf-8"))
    article = json.loads((base / "articles" / f"{name}.json").read_text(encoding="utf-8"))
    rows = pd.DataFrame(seesaw_rows(annotation, article, name, "train")).set_index("id")
    assert len(rows) == 12
    assert rows.text_id.nunique() == 9
    first = rows.loc[f"{name}:2:0"]
    assert first.text.startswith("Clinton\u2019s attorney David Kendall on Friday wrote")
    assert (first.source, first.stance, first.target) == ("David E. Kendall", "NEG", "Trey Gowdy")
    # "David E. Kendall" is not in the sentence: its last name is; "Trey Gowdy" is verbatim
    assert (first.source_mention, first.source_match) == ("Kendall", "partial")
    assert first.text[first.source_start :].startswith("Kendall on Friday")
    assert (first.target_mention, first.target_match) == ("Trey Gowdy", "exact")
    praise = rows.loc[f"{name}:18:0"]
    assert (praise.source, praise.stance, praise.target) == (
        "David E. Kendall",
        "POS",
        "Hillary Clinton",
    )
    # the holder is only "Clinton's attorney" here; the target's last name is found
    assert praise.source_match == "none" and praise.source_start == -1
    assert (praise.target_mention, praise.target_match) == ("Clinton", "partial")
    none = rows.loc[f"{name}:14:0"]
    assert none.source == "None" and none.subject_none and none.source_match == "none"
    assert set(rows.split) == {"train"}


@pytest.mark.parametrize(
    ("name", "text", "avoid", "expected"),
    [
        ("Joe Biden", "Joe Biden spoke.", None, ("Joe Biden", 0, "exact")),
        ("Joe Biden", "JOE BIDEN spoke.", None, ("JOE BIDEN", 0, "case")),
        ("Mitt Romney", "Romney pushed back.", None, ("Romney", 0, "partial")),
        ("Republican Party", "Many Republicans objected.", None, ("Republican", 5, "partial")),
        ("President Obama", "The president spoke.", None, ("President Obama", -1, "none")),
        ("US", "Tell us more.", None, ("US", -1, "none")),
        ("Donald Trump", "Trump met Trump Jr.", (0, 5), ("Trump", 10, "partial")),
        ("Not in the list", "Not in the list.", None, ("Not in the list", -1, "none")),
    ],
)
def test_find_mention(name, text, avoid, expected):
    assert find_mention(name, text, avoid) == expected


def test_seesaw_experiment_keeps_only_two_labels():
    cfg = compose(["experiment=seesaw"])
    assert list(cfg.task.labels) == ["support", "oppose"]
    assert cfg.evaluation.primary == "micro_f1"
    view = build(cfg.pipeline).named_steps["features"].named_steps["view"]
    assert isinstance(view, PairView)


def test_dse_reports_a_broken_file_in_one_line(tmp_path):
    for raw in ("train", "valid", "test"):
        (tmp_path / f"{raw}.txt").write_text("A [b] and [c].\tb\tc\t7\n", encoding="utf-8")
    with pytest.raises(DataError, match="label '7' is not one of 0-4"):
        DSE(root=str(tmp_path)).load()
    (tmp_path / "train.txt").write_text("No brackets here.\tb\tc\t0\n", encoding="utf-8")
    with pytest.raises(DataError, match="exactly two"):
        DSE(root=str(tmp_path)).load()
