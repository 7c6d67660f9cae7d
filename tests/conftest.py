"""Shared fixtures.

External corpora come from STANCE_DATA_HOME (the README's command points it at
../shared/datasets). A test that needs them asks for the ``data_home`` fixture (and names its
corpus folder with :func:`corpus_folder`): without them it is skipped, and the skips add up to
one summary line saying how to run them. With STANCE_REQUIRE_DATA=1 (as ``.ci/run`` sets) a
missing corpus is an error instead, never a skip. Every other test runs with STANCE_DATA_HOME
unset, so a test that reads a corpus without going through ``data_home`` fails everywhere.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import NoReturn

import pytest

REPO = Path(__file__).resolve().parent.parent
DATA_ENV = "STANCE_DATA_HOME"
REQUIRE_ENV = "STANCE_REQUIRE_DATA"
#: Start of the reason of every skip for want of a corpus.
NEEDS_DATA = "needs the external corpora"

# A relative setting (the README's STANCE_DATA_HOME=../shared/datasets) means the folder as seen
# from where pytest was started; subprocesses run elsewhere, so they get it made absolute.
if os.environ.get(DATA_ENV):
    os.environ[DATA_ENV] = str(Path(os.environ[DATA_ENV]).resolve())
# Tests never touch the network: a Hub load must fail fast instead.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("HF_DATASETS_OFFLINE", "1")


def missing_data(problem: str) -> NoReturn:
    """Skip the test for want of a corpus, or fail it when STANCE_REQUIRE_DATA=1."""
    if os.environ.get(REQUIRE_ENV) == "1":
        pytest.fail(f"{problem} ({REQUIRE_ENV}=1: a missing corpus is an error)", pytrace=False)
    pytest.skip(
        f"{NEEDS_DATA} ({problem}); to run them: {DATA_ENV}=/path/to/datasets python -m pytest"
    )


@pytest.fixture(scope="session")
def data_home() -> Path:
    """The folder of external corpora: the one way a test gets at them."""
    value = os.environ.get(DATA_ENV)
    if not value:
        missing_data(f"{DATA_ENV} is not set")
    if not Path(value).is_dir():
        missing_data(f"{DATA_ENV}={value} is not a folder")
    return Path(value)


def corpus_folder(data_home: Path, relative: str) -> Path:
    """``data_home / relative``, which must exist (else skip, or fail when required)."""
    path = data_home / relative
    if not path.exists():
        missing_data(f"{relative} is not in {data_home}")
    return path


@pytest.fixture(autouse=True)
def _corpora_only_through_data_home(request, monkeypatch) -> None:
    if "data_home" not in request.fixturenames:
        monkeypatch.delenv(DATA_ENV, raising=False)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Report every skip for want of a corpus at one place, so ``-ra`` folds them into one
    summary line (``SKIPPED [N] tests/conftest.py: needs the external corpora ...``)."""
    outcome = yield
    report = outcome.get_result()
    longrepr = report.longrepr
    if (
        report.skipped
        and isinstance(longrepr, tuple)
        and str(longrepr[2]).startswith(f"Skipped: {NEEDS_DATA}")
    ):
        report.longrepr = (__file__, missing_data.__code__.co_firstlineno, longrepr[2])


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
