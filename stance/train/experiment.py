"""One training run: load, fit, predict, evaluate, and write every artifact of the run folder."""

from __future__ import annotations

import logging
import time
from importlib import metadata as importlib_metadata
from pathlib import Path
from typing import Any

import pandas as pd
from omegaconf import DictConfig, OmegaConf

from stance.config.build import build
from stance.config.params import invalid_parameter, refused_parameter
from stance.data.corpus import count_overlap
from stance.data.schema import LABELS
from stance.errors import ConfigError, DataError
from stance.evaluation import MATRIX_METRICS, split_report
from stance.io.atomic import atomic_write, write_json, write_text
from stance.io.provenance import data_manifest, environment
from stance.models import input_columns
from stance.predict.model import StanceModel, class_scores
from stance.train.background import KEPT, Background, peak_memory_mb
from stance.train.early import take as take_early_helper
from stance.train.status import mark_complete, mark_failed, mark_interrupted, mark_running
from stance.train.tracking import run_logger

log = logging.getLogger(__name__)
#: What the helpers' calls import (slow: skops, matplotlib), imported by them in advance.
SAVER_MODULES = ("stance.io.skops_import:skops_io", "skops.card", "stance.train.card")
PLOTTER_MODULES = ("stance.reports.run_plots:pyplot",)


def _version() -> str:
    try:
        return importlib_metadata.version("stance")
    except importlib_metadata.PackageNotFoundError:
        return "unknown"


def _rows(frame: pd.DataFrame, splits: list[str]) -> pd.DataFrame:
    return frame[frame["split"].isin(splits)].reset_index(drop=True)


def parallel_sweep() -> bool:
    """Whether this run is a job of a sweep whose launcher runs jobs side by side (joblib,
    Ray, SLURM): then its fit stays in one process."""
    from hydra.core.hydra_config import HydraConfig

    if not HydraConfig.initialized():
        return False
    target = str(OmegaConf.select(HydraConfig.get(), "launcher._target_", default=""))
    return bool(target) and not target.endswith("BasicLauncher")


def check_task(
    frame: pd.DataFrame, task: str, fit_splits: list[str], eval_splits: list[str]
) -> None:
    """Fail early when the corpus cannot serve this task and these splits."""
    if task not in frame.columns or frame[task].isna().all():
        raise DataError(f"the corpus has no {task!r} labels; choose task=stance or another corpus.")
    present = set(frame["split"])
    for split in [*fit_splits, *eval_splits]:
        if split not in present:
            raise ConfigError(
                f"split {split!r} is not in the corpus (it has {sorted(present)}); "
                "fix fit_splits / eval_splits."
            )
    fit_labels = sorted(map(str, _rows(frame, fit_splits)[task].unique()))
    if len(fit_labels) < 2:
        raise DataError(
            f"the fit split(s) {fit_splits} have only one {task} class {fit_labels}; "
            "a classifier needs at least two: label more rows or fit on other splits "
            "(fit_splits=[...])."
        )


def settings(cfg: DictConfig) -> dict[str, Any]:
    """The run's top-level settings, checked; a wrong type or value is one ConfigError line."""

    def integer(key: str, minimum: int) -> int:
        value = OmegaConf.select(cfg, key)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise ConfigError(
                f"config {key}={value!r}: expected a whole number >= {minimum} (e.g. {key}=42)."
            )
        return value

    def splits(key: str) -> list[str]:
        value = OmegaConf.select(cfg, key)
        if isinstance(value, str):
            value = [value]
        if not value or not all(isinstance(v, str) and v for v in value):
            raise ConfigError(
                f"config {key}={value!r}: expected a list of split names such as [test]."
            )
        return list(value)

    task = str(OmegaConf.select(cfg, "task.name"))
    if task not in LABELS:
        raise ConfigError(f"config task.name={task!r}: expected one of {sorted(LABELS)}.")
    primary = str(OmegaConf.select(cfg, "evaluation.primary"))
    if primary not in MATRIX_METRICS:
        raise ConfigError(
            f"config evaluation.primary={primary!r}: expected one of {sorted(MATRIX_METRICS)}."
        )
    return {
        "seed": integer("seed", 0),
        "n_resamples": integer("evaluation.n_resamples", 1),
        "task": task,
        "labels": [str(x) for x in cfg.task.labels],
        "fit_splits": splits("fit_splits"),
        "eval_splits": splits("eval_splits"),
        "primary": primary,
    }


