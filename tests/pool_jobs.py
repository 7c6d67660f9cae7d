"""Work for the worker-pool tests: importable by a spawned process, and light to import."""

from __future__ import annotations

import os
import signal
import time


def start(offset: int) -> int:
    return offset


def work(offset: int, job: tuple[str, float]) -> int:
    """``("sleep", s)``: sleep `s`, then answer; ``("fail", _)``: raise; ``("die", _)``:
    SIGKILL this worker; ``("pid", _)``: this worker's pid."""
    what, value = job
    if what == "fail":
        raise ValueError(f"bad job {value}")
    if what == "die":
        os.kill(os.getpid(), signal.SIGKILL)
    if what == "pid":
        return os.getpid()
    time.sleep(value)
    return offset + int(value * 1000)
