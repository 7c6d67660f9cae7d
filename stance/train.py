"""``stance-train``: the Hydra app that trains and evaluates one configured experiment.

stance-train                                  # the default experiment on the bundled corpus
stance-train experiment=semeval2016_stance    # a named experiment
stance-train experiment=semeval2016_stance model=logistic_regression seed=1
stance-train -m seed=1,2,3                    # a sweep (Hydra multirun)
"""

from __future__ import annotations

import logging
import math
import os
import sys
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.types import RunMode
from omegaconf import DictConfig

from stance.configs import PRIMARY_CONFIG, compose, config_dir, register_resolvers
from stance.errors import StanceError
from stance.runs.experiment import run_experiment

log = logging.getLogger("stance.train")
register_resolvers()

#: Hydra flags that take a value (so the value is not an override).
_FLAGS_WITH_VALUE = {
    "--config-name",
    "-cn",
    "--config-path",
    "-cp",
    "--config-dir",
    "-cd",
    "--cfg",
    "-c",
    "--package",
    "-p",
    "--info",
    "-i",
    "--experimental-rerun",
}


def _debug() -> bool:
    return os.environ.get("HYDRA_FULL_ERROR") == "1"


@hydra.main(version_base="1.3", config_path=str(config_dir()), config_name=PRIMARY_CONFIG)
def _app(cfg: DictConfig) -> float:
    hydra_cfg = HydraConfig.get()
    out = Path(hydra_cfg.runtime.output_dir)
    try:
        metrics = run_experiment(cfg, out)
    except StanceError as err:
        if _debug():
            raise
        print(f"stance-train: error: {err}", file=sys.stderr)
        if hydra_cfg.mode == RunMode.MULTIRUN:
            return math.nan  # status.json in the job's folder says why; the sweep goes on
        sys.exit(1)
    split = "dev" if "dev" in metrics["splits"] else next(iter(metrics["splits"]))
    return float(metrics["splits"][split]["primary"]["value"])


def overrides_of(argv: list[str]) -> list[str]:
    """The ``key=value`` overrides among Hydra's command-line arguments."""
    out, skip = [], False
    for arg in argv:
        if skip:
            skip = False
        elif arg in _FLAGS_WITH_VALUE:
            skip = True
        elif not arg.startswith("-") and "=" in arg:
            out.append(arg)
    return out


def main() -> None:
    """Console entry point: check the overrides, then hand over to Hydra."""
    argv = sys.argv[1:]
    if "--debug" in argv:
        argv.remove("--debug")
        os.environ["HYDRA_FULL_ERROR"] = "1"
    if not {"--help", "-h", "--hydra-help"} & set(argv):
        try:
            compose(overrides_of(argv), return_hydra_config=True)
        except StanceError as err:
            if _debug():
                raise
            print(f"stance-train: error: {err}", file=sys.stderr)
            sys.exit(2)
    sys.argv = [sys.argv[0], *argv]
    _app()


if __name__ == "__main__":
    main()
