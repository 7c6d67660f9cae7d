"""logger=mlflow end to end: a run and a 3-seed sweep read back with MlflowClient from the
default SQLite store, the pyfunc model against stance.load_model, a served model answering
HTTP, and a real `mlflow server` on 127.0.0.1: a run logged over HTTP, and the server stopped
mid-run while the run folder still completes."""

from __future__ import annotations

import json
import logging
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pandas as pd
import pytest
import yaml

mlflow = pytest.importorskip("mlflow", reason="logger=mlflow needs pip install 'stance[mlflow]'")

from mlflow import MlflowClient  # noqa: E402

from stance import load_model  # noqa: E402
from stance.config.compose import compose  # noqa: E402
from stance.train import experiment  # noqa: E402
from stance.train.status import ARTIFACTS  # noqa: E402
from tests.conftest import run_cli  # noqa: E402

FAST = ["features=word_ngrams", "evaluation.n_resamples=100"]
PARENT = "mlflow.parentRunId"


# -- helpers -----------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str, process: subprocess.Popen, seconds: float = 240) -> None:
    """Poll `url` until it answers 200; fail with the process's output if it exits first."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{process.args[:4]} exited: {process.log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"{url} did not answer within {seconds} s")


def _start(args: list[str], url: str, log: Path) -> subprocess.Popen:
    """Start `python -m mlflow args` in its own process group and wait until `url` answers."""
    with open(log, "w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "mlflow", *args],
            stdout=sink,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={k: v for k, v in os.environ.items() if k != "MLFLOW_TRACKING_URI"},
        )
    process.log = log
    try:
        _wait_for(url, process)
    except BaseException:
        _stop(process)
        raise
    return process


def _stop(process: subprocess.Popen) -> None:
    """End the process group we started (the CLI and the uvicorn workers it spawned)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=30)


