"""Node positions for a network drawing, computed with numpy only."""

from __future__ import annotations

import numpy as np

LAYOUTS = ("circle", "spring")


def circle_layout(n: int) -> np.ndarray:
    """`n` points evenly on the unit circle, the first at the top, clockwise."""
    angles = np.pi / 2 - 2 * np.pi * np.arange(n) / max(n, 1)
    return np.column_stack([np.cos(angles), np.sin(angles)])


def spring_layout(weights: np.ndarray, iterations: int = 300, seed: int = 0) -> np.ndarray:
    """Fruchterman-Reingold positions for an (n, n) matrix of directed edge weights.

    Nodes repel each other as ``k^2 / d`` and linked nodes attract as ``w d^2 / k`` (weights
    symmetrised and scaled to at most 1; ``k = 2 / sqrt(n)``, the spacing of n nodes on a
    2 x 2 square). Starting from a slightly jittered circle (seeded), the step shrinks linearly
    to zero. Positions are scaled into [-1, 1].
    """
    weights = np.asarray(weights, dtype=float)
    n = weights.shape[0]
    if n <= 1:
        return np.zeros((n, 2))
    rng = np.random.default_rng(seed)
    pos = circle_layout(n) + rng.normal(scale=0.05, size=(n, 2))
    scale = weights.max() or 1.0
    adjacency = (weights + weights.T) / (2 * scale)
    k = 2.0 / np.sqrt(n)
    for step in np.linspace(0.1, 0.0, iterations, endpoint=False):
        delta = pos[:, None, :] - pos[None, :, :]
        dist = np.maximum(np.linalg.norm(delta, axis=-1), 1e-3)
        np.fill_diagonal(dist, np.inf)
        repel = (k * k / dist**2)[:, :, None] * delta
        attract = (adjacency * np.where(np.isinf(dist), 0.0, dist) / k)[:, :, None] * delta
        move = (repel - attract).sum(axis=1)
        length = np.maximum(np.linalg.norm(move, axis=1, keepdims=True), 1e-9)
        pos += move / length * np.minimum(length, step)
    pos -= pos.mean(axis=0)
    return pos / (np.abs(pos).max() or 1.0)
