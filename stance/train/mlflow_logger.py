"""``logger=mlflow``: each run mirrored to MLflow (``pip install "stance[mlflow]"``).

A run becomes an MLflow run: params (the resolved config), metrics (every number of
``metrics.json``), tags (status, git commit, versions, data SHA-256s; :mod:`mlflow_values`) and
artifacts (the folder's config, metrics, env, manifest, status, predictions, plots, card, and the
model as a ``pyfunc`` MLflow model, :mod:`stance.train.mlflow_model`). Its MLflow status is the
run's: ``FINISHED`` (complete), ``FAILED`` or ``KILLED`` (interrupted).

Where: ``tracking_uri``, else ``MLFLOW_TRACKING_URI``, else a SQLite store
``<paths.output_root>/mlflow.db`` with artifacts in ``<paths.output_root>/mlartifacts``
(``mlflow ui --backend-store-uri sqlite:///outputs/mlflow.db`` shows them).

A sweep (``-m``) is one MLflow experiment: a parent run made before the first job, one child run
per job, and on the parent the ``stance aggregate`` table of the sweep (summary.md/.csv/.png and
each setting's mean, sd and tests as metrics). The ids of the experiment and the parent go to
``<sweep>/mlflow.json`` for the jobs to read (jobs may run in other processes or on other hosts).

Logging never fails a run: the first error (server down, disk full) is one warning line, and
nothing more is sent for that run; the run folder is complete either way and is the record.
Only a missing MLflow package stops a run before it starts (a ConfigError).
"""

from __future__ import annotations

import importlib.util
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from omegaconf import DictConfig, OmegaConf

from stance.errors import ConfigError
from stance.io.atomic import write_json
from stance.io.provenance import environment
from stance.train.mlflow_values import (
    MAX_TAG_VALUE,
    flat_metrics,
    flat_params,
    folder_tags,
    name,
    read_json,
)
from stance.train.status import ARTIFACTS, STATUS_FILE
from stance.train.tracking import RunLogger, job_context

log = logging.getLogger(__name__)

SWEEP_FILE = "mlflow.json"
#: A run's end -> the MLflow run status.
RUN_STATUS = {"complete": "FINISHED", "failed": "FAILED", "interrupted": "KILLED"}
_PARENT_TAG = "mlflow.parentRunId"
_BATCH = {"params": 100, "tags": 100, "metrics": 1000}  # MLflow's per-request limits