def _leaves(node, path=()):
    """Every number in a JSON tree by path (flags and nulls are not numbers)."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _leaves(value, (*path, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _leaves(value, (*path, i))
    elif isinstance(node, int | float) and not isinstance(node, bool):
        yield path, node


def _lookup(metrics: dict, key: str) -> float:
    """The number of metrics.json that the MLflow metric `key` names (a path of its parts)."""
    split, *parts = key.split("/")
    node = metrics["timing"] if split == "timing" else metrics["splits"][split]
    if parts[-1].startswith("ci95_"):
        return node[parts[0]]["ci95"][0 if parts[-1] == "ci95_low" else 1]
    if parts[0] == "confusion_matrix":
        labels = node["confusion_matrix"]["labels"]
        return node["confusion_matrix"]["matrix"][labels.index(parts[1])][labels.index(parts[2])]
    for part in parts:
        node = node[part]
    return node


def _runs(client: MlflowClient, experiment_name: str):
    found = client.get_experiment_by_name(experiment_name)
    assert found is not None, [e.name for e in client.search_experiments()]
    return client.search_runs([found.experiment_id])


# -- the default store: a run, its model, a sweep -----------------------------------------------
@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("mlflow")


@pytest.fixture(scope="module")
def client(root) -> MlflowClient:
    return MlflowClient(f"sqlite:///{root}/mlflow.db")


@pytest.fixture(scope="module")
def logged(root, client):
    """One run of the default experiment with logger=mlflow: (run folder, MLflow run)."""
    result = run_cli("logger=mlflow", f"paths.output_root={root}", *FAST, cwd=root)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "MLflow: could not" not in result.stderr
    (folder,) = root.glob("2*/*")
    (run,) = _runs(client, "statements_stance")
    return folder, run


def test_a_run_logs_its_config_metrics_tags_and_folder(logged, client, tmp_path):
    folder, run = logged
    assert run.info.status == "FINISHED" and run.info.run_name == folder.name
    params = run.data.params
    config = yaml.safe_load((folder / "config.yaml").read_text())
    assert len(params) == sum(1 for _ in _leaves_of_config(config))
    assert params["seed"] == "42" and params["per_target"] == "false"
    assert params["eval_splits"] == '["dev", "test"]'
    assert params["model._target_"] == config["model"]["_target_"]
    assert params["logger._target_"] == "stance.train.mlflow_logger.MlflowLogger"

    metrics = json.loads((folder / "metrics.json").read_text())
    logged_metrics = run.data.metrics
    expected = {p: v for p, v in _leaves(metrics) if p[0] in ("splits", "timing")}
    assert len(logged_metrics) == len(expected) > 1000  # per class and per target too
    for key, value in logged_metrics.items():
        assert value == pytest.approx(_lookup(metrics, key), rel=0, abs=1e-12), key
    test = metrics["splits"]["test"]
    assert logged_metrics["test/primary/value"] == test["primary"]["value"]
    assert logged_metrics["test/primary/ci95_low"] == test["primary"]["ci95"][0]
    assert logged_metrics["test/primary/ci95_high"] == test["primary"]["ci95"][1]
    assert logged_metrics["test/per_target/USA/macro_f1"] == test["per_target"]["USA"]["macro_f1"]

    tags = run.data.tags
    env = json.loads((folder / "env.json").read_text())
    manifest = json.loads((folder / "data_manifest.json").read_text())
    assert tags["stance.status"] == "complete" and tags["stance.run_dir"] == str(folder)
    assert tags["stance.experiment"] == "statements_stance"
    assert tags["mlflow.source.git.commit"] == tags["stance.git_commit"] == env["git_commit"]
    assert tags["stance.version.scikit-learn"] == env["packages"]["scikit-learn"]
    ((path, info),) = manifest["files"].items()
    assert tags[f"stance.data_sha256.{Path(path).name}"] == info["sha256"]

    top = {a.path for a in client.list_artifacts(run.info.run_id)}
    assert top == {*ARTIFACTS, "status.json"}
    plots = {a.path for a in client.list_artifacts(run.info.run_id, "plots")}
    assert plots == {f"plots/{p.name}" for p in (folder / "plots").iterdir()}
    got = client.download_artifacts(run.info.run_id, "predictions/test.csv", str(tmp_path))
    assert Path(got).read_bytes() == (folder / "predictions" / "test.csv").read_bytes()
    card = client.download_artifacts(run.info.run_id, "README.md", str(tmp_path))
    assert Path(card).read_bytes() == (folder / "README.md").read_bytes()


def _leaves_of_config(node, path=()):
    """The config's leaves as params count them: a non-empty mapping is walked into."""
    if isinstance(node, dict) and node:
        for key, value in node.items():
            yield from _leaves_of_config(value, (*path, key))
    else:
        yield path


def test_the_mlflow_model_is_the_skops_folder_with_stance_as_its_loader(logged, client, tmp_path):
    folder, run = logged
    model = Path(client.download_artifacts(run.info.run_id, "model", str(tmp_path)))
    spec = yaml.safe_load((model / "MLmodel").read_text())
    flavour = spec["flavors"]["python_function"]
    assert flavour["loader_module"] == "stance.train.mlflow_model"
    assert not list(model.rglob("*.pkl")) and not list(model.rglob("*.pickle"))  # nothing pickled
    for name in ("model.skops", "trusted_types.json", "metadata.json"):
        copied = model / flavour["data"] / name
        assert copied.read_bytes() == (folder / "model" / name).read_bytes()
    inputs = [c["name"] for c in json.loads(spec["signature"]["inputs"])]
    assert inputs == load_model(folder).input_columns


def test_pyfunc_predicts_the_labels_stance_load_model_gives(logged, root, monkeypatch):
    folder, run = logged
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"sqlite:///{root}/mlflow.db")
    served = mlflow.pyfunc.load_model(f"runs:/{run.info.run_id}/model")
    model = load_model(folder)
    rows = pd.read_csv(folder / "predictions" / "test.csv", keep_default_na=False)
    rows = rows[model.input_columns]
    got = served.predict(rows)
    expected = model.predict(rows)
    assert list(got.columns) == ["stance", *(f"score_{c}" for c in model.classes)]
    assert got["stance"].tolist() == expected["stance"].tolist()
    assert got["score_oppose"].to_numpy() == pytest.approx(expected["score_oppose"].to_numpy())


