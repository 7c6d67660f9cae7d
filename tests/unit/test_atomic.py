"""stance.io.atomic: whole files or none, their permissions, and the fallback without hard links."""

from __future__ import annotations

import errno
import json
import locale
import os
import stat

import pytest

from stance.io import atomic
from stance.io.atomic import atomic_create, atomic_write, create_json, write_json, write_text

TEXT = "São Paulo backed Kyiv ✓\n"


def _folder_listing(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def c_locale():
    """An ASCII locale, where Python's default text encoding cannot write 'ã'."""
    old = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C")
    yield
    locale.setlocale(locale.LC_CTYPE, old)


def test_write_text_is_utf8_whatever_the_locale(tmp_path, c_locale):
    path = write_text(tmp_path / "a" / "b" / "note.txt", TEXT)  # folders made on the way
    assert path == tmp_path / "a" / "b" / "note.txt"
    assert path.read_bytes() == TEXT.encode("utf-8")
    assert _folder_listing(path.parent) == ["note.txt"]  # no temporary left behind


def test_write_json_is_sorted_indented_utf8_with_a_final_newline(tmp_path, c_locale):
    path = write_json(tmp_path / "m.json", {"b": [1, 2], "a": "ã"})
    assert path.read_bytes() == '{\n  "a": "ã",\n  "b": [\n    1,\n    2\n  ]\n}\n'.encode()
    write_json(path, {"z": None})  # replaces
    assert json.loads(path.read_text(encoding="utf-8")) == {"z": None}


def test_the_temporary_is_hidden_next_to_the_target(tmp_path):
    seen = []

    def write(tmp):
        seen.append(tmp)
        assert _folder_listing(tmp_path) == [tmp.name]  # the target does not exist yet
        tmp.write_text("x", encoding="utf-8")

    atomic_write(tmp_path / "out.csv", write)
    (tmp,) = seen
    assert tmp.parent == tmp_path
    assert tmp.name.startswith(".out.csv.")
    assert tmp.name.endswith(".tmp")
    assert _folder_listing(tmp_path) == ["out.csv"]


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_files_get_the_permissions_of_a_plain_open(tmp_path, monkeypatch, umask):
    # mkstemp makes 0600 files; the written file gets 0666 minus the umask, as open() would
    monkeypatch.setattr(atomic, "_UMASK", umask)
    for path in (
        write_text(tmp_path / "t.txt", "x"),
        create_json(tmp_path / "c.json", {}),
    ):
        assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


def test_the_umask_is_read_without_changing_it():
    old = os.umask(0o027)
    try:
        assert atomic._umask() == 0o027
        assert os.umask(0o027) == 0o027  # still set
    finally:
        os.umask(old)


def test_a_failing_writer_leaves_the_old_file_and_no_temporary(tmp_path):
    path = write_text(tmp_path / "keep.txt", "old")

    def fail(tmp):
        tmp.write_text("half", encoding="utf-8")
        raise KeyboardInterrupt  # even an interruption cleans up

    with pytest.raises(KeyboardInterrupt):
        atomic_write(path, fail)
    assert path.read_text(encoding="utf-8") == "old"
    assert _folder_listing(tmp_path) == ["keep.txt"]


def test_the_writers_own_error_surfaces_when_it_removed_its_temporary(tmp_path):
    def fail(tmp):
        tmp.unlink()
        raise ValueError("writer failed")

    with pytest.raises(ValueError, match="writer failed"):
        atomic_write(tmp_path / "x.txt", fail)
    assert _folder_listing(tmp_path) == []


def test_a_failed_rename_surfaces_its_own_error(tmp_path, monkeypatch):
    def replace(src, dst):
        os.unlink(src)  # e.g. a cleaner removed the temporary meanwhile
        raise PermissionError(errno.EACCES, "denied", str(dst))

    monkeypatch.setattr(atomic.os, "replace", replace)
    with pytest.raises(PermissionError, match="denied"):
        write_text(tmp_path / "x.txt", "x")
    assert _folder_listing(tmp_path) == []


def test_a_folder_that_cannot_be_synced_is_no_error(tmp_path, monkeypatch):
    real_fsync, closed = os.fsync, []

    def fsync(fd):
        if stat.S_ISDIR(os.fstat(fd).st_mode):
            raise OSError(errno.EINVAL, "not on this file system")
        real_fsync(fd)

    real_close = os.close

    def close(fd):
        closed.append(fd)
        real_close(fd)

    monkeypatch.setattr(atomic.os, "fsync", fsync)
    monkeypatch.setattr(atomic.os, "close", close)
    assert write_text(tmp_path / "x.txt", "x").read_text(encoding="utf-8") == "x"
    assert len(closed) == 2  # the temporary's descriptor and the folder's
    real_open = os.open

    def open_(path, flags, *args, **kwargs):
        if os.path.isdir(path):
            raise PermissionError(errno.EACCES, "folders cannot be opened here")
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(atomic.os, "open", open_)
    assert write_text(tmp_path / "y.txt", "y").read_text(encoding="utf-8") == "y"


def test_create_json_writes_once_and_never_replaces(tmp_path, c_locale):
    path = create_json(tmp_path / "status.json", {"b": 1, "a": "ã"})
    assert path.read_bytes() == '{\n  "a": "ã",\n  "b": 1\n}\n'.encode()
    with pytest.raises(FileExistsError):
        create_json(path, {"other": True})
    assert json.loads(path.read_text(encoding="utf-8")) == {"a": "ã", "b": 1}
    assert _folder_listing(tmp_path) == ["status.json"]


@pytest.mark.parametrize("code", [errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV])
def test_create_without_hard_links_checks_then_renames(tmp_path, monkeypatch, code):
    def no_link(src, dst):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(atomic.os, "link", no_link)
    path = atomic_create(tmp_path / "new.txt", lambda p: p.write_text("first", encoding="utf-8"))
    assert path.read_text(encoding="utf-8") == "first"
    with pytest.raises(FileExistsError) as err:
        atomic_create(path, lambda p: p.write_text("second", encoding="utf-8"))
    assert (err.value.errno, err.value.strerror) == (errno.EEXIST, "file exists")
    assert err.value.filename == str(path)
    assert err.value.__cause__ is None
    assert path.read_text(encoding="utf-8") == "first"
    assert _folder_listing(tmp_path) == ["new.txt"]


def test_create_passes_other_link_errors_on_and_cleans_up(tmp_path, monkeypatch):
    def broken(src, dst):
        raise OSError(errno.EIO, "input/output error")

    monkeypatch.setattr(atomic.os, "link", broken)
    with pytest.raises(OSError, match="input/output error"):
        atomic_create(tmp_path / "new.txt", lambda p: p.write_text("x", encoding="utf-8"))
    assert _folder_listing(tmp_path) == []


def test_create_makes_folders_and_syncs_the_folder(tmp_path, monkeypatch):
    synced = []
    monkeypatch.setattr(atomic, "_sync_folder", synced.append)
    path = atomic_create(tmp_path / "a" / "b.txt", lambda p: p.write_text("x", encoding="utf-8"))
    assert synced == [tmp_path / "a"]
    assert _folder_listing(tmp_path / "a") == ["b.txt"]
    write_text(path, "y")
    assert synced == [tmp_path / "a"] * 2