class MlflowLogger(RunLogger):
    """Log runs and sweeps to MLflow; see the module docstring.

    Parameters
    ----------
    tracking_uri : the store (``http://host:5000``, ``sqlite:///path.db``); None: the
        ``MLFLOW_TRACKING_URI`` variable, else a SQLite store in `output_root`.
    output_root : where runs go (``paths.output_root``): the default store's folder.
    experiment_name : the MLflow experiment; None: the chosen ``experiment=`` (or ``stance``).
        A sweep's experiment is ``<name> sweep <date>/<time>_<id>``.
    log_model : log the model as an MLflow ``pyfunc`` model (else its folder as it is).
    request_timeout, request_retries : seconds per HTTP request, retries of a failed one
        (MLflow's own 120 s and 7 retries wait minutes for a server that is down); the
        ``MLFLOW_HTTP_REQUEST_TIMEOUT`` / ``MLFLOW_HTTP_REQUEST_MAX_RETRIES`` variables win.
    """

    def __init__(
        self,
        tracking_uri: str | None = None,
        output_root: str = "outputs",
        experiment_name: str | None = None,
        log_model: bool = True,
        request_timeout: int = 30,
        request_retries: int = 2,
    ) -> None:
        self.tracking_uri = tracking_uri
        self.output_root = output_root
        self.experiment_name = experiment_name
        self.log_model = log_model
        self.request_timeout = request_timeout
        self.request_retries = request_retries
        self._client: Any = None
        self._run_id: str | None = None
        self._broken = False

    # -- hooks -------------------------------------------------------------------------------
    def start_run(self, cfg: DictConfig, out: Path) -> None:
        self._require()
        self._attempt("start the MLflow run", self._start_run, cfg, out)

    def end_run(self, out: Path, status: str) -> None:
        if self._run_id is not None:
            self._attempt("log the run", self._end_run, out, status)

    def start_sweep(self, config: DictConfig, sweep: Path) -> None:
        self._require()
        self._attempt("start the sweep's MLflow run", self._start_sweep, config, sweep)

    def end_sweep(self, config: DictConfig, sweep: Path) -> None:
        parent = read_json(sweep / SWEEP_FILE).get("parent_run_id")
        if parent:
            self._attempt("log the sweep's summary", self._end_sweep, sweep, str(parent))

    # -- where -------------------------------------------------------------------------------
    def store(self) -> tuple[str, str | None]:
        """The tracking URI and, for the default SQLite store, its artifact folder's URI."""
        uri = self.tracking_uri or os.environ.get("MLFLOW_TRACKING_URI")
        if uri:
            return uri, None
        root = Path(self.output_root).resolve()
        return f"sqlite:///{root / 'mlflow.db'}", (root / "mlartifacts").as_uri()

    def _require(self) -> None:
        """ConfigError when the MLflow package this store needs is not installed."""
        if importlib.util.find_spec("mlflow") is None:
            raise ConfigError(
                "logger=mlflow needs MLflow: pip install 'stance[mlflow]' (or choose logger=none)."
            )
        if self.store()[0].startswith("sqlite:") and importlib.util.find_spec("sqlalchemy") is None:
            raise ConfigError(
                "logger=mlflow writes to a SQLite store when MLFLOW_TRACKING_URI is not set, "
                "which needs the full mlflow package: pip install 'stance[mlflow]' (or set "
                "MLFLOW_TRACKING_URI to a tracking server)."
            )

    def _connect(self) -> Any:
        if self._client is None:
            for variable, value in (
                ("MLFLOW_HTTP_REQUEST_TIMEOUT", self.request_timeout),
                ("MLFLOW_HTTP_REQUEST_MAX_RETRIES", self.request_retries),
                ("MLFLOW_HTTP_REQUEST_BACKOFF_FACTOR", 1),
            ):
                os.environ.setdefault(variable, str(value))
            from mlflow import MlflowClient

            uri, _ = self.store()
            if uri.startswith("sqlite:"):
                Path(self.output_root).mkdir(parents=True, exist_ok=True)
            self._client = MlflowClient(tracking_uri=uri)
        return self._client

    def _attempt(self, what: str, step: Any, *args: Any) -> None:
        """Run `step`; on the first error warn once and send nothing more."""
        if self._broken:
            return
        retries = logging.getLogger("urllib3.connectionpool")
        retries.addFilter(_no_retry_lines)  # one line for a server that is down, not one a try
        try:
            step(*args)
        except Exception as err:
            self._broken = True
            detail = " ".join(str(err).split())[:300]
            log.warning(
                "MLflow: could not %s, so nothing more is logged for it; the run folder stays "
                "the record (%s: %s)",
                what,
                type(err).__name__,
                detail,
            )
        finally:
            retries.removeFilter(_no_retry_lines)

    def _experiment(self, title: str) -> str:
        """The id of the MLflow experiment `title`, created when missing."""
        client = self._connect()
        found = client.get_experiment_by_name(title)
        if found is not None:
            return found.experiment_id
        try:
            return client.create_experiment(title, artifact_location=self.store()[1])
        except Exception:  # another job created it meanwhile
            found = client.get_experiment_by_name(title)
            if found is None:
                raise
            return found.experiment_id

    def _title(self, experiment: str | None, sweep: Path | None = None) -> str:
        base = self.experiment_name or experiment or "stance"
        if sweep is None:
            return base
        sweep = sweep.resolve()
        return f"{base} sweep {sweep.parent.name}/{sweep.name}"

    # -- one run -----------------------------------------------------------------------------
    def _start_run(self, cfg: DictConfig, out: Path) -> None:
        context = job_context()
        tags = {"stance.run_dir": str(out.resolve()), "stance.status": "running"}
        if context.experiment:
            tags["stance.experiment"] = context.experiment
        saved = read_json(context.sweep / SWEEP_FILE) if context.sweep else {}
        if saved.get("parent_run_id"):
            experiment_id = str(saved["experiment_id"])
            tags[_PARENT_TAG] = str(saved["parent_run_id"])
        else:
            experiment_id = self._experiment(self._title(context.experiment, context.sweep))
        run_name = out.name
        if context.sweep is not None:  # the job's own settings: "seed=2"
            fixed = set(saved.get("fixed_keys") or [])
            own = [o for o in context.overrides if _key(o) not in fixed]
            run_name = " ".join(own) or f"job {context.job_num}"
        run = self._connect().create_run(experiment_id, run_name=run_name, tags=tags)
        self._run_id = run.info.run_id
        params = flat_params(OmegaConf.to_container(cfg, resolve=True))
        self._log(self._run_id, params=params)

    def _end_run(self, out: Path, status: str) -> None:
        client, run_id = self._connect(), self._run_id
        metrics = read_json(out / "metrics.json")
        self._log(run_id, metrics=flat_metrics(metrics), tags=folder_tags(out, status))
        for item in (*ARTIFACTS, STATUS_FILE):
            path = out / item
            if item == "model" and path.is_dir() and status == "complete" and self.log_model:
                self._log_pyfunc(run_id, path)
            elif path.is_dir():
                client.log_artifacts(run_id, str(path), item)
            elif path.is_file():
                client.log_artifact(run_id, str(path))
        client.set_terminated(run_id, RUN_STATUS[status])

    def _log_pyfunc(self, run_id: str, model_dir: Path) -> None:
        import pandas as pd

        from stance.train.mlflow_model import save_pyfunc

        predictions = sorted((model_dir.parent / "predictions").glob("*.csv"))
        example = None
        if predictions:  # two rows of a split, read as text like the served columns
            example = pd.read_csv(predictions[0], nrows=2, dtype=str, keep_default_na=False)
        with tempfile.TemporaryDirectory() as tmp:
            saved = save_pyfunc(model_dir, Path(tmp) / "model", example)
            self._connect().log_artifacts(run_id, str(saved), "model")

    def _log(
        self,
        run_id: str,
        params: dict[str, str] | None = None,
        metrics: dict[str, float] | None = None,
        tags: dict[str, str] | None = None,
    ) -> None:
        """Log in batches of MLflow's per-request limits."""
        from mlflow.entities import Metric, Param, RunTag

        now = int(time.time() * 1000)
        items = {
            "params": [Param(k, v) for k, v in (params or {}).items()],
            "metrics": [Metric(k, v, now, 0) for k, v in (metrics or {}).items()],
            "tags": [RunTag(k, v) for k, v in (tags or {}).items()],
        }
        for kind, entries in items.items():
            size = _BATCH[kind]
            for start in range(0, len(entries), size):
                self._connect().log_batch(run_id, **{kind: entries[start : start + size]})

    # -- a sweep -----------------------------------------------------------------------------
    def _start_sweep(self, config: DictConfig, sweep: Path) -> None:
        choices = OmegaConf.select(config, "hydra.runtime.choices") or {}
        experiment = choices.get("experiment")
        overrides = [str(o) for o in OmegaConf.select(config, "hydra.overrides.task") or []]
        experiment_id = self._experiment(self._title(experiment, sweep))
        env = environment()
        tags = {
            "stance.sweep_dir": str(sweep.resolve()),
            "stance.overrides": " ".join(overrides)[:MAX_TAG_VALUE],
            "stance.status": "running",
        }
        if experiment:
            tags["stance.experiment"] = experiment
        if env.get("git_commit"):
            tags["stance.git_commit"] = tags["mlflow.source.git.commit"] = env["git_commit"]
        run = self._connect().create_run(experiment_id, run_name=f"sweep {sweep.name}", tags=tags)
        self._run_id = run.info.run_id
        given = dict(o.split("=", 1) for o in overrides if "=" in o)
        self._log(self._run_id, params={name(_key(k)): v for k, v in given.items()})
        sweep.mkdir(parents=True, exist_ok=True)
        saved = {
            "experiment_id": experiment_id,
            "parent_run_id": self._run_id,
            "fixed_keys": fixed_keys(overrides),
        }
        write_json(sweep / SWEEP_FILE, saved)

    def _end_sweep(self, sweep: Path, run_id: str) -> None:
        from stance.reports.sweep_table import aggregate
        from stance.train.sweep_status import job_statuses

        client = self._connect()
        statuses = list(job_statuses(sweep).values())
        complete = statuses.count("complete")
        table = aggregate(sweep)
        tags = {
            "stance.jobs": str(len(statuses)),
            "stance.failed_jobs": str(len(statuses) - complete),
            "stance.status": "complete" if complete else "failed",
        }
        if "setting_best" in table:
            best = table.loc[table["setting_best"].fillna(False).astype(bool), "setting"]
            if len(best):
                tags["stance.best_setting"] = str(best.iloc[0])[:MAX_TAG_VALUE]
        self._log(run_id, metrics=setting_metrics(table), tags=tags)
        for summary in ("summary.md", "summary.csv", "summary.png"):
            if (sweep / summary).is_file():
                client.log_artifact(run_id, str(sweep / summary))
        client.set_terminated(run_id, "FINISHED" if complete else "FAILED")


