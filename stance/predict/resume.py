"""What a streamed prediction leaves beside its output, and when ``--resume`` may continue it.

``<output>.partial`` holds the finished batches; ``<output>.progress.json`` (written before the
first row, then after every batch) records the rows read and the bytes written, and what the
rows were made from: the input's SHA-256 and size, the model file's SHA-256 and the options
that shape the output (chunk size, drop-neutral, encoding, output format). ``--resume``
continues only when all of these match, so the resumed file is byte for byte the file an
uninterrupted run writes; any difference is refused in one line naming it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from stance.errors import ConfigError, DataError
from stance.io.atomic import write_json

#: Version of the progress record; a record of another version is never resumed.
FORMAT = 2


@dataclass(frozen=True)
class Leftovers:
    """The files of a streamed prediction into `output`."""

    output: Path

    @property
    def partial(self) -> Path:
        return self.output.with_name(self.output.name + ".partial")

    @property
    def progress(self) -> Path:
        return self.output.with_name(self.output.name + ".progress.json")

    def exist(self) -> bool:
        return self.partial.exists() or self.progress.exists()

    def remove(self) -> None:
        self.partial.unlink(missing_ok=True)
        self.progress.unlink(missing_ok=True)

    def record(self, state: dict[str, Any]) -> None:
        """Write the progress record (atomically)."""
        write_json(self.progress, state)


def check_output_path(output: Path, input_path: Path) -> None:
    """One DataError line for an output path that cannot be written, before any work."""
    if output.exists() and output.is_dir():
        raise DataError(
            f"{output}: is a folder; give a file name inside it, e.g. {output / 'predictions.csv'}."
        )
    folder = output.parent
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "does not exist"
        raise DataError(
            f"{output}: the folder {folder} {what}; create it (mkdir -p {folder}) or choose "
            "another --output."
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise DataError(f"{output}: no permission to write in {folder}; choose another --output.")
    if output.resolve() == input_path.resolve():
        raise DataError(f"{output}: the output would overwrite the input; choose another path.")


def check_leftovers(files: Leftovers, *, resume: bool, overwrite: bool) -> None:
    """Refuse, before any work, an output or leftovers that the options do not account for."""
    if resume and overwrite:
        raise ConfigError("--resume and --overwrite exclude each other; pass one.")
    if overwrite or (resume and files.exist()):
        return
    if files.exist():
        raise DataError(
            f"{files.partial} is left from an interrupted run ({_done(files)}); pass --resume "
            "to continue it or --overwrite to start again."
        )
    if resume and files.output.exists():
        raise DataError(
            f"{files.output} is already complete (there is no {files.partial.name} to resume); "
            "pass --overwrite to predict it again."
        )
    if files.output.exists():
        raise DataError(
            f"{files.output} already exists; pass --overwrite to replace it or choose another "
            "--output."
        )


def start(
    files: Leftovers, fingerprint: dict[str, Any], *, resume: bool, overwrite: bool
) -> dict[str, Any]:
    """The state to start from: the checked record of the run to continue, or a fresh one
    (recorded before the first row is written). Call :func:`check_leftovers` first."""
    if resume and files.exist():
        return _resumable(files, fingerprint)
    if overwrite:
        files.remove()
    state = {"format": FORMAT, **fingerprint, "rows_in": 0, "bytes": 0, "batches": 0}
    files.record(state)
    return state


def _done(files: Leftovers) -> str:
    try:
        rows = json.loads(files.progress.read_text(encoding="utf-8"))["rows_in"]
        return f"{rows:,} input rows done"
    except (OSError, ValueError, KeyError, TypeError):
        return "no progress record"


def _resumable(files: Leftovers, fingerprint: dict[str, Any]) -> dict[str, Any]:
    """The recorded state, checked against `fingerprint`."""
    fix = "pass --overwrite to start again"
    try:
        state = json.loads(files.progress.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(
            f"{files.partial} has no progress record ({files.progress.name}), so what it holds "
            f"cannot be checked; {fix}."
        ) from None
    except (OSError, ValueError) as err:
        raise DataError(f"{files.progress}: unreadable ({err}); {fix}.") from None
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise DataError(
            f"{files.progress} was written by another version of stance and cannot be checked; "
            f"{fix}."
        )
    problem = mismatch(state, fingerprint)
    if problem:
        raise DataError(f"--resume: {files.partial} {problem}; {fix} (or resume with those).")
    size = files.partial.stat().st_size if files.partial.exists() else 0
    if size < state["bytes"]:
        raise DataError(
            f"--resume: {files.partial} holds {size:,} bytes but its record says "
            f"{state['bytes']:,} were written; it was altered: {fix}."
        )
    return state


def mismatch(state: dict[str, Any], fingerprint: dict[str, Any]) -> str | None:
    """How the recorded run differs from this one, as a clause (None when it does not)."""
    was, now = state.get("input", {}), fingerprint["input"]
    if (was.get("sha256"), was.get("size")) != (now["sha256"], now["size"]):
        if was.get("path") == now["path"]:
            return (
                f"was written from {now['path']} when its SHA-256 was "
                f"{str(was.get('sha256'))[:12]}..., and the file has changed since (now "
                f"{now['sha256'][:12]}...)"
            )
        return (
            f"was written from another input ({was.get('path')}, SHA-256 "
            f"{str(was.get('sha256'))[:12]}...), not {now['path']} "
            f"(SHA-256 {now['sha256'][:12]}...)"
        )
    if state.get("model") != fingerprint["model"]:
        return (
            f"was written by another model (SHA-256 {str(state.get('model'))[:12]}...), not "
            f"this one ({fingerprint['model'][:12]}...)"
        )
    options = state.get("options", {})
    for name, value in fingerprint["options"].items():
        if options.get(name) != value:
            return f"was written with {_flag(name, options.get(name))}, not {_flag(name, value)}"
    return None


def _flag(name: str, value: Any) -> str:
    flag = "--" + name.replace("_", "-")
    if isinstance(value, bool):
        return flag if value else f"no {flag}"
    return f"{flag} {value}"
