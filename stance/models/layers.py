"""Tensor helpers of :class:`~stance.models.encoder.FineTunedEncoder`: running a BERT-style
encoder's layers with a padding mask, mean pooling, and batches of similar length.

BERT-style means a stack ``encoder.encoder.layer`` fed by ``encoder.embeddings``: BERT and
MiniLM, RoBERTa, XLM-RoBERTa, MPNet (whose layers also take the relative position bias that
:func:`layer_inputs` adds), and the like. :func:`check_layerwise` tells whether running a loaded
model layer by layer reproduces its own output, so another architecture fails with one line
instead of training on wrong vectors.

``torch`` is passed in by the caller, so importing this module does not import torch.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from stance.errors import ConfigError


def blocks(encoder, model: str):
    """The encoder's stack of transformer layers."""
    stack = getattr(getattr(encoder, "encoder", None), "layer", None)
    if stack is None:
        raise ConfigError(
            f"FineTunedEncoder: {model!r} ({encoder.config.model_type}) has no encoder.layer "
            "stack to fine-tune; use a BERT-style encoder (BERT, MiniLM, RoBERTa, XLM-R, "
            "MPNet) or frozen SentenceEmbeddings."
        )
    return stack


def layer_inputs(encoder, hidden) -> dict:
    """Inputs the layers take beyond the hidden states and the mask (MPNet's position bias)."""
    stack = encoder.encoder
    if hasattr(stack, "compute_position_bias"):
        return {"position_bias": stack.compute_position_bias(hidden)}
    return {}


def check_layerwise(encoder, tokenizer, model: str, torch) -> None:
    """Raise :class:`ConfigError` unless running `encoder` layer by layer (as the fine-tuned
    encoder does) gives the model's own output on two probe texts of different lengths."""
    encoded = tokenizer(
        ["Paris praised Rome.", "The minister condemned the new sanctions on Monday."],
        padding=True,
        return_tensors="pt",
    ).to(encoder.device)
    mask = encoded["attention_mask"].bool()
    try:
        with torch.no_grad():
            ours = lower(encoder, encoded, mask, len(blocks(encoder, model)), torch)
            theirs = encoder(**encoded).last_hidden_state
        same = torch.allclose(ours[mask], theirs[mask], atol=1e-4, rtol=1e-3)
    except (TypeError, ValueError, RuntimeError, AttributeError):
        same = False
    if not same:
        raise ConfigError(
            f"FineTunedEncoder: {model!r} ({encoder.config.model_type}) cannot be run layer "
            "by layer here; use a BERT-style encoder (BERT, MiniLM, RoBERTa, XLM-R, MPNet) "
            "or frozen SentenceEmbeddings."
        )


def copy_trainable(modules):
    """A deep copy of `modules` with every parameter trainable."""
    import copy

    layers = copy.deepcopy(modules)
    for parameter in layers.parameters():
        parameter.requires_grad_(True)
    return layers


def lower(encoder, encoded, mask, n_layers: int, torch):
    """The output of the encoder's embeddings and its first `n_layers` (frozen) layers."""
    hidden = encoder.embeddings(
        input_ids=encoded["input_ids"], token_type_ids=encoded.get("token_type_ids")
    )
    stack = encoder.encoder.layer[:n_layers]
    return run(stack, hidden, mask, torch, **layer_inputs(encoder, hidden))


def run(layers, hidden, mask, torch, **inputs):
    """`hidden` through `layers` with padding masked out (an additive attention mask);
    `inputs` go to every layer (from :func:`layer_inputs`)."""
    additive = (~mask)[:, None, None, :].to(hidden.dtype) * torch.finfo(hidden.dtype).min
    for layer in layers:
        out = layer(hidden, attention_mask=additive, **inputs)
        hidden = out[0] if isinstance(out, tuple) else out
    return hidden


def mean(hidden, mask):
    weights = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * weights).sum(dim=1) / weights.sum(dim=1).clamp(min=1.0)


def padded(states, lengths, index: np.ndarray, torch):
    """The states of the texts in `index`, padded to the longest, and their mask."""
    longest = int(lengths[index].max())
    width = states[index[0]].shape[1]
    hidden = torch.zeros(len(index), longest, width)
    mask = torch.zeros(len(index), longest, dtype=torch.bool)
    for row, i in enumerate(index):
        hidden[row, : lengths[i]] = states[i]
        mask[row, : lengths[i]] = True
    return hidden, mask


def length_batches(lengths: np.ndarray, size: int, rng: np.random.Generator) -> Iterator:
    """Batches of texts of similar length, in random order (little padding, still shuffled)."""
    order = rng.permutation(len(lengths))
    pools = [order[i : i + size * 50] for i in range(0, len(order), size * 50)]
    batches = []
    for pool in pools:
        pool = pool[np.argsort(lengths[pool], kind="stable")]
        batches += [pool[i : i + size] for i in range(0, len(pool), size)]
    for j in rng.permutation(len(batches)):
        yield batches[j]