def _no_retry_lines(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("Retrying")


def _key(override: str) -> str:
    return override.split("=", 1)[0].lstrip("+~")


def fixed_keys(overrides: list[str]) -> list[str]:
    """The keys of the overrides that are the same in every job (not sweeps such as ``a,b``)."""
    from hydra.core.override_parser.overrides_parser import OverridesParser

    parsed = OverridesParser.create().parse_overrides(overrides)
    return sorted({o.key_or_group for o in parsed if not o.is_sweep_override()})


def setting_metrics(table: Any) -> dict[str, float]:
    """The aggregate's per-setting columns (mean, sd, n, tests) as ``<setting>/<column>``.

    A setting ``model=complement_nb`` gives ``model:complement_nb/test_mean``; a sweep over seeds
    only (one setting) gives ``all/test_mean``.
    """
    if "setting_test_mean" not in table:
        return {}
    stats = table.drop_duplicates("setting").set_index("setting")
    out: dict[str, float] = {}
    for setting, row in stats.iterrows():
        for column in ("n", "test_mean", "test_std", "mcnemar_p", "bootstrap_diff", "bootstrap_p"):
            value = row.get(f"setting_{column}")
            if value is not None and value == value:  # not NaN
                label = "all" if setting == "(one setting)" else str(setting).replace("=", ":")
                out[name(f"{label}/{column}")] = float(value)
    return out
