"""A quicker end for a command: no garbage collection over everything at exit (issue 25).

When a process ends, CPython clears every module and runs full garbage collections over what
is left. After a command that imported scikit-learn, scipy and pandas and loaded a model,
that is 0.2-0.4 s of wall time (``benchmarks/cost/ratios.py``), spent tidying memory that the
operating system takes back at once anyway.
"""

from __future__ import annotations

import gc
import io
from contextlib import suppress

#: What ``open()`` gives for writing: the file objects that hold text not yet written.
_BUFFERED = (io.TextIOWrapper, io.BufferedWriter, io.BufferedRandom)


def skip_final_collections() -> None:
    """Flush every open file, then keep every object alive now out of the collections Python
    runs at exit (``gc.freeze``).

    For a console script's last step only. Everything else exit does still happens: atexit
    handlers run (logging's flush among them), threads are joined, standard streams are
    flushed. What is left to the operating system is the objects held in reference cycles,
    which includes every module's globals: a file some library left open there would lose its
    buffered text at exit, which is why every open file is flushed first.
    """
    for obj in gc.get_objects():
        # type(), not isinstance(): isinstance reads obj.__class__, which some objects compute
        # (torch's deprecated names warn when asked)
        if issubclass(type(obj), _BUFFERED):
            with suppress(Exception):  # closed, not writable, a broken pipe: nothing to keep
                obj.flush()
    gc.freeze()
