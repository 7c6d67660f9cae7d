"""The end of a sweep: how many jobs failed, and a non-zero exit when all of them did.

In a multirun, ``stance-train`` records a failed job in its folder's ``status.json`` and
returns, so the sweep goes on past it. :class:`SweepStatus` is the Hydra callback (configured
in ``configs/hydra/default.yaml``) that counts the job folders afterwards, prints one line when
any failed and exits with status 1 when none completed.

Hydra calls ``on_multirun_end`` in the launching process once every job has returned, with any
launcher, but it turns an exception raised there into a warning; only ``SystemExit`` gets
through, so that is how the exit status is set. The job folders are read rather than the jobs'
return values, which the callback is not given; with a remote launcher they must be on a file
system this process sees (job folders it cannot see are not counted).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from hydra.experimental.callback import Callback
from omegaconf import DictConfig

from stance.train.status import STATUS_FILE, read_status


def job_statuses(sweep: Path) -> dict[Path, str]:
    """The recorded status of every job folder (one holding ``.hydra/``) below `sweep`."""
    jobs = sorted(p.parent for p in sweep.glob("**/.hydra") if p.is_dir())
    return {job: read_status(job) for job in jobs}


def sweep_verdict(sweep: Path) -> tuple[str | None, int]:
    """The line to print about the jobs of `sweep` (None when all completed) and the exit code.

    A job counts as failed unless its ``status.json`` says ``complete`` (a job killed before
    it could record anything counts as failed too).
    """
    statuses = job_statuses(sweep)
    failed = [job for job, status in statuses.items() if status != "complete"]
    if not failed:
        return None, 0
    names = ", ".join(str(job.relative_to(sweep)) for job in failed)
    where = f"the error and traceback are in {sweep}/<job>/{STATUS_FILE}"
    if len(failed) == len(statuses):
        return f"error: all {len(statuses)} jobs of the sweep failed (jobs {names}); {where}", 1
    return f"warning: {len(failed)} of {len(statuses)} jobs failed (jobs {names}); {where}", 0


class SweepStatus(Callback):
    """Report failed jobs after a multirun; exit with status 1 when every job failed."""

    def on_multirun_end(self, config: DictConfig, **kwargs: Any) -> None:
        line, code = sweep_verdict(Path(str(config.hydra.sweep.dir)))
        if line:
            print(f"stance-train: {line}", file=sys.stderr)
        if code:
            sys.exit(code)
