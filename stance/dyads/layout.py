"""Node positions for a network drawing, from networkx.

The hand-written Fruchterman-Reingold loop this module held left nodes on top of each other
in a crowded dyad network; :func:`networkx.spring_layout` (the same algorithm, seeded) spreads
them, and :func:`networkx.draw_networkx_edges` ends each arrow at its node's border.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

LAYOUTS = ("circle", "spring")


def circle_layout(n: int) -> np.ndarray:
    """`n` points evenly on the unit circle (:func:`networkx.circular_layout`)."""
    if n == 0:
        return np.zeros((0, 2))
    pos = nx.circular_layout(range(n))
    return np.array([pos[i] for i in range(n)], dtype=float)


def spring_layout(weights: np.ndarray, iterations: int = 300, seed: int = 0) -> np.ndarray:
    """Fruchterman-Reingold positions for an (n, n) matrix of directed edge weights.

    The weights are symmetrised and scaled to at most 1 (a pair that talks more is drawn
    closer); :func:`networkx.spring_layout` with `seed` places the nodes, scaled into [-1, 1].
    """
    weights = np.asarray(weights, dtype=float)
    n = weights.shape[0]
    if n <= 1:
        return np.zeros((n, 2))
    scale = weights.max() or 1.0
    graph = nx.from_numpy_array((weights + weights.T) / (2 * scale))
    pos = nx.spring_layout(graph, weight="weight", iterations=iterations, seed=seed)
    out = np.array([pos[i] for i in range(n)], dtype=float)
    out -= out.mean(axis=0)
    return out / (np.abs(out).max() or 1.0)
