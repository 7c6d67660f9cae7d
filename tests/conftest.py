"""Shared fixtures. External corpora come from STANCE_DATA_HOME (CI points it at
../shared/datasets); without it, the sibling ../shared/datasets of the checkout is used."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
_FALLBACK = REPO.parent / "shared" / "datasets"

if not os.environ.get("STANCE_DATA_HOME") and _FALLBACK.is_dir():
    os.environ["STANCE_DATA_HOME"] = str(_FALLBACK)
# A relative setting (the README's STANCE_DATA_HOME=../shared/datasets) means the folder as seen
# from where pytest was started; subprocesses run elsewhere, so they get it made absolute.
if os.environ.get("STANCE_DATA_HOME"):
    os.environ["STANCE_DATA_HOME"] = str(Path(os.environ["STANCE_DATA_HOME"]).resolve())
# Tests never touch the network: a Hub load must fail fast instead.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")


@pytest.fixture(scope="session")
def data_home() -> Path:
    """The folder of external corpora; a test needing it fails (never skips) without it."""
    value = os.environ.get("STANCE_DATA_HOME")
    assert value and Path(value).is_dir(), (
        "STANCE_DATA_HOME must point at the external corpora (e.g. ../shared/datasets)"
    )
    return Path(value)


def run_cli(
    *args: str, cwd: Path | None = None, env: dict | None = None, module: str = "stance.train"
):
    """Run `python -m <module> args...` and return the CompletedProcess (text mode)."""
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(autouse=True, scope="session")
def _table_cache(tmp_path_factory) -> Path:
    """Parsed corpus files are cached for this test session only, never in ~/.cache."""
    folder = tmp_path_factory.mktemp("stance-cache")
    os.environ["STANCE_CACHE_DIR"] = str(folder)
    return folder
