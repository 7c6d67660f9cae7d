"""Your own data from the command line alone: train, evaluate, predict, reproduce, sweep."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import yaml

from tests.conftest import corpus_folder, run_cli
from tests.records import opinion_rows

FAST = ("evaluation.n_resamples=50", "evaluation.plots=false")
#: The issue's command, with this test's files.
COLUMNS = ("data.columns.text=sentence", "data.columns.stance=label", "data.columns.target=topic")
LABELS = "data.labels={pro: support, con: oppose, none: neutral}"
MAP = (*COLUMNS, LABELS)


def _runs(root: Path) -> list[Path]:
    return sorted(p.parent for p in root.glob("**/status.json"))


def _train(tmp: Path, *overrides: str, cwd: Path | None = None) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    result = run_cli(f"paths.output_root={tmp / 'outputs'}", *overrides, *FAST, cwd=cwd or tmp)
    assert result.returncode == 0, result.stderr[-3000:]
    (run,) = _runs(tmp / "outputs")
    return run


@pytest.fixture(scope="module")
def csv_run(tmp_path_factory) -> Path:
    """The issue's command: a train CSV and a test CSV under foreign names and labels."""
    tmp = tmp_path_factory.mktemp("csv")
    pd.DataFrame(opinion_rows(90)).to_csv(tmp / "my_train.csv", index=False)
    pd.DataFrame(opinion_rows(30, start=90)).to_csv(tmp / "my_test.csv", index=False)
    return _train(tmp, "data=local", "data.train=my_train.csv", "data.test=my_test.csv", *MAP)


def test_a_csv_with_foreign_names_trains_and_evaluates(csv_run):
    assert json.loads((csv_run / "status.json").read_text())["status"] == "complete"
    overrides = yaml.safe_load((csv_run / ".hydra" / "overrides.yaml").read_text())
    assert overrides[0] == "experiment=local_stance"  # picked from the target column
    metrics = json.loads((csv_run / "metrics.json").read_text())
    assert metrics["corpus"] == "local" and metrics["primary"] == "macro_f1"
    assert metrics["splits"]["test"]["n"] == 30 and metrics["splits"]["dev"]["n"] == 9
    assert metrics["splits"]["test"]["primary"]["value"] == 100.0  # one word tells the label
    manifest = json.loads((csv_run / "data_manifest.json").read_text())
    assert sorted(Path(p).name for p in manifest["files"]) == ["my_test.csv", "my_train.csv"]
    assert all(len(f["sha256"]) == 64 for f in manifest["files"].values())
    corpus = manifest["corpus"]
    assert corpus["label_maps"] == {
        "stance": {"pro": "support", "con": "oppose", "none": "neutral"}
    }
    assert corpus["columns"] == {"text": "sentence", "stance": "label", "target": "topic"}
    assert corpus["rows"]["duplicates"] == {
        "rows": 0,
        "conflicting_label_rows": 0,
        "action": "kept",
    }
    assert manifest["split_sizes"] == {"dev": 9, "test": 30, "train": 81}


def test_the_model_card_reads_like_a_hub_card(csv_run):
    card = (csv_run / "README.md").read_text(encoding="utf-8")
    assert len(card.encode()) < 20_000
    assert card.startswith("---\nlibrary_name: sklearn\n")
    assert "[More Information Needed]" not in card
    assert card.count("\n# ") == 1  # one title; every section below it
    for section in (
        "## Model description",
        "## Intended uses & limitations",
        "## Training Data",
        "### Hyperparameters",
        "## Evaluation Results",
        "## How to Get Started with the Model",
    ):
        assert section in card, section
    assert "Label map (stance): `con` -> oppose, `none` -> neutral, `pro` -> support." in card
    assert "| model.C | 1.0 |" in card
    assert "| test | 30 | 100.00 (100.00-100.00) | 100.00 | 100.00 |" in card
    assert 'model.predict(["one text", "another text"], target="cats")' in card


