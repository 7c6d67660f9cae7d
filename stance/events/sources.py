"""Which dictionary files to read: sniffing a file's kind, and the field's files in the data home.

``actors.dictionaries`` is one list of paths in any order; :func:`sniff` tells an actor file,
an agent file and a verb file apart by their lines (a verb file has ``--- NAME ---`` block
headers or ``- ... * ...`` pattern lines, an agent file ``[~ROLE]`` codes), so a user passes
their own versions without saying which is which. :func:`field_dictionaries`
(:mod:`stance.config.field_files`) lists the CAMEO/Phoenix files of the data home that exist.
:func:`project_dictionaries` are this project's own additions, read after the field's files.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from stance.config.field_files import FIELD_FILES, field_dictionaries
from stance.errors import DataError

__all__ = [
    "FIELD_FILES",
    "field_dictionaries",
    "project_dictionaries",
    "sniff",
    "split_by_kind",
]

Kind = Literal["actors", "agents", "verbs"]
_PROJECT_DIR = Path(__file__).resolve().parent.parent / "actors" / "data" / "cameo"
_VERB_LINE = re.compile(r"^(---.*---\s*$|-\s.*\*)")
_AGENT_CODE = re.compile(r"\[~[A-Z]|[A-Z]~\]")


def sniff(path: str | os.PathLike) -> Kind:
    """The kind of a dictionary file, from its first lines (see the module doc)."""
    path = Path(path)
    if not path.is_file():
        raise DataError(
            f"dictionary file {str(path)!r} not found; fix actors.dictionaries (a list of paths "
            "to CAMEO/Phoenix actor, agent or verb files) or put the file there."
        )
    agent_lines = 0
    with path.open(encoding="utf-8", errors="replace") as handle:
        for number, line in enumerate(handle):
            if number > 3000:
                break
            body = line.split("#", 1)[0]
            if _VERB_LINE.match(body):
                return "verbs"
            agent_lines += bool(_AGENT_CODE.search(body))
    return "agents" if agent_lines else "actors"


def split_by_kind(paths: Sequence[str | os.PathLike]) -> dict[Kind, list[str]]:
    """`paths` grouped by :func:`sniff`, each group in the given order."""
    out: dict[Kind, list[str]] = {"actors": [], "agents": [], "verbs": []}
    for path in paths:
        out[sniff(path)].append(str(path))
    return out


def project_dictionaries() -> list[str]:
    """This project's additions (actors, agents, verbs), read after the field's files."""
    return [str(p) for p in sorted(_PROJECT_DIR.glob("stance.*.txt"))]
