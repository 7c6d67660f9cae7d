"""Stopping busy prediction workers: concurrent.futures and loky against stance's own pool.

    python benchmarks/libraries/worker_pools.py        # about a minute

Two workers each run a 30-second job (a sleep, so the machine's load does not matter). Then:

  stop      - how long the pool's way of stopping takes, and how many workers still live
              one second later: ``ProcessPoolExecutor.shutdown(cancel_futures=True)`` (waits
              for the running jobs), the same with ``wait=False`` (returns, the workers run
              on), loky's ``shutdown(kill_workers=True)`` (the executor joblib uses), and
              ``OrderedPool.terminate()``;
  sigkill   - the parent process is killed outright (SIGKILL) while its workers are busy:
              how many of them still live two seconds later (orphans).
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor

from joblib.externals.loky import get_reusable_executor

from stance.predict.workers import OrderedPool

JOB = 30.0


def _sleep(seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def _start(_: int) -> None:
    return None


def _work(_: None, seconds: float) -> int:
    return _sleep(seconds)


def _alive(pids: list[int]) -> int:
    alive = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                alive += handle.read().rsplit(")", 1)[1].split()[0] != "Z"
        except OSError:
            pass
    return alive


def _executor_stop(make, stop) -> dict:
    executor = make()
    futures = [executor.submit(_sleep, JOB) for _ in range(2)]
    time.sleep(3)  # both jobs running
    pids = list(getattr(executor, "_processes", {}).keys())
    started = time.monotonic()
    stop(executor)
    seconds = time.monotonic() - started
    time.sleep(1)
    del futures
    return {"seconds": round(seconds, 2), "workers_alive_after_1s": _alive(pids)}


def _pool_stop() -> dict:
    pool = OrderedPool(2, _start, (0,), _work)
    answers = pool.imap([0.0, 0.0, JOB, JOB], window=4)
    next(answers), next(answers)  # both workers up, both now on a long job
    started = time.monotonic()
    pool.terminate()
    seconds = time.monotonic() - started
    time.sleep(1)
    return {"seconds": round(seconds, 2), "workers_alive_after_1s": _alive(pool.pids)}


PARENT = """
import sys, time
sys.path.insert(0, {here!r})
from worker_pools import _sleep, _start, _work, JOB
kind = sys.argv[1]
if kind == "OrderedPool":
    from stance.predict.workers import OrderedPool
    pool = OrderedPool(2, _start, (0,), _work)
    answers = pool.imap([0.0, 0.0, JOB, JOB], window=4)
    next(answers), next(answers)
    print(*pool.pids, flush=True)
    next(answers)
else:
    if kind == "ProcessPoolExecutor":
        from concurrent.futures import ProcessPoolExecutor
        executor = ProcessPoolExecutor(2)
    else:
        from joblib.externals.loky import get_reusable_executor
        executor = get_reusable_executor(2)
    futures = [executor.submit(_sleep, JOB) for _ in range(2)]
    time.sleep(3)
    print(*executor._processes.keys(), flush=True)
    time.sleep(JOB)
"""


def _orphans(kind: str) -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT.format(here=here), kind], stdout=subprocess.PIPE, text=True
    )
    pids = [int(p) for p in parent.stdout.readline().split()]
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    time.sleep(2)
    alive = _alive(pids)
    for pid in pids:  # clean up what outlived its parent
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return alive


def main() -> None:
    results = {
        "stop": {
            "ProcessPoolExecutor.shutdown(cancel_futures=True)": _executor_stop(
                lambda: ProcessPoolExecutor(2), lambda e: e.shutdown(cancel_futures=True)
            ),
            "ProcessPoolExecutor.shutdown(wait=False, cancel_futures=True)": _executor_stop(
                lambda: ProcessPoolExecutor(2),
                lambda e: e.shutdown(wait=False, cancel_futures=True),
            ),
            "loky shutdown(kill_workers=True)": _executor_stop(
                lambda: get_reusable_executor(2), lambda e: e.shutdown(kill_workers=True)
            ),
            "OrderedPool.terminate()": _pool_stop(),
        },
        "workers_alive_2s_after_parent_sigkill": {
            kind: _orphans(kind) for kind in ("ProcessPoolExecutor", "loky", "OrderedPool")
        },
    }
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
