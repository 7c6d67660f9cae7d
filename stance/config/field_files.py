"""The event-data field's dictionary files that a run reads by default, if the data home has them.

``actors.dictionaries`` defaults to ``${stance_field_dictionaries:${paths.data_home}}``: the
CAMEO/Phoenix files of ``<data home>/cameo_dictionaries`` that exist, in the order of
:data:`FIELD_FILES`, or none without a data home (a fresh clone still runs).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["FIELD_FILES", "FOLDER", "field_dictionaries"]

#: The Phoenix/CAMEO files read from ``<data home>/cameo_dictionaries`` when present.
FIELD_FILES: tuple[str, ...] = (
    "Phoenix.Countries.actors.txt",
    "Phoenix.International.actors.txt",
    "Phoenix.MilNonState.actors.txt",
    "Phoenix.agents.txt",
    "CAMEO.2.0.txt",
)
FOLDER = "cameo_dictionaries"


def field_dictionaries(data_home: str | os.PathLike | None = None) -> list[str]:
    """The field's files under ``<data home>/cameo_dictionaries`` that exist, or []."""
    home = data_home if data_home not in (None, "", "None") else os.environ.get("STANCE_DATA_HOME")
    if not home:
        return []
    folder = Path(home).expanduser() / FOLDER
    return [str(folder / name) for name in FIELD_FILES if (folder / name).is_file()]