def test_a_served_model_answers_a_prediction_request(logged, root, tmp_path):
    folder, run = logged
    port = _free_port()
    model_uri = f"{run.info.artifact_uri}/model"
    args = ["models", "serve", "-m", model_uri, "--env-manager", "local"]
    process = _start(
        [*args, "-h", "127.0.0.1", "-p", str(port)],
        f"http://127.0.0.1:{port}/ping",
        tmp_path / "serve.log",
    )
    try:
        model = load_model(folder)
        rows = pd.read_csv(folder / "predictions" / "test.csv", keep_default_na=False).head(5)
        body = {"dataframe_split": rows[model.input_columns].to_dict(orient="split")}
        del body["dataframe_split"]["index"]
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/invocations",
            data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as answer:
            predictions = json.loads(answer.read())["predictions"]
    finally:
        _stop(process)
    assert [p["stance"] for p in predictions] == model.predict(rows)["stance"].tolist()


def test_a_three_seed_sweep_is_one_parent_with_three_children_and_the_aggregate(root, client):
    result = run_cli(
        "-m", "seed=1,2,3", "logger=mlflow", f"paths.output_root={root}", *FAST,
        "evaluation.plots=false", cwd=root,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    (sweep,) = (root / "multirun").glob("*/*")
    runs = _runs(client, f"statements_stance sweep {sweep.parent.name}/{sweep.name}")
    (parent,) = [r for r in runs if PARENT not in r.data.tags]
    children = [r for r in runs if r.data.tags.get(PARENT) == parent.info.run_id]
    assert len(runs) == 4 and len(children) == 3
    assert sorted(r.info.run_name for r in children) == ["seed=1", "seed=2", "seed=3"]
    assert {r.info.status for r in runs} == {"FINISHED"}
    assert parent.data.params["seed"] == "1,2,3"

    scores = [r.data.metrics["test/primary/value"] for r in children]
    for child in children:
        job = Path(child.data.tags["stance.run_dir"])
        metrics = json.loads((job / "metrics.json").read_text())
        primary = metrics["splits"]["test"]["primary"]["value"]
        assert child.data.metrics["test/primary/value"] == primary
        assert child.data.params["seed"] == str(metrics["seed"])
    assert parent.data.metrics["all/n"] == 3
    assert parent.data.metrics["all/test_mean"] == pytest.approx(statistics.mean(scores))
    assert parent.data.metrics["all/test_std"] == pytest.approx(statistics.stdev(scores))
    assert parent.data.tags["stance.failed_jobs"] == "0"
    artifacts = {a.path for a in client.list_artifacts(parent.info.run_id)}
    assert artifacts == {"summary.md", "summary.csv", "summary.png"}
    assert "mean ± sd over seeds" in (sweep / "summary.md").read_text()


@pytest.mark.parametrize(
    ("error", "status", "word"),
    [(ValueError("boom"), "FAILED", "failed"), (KeyboardInterrupt(), "KILLED", "interrupted")],
)
def test_a_failed_or_interrupted_run_is_failed_or_killed_in_mlflow(
    root, client, tmp_path, monkeypatch, error, status, word
):
    def fail(cfg, out):
        raise error

    monkeypatch.setattr(experiment, "_run", fail)
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)
    cfg = compose(["logger=mlflow", f"paths.output_root={root}", "logger.experiment_name=ends"])
    out = tmp_path / "run"
    with pytest.raises(type(error)):
        experiment.run_experiment(cfg, out)
    (run,) = [r for r in _runs(client, "ends") if r.data.tags["stance.run_dir"] == str(out)]
    recorded = json.loads((out / "status.json").read_text())
    assert run.info.status == status and run.data.tags["stance.status"] == word
    expected = "interrupted by SIGINT" if word == "interrupted" else f"ValueError: {error}"
    assert run.data.tags["stance.error"] == recorded["error"] == expected
    assert run.data.params["seed"] == "42"
    assert [a.path for a in client.list_artifacts(run.info.run_id)] == ["status.json"]


