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
import signal
import sys
from pathlib import Path

import hydra
from hydra.core.hydra_config import HydraConfig
from hydra.errors import HydraException
from hydra.types import RunMode
from omegaconf import DictConfig
from omegaconf.errors import OmegaConfBaseException

from stance.config.compose import PRIMARY_CONFIG, compose, config_dir, one_line, register_resolvers
from stance.errors import ConfigError, StanceError
from stance.train.early import discard as discard_early_helper
from stance.train.experiment import run_experiment
from stance.train.status import STATUS_FILE, check_claimable

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


#: Set by :func:`main` when ``--debug`` or ``HYDRA_FULL_ERROR=1`` asks for full tracebacks.
DEBUG_ENV = "STANCE_DEBUG"


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised as an exception so the run can record ``interrupted`` before exiting."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"terminated by signal {signal.Signals(signum).name}")
        self.signum = signum


def _debug() -> bool:
    return os.environ.get(DEBUG_ENV, os.environ.get("HYDRA_FULL_ERROR")) == "1"


def error_line(err: BaseException, out: Path | None = None) -> str:
    """The one stderr line for `err`: its message, or what to do about an unexpected error."""
    if isinstance(err, StanceError):
        text = "; ".join(ln.strip() for ln in str(err).splitlines() if ln.strip())
        return text or type(err).__name__
    if isinstance(err, OSError) and err.filename:
        return f"{err.filename}: {err.strerror}; check the path, its permissions and free space."
    detail = one_line(err)
    where = ""
    if out is not None and (out / STATUS_FILE).is_file():
        where = f"; the traceback is in {out / STATUS_FILE}"
    return (
        f"unexpected {type(err).__name__}: {detail}{where}; "
        "rerun with --debug to see it (and report it if the input looks right)"
    )


@hydra.main(version_base="1.3", config_path=str(config_dir()), config_name=PRIMARY_CONFIG)
def _app(cfg: DictConfig) -> float:
    hydra_cfg = HydraConfig.get()
    out = Path(hydra_cfg.runtime.output_dir).absolute()  # the helper may not share our cwd
    try:
        metrics = run_experiment(cfg, out)
    except Exception as err:
        if _debug():
            raise
        print(f"stance-train: error: {error_line(err, out)}", file=sys.stderr)
        if hydra_cfg.mode == RunMode.MULTIRUN:
            # status.json in the job's folder says why; the sweep goes on, and at its end
            # stance.train.sweep_status.SweepStatus counts the failed jobs (exit 1 if all failed)
            return math.nan
        sys.exit(2 if isinstance(err, ConfigError) else 1)
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


def _flag_value(argv: list[str], *names: str) -> str | None:
    for i, arg in enumerate(argv):
        if arg in names and i + 1 < len(argv):
            return argv[i + 1]
        for name in names:
            if arg.startswith(f"{name}="):
                return arg.split("=", 1)[1]
    return None


def _check_run_dir(argv: list[str]) -> None:
    """Refuse a ``hydra.run.dir`` holding a complete or live run before Hydra writes into it."""
    if {"-m", "--multirun"} & set(argv):
        return
    for override in overrides_of(argv):
        key, _, value = override.partition("=")
        if key.lstrip("+") == "hydra.run.dir" and "${" not in value:
            check_claimable(value.strip("'\""))


def _local_data(cfg: DictConfig, argv: list[str], name: str) -> list[str]:
    """For ``data=local``: the experiment its mapped columns ask for (when none is named), and
    the data read and checked once, so a bad file stops here with no run folder written."""
    from stance.train.local_data import is_local, local_experiment, preflight

    if not is_local(cfg):
        return []
    extra = local_experiment(cfg, overrides_of(argv))
    if not {"--cfg", "-c", "--info", "-i"} & set(argv):
        if extra:
            cfg = compose([*overrides_of(argv), *extra], return_hydra_config=True, config_name=name)
        preflight(cfg)
    return extra


