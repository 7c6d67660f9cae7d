"""End to end: train `actor_pairs`, then raw text in, dyads out (API and CLI), and triples."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from stance import load_model
from stance.cli import main
from stance.evaluation.triples import ERROR_KINDS, prf
from tests.conftest import run_cli


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory, data_home) -> Path:
    """experiment=actor_pairs as CI trains it: the CAMEO/Phoenix files of the data home."""
    tmp = tmp_path_factory.mktemp("actor_pairs")
    result = run_cli(
        "experiment=actor_pairs",
        f"paths.output_root={tmp / 'outputs'}",
        "evaluation.n_resamples=20",
        "evaluation.plots=false",
        cwd=tmp,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    (status,) = sorted((tmp / "outputs").glob("*/*/status.json"))
    return status.parent


@pytest.fixture(scope="module")
def model(run_dir):
    return load_model(run_dir)


def _pairs(frame: pd.DataFrame) -> list[list]:
    return frame[["text_id", "source", "target", "stance"]].values.tolist()


def test_actor_pairs_is_a_pair_model_marking_mentions_where_they_are(run_dir, model):
    assert model.is_pair_model
    assert model.input_columns == ["text", "source_mention", "target_mention"]
    config = (run_dir / "config.yaml").read_text()
    assert "stance.features.pair_views.PairView" in config and "class_weight: balanced" in config
    metrics = json.loads((run_dir / "metrics.json").read_text())
    assert metrics["splits"]["dev"]["primary"]["value"] > 60


def test_who_does_what_to_whom_decides_the_direction(model):
    out = model.predict(["Russia condemned Japan.", "Japan condemned Russia."])
    assert _pairs(out) == [
        [0, "RUS", "JPN", "oppose"],
        [0, "JPN", "RUS", "neutral"],
        [1, "JPN", "RUS", "oppose"],
        [1, "RUS", "JPN", "neutral"],
    ]
    out = model.predict(
        [
            "Beijing has expressed support for the Russian leadership's measures to stabilize "
            "the situation.",
            "Pakistan praised China for its cooperation.",
        ]
    )
    # Event data: China's cooperation with Pakistan is itself an act of support (CAMEO 06).
    assert _pairs(out) == [
        [0, "CHN", "RUS", "support"],
        [0, "RUS", "CHN", "neutral"],
        [1, "PAK", "CHN", "support"],
        [1, "CHN", "PAK", "support"],
    ]
    assert out["source_mention"].tolist()[:2] == ["Beijing", "the Russian leadership"]
    winner = out[["score_neutral", "score_oppose", "score_support"]].max(axis=1)
    assert out["score"].tolist() == winner.tolist()


def test_plain_news_sentences_get_source_target_and_stance_right(model):
    texts = [
        "Beijing has expressed support for the Russian leadership's measures to stabilize "
        "the situation.",
        "Moscow sharply condemned Tokyo.",
        "France was criticised by Turkey over the new law.",
        "Germany and France held talks in Berlin.",
    ]
    out = model.predict(texts, drop_neutral=True)
    # Talks are support both ways (PLOVER CONSULT, data/events/README.md).
    assert _pairs(out) == [
        [0, "CHN", "RUS", "support"],
        [1, "RUS", "JPN", "oppose"],
        [2, "TUR", "FRA", "oppose"],
        [3, "DEU", "FRA", "support"],
        [3, "FRA", "DEU", "support"],
    ]


def test_drop_neutral_carried_columns_and_counts(model):
    news = pd.DataFrame(
        {
            "id": ["n1", "n2", "n3"],
            "date": ["2024-01-05", "2024-01-20", "2024-02-03"],
            "text": [
                "Iran accused Israel of sabotage. France said nothing.",
                "The weather was fine.",
                "Germany criticised Hungary over the rule of law.",
            ],
        }
    )
    out = model.predict(news, drop_neutral=True)
    assert out[["text_id", "id", "date", "source", "target", "stance"]].values.tolist() == [
        [0, "n1", "2024-01-05", "IRN", "ISR", "oppose"],
        [2, "n3", "2024-02-03", "DEU", "HUN", "oppose"],
    ]
    summary = out.attrs["summary"]
    assert summary["statements"] == 3 and summary["sentences"] == 4
    assert summary["sentences_with_pairs"] == 2 and summary["sentences_one_actor"] == 1
    assert summary["sentences_no_actor"] == 1 and summary["pairs"] == 4 and summary["kept"] == 2


def test_no_pairs_gives_empty_frame_with_columns_and_counts(model):
    out = model.predict(["The weather was fine.", "France said nothing.", ""])
    assert out.empty
    assert list(out.columns) == [
        "text_id",
        "sentence_index",
        "sentence",
        "source",
        "target",
        "source_mention",
        "target_mention",
        "cameo_code",
        "plover_type",
        "quad_class",
        "stance",
        "score",
        "score_neutral",
        "score_oppose",
        "score_support",
    ]
    summary = out.attrs["summary"]
    assert (summary["statements"], summary["sentences"], summary["empty_texts"]) == (3, 2, 1)
    assert (summary["sentences_one_actor"], summary["sentences_no_actor"]) == (1, 1)
    assert list(model.predict([]).columns) == list(out.columns)


NEWS = """id,date,text
n1,2024-01-05,"Russia condemned Japan. Turkey and Greece held talks in Athens."
n2,2024-01-20,China praised Pakistan for its cooperation.
n3,2024-02-03,The weather was fine.
n4,2024-02-10,Russia condemned Japan over its sanctions.
n5,2024-03-01,"Iran accused Israel of sabotage. France said nothing."
"""


def test_cli_predict_then_dyads(run_dir, tmp_path, capsys):
    (tmp_path / "news.csv").write_text(NEWS, encoding="utf-8")
    code = main(
        [
            "predict",
            "--model",
            str(run_dir),
            "--input",
            str(tmp_path / "news.csv"),
            "--output",
            str(tmp_path / "dyads.csv"),
            "--drop-neutral",
            "--chunk-size",
            "2",
            "--quiet",
        ]
    )
    assert code == 0
    line = capsys.readouterr().err.strip()
    assert line.startswith(
        "labelled 10 actor pair(s) in 5 of 7 sentence(s) from 5 statement(s); wrote 7 row(s)"
    )
    assert "1 sentence(s) named one actor, 1 none" in line
    predicted = pd.read_csv(tmp_path / "dyads.csv")
    # Talks (Turkey and Greece) and cooperation (China and Pakistan) are support both ways.
    assert predicted[["text_id", "id", "source", "target", "stance"]].values.tolist() == [
        [0, "n1", "RUS", "JPN", "oppose"],
        [0, "n1", "TUR", "GRC", "support"],
        [0, "n1", "GRC", "TUR", "support"],
        [1, "n2", "CHN", "PAK", "support"],
        [1, "n2", "PAK", "CHN", "support"],
        [3, "n4", "RUS", "JPN", "oppose"],
        [4, "n5", "IRN", "ISR", "oppose"],
    ]

    assert main(["dyads", str(tmp_path / "dyads.csv"), "--output-dir", str(tmp_path / "d")]) == 0
    table = pd.read_csv(tmp_path / "d" / "dyads.csv")
    # by hand: RUS->JPN oppose twice (net -1); one support each way between CHN and PAK and
    # between GRC and TUR (+1), IRN->ISR oppose once (-1); ties in source order
    assert table.values.tolist() == [
        ["RUS", "JPN", 0, 2, 0, 2, -1.0],
        ["CHN", "PAK", 1, 0, 0, 1, 1.0],
        ["GRC", "TUR", 1, 0, 0, 1, 1.0],
        ["IRN", "ISR", 0, 1, 0, 1, -1.0],
        ["PAK", "CHN", 1, 0, 0, 1, 1.0],
        ["TUR", "GRC", 1, 0, 0, 1, 1.0],
    ]
    monthly = pd.read_csv(tmp_path / "d" / "dyads_monthly.csv")
    assert monthly.values.tolist() == [
        ["RUS", "JPN", "2024-01", 0, 1, -1.0],
        ["RUS", "JPN", "2024-02", 0, 1, -1.0],
        ["CHN", "PAK", "2024-01", 1, 0, 1.0],
        ["GRC", "TUR", "2024-01", 1, 0, 1.0],
        ["IRN", "ISR", "2024-03", 0, 1, -1.0],
        ["PAK", "CHN", "2024-01", 1, 0, 1.0],
        ["TUR", "GRC", "2024-01", 1, 0, 1.0],
    ]
    for name in ("network.png", "monthly.png"):
        assert (tmp_path / "d" / name).stat().st_size > 5000


def test_cli_chunks_keep_row_numbers_and_neutral_pairs(run_dir, tmp_path, capsys):
    (tmp_path / "news.csv").write_text(NEWS, encoding="utf-8")
    args = ["--model", str(run_dir), "--input", str(tmp_path / "news.csv"), "--quiet"]
    assert (
        main(["predict", *args, "--output", str(tmp_path / "all.jsonl"), "--chunk-size", "2"]) == 0
    )
    rows = pd.read_json(tmp_path / "all.jsonl", lines=True)
    assert len(rows) == 10 and rows["text_id"].tolist() == [0, 0, 0, 0, 1, 1, 3, 3, 4, 4]
    assert main(["dyads", str(tmp_path / "all.jsonl"), "--output-dir", str(tmp_path / "d")]) == 0
    table = pd.read_csv(tmp_path / "d" / "dyads.csv").set_index(["source", "target"])
    assert table.loc[("JPN", "RUS"), ["support", "oppose", "neutral"]].tolist() == [0, 0, 2]
    assert table.loc[("TUR", "GRC"), ["support", "oppose", "neutral"]].tolist() == [1, 0, 0]
    assert table.loc[("TUR", "GRC"), "net_stance"] == 1.0
    capsys.readouterr()


def test_cli_errors_are_one_line(run_dir, tmp_path, capsys):
    (tmp_path / "p.csv").write_text("source,target,label\nRUS,JPN,oppose\n", encoding="utf-8")
    assert main(["dyads", str(tmp_path / "p.csv"), "--output-dir", str(tmp_path / "d")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("stance: error:") and "missing column(s) 'stance'" in err
    assert "\n" not in err
    (tmp_path / "news.csv").write_text(NEWS, encoding="utf-8")
    code = main(
        ["predict", "--model", str(run_dir), "--input", str(tmp_path / "news.csv"),
         "--output", str(tmp_path / "out.xlsx")]
    )  # fmt: skip
    assert code == 1 and "unsupported output type '.xlsx'" in capsys.readouterr().err
    dated = tmp_path / "dated.csv"
    dated.write_text("source,target,stance,when\nRUS,JPN,oppose,soon\n", encoding="utf-8")
    code = main(["dyads", str(dated), "--output-dir", str(tmp_path / "e"), "--date-column", "when"])
    assert code == 1 and "not readable dates (first 'soon' at row 0)" in capsys.readouterr().err


def test_cli_evaluate_triples_on_the_bundled_test_split(run_dir, tmp_path, capsys):
    out = tmp_path / "triples"
    args = [
        "evaluate-triples",
        "--model",
        str(run_dir),
        "--split",
        "test",
        "--output-dir",
        str(out),
    ]
    assert main(args) == 0
    assert "191 sentence(s), 389 gold" in capsys.readouterr().err
    metrics = json.loads((out / "triple_metrics.json").read_text())
    tp, fp, fn = metrics["tp"], metrics["fp"], metrics["fn"]
    assert metrics["n_gold"] == tp + fn == 389 and metrics["n_predicted"] == tp + fp
    for key, value in prf(tp, fp, fn).items():
        assert metrics[key] == pytest.approx(value)
    errors = metrics["errors"]
    assert sorted(errors) == sorted(ERROR_KINDS)
    assert fn == sum(v for k, v in errors.items() if k != "spurious")
    assert fp == errors["spurious"] + errors["wrong_stance"] + errors["wrong_direction"]
    assert len(pd.read_csv(out / "triple_errors.csv")) == sum(errors.values())
    assert metrics["pair_found_share"] >= 95  # actor recognition finds the gold pairs
    assert metrics["f1"] > 50  # the all-neutral model scores 0
    assert (out / "triple_errors.png").stat().st_size > 5000


def test_the_issue_sentences_are_coded_as_event_data(model):
    out = model.predict(
        [
            "China supports Russian leadership in connection with June 24 events",
            "Beijing has expressed support for the Russian leadership's measures to stabilize "
            "the situation.",
            "The Chinese side expressed support for the Russian leadership's efforts to "
            "stabilize the situation.",
            "Iraqi troops attacked rebels near Mosul",
        ]
    )
    rows = {
        (r.text_id, r.source, r.target): (r.stance, r.quad_class, r.plover_type)
        for r in out.itertuples()
    }
    for text_id in (0, 1, 2):
        stance, quad, _ = rows[(text_id, "CHN", "RUS")]
        assert stance == "support" and quad in (1, 2)  # a cooperation code
    assert rows[(3, "IRQMIL", "IRQREB")] == ("oppose", 4, "ASSAULT")
    assert rows[(3, "IRQREB", "IRQMIL")][0] == "neutral"


def test_every_actor_pair_run_reports_raw_text_on_real_news(run_dir):
    report = json.loads((run_dir / "metrics.json").read_text())["end_to_end"]["real_news"]
    assert set(report) == {"events", "statements", "dse", "seesaw"}
    for corpus in ("events", "statements", "dse"):
        for who in ("model", "rules"):
            entry = report[corpus][who]
            for key in ("mention_recall", "pair_found_share", "stance_accuracy_on_found", "f1"):
                assert 0 <= entry[key] <= 100
            assert entry["n_gold"] > 0
    # the learned model beats the CAMEO rules on the events test set and on real news
    assert report["events"]["model"]["f1"] > report["events"]["rules"]["f1"]
    assert report["dse"]["model"]["f1"] > report["dse"]["rules"]["f1"]
    assert report["dse"]["gold"]["kept_items"] > 100
    table = (run_dir / "end_to_end" / "end_to_end.md").read_text()
    assert table.startswith("| corpus | who |") and "| dse | rules |" in table
    assert (run_dir / "end_to_end" / "events_errors.csv").stat().st_size > 100


def test_actor_pairs_without_a_data_home(tmp_path, monkeypatch):
    """A fresh clone: no CAMEO/Phoenix files, no DSE/SEESAW; the run still works and says so."""
    env = {k: v for k, v in os.environ.items() if k != "STANCE_DATA_HOME"}
    result = subprocess.run(
        [
            sys.executable, "-m", "stance.train", "experiment=actor_pairs", "data=statements",
            f"paths.output_root={tmp_path / 'outputs'}", "evaluation.n_resamples=20",
            "evaluation.plots=false", "evaluation.end_to_end.real_news.corpora=[statements,dse]",
        ],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    (status,) = sorted((tmp_path / "outputs").glob("*/*/status.json"))
    config = (status.parent / "config.yaml").read_text()
    assert "dictionaries: []" in config
    report = json.loads((status.parent / "metrics.json").read_text())["end_to_end"]["real_news"]
    assert "STANCE_DATA_HOME" in report["dse"]["skipped"]
    assert report["statements"]["model"]["f1"] > 40
    model = load_model(status.parent)
    out = model.predict(["Iraqi troops attacked rebels near Mosul"])
    assert ("IRQMIL", "IRQREB") in set(zip(out["source"], out["target"], strict=True))
