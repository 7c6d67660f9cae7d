"""Work shared with forked copies of this process: no start-up, no model sent (issue 25).

A forked child starts as a copy of this process, with every module imported and every model
loaded, in milliseconds; a spawned one imports the package and loads the model again (about
2.5 CPU seconds for an n-gram model). Forking is used only where it is safe: on Linux (where
:func:`die_with_parent` keeps a child from outliving this process, even after SIGKILL) and
when torch is not imported (forking a process that has run torch's OpenMP threads can hang).
Anywhere else the callers fall back to one process or to spawned workers.
"""

from __future__ import annotations

import ctypes
import gc
import os
import pickle
import signal
import sys
import warnings
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any

from stance.errors import StanceError

_PR_SET_PDEATHSIG = 1


class WorkerDied(StanceError):
    """A worker process ended without answering."""


#: ``STANCE_FORK=0``: never fork (one process, or spawned workers), for a library that
#: misbehaves in forked children; ``STANCE_FORK=1``: fork even with torch imported.
FORK_ENV = "STANCE_FORK"


def can_fork() -> bool:
    """Whether work may go to forked children of this process: on Linux, when torch is not
    imported (or :data:`FORK_ENV` says so)."""
    if not (sys.platform.startswith("linux") and hasattr(os, "fork")):
        return False
    setting = os.environ.get(FORK_ENV, "").strip()
    if setting in ("0", "1"):
        return setting == "1"
    return "torch" not in sys.modules


def usable_cpus() -> int:
    """CPUs this process may run on (its affinity mask, else the machine's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def resolve_jobs(n_jobs: int | None) -> int:
    """scikit-learn's convention: None is 1, -1 every usable CPU, -2 all but one, ..."""
    if n_jobs is None or n_jobs == 0:
        return 1
    if n_jobs < 0:
        return max(usable_cpus() + 1 + n_jobs, 1)
    return n_jobs


def fork() -> int:
    """``os.fork()`` inside :func:`forking`."""
    with forking(share=False):
        return os.fork()


@contextmanager
def forking(share: bool = True) -> Iterator[None]:
    """Around the forks of a process: no warning from Python 3.12+ about forking a process with
    threads (numpy's BLAS pool has some: our children run only the calls they are given, hold
    no lock another thread could have held, and leave by ``os._exit``, as PyTorch's DataLoader
    workers do); with `share`, the objects alive now are frozen out of the garbage collector
    meanwhile, so that the children's collections leave their shared pages alone (a caller's
    own ``gc.freeze()`` is left as it was)."""
    thawed = share and gc.get_freeze_count() == 0
    if share:
        gc.freeze()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            yield
    finally:
        if thawed:
            gc.unfreeze()


def die_with_parent(parent: int | None = None) -> None:
    """Have the kernel SIGKILL this process when its parent dies, even by SIGKILL (Linux;
    elsewhere nothing). Given the `parent` pid this child was forked from, exit at once if the
    parent died before the request took effect."""
    if not sys.platform.startswith("linux"):
        return
    try:
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        return
    if parent is not None and os.getppid() != parent:
        os._exit(1)


def portable(err: BaseException) -> BaseException:
    """`err`, or a RuntimeError with its text when it does not pickle."""
    try:
        pickle.loads(pickle.dumps(err))
        return err
    except Exception:
        return RuntimeError(f"{type(err).__name__}: {err}")


def death(code: int | None, what: str = "a worker process", fix: str = "") -> str:
    """How a child process ended, for an error line (`fix`: what to do when it was SIGKILLed,
    often by the kernel for want of memory)."""
    if code is not None and code < 0:
        how = f"was killed by {signal.Signals(-code).name}"
        if -code == signal.SIGKILL:
            how += f" (often the system running out of memory{': ' + fix if fix else ''})"
    else:
        how = f"exited with code {code}"
    return f"{what} {how}"


def shares(costs: Sequence[float], n: int) -> list[list[int]]:
    """Indices of `costs` dealt into `n` lists of near-equal total cost (largest first, each to
    the lightest list), every list in ascending index order."""
    loads = [0.0] * n
    dealt: list[list[int]] = [[] for _ in range(n)]
    for i in sorted(range(len(costs)), key=lambda i: (-costs[i], i)):
        lightest = loads.index(min(loads))
        dealt[lightest].append(i)
        loads[lightest] += costs[i]
    return [sorted(d) for d in dealt]


def fork_map(
    function: Callable[[Any], Any],
    items: Sequence[Any],
    n_jobs: int | None,
    costs: Sequence[float] | None = None,
) -> list[Any]:
    """``[function(item) for item in items]``, the items shared by cost between this process
    and ``n_jobs - 1`` forked copies of it; results come back pickled, in the items' order.

    One process (and the same results) when `n_jobs` resolves to 1, when there is one item or
    when :func:`can_fork` says no. An exception in a child is raised here; a child that dies is
    a :class:`WorkerDied`; leaving early (an exception, Ctrl-C) kills the children.
    """
    n = min(resolve_jobs(n_jobs), len(items))
    if n <= 1 or not can_fork():
        return [function(item) for item in items]
    dealt = shares(list(costs) if costs is not None else [1.0] * len(items), n)
    children: dict[int, tuple[int, list[int]]] = {}  # pid -> (pipe, share), until reaped
    try:
        with forking():
            for share in dealt[1:]:
                pid, fd = _fork(function, items, share)
                children[pid] = (fd, share)
            results = {i: function(items[i]) for i in dealt[0]}
            for pid in list(children):
                fd, share = children[pid]
                results.update(zip(share, _collect(pid, fd, children), strict=True))
        return [results[i] for i in range(len(items))]
    finally:
        for pid, (fd, _) in children.items():
            with suppress(OSError):
                os.close(fd)
            with suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            with suppress(ChildProcessError):
                os.waitpid(pid, 0)


def _fork(
    function: Callable[[Any], Any], items: Sequence[Any], share: list[int]
) -> tuple[int, int]:
    read, write = os.pipe()
    parent = os.getpid()
    pid = os.fork()  # inside fork_map's forking()
    if pid:
        os.close(write)
        return pid, read
    try:  # the child: its share, pickled to the parent, and out without any cleanup
        os.close(read)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the parent, which kills us
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        die_with_parent(parent)
        try:
            reply: tuple[bool, Any] = (True, [function(items[i]) for i in share])
        except BaseException as err:
            reply = (False, portable(err))
        with os.fdopen(write, "wb") as out:
            pickle.dump(reply, out, protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        os._exit(0)


def _collect(pid: int, fd: int, children: dict[int, Any]) -> list[Any]:
    """A child's results (or its exception, raised here). A child found dead is reaped and
    dropped from `children` (its pid may be reused: it must not be killed later)."""
    with os.fdopen(os.dup(fd), "rb") as handle:
        try:
            ok, value = pickle.load(handle)
        except (EOFError, pickle.UnpicklingError):
            _, status = os.waitpid(pid, 0)
            os.close(children.pop(pid)[0])
            code = os.waitstatus_to_exitcode(status)
            how = death(code, fix="use fewer processes, e.g. n_jobs=1")
            raise WorkerDied(f"{how} before answering.") from None
    if not ok:
        raise value
    return value
