"""A run's side work (plots, the model file, the model card) in a helper process.

The run submits calls as soon as their inputs exist: the model file right after the fit, each
split's plots right after its evaluation, the card at the end. The helper is a fork of the run
made when the run starts, so it shares what the run has imported and only adds matplotlib and
skops, which it imports while the run loads its data and fits; it then makes the calls in the
order they were submitted, so the files are the same as when the run makes them itself.
:meth:`Background.finish` waits for the last call and raises the helper's first error in the
run, with the helper's traceback as its cause: the run is complete only after that.

Every call runs at once in the run's own process (the same files, only later) with
``background=False``, with a single usable CPU (a second process would only add work), and
where ``fork`` is not the platform's safe default (everywhere but Linux). On Python 3.12+
``os.fork`` warns in any process with threads (numpy's BLAS pool has some): the helper runs
only the submitted calls (no BLAS-threaded work, no locks another thread could hold) and ends
with ``os._exit``, the pattern of PyTorch's DataLoader workers, so the warning is silenced for
that one call.

Calls name a function by module and name and pass picklable arguments; :data:`KEPT` stands for
the first argument of the call submitted with ``keep=True`` (the fitted model, sent once).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import pickle
import queue
import signal
import struct
import sys
import threading
import traceback
from typing import Any, BinaryIO

from stance.io.forking import die_with_parent, fork, portable, usable_cpus

_HEADER = struct.Struct("<Q")


class _Kept:
    """Placeholder for the kept argument (see :data:`KEPT`)."""

    def __repr__(self) -> str:
        return "KEPT"

    def __reduce__(self) -> str:
        return "KEPT"  # unpickled as this module's KEPT, the one object calls compare with


KEPT = _Kept()


class RemoteTraceback(Exception):
    """The helper's traceback, attached as the cause of the error it raised."""

    def __str__(self) -> str:
        return f"\n\nin the helper process:\n{self.args[0]}"


def peak_memory_mb() -> float | None:
    """Peak resident memory of this process so far, in MiB (None where the OS does not say)."""
    try:
        import resource
    except ImportError:  # Windows
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / (1024 if sys.platform == "darwin" else 1)  # bytes on macOS, KiB else


