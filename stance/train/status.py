"""``status.json``: whether a run is running, complete, failed (with the reason) or interrupted.

A run stopped by SIGINT or SIGTERM records ``interrupted`` and removes the temporary files of
writes it had under way. A run killed outright (SIGKILL, power loss) stays ``running``; the
recorded ``pid`` and ``host`` tell a reader whether that process still exists (see
:func:`is_stale`), and the run that takes its folder over removes its temporary files.

The takeover lock is a hand-written ``O_CREAT | O_EXCL`` file rather than ``filelock``: its
``FileLock`` (``flock``) is unreliable on the network file systems Slurm sweeps write to and
leaves the lock file in the run folder, and its ``SoftFileLock`` (this same exclusive create)
breaks locks it judges stale, which two advisories (filelock 4.1-4.2.1, and GHSA-fq56-3cx3-fjxp)
showed can admit two holders; here only one run may ever take a folder over, and a lock left
by a killed run is named in the error line for the user to delete.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import traceback
from datetime import UTC, datetime
from pathlib import Path

from stance.errors import ConfigError
from stance.io.atomic import create_json, write_json

STATUS_FILE = "status.json"
LOCK_FILE = ".status.lock"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


#: What a run writes besides ``.hydra/``, its log and ``status.json``: cleared when a new run
#: takes over the folder of a failed or dead one, so the two never mix.
ARTIFACTS: tuple[str, ...] = (
    "config.yaml",
    "env.json",
    "data_manifest.json",
    "metrics.json",
    "predictions",
    "plots",
    "model",
    "README.md",
)


def mark_running(folder: Path) -> dict:
    """Claim `folder` for this run and record that it started.

    A folder holding a complete run, or one whose process is still alive, is refused with a
    ConfigError: two runs never share a folder. The folder of a failed run, or of one that was
    killed (``running`` but its process is gone), is taken over: its artifacts are cleared and
    the new status keeps the old one under ``previous``. A run killed later stays ``running``.
    """
    state = {
        "status": "running",
        "started_at": _now(),
        "pid": os.getpid(),
        "host": socket.gethostname(),
    }
    try:
        create_json(folder / STATUS_FILE, state)
        return state
    except FileExistsError:
        pass
    _refuse_if_held(folder, _read_state(folder))
    # Take over under a lock file, so that of two runs taking over at once only one does;
    # status.json is replaced atomically and never missing, so no third run slips in.
    lock = folder / LOCK_FILE
    try:
        fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
    except FileExistsError:
        raise ConfigError(
            f"run folder {folder} is being claimed by another run; choose another "
            f"hydra.run.dir (or delete {lock} if no run is starting there)."
        ) from None
    try:
        os.write(fd, f"{os.getpid()} {socket.gethostname()}\n".encode())
        os.close(fd)
        previous = _read_state(folder)
        _refuse_if_held(folder, previous)
        state["previous"] = {k: previous[k] for k in ("status", "error") if k in previous}
        write_json(folder / STATUS_FILE, state)
        for name in ARTIFACTS:
            path = folder / name
            if path.is_dir():
                shutil.rmtree(path)
            else:
                path.unlink(missing_ok=True)
        remove_temporaries(folder)
    finally:
        lock.unlink(missing_ok=True)
    return state


def check_claimable(folder: str | Path) -> None:
    """ConfigError when `folder` holds a complete run or a live one (see :func:`mark_running`).

    For callers that must refuse before anything writes there (Hydra writes ``.hydra/`` before
    the run starts).
    """
    folder = Path(folder)
    if (folder / STATUS_FILE).exists():
        _refuse_if_held(folder, _read_state(folder))


def _refuse_if_held(folder: Path, previous: dict) -> None:
    """ConfigError when `previous` is a complete run or one whose process is alive."""
    status = previous.get("status", "unknown")
    if status == "complete" or (status == "running" and not is_stale(previous)):
        holder, hint = "", "remove the old run first"
        if status == "running":
            holder = f" by pid {previous.get('pid')} on {previous.get('host')}"
            hint = "if that run is dead, delete its status.json"
        raise ConfigError(
            f"run folder {folder} already holds a run (status {status!r}{holder}); runs never "
            f"share a folder: choose another hydra.run.dir (or {hint})."
        )


def _read_state(folder: Path) -> dict:
    """The state in `folder`'s status.json ({} when unreadable)."""
    try:
        state = json.loads((folder / STATUS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return state if isinstance(state, dict) else {}


def read_status(folder: Path) -> str:
    """The ``status`` recorded in `folder` (``"unknown"`` when unreadable)."""
    return str(_read_state(folder).get("status", "unknown"))


def is_stale(state: dict) -> bool:
    """True when a ``running`` state belongs to a process on this host that no longer exists."""
    if state.get("status") != "running" or state.get("host") != socket.gethostname():
        return False
    try:
        os.kill(int(state["pid"]), 0)
    except ProcessLookupError:
        return True
    except (KeyError, TypeError, ValueError, PermissionError, OSError):
        return False
    return False


def mark_complete(folder: Path, state: dict) -> None:
    """Record that every artifact was written."""
    write_json(folder / STATUS_FILE, {**state, "status": "complete", "finished_at": _now()})


def mark_interrupted(folder: Path, state: dict, error: BaseException) -> None:
    """Record that a signal stopped the run (``error``: the interrupt), and remove the
    temporary files of the writes it had under way."""
    remove_temporaries(folder)
    reason = str(error) or "interrupted by SIGINT"
    write_json(
        folder / STATUS_FILE,
        {**state, "status": "interrupted", "finished_at": _now(), "error": reason},
    )


def remove_temporaries(folder: Path) -> list[Path]:
    """Delete the ``.<name>.*.tmp`` files that unfinished atomic writes of the run's
    :data:`ARTIFACTS` left in `folder` (never the temporary status file of a run claiming the
    folder at the same moment)."""
    found = [p for name in ARTIFACTS for p in folder.glob(f".{name}.*.tmp")]
    for name in ARTIFACTS:
        if (folder / name).is_dir():
            found += (folder / name).rglob(".*.tmp")
    for path in found:
        path.unlink(missing_ok=True)
    return found


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
