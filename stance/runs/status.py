"""``status.json``: whether a run is running, complete or failed (with the reason)."""

from __future__ import annotations

import traceback
from datetime import UTC, datetime
from pathlib import Path

from stance.runs.atomic import write_json

STATUS_FILE = "status.json"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def mark_running(folder: Path) -> dict:
    """Record that the run started; a run killed later stays ``running`` (i.e. incomplete)."""
    state = {"status": "running", "started_at": _now()}
    write_json(folder / STATUS_FILE, state)
    return state


def mark_complete(folder: Path, state: dict) -> None:
    """Record that every artifact was written."""
    write_json(folder / STATUS_FILE, {**state, "status": "complete", "finished_at": _now()})


def mark_failed(folder: Path, state: dict, error: BaseException) -> None:
    """Record the error line and the traceback."""
    write_json(
        folder / STATUS_FILE,
        {
            **state,
            "status": "failed",
            "finished_at": _now(),
            "error": f"{type(error).__name__}: {error}",
            "traceback": "".join(traceback.format_exception(error)),
        },
    )