class Background:
    """Run side calls in a helper process (or at once, see the module's docstring); the helper
    does the `warm_up` steps (``"module"`` to import, ``"module:function"`` to call) while it
    waits for its first call."""

    def __init__(self, background: bool = True, warm_up: tuple[str, ...] = ()) -> None:
        self._pid: int | None = None
        self._kept: Any = None
        self._outbox: queue.Queue[bytes | None] = queue.Queue()
        self.peak_memory_mb: float | None = None
        if background and sys.platform == "linux" and usable_cpus() > 1:
            self._start(warm_up)

    @property
    def in_process(self) -> bool:
        """True when calls run in the run's own process."""
        return self._pid is None

    def _start(self, warm_up: tuple[str, ...]) -> None:
        calls_in, calls_out = os.pipe()
        answer_in, answer_out = os.pipe()
        parent = os.getpid()
        pid = fork()  # without 3.12's warning about threads: see the module's docstring
        if pid == 0:  # the helper
            code = 1
            try:
                die_with_parent(parent)  # a killed run leaves no file written after its death
                os.close(calls_out)
                os.close(answer_in)
                with open(calls_in, "rb") as calls, open(answer_out, "wb") as answer:
                    code = serve(calls, answer, warm_up)
            finally:
                os._exit(code)
        os.close(calls_in)
        os.close(answer_out)
        self._attach(pid, calls_out, answer_in)

    @classmethod
    def attached(cls, pid: int, calls: int, answer: int) -> Background:
        """The helper already running as child `pid` of this process (:mod:`stance.train.early`),
        reading calls from the pipe end `calls` and answering on `answer`."""
        started = cls(background=False)
        started._attach(pid, calls, answer)
        return started

    def _attach(self, pid: int, calls: int, answer: int) -> None:
        self._pid = pid
        self._answer = open(answer, "rb")  # noqa: SIM115 - closed by finish() or close()
        self._feeder = threading.Thread(target=self._feed, args=(calls,), daemon=True)
        self._feeder.start()

    def _feed(self, fd: int) -> None:
        """Write the submitted calls to the helper, so the run never waits for it to read."""
        stream = open(fd, "wb")  # noqa: SIM115 - closed below, whatever the helper did
        try:
            while (frame := self._outbox.get()) is not None:
                stream.write(_HEADER.pack(len(frame)) + frame)
                stream.flush()
            stream.write(_HEADER.pack(0))  # the end: a closed input without it is a death
            stream.flush()
        except OSError:  # the helper stopped early: finish() says why
            with contextlib.suppress(queue.Empty):
                while self._outbox.get_nowait() is not None:
                    pass
        finally:
            # A helper killed by close() leaves a broken pipe: closing must not raise it again
            # (in this thread it would print a traceback under the run's one error line).
            with contextlib.suppress(OSError):
                stream.close()

    def submit(self, module: str, name: str, *args: Any, keep: bool = False, **kwargs: Any) -> None:
        """Call ``module.name(*args, **kwargs)``, in the helper if there is one.

        Arguments that do not pickle (a model holding a lambda) end the helper's part: the calls
        sent are finished first, this one and the later ones run here (same order, same files).
        """
        if keep:
            self._kept = args[0]
        if self._pid is not None:
            try:
                call = pickle.dumps((module, name, args, kwargs, keep), pickle.HIGHEST_PROTOCOL)
            except Exception:
                self.finish()
            else:
                self._outbox.put(call)
                return
        _call(module, name, args, kwargs, self._kept)

    def finish(self) -> None:
        """Wait for every submitted call; raise the helper's first error here."""
        if self._pid is None:
            return
        self._outbox.put(None)
        self._feeder.join()  # every call written, the helper's input closed
        answer = self._answer.read()
        code = self._reap()
        try:
            error, tb, peak = pickle.loads(answer)
        except Exception:
            raise RuntimeError(
                f"the helper process writing plots and the model file ended (status {code}) "
                "before finishing; rerun, and check free memory and disk space"
            ) from None
        self.peak_memory_mb = peak
        if error is not None:
            raise error from RemoteTraceback(tb)

    def close(self) -> None:
        """Stop the helper without waiting for its calls (after an error in the run)."""
        if self._pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self._pid, signal.SIGKILL)
        self._outbox.put(None)
        self._feeder.join()
        self._reap()

    def _reap(self) -> int:
        self._answer.close()
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        return status

    def __enter__(self) -> Background:
        return self

    def __exit__(self, kind, value, tb) -> None:
        self.close()


def _call(module: str, name: str, args: tuple, kwargs: dict, kept: Any) -> Any:
    function = getattr(importlib.import_module(module), name)
    args = tuple(kept if a is KEPT else a for a in args)
    return function(*args, **kwargs)


def serve(calls: BinaryIO, answer: BinaryIO, warm_up: tuple[str, ...] = ()) -> int:
    """The helper: do the `warm_up` steps, make each call read from `calls` in order,
    stop at the first error and write ``(error, traceback, peak memory)`` to `answer`."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the run decides when the helper stops
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    error = tb = None
    kept: Any = None
    try:
        for step in warm_up:  # "module" (imported) or "module:function" (called)
            module, _, function = step.partition(":")
            found = importlib.import_module(module)
            if function:
                getattr(found, function)()
        while True:
            header = calls.read(_HEADER.size)
            if len(header) < _HEADER.size:  # the run died: leave what it left, as it was
                return 1
            (size,) = _HEADER.unpack(header)
            if size == 0:
                break
            module, name, args, kwargs, keep = pickle.loads(calls.read(size))
            if keep:
                kept = args[0]
            _call(module, name, args, kwargs, kept)
    except BaseException as err:
        tb = traceback.format_exc()
        error = portable(err)
    answer.write(pickle.dumps((error, tb, peak_memory_mb())))
    answer.flush()
    return 0
