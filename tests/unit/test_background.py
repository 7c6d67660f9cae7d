"""Side work of a run in a helper process: calls made in order, errors raised in the run."""

from __future__ import annotations

import os
import signal
import sys
import threading
import time

import pytest

from stance.errors import DataError
from stance.train.background import KEPT, Background, RemoteTraceback

MODES = [False, True] if sys.platform == "linux" else [False]


@pytest.mark.parametrize("background", MODES)
def test_calls_are_made_in_order_with_the_kept_argument(tmp_path, background):
    path = tmp_path / "out.txt"
    with Background(background) as side:
        side.submit("stance.io.atomic", "write_text", path, "first", keep=True)
        side.submit("stance.io.atomic", "write_text", KEPT, "second")
        side.submit("stance.io.atomic", "write_text", tmp_path / "other.txt", "third")
        side.finish()
    assert path.read_text(encoding="utf-8") == "second"
    assert (tmp_path / "other.txt").read_text(encoding="utf-8") == "third"


@pytest.mark.parametrize("background", MODES)
def test_the_first_error_is_raised_in_the_run_and_later_calls_are_not_made(tmp_path, background):
    later = tmp_path / "later.txt"
    side = Background(background)
    helper = not side.in_process  # False too with a single usable CPU
    with side, pytest.raises(DataError, match="not a folder") as caught:
        side.submit("stance.data.home", "data_home", str(tmp_path / "absent"))
        side.submit("stance.io.atomic", "write_text", later, "never")
        side.finish()
    assert not later.exists()
    if helper:  # the helper's traceback comes along as the cause
        assert isinstance(caught.value.__cause__, RemoteTraceback)
        assert "data_home" in str(caught.value.__cause__)


@pytest.mark.skipif(sys.platform != "linux", reason="the helper is a fork on Linux only")
def test_close_stops_a_busy_helper_at_once(tmp_path):
    side = Background(True)
    if side.in_process:
        pytest.skip("a single usable CPU: no helper")
    started = time.perf_counter()
    side.submit("time", "sleep", 30)
    side.close()
    assert time.perf_counter() - started < 10
    side.close()  # a second close is harmless


@pytest.mark.skipif(sys.platform != "linux", reason="the helper is a fork on Linux only")
@pytest.mark.parametrize("pending", [0, 3])
def test_closing_a_helper_that_has_died_prints_nothing(monkeypatch, pending):
    """A run that fails early closes a helper that may already be gone (the kernel kills it
    with the run's parent, or close() does): the feeding thread then meets a broken pipe, which
    must not surface as a thread traceback under the run's one error line."""
    raised: list[BaseException] = []
    monkeypatch.setattr(threading, "excepthook", lambda args: raised.append(args.exc_value))
    side = Background(True)
    if side.in_process:
        pytest.skip("a single usable CPU: no helper")
    os.kill(side._pid, signal.SIGKILL)  # the helper is gone before the run closes it
    time.sleep(0.5)
    for _ in range(pending):
        side.submit("builtins", "len", b"x" * 100_000)
    side.close()
    assert raised == []


def test_without_background_calls_run_at_once(tmp_path):
    side = Background(False)
    side.submit("stance.io.atomic", "write_text", tmp_path / "now.txt", "now")
    assert (tmp_path / "now.txt").read_text(encoding="utf-8") == "now"
    side.finish()


@pytest.mark.parametrize("background", MODES)
def test_an_argument_that_does_not_pickle_is_handled_in_the_run(tmp_path, background):
    path = tmp_path / "out.txt"
    with Background(background) as side:
        side.submit("stance.io.atomic", "write_text", path, "first", keep=True)
        side.submit("builtins", "callable", lambda: None)  # a lambda does not pickle
        side.submit("stance.io.atomic", "write_text", KEPT, "second")
        side.finish()
    assert path.read_text(encoding="utf-8") == "second"
    assert side.in_process


@pytest.mark.skipif(sys.platform != "linux", reason="the helper is a fork on Linux only")
def test_a_killed_run_takes_its_helper_along(tmp_path):
    """A run killed by SIGKILL leaves no file that its helper would have written later."""
    import subprocess

    path = tmp_path / "late.txt"
    code = (
        "import os, signal, time\n"
        "from stance.train.background import Background\n"
        "side = Background(True)\n"
        "side.submit('time', 'sleep', 1.5)\n"
        f"side.submit('stance.io.atomic', 'write_text', {str(path)!r}, 'late')\n"
        "time.sleep(0.5)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
    assert run.returncode == -9
    time.sleep(3)
    assert not path.exists()


@pytest.mark.parametrize("background", MODES)
def test_warm_up_imports_modules_and_calls_functions(tmp_path, background):
    path = tmp_path / "out.txt"
    steps = ("json", "stance.reports.run_plots:pyplot")  # the helper's matplotlib, in advance
    with Background(background, steps) as side:
        side.submit("stance.io.atomic", "write_text", path, "warm")
        side.finish()
    assert path.read_text(encoding="utf-8") == "warm"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the early helper is Linux-only")
def test_the_early_helper_serves_calls_and_dies_with_its_run(tmp_path):
    """stance.train.early: spawned before the imports, taken by the run as its Background; a
    run that takes none stops it; a run killed by SIGKILL takes it along."""
    import subprocess

    from stance.train import early

    for argv in (["--help"], ["-m", "seed=1,2"], ["evaluation.background=false"]):
        early.start(argv)
        assert early.take() is None
    early.start(["seed=1"])
    pid, *_ = early._STARTED[os.getpid()]
    early.discard()
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # reaped

    early.start([])
    side = Background.attached(*early.take())
    side.submit("stance.io.atomic", "write_text", tmp_path / "a.txt", "from the early helper")
    side.finish()
    assert (tmp_path / "a.txt").read_text() == "from the early helper"
    assert side.peak_memory_mb > 50  # it imported the libraries of its warm-up

    path = tmp_path / "late.txt"
    code = (
        "import os, signal, sys, time\n"
        "from stance.train import early\n"
        "from stance.train.background import Background\n"
        "early.start([])\n"
        "side = Background.attached(*early.take())\n"
        "print(side._pid, flush=True)\n"
        "side.submit('time', 'sleep', 1.5)\n"
        f"side.submit('stance.io.atomic', 'write_text', {str(path)!r}, 'late')\n"
        "time.sleep(0.5)\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == -9
    time.sleep(3)
    assert not path.exists()
    assert not os.path.exists(f"/proc/{int(run.stdout)}")  # the helper is gone too
