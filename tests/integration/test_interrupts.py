"""`stance predict` stopped at any chunk by any signal resumes into the very bytes an
uninterrupted run writes; SIGINT/SIGTERM stop it within seconds with one line and leave no
process behind; a resume against another input or model is refused."""

from __future__ import annotations

import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from stance.errors import DataError
from stance.predict.files import predict_file
from tests.predict_inputs import news, pair_model, text_model

CHUNK = 50
ROWS = 3000


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """A pair model, raw news text (text_id counts rows: a resume must not restart it) and
    the output of an uninterrupted run."""
    root = tmp_path_factory.mktemp("interrupts")
    pair_model(root / "pair")
    news(root / "news.csv", ROWS)
    result = subprocess.run(_command(root, root / "clean.csv", jobs=1), capture_output=True)
    assert result.returncode == 0, result.stderr.decode()
    return root


def _command(root: Path, out: Path, jobs: int) -> list[str]:
    return [
        *(sys.executable, "-m", "stance.cli", "predict"),
        *("--model", str(root / "pair"), "--input", str(root / "news.csv")),
        *("--output", str(out), "--chunk-size", str(CHUNK), "--jobs", str(jobs), "--quiet"),
    ]


def _rows_done(out: Path) -> int:
    try:
        return json.loads(out.with_name(out.name + ".progress.json").read_text())["rows_in"]
    except (OSError, ValueError, KeyError):
        return 0


def _descendants(pid: int) -> set[int]:
    found, stack = set(), [pid]
    while stack:
        for task in Path(f"/proc/{stack.pop()}/task").glob("*"):
            try:
                children = {int(c) for c in (task / "children").read_text().split()}
            except OSError:
                continue
            stack += sorted(children - found)
            found |= children
    return found


