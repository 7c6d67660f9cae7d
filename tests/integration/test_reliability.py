"""Interrupted, concurrent and repeated training runs (issue 6, parts 3 and 5).

A run is killed with SIGKILL at seeded random moments spread over the duration of a complete
run (measured first) and at the two moments that matter most (the model file has appeared; its
metadata has appeared). Each time the run folder must say it is incomplete, hold no half-written
file, and hold no model that loads but differs from a complete run's. Two runs started in the
same second (the clock pinned) get their own folders and, with the same seed, the same bytes.
"""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
import yaml

from stance import load_model
from stance.data import load_corpus
from stance.errors import ModelFileError
from stance.train.status import is_stale

#: Small and quick, but every artifact (plots included) is written.
OVERRIDES = ("features=word_ngrams", "evaluation.n_resamples=50")
SEED = 20261128
N_RANDOM_KILLS = 5
#: Files whose bytes a run with the same config and seed must reproduce exactly.
DETERMINISTIC = (
    "data_manifest.json",
    "predictions/dev.csv",
    "predictions/test.csv",
    "model/trusted_types.json",
)
PNG_END = b"IEND\xaeB`\x82"
TIMING = re.compile(rb'\n  "timing": \{[^{}]*\},')

#: ``stance-train`` with Hydra's clock pinned, so two processes resolve the same second.
PINNED_CLOCK = """
import datetime, sys
import hydra.core.utils

class Pinned(datetime.datetime):
    @classmethod
    def now(cls, tz=None):
        return cls(2030, 1, 2, 3, 4, 5)

hydra.core.utils.datetime = Pinned
from stance.train.app import main
sys.argv = ["stance-train", *sys.argv[1:]]
main()
"""


def _start(root: Path, tmp: Path, pinned: bool = False) -> subprocess.Popen:
    root.mkdir(parents=True, exist_ok=True)
    head = ["-c", PINNED_CLOCK] if pinned else ["-m", "stance.train"]
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "HF_DATASETS_OFFLINE": "1",
        "HF_DATASETS_CACHE": str(tmp / "hf_cache"),
    }
    env.pop("HYDRA_FULL_ERROR", None)
    # Every run of this file the same config: the module-scoped reference starts before the
    # autouse fixture unsets the data home (which would add the CAMEO files to actors.dictionaries).
    env.pop("STANCE_DATA_HOME", None)
    with open(root / "stdout.txt", "wb") as out, open(root / "stderr.txt", "wb") as err:
        return subprocess.Popen(
            [sys.executable, *head, f"paths.output_root={root / 'outputs'}", *OVERRIDES],
            cwd=root,
            env=env,
            stdout=out,
            stderr=err,
        )


def _folders(root: Path) -> list[Path]:
    return sorted(p for p in (root / "outputs").glob("*/*") if p.is_dir())


def _without_timing(raw: bytes) -> bytes:
    stripped, n = TIMING.subn(b"", raw)
    assert n == 1, "metrics.json has exactly one timing block"
    return stripped


