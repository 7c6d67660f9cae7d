"""``data=local`` on the command line: the task follows the mapped columns, and the data is
checked before Hydra makes a run folder."""

from __future__ import annotations

from typing import Any

from omegaconf import DictConfig, OmegaConf

from stance.config.build import build
from stance.data.mapping import is_pair_data, task_of
from stance.train.experiment import check_task, settings


def _keys(overrides: list[str]) -> set[str]:
    return {o.split("=", 1)[0].lstrip("+~") for o in overrides}


def is_local(cfg: DictConfig) -> bool:
    """True when the composed config (with its ``hydra`` node) reads ``data=local``."""
    return OmegaConf.select(cfg, "hydra.runtime.choices.data") == "local"


def local_experiment(cfg: DictConfig, overrides: list[str]) -> list[str]:
    """Overrides that fit the task, features and model to the columns ``data=local`` maps,
    when no experiment is named: ``local_sentiment`` (a sentiment column and no stance
    column), ``local_pairs`` (both mention columns) or ``local_stance`` (one model per
    target; ``per_target=false`` when no target column is mapped). An explicit ``task=``
    chooses between sentiment and stance; explicit ``features=``, ``model=`` and
    ``per_target=`` win over the experiment's."""
    keys = _keys(overrides)
    if not is_local(cfg) or "experiment" in keys:
        return []
    columns: dict[str, Any] = OmegaConf.to_container(cfg.data.columns, resolve=True)
    task = str(cfg.task.name) if "task" in keys else task_of(columns)
    if task == "sentiment":
        return ["experiment=local_sentiment"]
    if is_pair_data(columns):
        return ["experiment=local_pairs"]
    extra = ["experiment=local_stance"]
    if not columns.get("target") and "per_target" not in keys:
        extra.append("per_target=false")
    return extra


def preflight(cfg: DictConfig) -> None:
    """Read and check ``data=local`` as the run will (options, columns, labels, splits, the
    task's labels): a problem stops the command before any folder is written."""
    given = settings(cfg)
    corpus = build(cfg.data.corpus)
    frame = corpus.load(given["seed"])
    check_task(frame, given["task"], given["fit_splits"], given["eval_splits"])