def _alive(pid: int) -> bool:
    """True while `pid` runs (a zombie, dead but not yet reaped, counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _start_and_signal(command: list[str], out: Path, after_rows: int, signum: int):
    """Run `command`, send `signum` once `after_rows` input rows are recorded; return the
    process, its stderr, the seconds it took to exit after the signal and its children."""
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 300
    while _rows_done(out) < after_rows and process.poll() is None:
        assert time.monotonic() < deadline, "no progress"
        time.sleep(0.002)
    children = _descendants(process.pid)
    sent = time.monotonic()
    process.send_signal(signum)
    _, stderr = process.communicate(timeout=60)
    return process, stderr, time.monotonic() - sent, children


@pytest.mark.parametrize("seed", [1, 2, 3])
@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_stopped_at_a_random_chunk_then_resumed_gives_the_same_bytes(
    folder, tmp_path, seed, signum
):
    chunk = random.Random(seed).randrange(1, ROWS // CHUNK // 2)
    jobs = 2 if seed == 2 else 1  # the pool once per signal: its workers start slowly
    out = tmp_path / "out.csv"
    command = _command(folder, out, jobs)
    process, stderr, _, _ = _start_and_signal(command, out, chunk * CHUNK, signum)
    if out.exists():  # finished before the signal landed: nothing to resume
        assert out.read_bytes() == (folder / "clean.csv").read_bytes()
        return
    done = _rows_done(out)
    partial = out.with_name("out.csv.partial")
    if signum == signal.SIGTERM:
        assert process.returncode == 143
        line = stderr.strip().splitlines()[-1]
        assert line == (
            f"stance: interrupted after {done:,} input rows; resume with: stance predict "
            f"--model {folder / 'pair'} --input {folder / 'news.csv'} --output {out} "
            f"--chunk-size {CHUNK} --jobs {jobs} --quiet --resume"
        )
        assert "Traceback" not in stderr
        assert (
            partial.stat().st_size == json.loads(Path(f"{out}.progress.json").read_text())["bytes"]
        )  # the partial ends at its last recorded batch
    else:
        assert process.returncode == -signal.SIGKILL
    assert done % CHUNK == 0 and done > 0
    result = subprocess.run([*command, "--resume"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes() == (folder / "clean.csv").read_bytes()
    assert not partial.exists() and not Path(f"{out}.progress.json").exists()
    assert re.search(r"from 3000 statement\(s\)", result.stderr)  # counts cover both runs


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGKILL], ids=["SIGTERM", "SIGKILL"])
def test_no_worker_outlives_a_stopped_predict(folder, tmp_path, signum):
    out = tmp_path / "out.csv"
    process, stderr, seconds, children = _start_and_signal(
        _command(folder, out, jobs=2), out, CHUNK, signum
    )
    assert not out.exists(), "finished before the signal"
    assert len(children) >= 2, children  # the two workers at least
    if signum == signal.SIGTERM:
        assert process.returncode == 143 and seconds < 5, (process.returncode, seconds)
        assert "Traceback" not in stderr
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert [pid for pid in children if _alive(pid)] == []


def test_sigint_stops_with_one_line_and_exit_130(folder, tmp_path):
    out = tmp_path / "out.csv"
    command = _command(folder, out, jobs=1)
    process, stderr, seconds, _ = _start_and_signal(command, out, 2 * CHUNK, signal.SIGINT)
    assert process.returncode == 130 and seconds < 5
    assert stderr.strip().splitlines() == [
        f"stance: interrupted after {_rows_done(out):,} input rows; resume with: "
        f"stance predict --model {folder / 'pair'} --input {folder / 'news.csv'} --output "
        f"{out} --chunk-size {CHUNK} --jobs 1 --quiet --resume"
    ]
    assert subprocess.run([*command, "--resume"], capture_output=True).returncode == 0
    assert out.read_bytes() == (folder / "clean.csv").read_bytes()


def _fail_after(batches: int):
    def on_batch(state: dict) -> None:
        if state["batches"] == batches:
            raise DataError("the disk went away")

    return on_batch


def test_resume_against_another_input_model_or_options_is_refused(folder, tmp_path):
    model = text_model(tmp_path / "text")
    source = tmp_path / "in.csv"
    shutil.copy(folder / "news.csv", source)
    out = tmp_path / "out.csv"
    with pytest.raises(DataError) as stopped:
        predict_file(
            folder / "pair", source, out, chunk_size=CHUNK, quiet=True, on_batch=_fail_after(3)
        )
    assert str(stopped.value) == (
        f"the disk went away; {out}.partial keeps the 150 input rows done: --resume continues "
        "it (same input and options), --overwrite starts again."
    )
    partial, progress = Path(f"{out}.partial"), Path(f"{out}.progress.json")
    kept = partial.read_bytes(), progress.read_bytes()

    def resume(model_dir: Path, input_path: Path, **options) -> str:
        options = {"chunk_size": CHUNK, "quiet": True, "resume": True, **options}
        with pytest.raises(DataError) as refused:
            predict_file(model_dir, input_path, out, **options)
        assert (partial.read_bytes(), progress.read_bytes()) == kept  # nothing touched
        return str(refused.value)

    with pytest.raises(DataError, match="pass --resume to continue it or --overwrite"):
        predict_file(folder / "pair", source, out, chunk_size=CHUNK, quiet=True)
    other = tmp_path / "other.csv"
    other.write_bytes(source.read_bytes().replace(b"Russia", b"Canada", 1))
    assert re.fullmatch(
        rf"--resume: {partial} was written from another input \({source}, SHA-256 "
        r"[0-9a-f]{12}\.\.\.\), not "
        rf"{other} \(SHA-256 [0-9a-f]{{12}}\.\.\.\); pass --overwrite to start again \(or "
        r"resume with those\)\.",
        resume(folder / "pair", other),
    )
    assert "was written by another model" in resume(model, source)
    assert "was written with --chunk-size 50, not --chunk-size 40" in resume(
        folder / "pair", source, chunk_size=40
    )
    assert "was written with no --drop-neutral, not --drop-neutral" in resume(
        folder / "pair", source, drop_neutral=True
    )
    moved = tmp_path / "moved.csv"  # the same bytes under another name may continue
    os.replace(source, moved)
    predict_file(folder / "pair", moved, out, chunk_size=CHUNK, quiet=True, resume=True)
    assert out.read_bytes() == (folder / "clean.csv").read_bytes()
    with pytest.raises(DataError, match="is already complete .* pass --overwrite"):
        predict_file(folder / "pair", moved, out, chunk_size=CHUNK, quiet=True, resume=True)
