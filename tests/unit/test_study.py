"""The study table: metric columns by path, intervals, published values, cost columns."""

import pytest

from stance.errors import ConfigError
from stance.train.study import table


def _run(micro: float, macro: float, fit: float, peak: float) -> dict:
    report = {
        "primary": {"name": "macro_f1", "value": macro, "ci95": [macro - 2, macro + 2]},
        "metrics": {"macro_f1": macro},
        "dse_5class": {"full": {"micro_f1": micro, "micro_f1_ci95": [micro - 1, micro + 1]}},
    }
    report["n"] = 100
    timing = {"fit_seconds": fit, "predict_seconds": 0.5, "peak_memory_mb": peak}
    return {"splits": {"test": report}, "timing": timing}


SPEC = {
    "title": "t",
    "split": "test",
    "seeds": [1, 2],
    "columns": [
        {"name": "micro", "path": "dse_5class.full.micro_f1"},
        {"name": "macro", "path": "metrics.macro_f1"},
    ],
    "rows": [{"name": "svm", "overrides": [], "published": {"micro": 80.0, "source": "paper"}}],
    "references": [{"name": "best", "micro": 85.19, "macro": 72.5, "source": "Wen"}],
}


def test_table_columns_mean_sd_interval_published_and_cost():
    results = {"svm": [_run(80.0, 60.0, 10.0, 1024.0), _run(82.0, 62.0, 20.0, 2048.0)]}
    lines = table(SPEC, results).splitlines()
    assert lines[0].count("|") == 1 + 1 + 3 * 2 + 4
    row = [c.strip() for c in lines[2].strip("|").split("|")]
    # micro: mean ± sd of 80, 82; CI of the first seed; published 80
    assert row[:4] == ["svm", "81.00 ± 1.41", "79.00 to 81.00", "80.00"]
    # macro: the primary metric's interval; no published macro value
    assert row[4:7] == ["61.00 ± 1.41", "58.00 to 62.00", "—"]
    assert row[7:] == ["paper", "15 s", "200", "2.0 GiB"]  # 100 rows in 0.5 s
    reference = [c.strip() for c in lines[3].strip("|").split("|")]
    assert reference == ["best", "—", "—", "85.19", "—", "—", "72.50", "Wen", "—", "—", "—"]


def test_single_metric_spec_and_a_wrong_path():
    spec = {k: v for k, v in SPEC.items() if k != "columns"} | {"metric": "macro_f1"}
    row = table(spec, {"svm": [_run(80.0, 60.0, 10.0, 512.0)]}).splitlines()[2]
    assert "| 60.00 | 58.00 to 62.00 |" in row
    bad = SPEC | {"columns": [{"name": "x", "path": "dse_5class.dedup.micro_f1"}]}
    with pytest.raises(ConfigError, match="no 'dedup'"):
        table(bad, {"svm": [_run(80.0, 60.0, 10.0, 512.0)]})


def test_a_complete_run_is_reused_only_while_its_config_is_unchanged(tmp_path, monkeypatch):
    import subprocess

    import yaml

    from stance.train import study

    row = {"name": "svm", "overrides": ["model.C=0.5"]}
    out = tmp_path / "row0" / "seed1"
    first = study.run_row(row, 1, out)
    calls = []
    real = subprocess.run
    monkeypatch.setattr(study.subprocess, "run", lambda *a, **k: calls.append(a) or real(*a, **k))
    assert study.run_row(row, 1, out) == first and calls == []  # same config: reused
    study.run_row({**row, "overrides": ["model.C=0.25"]}, 1, out)  # edited row: retrained
    assert len(calls) == 1
    assert yaml.safe_load((out / "config.yaml").read_text())["model"]["C"] == 0.25
    (out / "status.json").write_text('{"status": "failed"}')  # an incomplete run: retrained
    study.run_row({**row, "overrides": ["model.C=0.25"]}, 1, out)
    assert len(calls) == 2
