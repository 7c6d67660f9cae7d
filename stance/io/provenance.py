"""What a run records about its environment and its data: versions, hashes, the git commit."""

from __future__ import annotations

import hashlib
import platform
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

import pandas as pd

PACKAGES = (
    "stance",
    "scikit-learn",
    "numpy",
    "scipy",
    "pandas",
    "datasets",
    "hydra-core",
    "omegaconf",
    "skops",
    "matplotlib",
)


def sha256(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def git_commit(folder: Path) -> str | None:
    """The checked-out commit of the git repository holding `folder`, or None."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=folder, capture_output=True, text=True, timeout=5
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None if out.returncode == 0 else None


def package_versions(names: tuple[str, ...], missing: str | None = None) -> dict[str, str | None]:
    """The installed version of each package of `names` (`missing` for one not installed)."""
    versions: dict[str, str | None] = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = missing
    return versions


def environment() -> dict[str, Any]:
    """Python, platform, package versions and the git commit of the code."""
    versions = package_versions(PACKAGES)
    return {
        "python": sys.version.split()[0],
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "packages": versions,
        "git_commit": git_commit(Path(__file__).resolve().parent),
    }


def data_manifest(files: list[Path], frame: pd.DataFrame, label_column: str) -> dict[str, Any]:
    """File hashes, split sizes and label counts per split."""
    return {
        "files": {str(p): {"sha256": sha256(p), "bytes": p.stat().st_size} for p in files},
        "split_sizes": {
            str(k): int(v) for k, v in frame["split"].value_counts().sort_index().items()
        },
        "label_counts": {
            str(split): {
                str(k): int(v) for k, v in rows[label_column].value_counts().sort_index().items()
            }
            for split, rows in frame.groupby("split")
        },
    }
