"""The prediction worker pool: answers in input order, a worker's error or death is raised
at once, and terminate() stops busy workers within seconds."""

from __future__ import annotations

import os
import time

import pytest

from stance.predict.workers import GRACE, OrderedPool, WorkerDied
from tests import pool_jobs


def test_answers_come_in_input_order_whatever_finishes_first():
    jobs = [("sleep", s) for s in (0.3, 0.0, 0.2, 0.0, 0.1, 0.0)]
    with OrderedPool(2, pool_jobs.start, (7,), pool_jobs.work) as pool:
        assert list(pool.imap(iter(jobs), window=3)) == [307, 7, 207, 7, 107, 7]
        pids = set(pool.imap([("pid", 0)] * 4, window=4))
        assert pids <= set(pool.pids) and len(pool.pids) == 2
    assert not any(_alive(pid) for pid in pool.pids)


def test_a_worker_error_is_raised_here():
    with (
        pytest.raises(ValueError, match="bad job 3"),
        OrderedPool(2, pool_jobs.start, (0,), pool_jobs.work) as pool,
    ):
        list(pool.imap([("sleep", 0), ("fail", 3), ("sleep", 0)], window=2))


def test_a_killed_worker_is_an_error_naming_how_it_died():
    with (
        pytest.raises(WorkerDied, match="was killed by SIGKILL .*lower --chunk-size"),
        OrderedPool(2, pool_jobs.start, (0,), pool_jobs.work) as pool,
    ):
        list(pool.imap([("sleep", 0), ("die", 0), ("sleep", 5)], window=2))
    assert not any(_alive(pid) for pid in pool.pids)


def test_terminate_stops_busy_workers_at_once():
    pool = OrderedPool(2, pool_jobs.start, (0,), pool_jobs.work)
    answers = pool.imap([("sleep", 0)] * 2 + [("sleep", 60)] * 2, window=4)
    assert [next(answers), next(answers)] == [0, 0]  # both workers are up
    started = time.monotonic()
    pool.terminate()
    assert time.monotonic() - started < GRACE + 1
    assert not any(_alive(pid) for pid in pool.pids)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