def _on_sigterm(signum: int, frame: object) -> None:
    raise Terminated(signum)


def main() -> None:
    """Console entry point: check the overrides, then hand over to Hydra.

    Every error ends in one ``stance-train: error: ...`` line on stderr and a non-zero exit
    (2 for configuration, 1 otherwise); ``--debug`` or ``HYDRA_FULL_ERROR=1`` shows the
    traceback instead.
    """
    argv = sys.argv[1:]
    debug = "--debug" in argv or os.environ.get("HYDRA_FULL_ERROR") == "1"
    argv = [arg for arg in argv if arg != "--debug"]
    saved = {name: os.environ.get(name) for name in (DEBUG_ENV, "HYDRA_FULL_ERROR")}
    os.environ[DEBUG_ENV] = "1" if debug else "0"
    # Hydra re-raises instead of printing its own multi-line report; we print one line.
    os.environ["HYDRA_FULL_ERROR"] = "1"
    try:
        previous = signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread: leave signals alone
        previous = None
    try:
        _main(argv, debug)
    finally:
        discard_early_helper()  # started by the entry point and taken by no run
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _may_read_local_data(overrides: list[str]) -> bool:
    """Whether these overrides can select ``data=local`` (``data=local``, or an experiment of
    ours that overrides its data with it), the one case composed before Hydra runs."""
    for override in overrides:
        key, _, value = override.partition("=")
        key = key.lstrip("+~")
        if key == "data" and value.strip("'\"") == "local":
            return True
        if key == "experiment":
            path = config_dir() / "experiment" / f"{value.strip()}.yaml"
            if path.is_file() and "/data: local" in path.read_text(encoding="utf-8"):
                return True
    return False


def _main(argv: list[str], debug: bool) -> None:
    own_configs = not _flag_value(argv, "--config-path", "-cp", "--config-dir", "-cd")
    name = _flag_value(argv, "--config-name", "-cn") or PRIMARY_CONFIG
    if not {"--help", "-h", "--hydra-help"} & set(argv) and own_configs:
        try:
            _check_run_dir(argv)
            if name != PRIMARY_CONFIG or _may_read_local_data(overrides_of(argv)):
                cfg = compose(overrides_of(argv), return_hydra_config=True, config_name=name)
                extra = _local_data(cfg, argv, name)
                if extra:  # beside the other overrides: argparse wants them in one run
                    at = argv.index(overrides_of(argv)[0])
                    argv = [*argv[:at], *extra, *argv[at:]]
        except StanceError as err:
            if debug:
                raise
            print(f"stance-train: error: {error_line(err)}", file=sys.stderr)
            sys.exit(2 if isinstance(err, ConfigError) else 1)
    sys.argv = [sys.argv[0], *argv]
    try:
        _app()
    except KeyboardInterrupt as err:
        if debug:
            raise
        signum = getattr(err, "signum", signal.SIGINT)
        reason = str(err) or "interrupted"
        print(
            f"stance-train: error: {reason}; the run folder's status.json says interrupted",
            file=sys.stderr,
        )
        sys.exit(128 + signum)
    except Exception as err:
        config_problem = isinstance(err, HydraException | OmegaConfBaseException | ConfigError)
        friendly = err
        if config_problem and own_configs and not isinstance(err, ConfigError):
            friendly = _friendly(argv, name, err)  # composed again, for our one-line wording
        if debug:
            if friendly is err:
                raise
            raise friendly from err
        print(f"stance-train: error: {error_line(friendly)}", file=sys.stderr)
        sys.exit(2 if config_problem else 1)


def _friendly(argv: list[str], name: str, err: Exception) -> Exception:
    """The ConfigError our own composition gives for a config Hydra refused (only composed
    when Hydra failed: a run that starts pays for one composition, Hydra's)."""
    try:
        compose(overrides_of(argv), return_hydra_config=True, config_name=name)
    except ConfigError as friendly:
        return friendly
    return err


if __name__ == "__main__":
    main()