@pytest.fixture(scope="module")
def tmp(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("reliability")


@pytest.fixture(scope="module")
def reference(tmp) -> tuple[Path, float]:
    """A complete run, and how long it took from start to exit."""
    started = time.monotonic()
    proc = _start(tmp / "reference", tmp)
    assert proc.wait(timeout=300) == 0, (tmp / "reference" / "stderr.txt").read_text()[-3000:]
    duration = time.monotonic() - started
    (folder,) = _folders(tmp / "reference")
    assert json.loads((folder / "status.json").read_text())["status"] == "complete"
    return folder, duration


@pytest.fixture(scope="module")
def test_rows() -> pd.DataFrame:
    frame = load_corpus("statements")
    return frame[frame["split"] == "test"].reset_index(drop=True)


@pytest.fixture(scope="module")
def reference_predictions(reference, test_rows) -> pd.DataFrame:
    return load_model(reference[0]).predict(test_rows)


def _artifacts(folder: Path) -> list[str]:
    return [
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.is_file() and not p.name.endswith(".tmp")
    ]


def _check_folder(
    root: Path, reference: Path, expected: pd.DataFrame, rows: pd.DataFrame, pid: int, rc: int
) -> str:
    """Check a possibly interrupted run's folder; return what state it was left in."""
    folders = _folders(root)
    assert len(folders) <= 1, folders
    if not folders:
        return "no folder"  # killed before Hydra made one: nothing to mistake for a run
    folder = folders[0]
    files = [p for p in folder.rglob("*") if p.is_file()]
    leftovers = [p for p in files if p.name.startswith(".") and p.name.endswith(".tmp")]
    artifacts = {p.relative_to(folder).as_posix(): p for p in files if p not in leftovers}
    for name, path in artifacts.items():
        if name.endswith(".json"):
            json.loads(path.read_text(encoding="utf-8"))  # never half-written
        if name.endswith(".png"):
            assert path.read_bytes().endswith(PNG_END), name
    if "status.json" not in artifacts:
        # killed between Hydra making the folder and the run claiming it
        assert {n.split("/")[0] for n in artifacts} <= {".hydra", "train.log"}, artifacts
        return "unclaimed"
    state = json.loads(artifacts["status.json"].read_text())
    assert state["pid"] == pid
    if state["status"] == "complete":
        # a kill may still land after the run finished (while the interpreter exits), but
        # `complete` must mean every artifact is there
        assert set(artifacts) >= set(_artifacts(reference)), "complete, but files are missing"
    else:
        assert rc != 0 and state["status"] in {"running", "failed", "interrupted"}, state
        assert state["status"] != "running" or is_stale(state)

    for name in DETERMINISTIC:
        if name in artifacts:
            assert artifacts[name].read_bytes() == (reference / name).read_bytes(), name
    if "metrics.json" in artifacts:
        assert _without_timing(artifacts["metrics.json"].read_bytes()) == _without_timing(
            (reference / "metrics.json").read_bytes()
        )
    if "env.json" in artifacts:  # the same, but for the commit (others commit meanwhile)
        env, ref = (json.loads((f / "env.json").read_text()) for f in (folder, reference))
        assert env["packages"] == ref["packages"] and env["python"] == ref["python"]
    if "config.yaml" in artifacts:
        config, ref = (yaml.safe_load((f / "config.yaml").read_text()) for f in (folder, reference))
        config.pop("paths"), ref.pop("paths")
        assert config == ref
    if "README.md" in artifacts:
        sha = json.loads(artifacts["model/metadata.json"].read_text())["model_sha256"]
        assert sha in artifacts["README.md"].read_text()

    if not (folder / "model").exists():
        return state["status"]
    if "model/metadata.json" not in artifacts:
        with pytest.raises(ModelFileError, match="did not finish writing its model"):
            load_model(folder)
        return f"{state['status']}, model refused"
    got = load_model(folder).predict(rows)  # it loads, so it must be the complete run's model
    pd.testing.assert_frame_equal(got, expected)
    return f"{state['status']}, model loads and agrees"


def _kill_when(proc: subprocess.Popen, ready, timeout: float = 300) -> bool:
    """SIGKILL `proc` once ``ready()`` is true; False when it exited first."""
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        if ready():
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            return True
        time.sleep(0.002)
    proc.wait(timeout=60)
    return False


def test_killed_runs_never_leave_a_model_that_loads_but_differs(
    tmp, reference, reference_predictions, test_rows
):
    folder, duration = reference
    rng = random.Random(SEED)
    # one random moment in each fifth of a complete run's duration, then the two critical ones
    moments = [duration * (i + rng.random()) / N_RANDOM_KILLS for i in range(N_RANDOM_KILLS)]
    plans = [("at", t) for t in moments] + [
        ("when", "model/model.skops"),
        ("when", "model/metadata.json"),
    ]
    outcomes, killed = [], 0
    for i, (kind, when) in enumerate(plans):
        root = tmp / f"kill{i}"
        started = time.monotonic()
        proc = _start(root, tmp)
        if kind == "at":
            was_killed = _kill_when(proc, lambda t=started + when: time.monotonic() >= t)
        else:
            was_killed = _kill_when(
                proc, lambda name=when, r=root: any((f / name).exists() for f in _folders(r))
            )
        killed += was_killed
        state = _check_folder(
            root, folder, reference_predictions, test_rows, proc.pid, proc.returncode
        )
        outcomes.append((kind, when if kind == "when" else round(when, 2), was_killed, state))
    print("kill outcomes:", *outcomes, sep="\n  ")
    assert killed >= N_RANDOM_KILLS, outcomes
    # the targeted kills struck while the model was being saved, before the run completed
    assert all(was_killed for _, _, was_killed, _ in outcomes[-2:]), outcomes
    assert all("model" in state for *_, state in outcomes[-2:]), outcomes


def test_sigterm_marks_the_run_interrupted_with_one_line(tmp):
    root = tmp / "sigterm"
    proc = _start(root, tmp)
    _wait_for(proc, lambda: any((f / "data_manifest.json").exists() for f in _folders(root)))
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=60) == 128 + signal.SIGTERM
    stderr = (root / "stderr.txt").read_text()
    assert "Traceback" not in stderr
    assert stderr.strip().splitlines()[-1] == (
        "stance-train: error: terminated by signal SIGTERM; the run folder's status.json says "
        "interrupted"
    )
    (folder,) = _folders(root)
    state = json.loads((folder / "status.json").read_text())
    assert state["status"] == "interrupted" and "SIGTERM" in state["error"]
    assert [p for p in folder.rglob("*.tmp")] == []  # no temporary file stays


