"""Which dictionary files to read: sniffing a file's kind, and the field's files in the data home.

``actors.dictionaries`` is one list of paths in any order; :func:`sniff` tells an actor file,
an agent file and a verb file apart by their lines (a verb file has ``--- NAME ---`` block
headers or ``- ... * ...`` pattern lines, an agent file ``[~ROLE]`` codes), so a user passes
their own versions without saying which is which. :func:`field_dictionaries` lists the
CAMEO/Phoenix files of ``<data home>/cameo_dictionaries`` that exist (none without a data home).
:func:`project_dictionaries` are this project's own additions, read after the field's files.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

from stance.errors import DataError

__all__ = [
    "FIELD_FILES",
    "field_dictionaries",
    "project_dictionaries",
    "sniff",
    "split_by_kind",
]

Kind = Literal["actors", "agents", "verbs"]
#: The Phoenix/CAMEO files read from ``<data home>/cameo_dictionaries`` when present.
FIELD_FILES: tuple[str, ...] = (
    "Phoenix.Countries.actors.txt",
    "Phoenix.International.actors.txt",
    "Phoenix.MilNonState.actors.txt",
    "Phoenix.agents.txt",
    "CAMEO.2.0.txt",
)
FOLDER = "cameo_dictionaries"
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


def field_dictionaries(data_home: str | os.PathLike | None = None) -> list[str]:
    """The field's files under ``<data home>/cameo_dictionaries`` that exist, or []."""
    home = data_home if data_home not in (None, "") else os.environ.get("STANCE_DATA_HOME")
    if not home:
        return []
    folder = Path(home).expanduser() / FOLDER
    return [str(folder / name) for name in FIELD_FILES if (folder / name).is_file()]


def project_dictionaries() -> list[str]:
    """This project's additions (actors, agents, verbs), read after the field's files."""
    return [str(p) for p in sorted(_PROJECT_DIR.glob("stance.*.txt"))]
