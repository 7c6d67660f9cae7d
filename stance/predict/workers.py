"""Worker processes that load a model once and label batches, results in input order.

Hand-written on ``multiprocessing`` rather than on ``concurrent.futures.ProcessPoolExecutor``
or joblib, for what an interrupted run needs:

- stopping at once: :meth:`OrderedPool.terminate` kills the workers by pid (SIGTERM, then
  SIGKILL after a grace period); ``ProcessPoolExecutor.shutdown`` waits for running batches
  (minutes for an encoder model) and has no public way to kill its workers before Python 3.14,
  and ``joblib.Parallel`` has no per-worker initializer to load the model once;
- no orphans: each worker asks the kernel to kill it when this process dies, even by SIGKILL
  (Linux ``PR_SET_PDEATHSIG``), and ignores SIGINT, so Ctrl-C in a terminal (which reaches
  the whole process group) stops the run through this process alone, with one line and no
  traceback from each worker;
- a dead worker (out of memory, killed) is an error naming its exit code at once, where
  ``multiprocessing.Pool`` would wait for its result forever;
- bounded memory: at most `window` batches are sent and not yet handed back.

Workers are forked when :func:`stance.io.forking.can_fork` allows it and the caller asks
(``fork=True``): they start in milliseconds with the caller's model already loaded (issue 25).
Otherwise they are started with ``spawn``: a fresh interpreter inherits no threads, locks or
signal handlers from this one (forking a process that has run torch can hang in OpenMP), and
loads the model itself.
``benchmarks/libraries/worker_pools.py`` measures the alternatives: with two busy workers,
``ProcessPoolExecutor.shutdown`` took 27 s, loky's ``shutdown(kill_workers=True)`` 0.28 s and
:meth:`OrderedPool.terminate` 0.20 s; after the parent's SIGKILL both library pools left their
two workers running, this one none.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from multiprocessing.connection import Connection, wait
from typing import Any

from stance.io.forking import WorkerDied, can_fork, death, die_with_parent, forking, portable

__all__ = ["GRACE", "OrderedPool", "WorkerDied"]

#: Seconds a worker gets to exit after SIGTERM before it is killed.
GRACE = 2.0


def _serve(
    conn: Connection, parent: int, init: Callable[..., Any], args: tuple, work: Callable
) -> None:
    """A worker's loop: ``state = init(*args)``, then ``work(state, payload)`` per message."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    die_with_parent(parent)  # exits at once if the parent died before the request took effect
    try:
        state = init(*args)
    except BaseException as err:
        conn.send((-1, False, portable(err)))
        return
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        seq, payload = message
        try:
            reply = (seq, True, work(state, payload))
        except BaseException as err:
            reply = (seq, False, portable(err))
        conn.send(reply)


class OrderedPool:
    """`n` worker processes, each running ``state = init(*args)`` once and then
    ``work(state, payload)`` for the payloads given to :meth:`imap`.

    Use as a context manager: leaving it normally stops the workers politely, leaving it by
    an exception (an interrupt included) kills them. `fork`: fork the workers when
    :func:`~stance.io.forking.can_fork` allows (`args` are then inherited, not pickled).
    """

    def __init__(
        self, n: int, init: Callable[..., Any], args: tuple, work: Callable, fork: bool = False
    ) -> None:
        self.forked = fork and can_fork()
        context = multiprocessing.get_context("fork" if self.forked else "spawn")
        self._workers: list[tuple[Any, Connection]] = []
        # A worker starts with SIGINT ignored (an ignored signal stays ignored across exec, and
        # Python then installs no handler), so a Ctrl-C while it imports prints nothing there.
        try:
            previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
        except ValueError:  # not the main thread
            previous = None
        try:
            with forking(share=self.forked):
                for _ in range(n):
                    ours, theirs = context.Pipe()
                    process = context.Process(
                        target=_serve, args=(theirs, os.getpid(), init, args, work), daemon=True
                    )
                    process.start()
                    theirs.close()
                    self._workers.append((process, ours))
        finally:
            if previous is not None:
                signal.signal(signal.SIGINT, previous)

    @property
    def pids(self) -> list[int]:
        """Process ids of the workers."""
        return [p.pid for p, _ in self._workers]

    def imap(self, payloads: Iterable[Any], window: int) -> Iterator[Any]:
        """``work(state, payload)`` of each payload, in the order given; at most `window`
        payloads are sent and not yet yielded. A worker's exception is raised here."""
        todo = iter(payloads)
        idle = deque(conn for _, conn in self._workers)
        busy: dict[Connection, int] = {}
        done: dict[int, Any] = {}
        sent = given = 0
        exhausted = False
        while True:
            while idle and not exhausted and sent - given < window:
                payload = next(todo, _END)
                if payload is _END:
                    exhausted = True
                    break
                conn = idle.popleft()
                try:
                    conn.send((sent, payload))
                except OSError:  # the worker is gone: its own error if it sent one
                    raise self._failure(conn) from None
                busy[conn] = sent
                sent += 1
            if given in done:
                yield done.pop(given)
                given += 1
                continue
            if exhausted and given == sent:
                return
            for conn in self._ready(busy):
                try:
                    seq, ok, value = conn.recv()
                except (EOFError, OSError):  # it died while answering
                    raise self._failure(conn) from None
                if not ok:
                    raise value
                del busy[conn]
                idle.append(conn)
                done[seq] = value

    def _ready(self, busy: dict[Connection, int]) -> list[Connection]:
        """The busy connections with an answer; WorkerDied when a worker ended instead."""
        by_sentinel = {p.sentinel: (p, conn) for p, conn in self._workers}
        while True:
            ready = wait([*busy, *by_sentinel], timeout=1.0)
            answers = [c for c in ready if c in busy]
            if answers:
                return answers
            for handle in ready:
                if handle in by_sentinel:
                    raise self._failure(by_sentinel[handle][1])

    def _failure(self, conn: Connection) -> BaseException:
        """Why the worker behind `conn` stopped: the error it sent, else how it died."""
        try:
            if conn.poll():
                _, ok, value = conn.recv()
                if not ok:
                    return value
        except (EOFError, OSError):
            pass
        process = next(p for p, c in self._workers if c is conn)
        process.join(GRACE)
        how = death(process.exitcode, "a prediction worker process", "lower --chunk-size or --jobs")
        return WorkerDied(f"{how}; nothing after the last finished batch is lost.")

    def close(self) -> None:
        """Stop the workers once their work is done: they are told to exit, and whatever
        has not after a moment (interpreter teardown can take seconds) is terminated."""
        for _, conn in self._workers:
            with suppress(OSError):  # already gone
                conn.send(None)
        for process, _ in self._workers:
            process.join(0.2)
        self.terminate()

    def terminate(self) -> None:
        """Kill every worker now: SIGTERM, then SIGKILL after :data:`GRACE` seconds."""
        for process, _ in self._workers:
            if process.is_alive():
                process.terminate()
        for process, conn in self._workers:
            process.join(GRACE)
            if process.is_alive():
                process.kill()
                process.join()
            conn.close()

    def __enter__(self) -> OrderedPool:
        return self

    def __exit__(self, kind: type | None, *_: Any) -> None:
        if kind is None:
            self.close()
        else:
            self.terminate()


_END = object()
