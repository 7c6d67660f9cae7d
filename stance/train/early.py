"""The run's helper process, started before the run imports its libraries (issue 25).

``stance-train`` spends its first second and a half importing scikit-learn, pandas and Hydra,
on one core. A helper spawned before that (a fresh interpreter) imports the same libraries and
skops and matplotlib on the other core, so that it is ready by the end of the fit and the fit
no longer shares the cores with the helpers' imports. The run hands it the model file, the card
and the plots (:meth:`stance.train.background.Background.attached`); when no run takes it (a
sweep, ``--help``, ``evaluation.background=false``) :func:`discard` stops it. As for the forked
helpers: Linux with two or more usable CPUs only; it dies with the run (``PR_SET_PDEATHSIG``)
and runs in its own session, so a Ctrl-C reaches the run alone, which stops it.

This module and those it imports are light: it runs before the libraries are loaded.
"""

from __future__ import annotations

import os
import signal
import sys
from contextlib import suppress
from pathlib import Path

from stance.io.forking import usable_cpus

#: What the helper imports (and calls) while it waits: everything its calls need.
WARM_UP = (
    "stance.io.skops_import:skops_io",
    "skops.card",
    "stance.train.card",
    "stance.io.model_files",
    "stance.reports.run_plots:pyplot",
    "stance.features",
    "stance.models",
)
#: Arguments after which no run takes a helper.
_NO_RUN = {"--help", "-h", "--hydra-help", "--cfg", "-c", "--info", "-i", "-m", "--multirun"}
_OFF = ("evaluation.background=false", "evaluation.background=False")

_STARTED: dict[int, tuple[int, int, int]] = {}  # this process -> (helper pid, calls, answer)
_BOOT = (
    "import os, sys\n"
    "if {root!r} not in sys.path: sys.path.insert(0, {root!r})\n"
    "from stance.train.helper import main\n"
    "os._exit(main(sys.argv[1:]))\n"
)


def start(argv: list[str]) -> None:
    """Spawn the helper, unless `argv` runs no single run or asks for no helper."""
    if _NO_RUN & set(argv) or any(arg in _OFF for arg in argv) or os.getpid() in _STARTED:
        return
    if not sys.platform.startswith("linux") or usable_cpus() < 2:
        return
    calls_in, calls_out = os.pipe()
    answer_in, answer_out = os.pipe()
    os.set_inheritable(calls_in, True)
    os.set_inheritable(answer_out, True)
    # the helper imports the stance this run imports: its folder goes first on the helper's
    # path unless it is on it already (site-packages must not move ahead of the stdlib)
    root = str(Path(__file__).resolve().parents[2])
    boot = _BOOT.format(root=root)
    args = [sys.executable, "-c", boot, str(calls_in), str(answer_out), str(os.getpid())]
    try:
        pid = os.posix_spawn(sys.executable, [*args, *WARM_UP], os.environ, setsid=True)
    except (OSError, AttributeError):  # no posix_spawn: the run forks its helpers later
        os.close(calls_out)
        os.close(answer_in)
        return
    finally:
        os.close(calls_in)
        os.close(answer_out)
    _STARTED[os.getpid()] = (pid, calls_out, answer_in)


def take() -> tuple[int, int, int] | None:
    """``(pid, calls, answer)`` of the helper this process started, once; None if none."""
    return _STARTED.pop(os.getpid(), None)


def discard() -> None:
    """Stop the helper this process started if no run took it."""
    started = take()
    if started is None:
        return
    pid, calls, answer = started
    for fd in (calls, answer):
        os.close(fd)
    with suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    with suppress(ChildProcessError):
        os.waitpid(pid, 0)
