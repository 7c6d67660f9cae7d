"""Model files: skops with a saved trusted-type list and a hash in the metadata.

Loading never unpickles: skops only rebuilds the types it is told to trust, and we trust only
the list saved with the model, and from it only classes (never functions) defined in modules
under :data:`TRUSTABLE_PREFIXES`. The list travels with the file, so it is checked, not
believed: a crafted list naming ``builtins.eval`` or ``posix.system`` is refused.
"""

from __future__ import annotations

import importlib
import json
import re
from pathlib import Path
from typing import Any

from stance.errors import ModelFileError, first_line
from stance.io.atomic import atomic_write, write_json
from stance.io.provenance import sha256
from stance.io.skops_import import skops_io

MODEL_FILE = "model.skops"
TRUSTED_FILE = "trusted_types.json"
METADATA_FILE = "metadata.json"
CARD_FILE = "README.md"
TRUSTABLE_PREFIXES: tuple[str, ...] = ("stance.", "sklearn.", "numpy.", "scipy.")
PICKLE_SUFFIXES = (".pkl", ".pickle", ".joblib")
_CARD_HASH = re.compile(r"SHA-256 `([0-9a-f]{64})`")


def trustable(name: object) -> bool:
    """True when `name` is the full name of a class defined in a module under
    :data:`TRUSTABLE_PREFIXES`. Functions, re-exported names and builtins never are: skops
    already trusts the harmless builtins and numpy ufuncs by itself."""
    if not isinstance(name, str) or not name.startswith(TRUSTABLE_PREFIXES):
        return False
    found = _resolve(name)
    return (
        isinstance(found, type)
        and f"{found.__module__}.{found.__name__}" == name
        and found.__module__.startswith(TRUSTABLE_PREFIXES)
    )


def _resolve(name: str) -> object | None:
    """The object `name` refers to, importing only its (already allowed) module; else None."""
    parts = name.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            found: object = importlib.import_module(".".join(parts[:cut]))
        except Exception:  # not a module (or one that fails to import): try a shorter prefix
            continue
        try:
            for attribute in parts[cut:]:
                found = getattr(found, attribute)
        except AttributeError:
            return None
        return found
    return None


def save_model(model: Any, folder: str | Path, metadata: dict[str, Any]) -> Path:
    """Write ``model.skops``, ``trusted_types.json`` and, last, ``metadata.json`` (with the hash).

    Returns the model folder. A run killed before the metadata is written leaves a folder that
    :func:`load_model_file` refuses.
    """
    sio = skops_io()  # imported when needed: it imports every scikit-learn module

    folder = Path(folder)
    data = sio.dumps(model)
    trusted = sorted(sio.get_untrusted_types(data=data))
    foreign = [t for t in trusted if not trustable(t)]
    if foreign:
        raise ModelFileError(
            f"the model contains {foreign}, which are not classes from {TRUSTABLE_PREFIXES}; "
            "build it from stance./sklearn. classes only (no functions as parameters)."
        )
    atomic_write(folder / MODEL_FILE, lambda p: p.write_bytes(data))
    write_json(folder / TRUSTED_FILE, trusted)
    write_json(folder / METADATA_FILE, {**metadata, "model_sha256": sha256(folder / MODEL_FILE)})
    return folder


def model_folder(path: str | Path) -> Path:
    """The folder holding ``model.skops`` for a run folder, a model folder or a model file."""
    path = Path(path)
    if not path.exists():
        raise ModelFileError(f"{path}: no such run folder or model file; check the path.")
    if path.is_file():
        if path.suffix in PICKLE_SUFFIXES:
            return path
        if path.name not in (MODEL_FILE, METADATA_FILE, TRUSTED_FILE):
            raise ModelFileError(
                f"{path}: not a model file; pass a run folder written by stance-train, its "
                f"model/ folder or its {MODEL_FILE}."
            )
        return path.parent
    for candidate in (path / "model", path):
        if (candidate / MODEL_FILE).is_file() or (candidate / METADATA_FILE).is_file():
            return candidate
    raise ModelFileError(
        f"{path}: no {MODEL_FILE} found in it or in its model/ folder; "
        "pass a run folder written by stance-train or its model file."
    )


def load_model_file(path: str | Path, allow_pickle: bool = False) -> tuple[Any, dict[str, Any]]:
    """Load a model and its metadata, refusing anything untrusted, altered or incomplete."""
    folder = model_folder(path)
    if folder.is_file():
        return _load_pickle(folder, allow_pickle)
    meta_path, model_path = folder / METADATA_FILE, folder / MODEL_FILE
    if not meta_path.is_file():
        raise ModelFileError(
            f"{meta_path}: missing, so the run did not finish writing its model; "
            "retrain or use a complete run."
        )
    if not model_path.is_file():
        raise ModelFileError(f"{model_path}: missing; retrain or use a complete run.")
    metadata, trusted = (_read_json(p) for p in (meta_path, folder / TRUSTED_FILE))
    if not isinstance(metadata, dict) or not isinstance(trusted, list):
        raise ModelFileError(
            f"{model_path}: its {METADATA_FILE} must hold an object and {TRUSTED_FILE} a list; "
            "the files were altered: use the original run or retrain."
        )
    digest = sha256(model_path)
    if digest != metadata.get("model_sha256"):
        raise ModelFileError(
            f"{model_path}: its SHA-256 does not match the one in {METADATA_FILE}; the file was "
            "altered or replaced; use the original file or retrain."
        )
    card_digest = _card_digest(folder)
    if card_digest is not None and card_digest != digest:
        raise ModelFileError(
            f"{model_path}: its SHA-256 does not match the one in the model card "
            f"{folder.parent / CARD_FILE}; the file was altered or replaced; use the original "
            "run folder or retrain."
        )
    bad_trusted = [t for t in trusted if not trustable(t)]
    sio = skops_io()

    try:
        untrusted = sio.get_untrusted_types(file=model_path)
    except Exception as err:
        raise ModelFileError(
            f"{model_path}: not a readable skops file ({first_line(err)}); retrain."
        ) from None
    refused = sorted(map(str, set(bad_trusted) | (set(untrusted) - set(trusted))))
    if refused:
        raise ModelFileError(
            f"{model_path}: refusing to load untrusted type(s) {refused}; only classes from "
            f"{', '.join(TRUSTABLE_PREFIXES)} listed in {TRUSTED_FILE} are loaded."
        )
    try:
        model = sio.load(model_path, trusted=untrusted)
    except Exception as err:
        raise ModelFileError(
            f"{model_path}: corrupt model file ({first_line(err)}); retrain."
        ) from None
    return model, metadata


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise ModelFileError(f"{path}: unreadable ({first_line(err)}); retrain.") from None


def _card_digest(folder: Path) -> str | None:
    """The model file's SHA-256 as the run's model card states it (None without a card)."""
    if folder.name != "model":
        return None
    card = folder.parent / CARD_FILE
    try:
        match = _CARD_HASH.search(card.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError):
        return None
    return match.group(1) if match else None


def _load_pickle(path: Path, allow_pickle: bool) -> tuple[Any, dict[str, Any]]:
    if not allow_pickle:
        raise ModelFileError(
            f"{path}: pickle/joblib files can run arbitrary code when loaded and are refused; "
            "use a skops model from stance-train, or pass allow_pickle=True if you trust it."
        )
    import joblib

    meta_path = path.with_name(METADATA_FILE)
    metadata = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
    return joblib.load(path), metadata
