"""The quicker end of a command (stance.io.teardown): exit's work that matters still happens."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

REPORT = (
    "import atexit, gc\n"
    "atexit.register(lambda: print('frozen at exit:', gc.get_freeze_count() > 1_000))\n"
)


def _python(code: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=cwd,
    )


def test_atexit_threads_and_open_files_still_finish(tmp_path: Path):
    code = textwrap.dedent(
        f"""
        import atexit, threading, time
        from pathlib import Path
        from stance.io.teardown import skip_final_collections

        out = Path({str(tmp_path)!r})
        atexit.register(lambda: (out / "atexit.txt").write_text("ran"))

        def late():
            time.sleep(0.3)
            (out / "thread.txt").write_text("joined")

        threading.Thread(target=late).start()
        def unused():  # __main__'s globals are now a reference cycle, left to the OS
            pass

        handle = open(out / "buffered.txt", "w")  # never closed: its text is only buffered
        handle.write("x" * 1000)
        binary = open(out / "binary.bin", "wb")
        binary.write(b"y" * 1000)
        closed = open(out / "closed.txt", "w")
        closed.close()

        class Computed:  # like torch's deprecated names, which warn when asked their class
            @property
            def __class__(self):
                raise RuntimeError("asked for its class")

        computed = Computed()
        skip_final_collections()
        """
    )
    done = _python(REPORT + code)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "frozen at exit: True"
    assert (tmp_path / "atexit.txt").read_text() == "ran"
    assert (tmp_path / "thread.txt").read_text() == "joined"
    assert (tmp_path / "buffered.txt").read_text() == "x" * 1000
    assert (tmp_path / "binary.bin").read_bytes() == b"y" * 1000


def test_stance_command_ends_without_final_collections_even_on_error(tmp_path: Path):
    code = REPORT + "from stance.cli import run\nrun()\n"
    args = ("predict", "--model", "no-such-run", "--input", "in.csv", "--output", "out.csv")
    done = _python(code, *args, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith("stance: error:"), done.stderr
    assert done.stdout.strip().splitlines()[-1] == "frozen at exit: True"


def test_stance_train_ends_without_final_collections_even_on_error(tmp_path: Path):
    code = REPORT + (
        "import sys\n"
        "sys.argv = ['stance-train', 'model=no_such_model', 'hydra.run.dir=run']\n"
        "from stance.train import main\nmain()\n"
    )
    done = _python(code, cwd=tmp_path)
    assert done.returncode == 2, done.stderr
    assert "stance-train: error:" in done.stderr
    assert done.stdout.strip().splitlines()[-1] == "frozen at exit: True"
