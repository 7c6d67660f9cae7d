"""End to end: `stance-train` writes a complete run folder whose model reloads exactly."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from sklearn.metrics import f1_score

from stance import load_model
from stance.evaluation import score
from tests.conftest import corpus_folder, run_cli

ARTIFACTS = [
    ".hydra/config.yaml",
    "config.yaml",
    "env.json",
    "data_manifest.json",
    "metrics.json",
    "predictions/dev.csv",
    "predictions/test.csv",
    "plots/confusion_test.png",
    "plots/per_class_test.png",
    "plots/per_target_test.png",
    "plots/pr_test.png",
    "plots/top_features.png",
    "model/model.skops",
    "model/trusted_types.json",
    "model/metadata.json",
    "README.md",
    "status.json",
]


def _train(tmp: Path, *overrides: str) -> Path:
    result = run_cli(f"paths.output_root={tmp / 'outputs'}", *overrides, cwd=tmp)
    assert result.returncode == 0, result.stderr[-3000:]
    runs = sorted((tmp / "outputs").glob("*/*/status.json"))
    assert len(runs) == 1, runs
    return runs[0].parent


@pytest.fixture(scope="module")
def default_run(tmp_path_factory) -> Path:
    return _train(tmp_path_factory.mktemp("default"))


def test_default_run_folder_is_complete(default_run):
    for name in ARTIFACTS:
        assert (default_run / name).is_file(), name
    assert json.loads((default_run / "status.json").read_text())["status"] == "complete"
    config = yaml.safe_load((default_run / "config.yaml").read_text())
    assert config["data"]["name"] == "statements" and config["seed"] == 42
    env = json.loads((default_run / "env.json").read_text())
    assert env["packages"]["scikit-learn"] and env["python"].startswith("3.")
    manifest = json.loads((default_run / "data_manifest.json").read_text())
    (file_info,) = manifest["files"].values()
    assert len(file_info["sha256"]) == 64
    assert sum(manifest["split_sizes"].values()) == 4134
    card = (default_run / "README.md").read_text()
    assert "## Evaluation Results" in card and "macro_f1" in card


def test_metrics_equal_those_recomputed_from_predictions(default_run):
    metrics = json.loads((default_run / "metrics.json").read_text())
    assert metrics["primary"] == "macro_f1"
    labels = ["support", "oppose", "neutral"]
    for split in ("dev", "test"):
        predictions = pd.read_csv(default_run / "predictions" / f"{split}.csv")
        gold, predicted = predictions["stance_gold"], predictions["stance"]
        recomputed = score("macro_f1", gold, predicted, labels)
        # an independent implementation too: a bug in stance.evaluation would move both sides
        independent = f1_score(gold, predicted, labels=labels, average="macro", zero_division=0)
        assert recomputed == pytest.approx(100 * independent)
        report = metrics["splits"][split]
        assert report["primary"]["value"] == pytest.approx(recomputed)
        low, high = report["primary"]["ci95"]
        assert low <= recomputed <= high
        assert report["n"] == len(predictions)
    # a trained pair model must beat the all-neutral baseline's macro-F1 (~28.6) by far
    assert metrics["splits"]["test"]["primary"]["value"] > 55


def test_load_model_reproduces_saved_predictions_exactly(default_run):
    model = load_model(default_run)
    saved = pd.read_csv(default_run / "predictions" / "test.csv")
    again = model.predict(
        saved.drop(columns=["stance", *[c for c in saved if c.startswith("score_")]])
    )
    assert again["stance"].tolist() == saved["stance"].tolist()
    for column in ("score_support", "score_oppose", "score_neutral"):
        assert again[column].to_numpy() == pytest.approx(saved[column].to_numpy(), abs=1e-12)


def test_direction_matters_to_the_trained_model(default_run):
    model = load_model(default_run)
    text = "Moscow condemned Washington over the new sanctions."
    frame = pd.DataFrame(
        {
            "text": [text, text],
            "source_mention": ["Moscow", "Washington"],
            "target_mention": ["Washington", "Moscow"],
        }
    )
    assert model.predict(frame)["stance"].tolist() == ["oppose", "neutral"]


def test_same_seed_gives_byte_identical_predictions(default_run, tmp_path):
    again = _train(tmp_path)
    for split in ("dev", "test"):
        assert (again / "predictions" / f"{split}.csv").read_bytes() == (
            default_run / "predictions" / f"{split}.csv"
        ).read_bytes()
    a = json.loads((default_run / "metrics.json").read_text())
    b = json.loads((again / "metrics.json").read_text())
    timing = a.pop("timing"), b.pop("timing")
    assert a == b
    for t in timing:  # cost is recorded beside quality: seconds and peak memory of the run
        assert t["fit_seconds"] > 0 and t["predict_seconds"] > 0
        assert 50 < t["peak_memory_mb"] < 8192


def test_predict_cli_on_a_file(default_run, tmp_path):
    source = pd.read_csv(default_run / "predictions" / "test.csv").head(20)
    source[["id", "text", "source_mention", "target_mention"]].to_csv(
        tmp_path / "in.csv", index=False
    )
    result = run_cli(
        "predict",
        "--model",
        str(default_run),
        "--input",
        str(tmp_path / "in.csv"),
        "--output",
        str(tmp_path / "out.csv"),
        "--quiet",
        module="stance.cli",
    )
    assert result.returncode == 0, result.stderr
    out = pd.read_csv(tmp_path / "out.csv")
    assert out["stance"].tolist() == source["stance"].tolist()
    assert "labelled 20 statement(s)" in result.stderr


def test_predict_cli_names_missing_columns(default_run, tmp_path):
    # a pair model given only one of the two mention columns cannot guess the other
    pd.DataFrame({"text": ["Paris backed Berlin."], "source_mention": ["Paris"]}).to_csv(
        tmp_path / "in.csv", index=False
    )
    result = run_cli(
        "predict",
        "--model",
        str(default_run),
        "--input",
        str(tmp_path / "in.csv"),
        "--output",
        str(tmp_path / "out.csv"),
        "--quiet",
        module="stance.cli",
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("stance: error: input lacks column(s) ['target_mention']")
    assert not (tmp_path / "out.csv").exists()


def test_unknown_config_key_is_one_line_and_exit_2(tmp_path):
    result = run_cli("model.Cee=3", cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("stance-train: error:") and "Cee" in lines[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "outputs").exists()


def test_missing_data_home_fails_cleanly_and_records_status(tmp_path):
    result = run_cli(
        "experiment=semeval2016_stance",
        f"paths.output_root={tmp_path}",
        cwd=tmp_path,
        env={"STANCE_DATA_HOME": ""},
    )
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .startswith("stance-train: error: STANCE_DATA_HOME is not set")
    )
    assert "Traceback" not in result.stderr
    (status,) = tmp_path.glob("*/*/status.json")
    state = json.loads(status.read_text())
    assert state["status"] == "failed" and "STANCE_DATA_HOME" in state["error"]


@pytest.mark.slow
def test_semeval2016_stance_reaches_the_svm_baseline(tmp_path, data_home):
    corpus_folder(data_home, "semeval2016_task6")
    run = _train(tmp_path, "experiment=semeval2016_stance")
    metrics = json.loads((run / "metrics.json").read_text())
    test = metrics["splits"]["test"]
    assert test["n"] == 1249 and metrics["primary"] == "f_avg"
    assert test["primary"]["value"] >= 68.0
    predictions = pd.read_csv(run / "predictions" / "test.csv")
    recomputed = score(
        "f_avg", predictions["stance_gold"], predictions["stance"], ["support", "oppose", "neutral"]
    )
    assert test["primary"]["value"] == pytest.approx(recomputed)
    gold, predicted = predictions["stance_gold"], predictions["stance"]
    # SemEval-2016's F_avg is macro-F1 over support and oppose only
    independent = f1_score(
        gold, predicted, labels=["support", "oppose"], average="macro", zero_division=0
    )
    assert recomputed == pytest.approx(100 * independent)
    assert set(test["per_target"]) == {
        "Atheism",
        "Climate Change is a Real Concern",
        "Feminist Movement",
        "Hillary Clinton",
        "Legalization of Abortion",
    }
    assert load_model(run).predict(predictions[["text", "target"]])["stance"].tolist() == (
        predictions["stance"].tolist()
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    ("experiment", "primary", "floor"),
    [("semeval2016_sentiment", "macro_f1", 50.0), ("tweeteval_stance", "f_avg", 66.0)],
)
def test_other_benchmark_experiments_run(tmp_path, data_home, experiment, primary, floor):
    corpus_folder(data_home, "semeval2016_task6" if "semeval" in experiment else experiment)
    run = _train(tmp_path, f"experiment={experiment}", "evaluation.plots=false")
    metrics = json.loads((run / "metrics.json").read_text())
    assert metrics["primary"] == primary
    assert metrics["splits"]["test"]["primary"]["value"] >= floor


def test_the_helper_started_with_the_process_wrote_the_model_card_and_plots(default_run):
    timing = json.loads((default_run / "metrics.json").read_text())["timing"]
    assert timing["helpers"] == "early" and timing["helper_peak_memory_mb"] > 50


def test_a_split_the_model_was_fitted_on_has_numbers_but_no_plots(tmp_path):
    run = _train(tmp_path, "fit_splits=[train,dev]", "evaluation.n_resamples=50")
    metrics = json.loads((run / "metrics.json").read_text())
    assert metrics["splits"]["dev"]["in_training"] and not metrics["splits"]["test"]["in_training"]
    plots = sorted(p.name for p in (run / "plots").iterdir())
    assert plots == [
        f"{kind}_test.png" for kind in ("confusion", "per_class", "per_target", "pr")
    ] + ["top_features.png"]
    assert metrics["timing"]["helpers"] == "early"