def test_predict_reads_your_column_names_as_trained(csv_run, tmp_path):
    new = pd.DataFrame(opinion_rows(6, start=500))[["sentence", "topic"]]
    new.to_csv(tmp_path / "new.csv", index=False)
    result = run_cli(
        "predict", "--model", str(csv_run), "--input", str(tmp_path / "new.csv"),
        "--output", str(tmp_path / "out.csv"), "--quiet", module="stance.cli",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    out = pd.read_csv(tmp_path / "out.csv")
    assert out.columns[:3].tolist() == ["sentence", "topic", "stance"]
    assert out["stance"].tolist() == ["neutral", "support", "oppose"] * 2  # rows 500-505
    # other names: say which column is which
    new.rename(columns={"sentence": "body", "topic": "about"}).to_csv(
        tmp_path / "other.csv", index=False
    )
    result = run_cli(
        "predict", "--model", str(csv_run), "--input", str(tmp_path / "other.csv"),
        "--output", str(tmp_path / "other_out.csv"), "--text-column", "body",
        "--target-column", "about", "--quiet", module="stance.cli",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert pd.read_csv(tmp_path / "other_out.csv")["stance"].tolist() == out["stance"].tolist()


def test_an_unseen_target_is_named_at_predict_time(csv_run, tmp_path):
    rows = pd.DataFrame(
        {"sentence": ["People love dogs.", "People hate dogs.", "People love cats."]}
    ).assign(topic=["dogs", "dogs", "cats"])
    rows.to_csv(tmp_path / "in.csv", index=False)
    result = run_cli(
        "predict", "--model", str(csv_run), "--input", str(tmp_path / "in.csv"),
        "--output", str(tmp_path / "out.csv"), "--quiet", "--jobs", "1", module="stance.cli",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (
        result.stderr.strip()
        .splitlines()[-1]
        .endswith(
            "; 2 row(s) of target(s) unseen in training went to the model of all targets: "
            "'dogs' (2)"
        )
    )


def test_a_local_run_reproduces_from_another_folder(csv_run, tmp_path):
    result = run_cli("reproduce", str(csv_run), module="stance.cli", cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "REPRODUCED exactly" in result.stdout


@pytest.mark.slow
def test_a_jsonl_file_split_by_document_and_a_sweep_aggregated(tmp_path):
    pd.DataFrame(opinion_rows(120)).to_json(tmp_path / "all.jsonl", orient="records", lines=True)
    result = run_cli(
        "-m", f"paths.output_root={tmp_path / 'outputs'}", "data=local", "data.file=all.jsonl",
        "data.columns.story=doc", *MAP, "seed=1,2", *FAST, cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    runs = _runs(tmp_path / "outputs")
    assert len(runs) == 2
    for run in runs:
        manifest = json.loads((run / "data_manifest.json").read_text())
        assert manifest["corpus"]["rows"]["stories_in_several_splits"] == 0
        predictions = pd.read_csv(run / "predictions" / "test.csv")
        assert len(predictions) == 24  # ceil(0.2 x 30 documents) = 6 documents of 4
    (sweep,) = {run.parent for run in runs}
    result = run_cli("aggregate", str(sweep), module="stance.cli")
    assert result.returncode == 0, result.stderr
    summary = pd.read_csv(sweep / "summary.csv")
    assert len(summary) == 2 and set(summary["status"]) == {"complete"}


@pytest.mark.parametrize(
    ("overrides", "code", "line"),
    [
        (
            ("data.labels={pro: support, con: oppose}",),
            1,
            "stance-train: error: data 'local' (my.csv), column 'label': 1 label(s) not in "
            "data.labels: 'none' (4 rows); map them to support, oppose, neutral with "
            '"data.labels={pro: support, con: oppose, none: ?}" (replace each ?).',
        ),
        (
            ("data.columns.target=Topic",),
            1,
            "stance-train: error: data.file (my.csv): no column 'Topic' (data.columns.target); "
            "the columns are ['sentence', 'label', 'topic', 'doc']: set "
            "data.columns.target=<one of them>.",
        ),
        (
            ("data.labels={pro: supprt}",),
            2,
            "stance-train: error: data.labels maps 'pro' to 'supprt', which is not one of "
            'support, oppose, neutral; fix the map, e.g. "data.labels={pro: support}".',
        ),
        (
            ("data.file=null",),
            2,
            "stance-train: error: data=local needs your data: data.train=FILE (and "
            "data.test=FILE), data.file=FILE (split with the seed) or data.hub=owner/name.",
        ),
    ],
    ids=["unknown_label", "missing_column", "label_outside_the_schema", "no_data"],
)
def test_bad_local_data_stops_before_anything_is_written(tmp_path, overrides, code, line):
    pd.DataFrame(opinion_rows(12)).to_csv(tmp_path / "my.csv", index=False)
    labels = [] if any(o.startswith("data.labels=") for o in overrides) else [LABELS]
    given = ["data=local", "data.file=my.csv", *COLUMNS, *labels, *overrides]
    result = run_cli(f"paths.output_root={tmp_path / 'outputs'}", *given, cwd=tmp_path)
    assert result.returncode == code
    assert result.stderr.strip().splitlines() == [line]
    assert not (tmp_path / "outputs").exists()


def test_a_refused_hyperparameter_names_the_key_and_what_is_allowed(tmp_path):
    result = run_cli(
        f"paths.output_root={tmp_path}", "features=word_ngrams", "model.C=abc", *FAST, cwd=tmp_path
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines()[-1] == (
        "stance-train: error: config model.C='abc': LinearSVC's C must be a float in the range "
        "(0.0, inf)."
    )


def test_help_says_what_the_program_does():
    result = run_cli("--help")
    assert result.returncode == 0
    text = result.stdout
    assert text.startswith("stance-train: train and evaluate a stance (or sentiment) classifier")
    assert "powered by Hydra" not in text
    assert "experiment: actor_pairs, " in text and "local_stance" in text
    groups = "dse, events, local, mix, seesaw, semeval2016, statements, tweeteval_stance"
    assert f"data: {groups}" in text
    assert text.count("\n  stance-train") == 3  # three examples


@pytest.mark.slow
def test_semeval_through_data_local_gives_the_named_adapters_metrics_to_the_byte(
    data_home, tmp_path
):
    """The SemEval-2016 files as a user would have them (subtask A rows, the #SemST tag the
    annotators never saw removed: what the adapter does) under their own column names and
    labels, train as CSV and test as JSONL, give experiment=semeval2016_stance's metrics."""
    from stance.data.corpora import strip_semst
    from stance.io.readers import read_file

    folder = corpus_folder(data_home, "semeval2016_task6/StanceDataset")
    for split, suffix in (("train", "csv"), ("test", "jsonl")):
        raw = read_file(folder / f"{split}.csv", encoding="latin-1")
        raw = raw[raw["Target"] != "Donald Trump"].assign(Tweet=lambda f: strip_semst(f.Tweet))
        if suffix == "csv":
            raw.to_csv(tmp_path / "train.csv", index=False)
        else:
            raw.to_json(tmp_path / "test.jsonl", orient="records", lines=True, force_ascii=False)
    named = _train(tmp_path / "named", "experiment=semeval2016_stance")
    local = _train(
        tmp_path / "local",
        "experiment=semeval2016_stance",
        "data=local",
        f"data.train={tmp_path / 'train.csv'}",
        f"data.test={tmp_path / 'test.jsonl'}",
        "data.columns.text=Tweet",
        "data.columns.stance=Stance",
        "data.columns.target=Target",
        "data.labels={FAVOR: support, AGAINST: oppose, NONE: neutral}",
        "data.name=semeval2016",
        "data.primary_metric.stance=f_avg",
    )

    def metrics(run: Path) -> bytes:
        body = json.loads((run / "metrics.json").read_text())
        body.pop("timing")
        return json.dumps(body, sort_keys=True).encode()

    assert metrics(local) == metrics(named)
    assert json.loads(metrics(local))["splits"]["test"]["n"] == 1249
    for split in ("dev", "test"):
        a, b = (pd.read_csv(run / "predictions" / f"{split}.csv") for run in (named, local))
        assert a["stance"].tolist() == b["stance"].tolist()


def test_print_the_config_of_local_data_without_reading_it(tmp_path):
    result = run_cli("--cfg", "job", "data=local", "data.train=absent.csv", *COLUMNS[:2])
    assert result.returncode == 0, result.stderr
    config = yaml.safe_load(result.stdout)
    assert config["per_target"] is False and config["task"]["name"] == "stance"
    assert config["data"]["train"] == "absent.csv"
