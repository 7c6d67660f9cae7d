"""Where external corpora and the bundled corpus live."""

from __future__ import annotations

import os
from pathlib import Path

from stance.errors import DataError

ENV_VAR = "STANCE_DATA_HOME"
_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def data_home(override: str | os.PathLike | None = None) -> Path:
    """Return the folder holding external corpora.

    `override` (from config ``paths.data_home``) wins over the ``STANCE_DATA_HOME`` variable.
    """
    value = override if override not in (None, "") else os.environ.get(ENV_VAR)
    if not value:
        raise DataError(
            f"{ENV_VAR} is not set: point it at the folder holding the external corpora "
            f"(e.g. export {ENV_VAR}=../shared/datasets) or pass paths.data_home=/path/to/corpora."
        )
    path = Path(value).expanduser()
    if not path.is_dir():
        raise DataError(
            f"data home {str(path)!r} is not a folder; set {ENV_VAR} or paths.data_home "
            "to the folder holding the external corpora."
        )
    return path


def corpus_dir(folder: str, override: str | os.PathLike | None = None) -> Path:
    """Return ``<data home>/<folder>``, failing with one line when it is absent or empty."""
    home = data_home(override)
    path = home / folder
    if not path.is_dir() or not any(path.iterdir()):
        raise DataError(
            f"corpus folder {folder!r} not found under data home {str(home)!r}; "
            f"put the corpus there or point {ENV_VAR} at the folder that holds it."
        )
    return path


def bundled_dir(name: str) -> Path:
    """Return the folder of a corpus this project ships (inside the wheel or the checkout)."""
    for candidate in (_PACKAGE_DIR / "bundled" / name, _PACKAGE_DIR.parent / "data" / name):
        if candidate.is_dir():
            return candidate
    raise DataError(
        f"bundled corpus {name!r} is missing from this installation; reinstall stance "
        "(pip install --force-reinstall stance) or run from a full checkout."
    )