# -- a tracking server on 127.0.0.1 --------------------------------------------------------------
class Server:
    """A real `mlflow server` with a SQLite backend; started when first asked for its URL."""

    def __init__(self, folder: Path) -> None:
        self.folder, self.process, self.port = folder, None, _free_port()

    @property
    def url(self) -> str:
        if self.process is None:
            args = [
                "server",
                "--backend-store-uri",
                f"sqlite:///{self.folder}/server.db",
                "--artifacts-destination",
                str(self.folder / "artifacts"),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--workers",
                "1",
            ]
            health = f"http://127.0.0.1:{self.port}/health"
            self.process = _start(args, health, self.folder / "server.log")
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process is not None:
            _stop(self.process)
            self.process = None


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = Server(tmp_path_factory.mktemp("server"))
    yield running
    running.stop()


def test_a_run_logged_to_a_tracking_server_over_http_reads_back(
    server, tmp_path, monkeypatch, caplog
):
    url = server.url
    monkeypatch.setenv("MLFLOW_TRACKING_URI", url)
    cfg = compose(["logger=mlflow", f"paths.output_root={tmp_path}", *FAST])
    folder = tmp_path / "run"
    with caplog.at_level(logging.WARNING):
        experiment.run_experiment(cfg, folder)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert not (tmp_path / "mlflow.db").exists()  # the server, not the default store
    http = MlflowClient(url)
    (run,) = _runs(http, "stance")  # outside a Hydra app no experiment=... was chosen
    metrics = json.loads((folder / "metrics.json").read_text())
    assert run.info.status == "FINISHED" and run.data.params["seed"] == "42"
    assert run.data.metrics["test/primary/value"] == metrics["splits"]["test"]["primary"]["value"]
    assert run.info.artifact_uri.startswith("mlflow-artifacts:")  # uploaded through the server
    got = http.download_artifacts(run.info.run_id, "metrics.json", str(tmp_path / "back"))
    assert Path(got).read_bytes() == (folder / "metrics.json").read_bytes()
    assert "model/MLmodel" in {a.path for a in http.list_artifacts(run.info.run_id, "model")}


def test_a_server_stopped_mid_run_costs_one_warning_and_the_folder_completes(
    server, tmp_path, monkeypatch, caplog
):
    monkeypatch.setenv("MLFLOW_TRACKING_URI", server.url)
    train = experiment._run

    def stop_then_train(cfg, out):  # the run is created on the server, then the server goes
        server.stop()
        return train(cfg, out)

    monkeypatch.setattr(experiment, "_run", stop_then_train)
    cfg = compose(["logger=mlflow", f"paths.output_root={tmp_path}", *FAST])
    out = tmp_path / "run"
    with caplog.at_level(logging.WARNING):
        experiment.run_experiment(cfg, out)
    assert json.loads((out / "status.json").read_text())["status"] == "complete"
    for name in ARTIFACTS:
        assert (out / name).exists(), name
    assert load_model(out).predict(pd.DataFrame({"text": ["Moscow backs Minsk."]})).shape[0] == 1
    warnings = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1, [r.getMessage() for r in warnings]
    expected = (
        "MLflow: could not log the run, so nothing more is logged for it; the run folder stays "
        "the record (MlflowException: "
    )
    assert warnings[0].getMessage().startswith(expected)
    # what reached the server before it stopped: the run, running, with its params
    runs = _runs(MlflowClient(f"sqlite:///{server.folder}/server.db"), "stance")
    (run,) = [r for r in runs if r.data.tags["stance.run_dir"] == str(out)]
    assert run.info.status == "RUNNING" and run.data.params["seed"] == "42"


def test_a_server_down_from_the_start_costs_one_warning(tmp_path, monkeypatch, caplog):
    monkeypatch.setenv("MLFLOW_TRACKING_URI", f"http://127.0.0.1:{_free_port()}")
    cfg = compose(["logger=mlflow", f"paths.output_root={tmp_path}", *FAST])
    with caplog.at_level(logging.WARNING):
        experiment.run_experiment(cfg, tmp_path / "run")
    assert json.loads((tmp_path / "run" / "status.json").read_text())["status"] == "complete"
    warnings = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(warnings) == 1 and warnings[0].startswith("MLflow: could not start the MLflow run")
