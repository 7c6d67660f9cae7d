"""A 2x2 sweep with the joblib launcher, its aggregate table, and `reproduce` on a run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest

from stance.cli import main as cli_main
from stance.reports.sweep_table import aggregate
from tests.conftest import run_cli

FAST = ["features=word_ngrams", "evaluation.plots=false", "evaluation.n_resamples=100"]


@pytest.fixture(scope="module")
def sweep(tmp_path_factory) -> Path:
    tmp = tmp_path_factory.mktemp("sweep")
    result = run_cli(
        "-m",
        "hydra/launcher=joblib",
        "hydra.launcher.n_jobs=2",
        "model=linear_svc_balanced,complement_nb",
        "seed=1,2",
        f"paths.output_root={tmp}",
        *FAST,
        cwd=tmp,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "jobs failed" not in result.stderr  # the end-of-sweep line is only for failures
    (folder,) = (tmp / "multirun").glob("*/*")
    return folder


def test_two_by_two_sweep_aggregates_to_four_rows_with_a_test(sweep):
    table = aggregate(sweep, n_resamples=200)
    assert len(table) == 4 and set(table["status"]) == {"complete"}
    assert sorted(table["setting"].unique()) == ["model=complement_nb", "model=linear_svc_balanced"]
    assert sorted(table["seed"]) == ["1", "1", "2", "2"]
    summary = pd.read_csv(sweep / "summary.csv")
    assert len(summary) == 4
    settings = summary.drop_duplicates("setting").set_index("setting")
    # ComplementNB is deterministic: its two seeds give the same score, so sd is 0
    assert settings.loc["model=complement_nb", "setting_test_std"] == pytest.approx(0.0)
    best = settings[settings["setting_best"]].index.tolist()
    assert len(best) == 1
    other = settings.drop(index=best)
    assert 0.0 <= other["setting_mcnemar_p"].iloc[0] <= 1.0
    assert 0.0 <= other["setting_bootstrap_p"].iloc[0] <= 1.0
    assert (sweep / "summary.md").read_text().count("| model=") >= 2
    assert (sweep / "summary.png").stat().st_size > 0


def test_failed_run_is_listed_not_hidden(sweep, tmp_path):
    copy = tmp_path / "sweep"
    shutil.copytree(sweep, copy)
    status = copy / "0" / "status.json"
    status.write_text(json.dumps({"status": "failed", "error": "DataError: boom"}))
    table = aggregate(copy, n_resamples=50)
    assert len(table) == 4
    assert table.loc[table["status"] == "failed", "error"].tolist() == ["DataError: boom"]
    assert "1 run(s) did not complete" in (copy / "summary.md").read_text()


def test_reproduce_passes_then_names_an_edited_training_file(tmp_path, capsys):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    source = Path(__file__).resolve().parents[2] / "data" / "statements" / "statements.jsonl"
    shutil.copy(source, corpus / "statements.jsonl")
    result = run_cli(f"paths.output_root={tmp_path / 'out'}", f"data.corpus.root={corpus}", *FAST)
    assert result.returncode == 0, result.stderr[-2000:]
    (run,) = (tmp_path / "out").glob("*/*")
    assert cli_main(["reproduce", str(run)]) == 0
    assert "REPRODUCED exactly" in capsys.readouterr().out
    (reproduced,) = tmp_path.joinpath("out").glob("*/*-reproduced-*")
    assert json.loads((reproduced / "reproduce.json").read_text())["reproduced"] is True

    with open(corpus / "statements.jsonl", "a", encoding="utf-8") as handle:
        handle.write("\n")
    assert cli_main(["reproduce", str(run)]) == 1
    err = capsys.readouterr().err
    assert "statements.jsonl changed" in err and err.count("\n") == 1


def _statuses(tmp: Path) -> dict[str, dict]:
    (sweep,) = (tmp / "multirun").glob("*/*")
    return {p.parent.name: json.loads(p.read_text()) for p in sweep.glob("*/status.json")}


def test_a_sweep_whose_every_job_fails_exits_non_zero(tmp_path):
    result = run_cli("-m", "model.C=-1,-2", f"paths.output_root={tmp_path}", *FAST, cwd=tmp_path)
    assert result.returncode == 1, result.stderr[-3000:]
    (sweep,) = (tmp_path / "multirun").glob("*/*")
    assert result.stderr.splitlines()[-1] == (
        "stance-train: error: all 2 jobs of the sweep failed (jobs 0, 1); the error and "
        f"traceback are in {sweep}/<job>/status.json"
    )
    statuses = _statuses(tmp_path)
    assert sorted(statuses) == ["0", "1"]  # the sweep went on past the first failure
    for job, c in (("0", -1), ("1", -2)):
        assert statuses[job]["status"] == "failed"
        assert f"config model.C={c}: LinearSVC's C must be a float" in statuses[job]["error"]
        assert "Traceback (most recent call last)" in statuses[job]["traceback"]
        assert "InvalidParameterError" in statuses[job]["traceback"]


def test_a_sweep_with_one_failed_job_of_two_exits_zero_and_says_so(tmp_path):
    result = run_cli("-m", "model.C=-1,1", f"paths.output_root={tmp_path}", *FAST, cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stderr.splitlines()[-1].startswith(
        "stance-train: warning: 1 of 2 jobs failed (jobs 0); the error and traceback are in "
    )
    statuses = _statuses(tmp_path)
    assert {job: s["status"] for job, s in statuses.items()} == {"0": "failed", "1": "complete"}