def run_experiment(cfg: DictConfig, out: Path) -> dict[str, Any]:
    """Train and evaluate the configured model, writing the run folder `out`.

    A folder that already holds a run is refused, so two runs never mix their artifacts. The
    configured logger (``cfg.logger``, :mod:`stance.train.tracking`) mirrors the run once its
    folder is written; it never fails the run.
    """
    out.mkdir(parents=True, exist_ok=True)
    state = mark_running(out)
    logger = None
    try:
        logger = run_logger(cfg)
        logger.start_run(cfg, out)
        metrics = _run(cfg, out)
    except KeyboardInterrupt as err:  # SIGINT, or SIGTERM as stance.train.app raises it
        mark_interrupted(out, state, err)
        if logger is not None:
            logger.end_run(out, "interrupted")
        raise
    except BaseException as err:
        mark_failed(out, state, err)
        if logger is not None:
            logger.end_run(out, "failed")
        raise
    mark_complete(out, state)
    logger.end_run(out, "complete")
    return metrics


def _run(cfg: DictConfig, out: Path) -> dict[str, Any]:
    given = settings(cfg)
    # Two helper processes started now write the model file and card, and the plots: they
    # import skops and matplotlib while this one loads the data and fits, then share the work.
    background = bool(cfg.evaluation.get("background", True))
    plots = bool(cfg.evaluation.plots)
    early = take_early_helper() if background else None
    if early is not None:  # one helper, started with the process, does both (stance.train.early)
        saver = Background.attached(*early)
        plotter = saver if plots else Background(False)
    else:
        saver = Background(background, SAVER_MODULES)
        plotter = Background(background and plots, PLOTTER_MODULES)
    with saver, plotter:
        metrics = _train_and_evaluate(cfg, out, given, saver, plotter)
        plotter.finish()
        saver.finish()
    peaks = [p for p in (saver.peak_memory_mb, plotter.peak_memory_mb) if p is not None]
    metrics["timing"]["helper_peak_memory_mb"] = max(peaks, default=None)
    # who wrote the model file, card and plots: the helper started with the process, two
    # helpers forked by the run, or the run itself
    metrics["timing"]["helpers"] = "early" if early else "forked" if peaks else "in-process"
    write_json(out / "metrics.json", metrics)
    headline = metrics["splits"].get("test") or next(iter(metrics["splits"].values()))
    log.info(
        "%s %s = %.2f (95%% CI %.2f-%.2f); run folder %s",
        "test" if "test" in metrics["splits"] else "",
        given["primary"],
        headline["primary"]["value"],
        *headline["primary"]["ci95"],
        out,
    )
    return metrics


