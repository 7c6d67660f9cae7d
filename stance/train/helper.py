"""The helper that :mod:`stance.train.early` spawns: ``main([CALLS, ANSWER, PARENT, STEP,
...])`` (also ``python -m stance.train.helper CALLS ANSWER PARENT [STEP ...]``) asks to die with
the run (`PARENT`), does the warm-up `STEP`\\ s, then serves the run's calls
(:func:`stance.train.background.serve`) from the inherited pipe ends `CALLS` and `ANSWER`."""

from __future__ import annotations

import os
import sys

from stance.io.forking import die_with_parent
from stance.train.background import serve


def main(argv: list[str]) -> int:
    calls, answer, parent = (int(arg) for arg in argv[:3])
    die_with_parent(parent)
    with open(calls, "rb") as calls_in, open(answer, "wb") as answer_out:
        return serve(calls_in, answer_out, tuple(argv[3:]))


if __name__ == "__main__":
    os._exit(main(sys.argv[1:]))  # as a forked helper does: no clean-up of what the run owns
