"""The logger config group without a tracking server: what a run folder becomes in MLflow
(params, metrics, names), the sweep's per-setting metrics, and logger=none staying free."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pandas as pd
import pytest
from omegaconf import OmegaConf

from stance.config.compose import compose
from stance.errors import ConfigError
from stance.train.mlflow_logger import MlflowLogger, fixed_keys, setting_metrics
from stance.train.mlflow_values import flat_metrics, flat_params, name
from stance.train.tracking import RunLogger, run_logger


def test_names_keep_what_mlflow_allows_and_replace_the_rest():
    assert name("test/per_target/Hillary Clinton/macro_f1") == (
        "test/per_target/Hillary Clinton/macro_f1"
    )
    assert name("test/per_target/C++/f1") == "test/per_target/C__/f1"
    assert name("test/per_target/../f1") == "test/per_target/_/f1"  # no path tricks
    assert name("a=b (c)") == "a_b _c_"
    assert len(name("x" * 400)) == 250


def test_params_are_the_config_flattened_with_values_as_typed_in_overrides():
    config = {
        "seed": 7,
        "model": {"_target_": "sklearn.svm.LinearSVC", "C": 0.5, "class_weight": None},
        "eval_splits": ["dev", "test"],
        "per_target": False,
        "evaluation": {"extra": {}},
        "note": "x" * 7000,
    }
    assert flat_params(config) == {
        "seed": "7",
        "model._target_": "sklearn.svm.LinearSVC",
        "model.C": "0.5",
        "model.class_weight": "null",
        "eval_splits": '["dev", "test"]',
        "per_target": "false",
        "evaluation.extra": "{}",
        "note": "x" * 6000,  # MLflow's limit for a param value
    }


def test_metrics_are_every_number_of_metrics_json_by_path():
    metrics = {
        "task": "stance",
        "seed": 42,
        "splits": {
            "test": {
                "in_training": False,
                "n": 4,
                "metrics": {"macro_f1": 50.0},
                "primary": {"name": "macro_f1", "value": 50.0, "ci95": [40.0, 60.5]},
                "per_class": {"oppose": {"f1": 66.7, "support": 1}},
                "per_target": {"C++": {"macro_f1": 25.0}},
                "confusion_matrix": {"labels": ["support", "oppose"], "matrix": [[1, 2], [0, 1]]},
            }
        },
        "timing": {"fit_seconds": 1.5, "peak_memory_mb": None},
    }
    assert flat_metrics(metrics) == {
        "test/n": 4.0,
        "test/metrics/macro_f1": 50.0,
        "test/primary/value": 50.0,
        "test/primary/ci95_low": 40.0,
        "test/primary/ci95_high": 60.5,
        "test/per_class/oppose/f1": 66.7,
        "test/per_class/oppose/support": 1.0,
        "test/per_target/C__/macro_f1": 25.0,
        "test/confusion_matrix/support/support": 1.0,
        "test/confusion_matrix/support/oppose": 2.0,
        "test/confusion_matrix/oppose/support": 0.0,
        "test/confusion_matrix/oppose/oppose": 1.0,
        "timing/fit_seconds": 1.5,
    }


def test_the_sweep_table_gives_each_setting_its_mean_sd_and_tests():
    table = pd.DataFrame(
        {
            "setting": ["model=a", "model=a", "model=b", "model=b"],
            "setting_n": [2, 2, 2, 2],
            "setting_test_mean": [60.0, 60.0, 55.0, 55.0],
            "setting_test_std": [1.5, 1.5, 0.0, 0.0],
            "setting_best": [True, True, False, False],
            "setting_mcnemar_p": [None, None, 0.01, 0.01],
            "setting_bootstrap_diff": [None, None, 5.0, 5.0],
            "setting_bootstrap_p": [None, None, 0.1, 0.1],
        }
    )
    assert setting_metrics(table) == {
        "model:a/n": 2.0,
        "model:a/test_mean": 60.0,
        "model:a/test_std": 1.5,
        "model:b/n": 2.0,
        "model:b/test_mean": 55.0,
        "model:b/test_std": 0.0,
        "model:b/mcnemar_p": 0.01,
        "model:b/bootstrap_diff": 5.0,
        "model:b/bootstrap_p": 0.1,
    }
    one = table.assign(setting="(one setting)").head(1)
    assert setting_metrics(one)["all/test_mean"] == 60.0
    assert setting_metrics(pd.DataFrame({"setting": ["x"], "status": ["failed"]})) == {}


def test_a_child_run_is_named_by_the_overrides_that_are_swept():
    assert fixed_keys(["seed=1,2,3", "model=linear_svc", "+extra=1", "paths.output_root=o"]) == [
        "extra",
        "model",
        "paths.output_root",
    ]


def test_logger_groups_build_their_logger_and_an_old_config_has_none():
    assert type(run_logger(compose([]))) is RunLogger
    logger = run_logger(compose(["logger=mlflow", "paths.output_root=/tmp/runs"]))
    assert isinstance(logger, MlflowLogger) and logger.output_root == "/tmp/runs"
    saved_before_the_group = OmegaConf.create({"seed": 1, "model": {"C": 1}})
    assert type(run_logger(saved_before_the_group)) is RunLogger


def test_the_default_store_is_sqlite_under_the_outputs_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    uri, artifacts = MlflowLogger(output_root=str(tmp_path)).store()
    assert uri == f"sqlite:///{tmp_path}/mlflow.db"
    assert artifacts == (tmp_path / "mlartifacts").as_uri()
    monkeypatch.setenv("MLFLOW_TRACKING_URI", "http://127.0.0.1:5000")
    assert MlflowLogger(output_root=str(tmp_path)).store() == ("http://127.0.0.1:5000", None)
    assert MlflowLogger(tracking_uri="http://a:1").store() == ("http://a:1", None)


def test_logger_mlflow_without_mlflow_installed_stops_before_training(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda n, *a: None if n == "mlflow" else real(n, *a)
    )
    with pytest.raises(ConfigError, match=r"pip install 'stance\[mlflow\]'"):
        MlflowLogger().start_run(compose([]), None)


def test_the_sqlite_store_without_sqlalchemy_names_the_full_package(monkeypatch):
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda n, *a: None if n == "sqlalchemy" else real(n, *a)
    )
    if real("mlflow") is None:
        pytest.skip("mlflow is not installed")
    with pytest.raises(ConfigError, match="full mlflow package.*MLFLOW_TRACKING_URI"):
        MlflowLogger().start_sweep(compose([]), None)
    MlflowLogger(tracking_uri="http://127.0.0.1:1")._require()  # a server needs no sqlalchemy


def test_logger_none_imports_no_mlflow():
    code = (
        "import sys\n"
        "from stance.config.compose import compose\n"
        "import stance.train.app\n"
        "from stance.train.tracking import run_logger\n"
        "logger = run_logger(compose([]))\n"
        "logger.start_run(None, None); logger.end_run(None, 'complete')\n"
        "print(type(logger).__name__, 'mlflow' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.split() == ["RunLogger", "False"]
