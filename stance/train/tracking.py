"""Where runs are logged besides their folders: the ``logger`` config group.

``logger=none`` (the default) builds :class:`RunLogger`, whose hooks do nothing; ``logger=mlflow``
builds :class:`stance.train.mlflow_logger.MlflowLogger` (imported only then). The run folder is
always written first and stays the record: a logger mirrors it and never fails a run.

Hooks: :func:`stance.train.experiment.run_experiment` calls ``start_run`` before training and
``end_run`` after the folder is complete (or the run failed); in a sweep, :class:`SweepLogging`
(a Hydra callback, ``configs/hydra/default.yaml``) calls ``start_sweep`` before the first job
and ``end_sweep`` after the last, in the launching process.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig, OmegaConf

from stance.config.build import build
from stance.errors import ConfigError

#: A run's end as a logger is told it: the folder's ``status.json`` says ``complete`` or
#: ``failed``; ``interrupted`` is a failure by Ctrl-C or SIGTERM.
STATUSES = ("complete", "failed", "interrupted")


class RunLogger:
    """``logger=none``: runs are recorded in their folders only. The base of every logger."""

    def start_run(self, cfg: DictConfig, out: Path) -> None:
        """A run is about to train into `out` with the resolved config `cfg`."""

    def end_run(self, out: Path, status: str) -> None:
        """The run in `out` ended with `status` (one of :data:`STATUSES`)."""

    def start_sweep(self, config: DictConfig, sweep: Path) -> None:
        """A sweep (Hydra multirun) writing its jobs below `sweep` is about to start."""

    def end_sweep(self, config: DictConfig, sweep: Path) -> None:
        """Every job of the sweep in `sweep` has returned."""


def run_logger(cfg: DictConfig) -> RunLogger:
    """The logger configured in ``cfg.logger`` (a :class:`RunLogger` when there is none)."""
    node = OmegaConf.select(cfg, "logger")
    if node is None:  # a config saved before the logger group existed
        return RunLogger()
    logger = build(node)
    if not isinstance(logger, RunLogger):
        raise ConfigError(
            f"config logger: {type(logger).__name__} is not a stance.train.tracking.RunLogger; "
            "choose logger=none or logger=mlflow."
        )
    return logger


@dataclass(frozen=True)
class JobContext:
    """What Hydra knows about the running job (all None outside a Hydra app)."""

    experiment: str | None = None
    sweep: Path | None = None
    job_num: int | None = None
    overrides: tuple[str, ...] = ()


def job_context() -> JobContext:
    """The chosen ``experiment``, and the sweep folder when the job is part of a multirun."""
    from hydra.core.hydra_config import HydraConfig
    from hydra.types import RunMode

    if not HydraConfig.initialized():
        return JobContext()
    hydra_cfg = HydraConfig.get()
    experiment = hydra_cfg.runtime.choices.get("experiment")
    if hydra_cfg.mode != RunMode.MULTIRUN:
        return JobContext(experiment=experiment)
    return JobContext(
        experiment=experiment,
        sweep=Path(str(hydra_cfg.sweep.dir)),
        job_num=int(hydra_cfg.job.num),
        overrides=tuple(str(o) for o in hydra_cfg.overrides.task),
    )


class SweepLogging(Callback):
    """Hydra callback: tell the configured logger that a sweep starts and ends."""

    def __init__(self) -> None:
        self._logger: RunLogger | None = None

    def on_multirun_start(self, config: DictConfig, **kwargs: Any) -> None:
        self._logger = run_logger(config)
        self._logger.start_sweep(config, Path(str(config.hydra.sweep.dir)))

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        logger = self._logger or run_logger(config)
        logger.end_sweep(config, Path(str(config.hydra.sweep.dir)))
