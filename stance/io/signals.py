"""SIGINT and SIGTERM as an exception that long runs can clean up after.

Inside :func:`interruptible`, the first SIGINT or SIGTERM raises :class:`Interrupted` in the
main thread, except within ``guard.critical()`` (appending a batch and recording it), where it
is held until the block ends: a file is never left between a batch and its record. Later
signals are ignored while the run cleans up, so a second Ctrl-C cannot break the clean-up.
Exit with ``128 + err.signum`` (130 for SIGINT, 143 for SIGTERM), as a shell would.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

SIGNALS = (signal.SIGINT, signal.SIGTERM)


class Interrupted(KeyboardInterrupt):
    """The run was stopped by `signum`; `done` says what it had finished (for the user)."""

    def __init__(self, signum: int, done: str = "") -> None:
        super().__init__(f"interrupted by {signal.Signals(signum).name}")
        self.signum = int(signum)
        self.done = done

    @property
    def exit_code(self) -> int:
        """``128 + signum``: 130 for SIGINT, 143 for SIGTERM."""
        return 128 + self.signum


class Guard:
    """Turns signals into :class:`Interrupted`; see :func:`interruptible`."""

    def __init__(self) -> None:
        self._depth = 0
        self._held: int | None = None
        self.stopping = False

    def handle(self, signum: int, frame: Any) -> None:
        if self.stopping:
            return  # already stopping: let the clean-up finish
        if self._depth:
            self._held = signum
            return
        self.stopping = True
        raise Interrupted(signum)

    @contextmanager
    def critical(self) -> Iterator[None]:
        """Hold signals until the block has run (then raise the held one)."""
        self._depth += 1
        try:
            yield
        finally:
            self._depth -= 1
        if not self._depth and self._held is not None and not self.stopping:
            self.stopping = True
            raise Interrupted(self._held)


@contextmanager
def interruptible() -> Iterator[Guard]:
    """Within the block SIGINT and SIGTERM raise :class:`Interrupted` (see the module doc).

    Outside the main thread signals cannot be caught: the block runs with them unchanged.
    """
    guard = Guard()
    if threading.current_thread() is not threading.main_thread():
        yield guard
        return
    previous = {s: signal.signal(s, guard.handle) for s in SIGNALS}
    try:
        yield guard
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
