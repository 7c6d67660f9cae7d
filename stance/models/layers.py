"""Tensor helpers of :class:`~stance.models.encoder.FineTunedEncoder`: running a BERT-style
encoder's layers with a padding mask, mean pooling, and batches of similar length.

``torch`` is passed in by the caller, so importing this module does not import torch.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np


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
    return run(encoder.encoder.layer[:n_layers], hidden, mask, torch)


def run(layers, hidden, mask, torch):
    """`hidden` through `layers` with padding masked out (an additive attention mask)."""
    additive = (~mask)[:, None, None, :].to(hidden.dtype) * torch.finfo(hidden.dtype).min
    for layer in layers:
        out = layer(hidden, attention_mask=additive)
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