def _train_and_evaluate(
    cfg: DictConfig, out: Path, given: dict[str, Any], saver: Background, plotter: Background
) -> dict[str, Any]:
    seed, task, labels = given["seed"], given["task"], given["labels"]
    fit_splits, eval_splits = given["fit_splits"], given["eval_splits"]
    primary = given["primary"]
    write_text(out / "config.yaml", OmegaConf.to_yaml(cfg, resolve=True))
    write_json(out / "env.json", environment())

    corpus = build(cfg.data.corpus)
    frame = corpus.load(seed)
    check_task(frame, task, fit_splits, eval_splits)
    manifest = {
        "corpus": corpus.metadata(),
        **data_manifest(corpus.files(), frame, task),
        "test_texts_in_train": count_overlap(frame),
    }
    write_json(out / "data_manifest.json", manifest)
    train = _rows(frame, fit_splits)
    log.info("corpus %s: %d rows; fitting %s on %d rows", corpus.name, len(frame), task, len(train))

    estimator = build(cfg.pipeline)
    if parallel_sweep() and "n_jobs" in estimator.get_params(deep=False):
        estimator.set_params(n_jobs=1)  # the sweep's jobs already share the cores
    started = time.perf_counter()
    try:
        estimator.fit(train, train[task].to_numpy())
    except (TypeError, ValueError) as err:
        if refused_parameter(err):  # a hyperparameter from the config or the command line
            raise invalid_parameter(err, cfg) from err
        raise
    fit_seconds = time.perf_counter() - started
    _, score_kind = class_scores(estimator, train.head(1))
    meta = {
        "stance_version": _version(),
        "task": task,
        "labels": labels,
        "classes": [str(c) for c in estimator.classes_],
        "input_columns": input_columns(estimator),
        "score_kind": score_kind,
        "corpus": corpus.metadata(),
        "fit_splits": fit_splits,
        "seed": seed,
        "primary_metric": primary,
    }
    if "actors" in cfg:  # how raw text's actors are coded (issue 19)
        meta["actors"] = {
            "roles": bool(cfg.actors.roles),
            "reference_date": cfg.actors.reference_date,
        }
    saver.submit("stance.io.model_files", "save_model", estimator, out / "model", meta, keep=True)
    model = StanceModel(estimator, meta)

    metrics: dict[str, Any] = {
        "task": task,
        "corpus": corpus.name,
        "unit": "percent",
        "primary": primary,
        "seed": seed,
        "splits": {},
    }
    predict_seconds = 0.0
    for split in eval_splits:
        rows = _rows(frame, [split])
        started = time.perf_counter()
        predicted = model.predict(rows)
        predict_seconds += time.perf_counter() - started
        atomic_write(
            out / "predictions" / f"{split}.csv",
            lambda p, df=predicted: df.to_csv(p, index=False, encoding="utf-8"),
        )
        report = split_report(
            predicted,
            f"{task}_gold",
            task,
            labels,
            primary,
            seed=seed,
            n_resamples=given["n_resamples"],
        )
        report["in_training"] = split in fit_splits
        for name, extra in (cfg.evaluation.get("extra") or {}).items():
            report[name] = build(extra)(predicted, task)
        metrics["splits"][split] = report
        if cfg.evaluation.plots and not report["in_training"]:  # fitted rows: numbers only
            scores = predicted[[f"score_{c}" for c in model.classes]].to_numpy()
            gold = predicted[f"{task}_gold"].to_numpy()
            plots = (out / "plots", split, task, primary, report, gold, scores, model.classes)
            plotter.submit("stance.reports.run_plots", "split_plots", *plots)
    for name, spec in (cfg.evaluation.get("end_to_end") or {}).items():
        started = time.perf_counter()
        metrics.setdefault("end_to_end", {})[name] = build(spec)(model, out / "end_to_end")
        log.info(
            "end-to-end report %s in %.0f s: %s",
            name,
            time.perf_counter() - started,
            out / "end_to_end" / "end_to_end.md",
        )
    if cfg.evaluation.plots:  # the saver has the model (and for most models nothing to plot)
        path = out / "plots" / "top_features.png"
        saver.submit("stance.reports.run_plots", "top_features_plot", KEPT, path)
    metrics["timing"] = {
        "fit_seconds": fit_seconds,
        "predict_seconds": predict_seconds,
        "peak_memory_mb": peak_memory_mb(),
    }
    config = OmegaConf.to_container(cfg, resolve=True)
    card = (KEPT, out, meta, metrics, manifest, config)
    saver.submit("stance.train.card", "write_run_card", *card)
    return metrics