def _wait_for(proc: subprocess.Popen, ready, timeout: float = 300) -> None:
    deadline = time.monotonic() + timeout
    while not ready():
        assert proc.poll() is None, "the run ended before the moment to interrupt it"
        assert time.monotonic() < deadline
        time.sleep(0.005)


def test_runs_in_the_same_second_get_their_own_folders_and_the_same_bytes(
    tmp, reference, reference_predictions, test_rows
):
    root = tmp / "pair"
    procs = [_start(root, tmp, pinned=True) for _ in range(2)]
    codes = [p.wait(timeout=300) for p in procs]
    assert codes == [0, 0], (root / "stderr.txt").read_text()[-3000:]
    folders = _folders(root)
    assert len(folders) == 2, folders
    assert {f.parent.name for f in folders} == {"2030-01-02"}
    assert all(f.name.startswith("03-04-05_") for f in folders)  # the same second
    pids = {json.loads((f / "status.json").read_text())["pid"] for f in folders}
    assert pids == {p.pid for p in procs}  # each run wrote only its own folder

    ref = reference[0]
    for folder in folders:
        assert json.loads((folder / "status.json").read_text())["status"] == "complete"
        for name in DETERMINISTIC:
            assert (folder / name).read_bytes() == (ref / name).read_bytes(), name
        assert _without_timing((folder / "metrics.json").read_bytes()) == _without_timing(
            (ref / "metrics.json").read_bytes()
        )
        got = load_model(folder).predict(test_rows)
        pd.testing.assert_frame_equal(got, reference_predictions)


def test_a_folder_holding_a_complete_run_is_never_reused(tmp, reference):
    folder = reference[0]
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    result = subprocess.run(
        [sys.executable, "-m", "stance.train", f"hydra.run.dir={folder}", *OVERRIDES],
        cwd=tmp,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"stance-train: error: run folder {folder} already holds a run (status 'complete'); "
        "runs never share a folder: choose another hydra.run.dir (or remove the old run first)."
    ]
    # refused before Hydra wrote anything: .hydra/ and the log are untouched too
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def _abandoned(folder: Path, state: dict) -> Path:
    """A run folder left by a failed or killed run, with some of its artifacts."""
    for name in (".hydra/config.yaml", "train.log", "metrics.json", "plots/pr_dev.png"):
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text("old")
    (folder / "status.json").write_text(json.dumps(state))
    return folder


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


@pytest.mark.parametrize("status", ["failed", "running"])
def test_the_folder_of_a_failed_or_killed_run_is_taken_over_and_cleared(tmp_path, status):
    import socket

    from stance.train.status import mark_running

    previous = {"status": status, "pid": _dead_pid(), "host": socket.gethostname()}
    if status == "failed":
        previous["error"] = "DataError: boom"
    folder = _abandoned(tmp_path, previous)
    state = mark_running(folder)
    assert json.loads((folder / "status.json").read_text()) == state
    assert state["status"] == "running" and state["previous"]["status"] == status
    assert not (folder / "metrics.json").exists() and not (folder / "plots").exists()
    assert (folder / ".hydra" / "config.yaml").exists() and (folder / "train.log").exists()
    assert [p.name for p in folder.iterdir() if p.name.startswith(".status")] == []


def test_a_folder_whose_run_is_alive_is_refused(tmp_path):
    import socket

    from stance.errors import ConfigError
    from stance.train.status import mark_running

    live = {"status": "running", "pid": os.getpid(), "host": socket.gethostname()}
    folder = _abandoned(tmp_path, live)
    with pytest.raises(ConfigError, match=f"status 'running' by pid {os.getpid()}"):
        mark_running(folder)
    assert (folder / "metrics.json").read_text() == "old"


def test_of_runs_taking_over_one_folder_at_once_exactly_one_wins(tmp_path):
    from concurrent.futures import ThreadPoolExecutor

    from stance.errors import ConfigError
    from stance.train.status import mark_running

    folder = _abandoned(tmp_path, {"status": "failed", "error": "x"})

    def claim(_: int) -> bool:
        try:
            mark_running(folder)
        except ConfigError:
            return False
        return True

    with ThreadPoolExecutor(8) as pool:
        won = list(pool.map(claim, range(16)))
    assert sum(won) == 1
    state = json.loads((folder / "status.json").read_text())
    assert state["status"] == "running" and state["previous"]["status"] == "failed"


def test_cli_output_into_a_closed_pipe_exits_quietly():
    """`stance ... | head` closing the pipe early: exit 141 like a shell tool, no traceback."""
    proc = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from stance.cli import run; run()",
            "evaluate-actors",
            "--split",
            "dev",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.close()  # the reader is gone before the first line is written
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 141
    err = err.decode()
    assert "Traceback" not in err and "BrokenPipeError" not in err, err
