"""Write files whole or not at all: a temporary name in the same folder, then a rename.

A process killed at any moment leaves either the old file (or none) or the complete new one,
plus at most a hidden ``.<name>.*.tmp`` leftover that nothing reads.
"""

from __future__ import annotations

import errno
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


#: Read once: reading the umask sets it briefly, which threads writing files must not see.
_UMASK = _umask()


def _write_temporary(path: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write`` on a new temporary file next to `path`; return it flushed to disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        with open(tmp_path, "rb+") as handle:
            os.fsync(handle.fileno())
        os.chmod(tmp_path, 0o666 & ~_UMASK)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    return tmp_path


def _sync_folder(folder: Path) -> None:
    """Make a rename in `folder` durable (best effort: not every platform can open folders)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(path: str | os.PathLike, write: Callable[[Path], None]) -> Path:
    """Call ``write(tmp_path)`` and rename the result to `path` once it is complete."""
    path = Path(path)
    tmp_path = _write_temporary(path, write)
    try:
        os.replace(tmp_path, path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)
    return path


def atomic_create(path: str | os.PathLike, write: Callable[[Path], None]) -> Path:
    """Like :func:`atomic_write`, but never replace: raise FileExistsError when `path` exists.

    The complete file appears under its name at once (a hard link), so two processes racing
    to create the same file cannot both succeed.
    """
    path = Path(path)
    tmp_path = _write_temporary(path, write)
    try:
        try:
            os.link(tmp_path, path)
        except FileExistsError:
            raise
        except OSError as err:  # a file system without hard links: check, then rename
            if err.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
                raise
            if path.exists():
                raise FileExistsError(errno.EEXIST, "file exists", str(path)) from None
            os.replace(tmp_path, path)
    finally:
        tmp_path.unlink(missing_ok=True)
    _sync_folder(path.parent)
    return path


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Atomically write UTF-8 text."""
    return atomic_write(path, lambda p: p.write_text(text, encoding="utf-8"))


def _json_text(data: Any) -> str:
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_json(path: str | os.PathLike, data: Any) -> Path:
    """Atomically write JSON (sorted keys, indented, UTF-8)."""
    return write_text(path, _json_text(data))


def create_json(path: str | os.PathLike, data: Any) -> Path:
    """Atomically create a JSON file that must not exist yet (FileExistsError otherwise)."""
    text = _json_text(data)
    return atomic_create(path, lambda p: p.write_text(text, encoding="utf-8"))
