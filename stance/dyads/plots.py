"""Pictures of dyads: the directed network, monthly net stance, and triple errors by kind."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import networkx as nx
import numpy as np
import pandas as pd

from stance.dyads.layout import LAYOUTS, circle_layout, spring_layout
from stance.errors import DataError
from stance.io.figures import save_png

COLORS = {"support": "tab:green", "oppose": "tab:red"}
#: Node marker area (points^2); arrows end at the marker's border.
NODE_SIZE = 900
#: Curvature of the arrows: support and oppose between the same two actors stay apart.
_BEND = {"support": 0.12, "oppose": 0.3}


def network_nodes(table: pd.DataFrame, max_nodes: int) -> list[str]:
    """The `max_nodes` actors with most support + oppose pairs (sent or received)."""
    voiced = table.assign(_n=table["support"] + table["oppose"])
    voiced = voiced[voiced["_n"] > 0]
    degree = (
        pd.concat([voiced.groupby("source")["_n"].sum(), voiced.groupby("target")["_n"].sum()])
        .groupby(level=0)
        .sum()
    )
    ranked = sorted(degree.items(), key=lambda kv: (-kv[1], kv[0]))[:max_nodes]
    return sorted(name for name, _ in ranked)


def network(
    table: pd.DataFrame,
    path: str | Path,
    layout: str = "circle",
    max_nodes: int = 30,
    seed: int = 0,
    min_count: int = 1,
    title: str = "Who supports or opposes whom",
) -> Path:
    """Directed network of a dyad table: green arrows support, red oppose, width by count.

    Shows the `max_nodes` actors with most support + oppose pairs and, between them, the
    support and oppose arrows of at least `min_count` pairs.
    """
    if layout not in LAYOUTS:
        raise DataError(f"unknown layout {layout!r}; use one of {', '.join(LAYOUTS)}.")
    table = table.assign(
        support=table["support"].where(table["support"] >= min_count, 0),
        oppose=table["oppose"].where(table["oppose"] >= min_count, 0),
    )
    nodes = network_nodes(table, max_nodes)
    index = {name: i for i, name in enumerate(nodes)}
    edges = table[table["source"].isin(index) & table["target"].isin(index)]
    edges = edges[edges["source"] != edges["target"]]
    weights = np.zeros((len(nodes), len(nodes)))
    for s, t, n in zip(
        edges["source"], edges["target"], edges["support"] + edges["oppose"], strict=True
    ):
        weights[index[s], index[t]] += n
    pos = circle_layout(len(nodes)) if layout == "circle" else spring_layout(weights, seed=seed)
    size = 6.5 if len(nodes) > 12 else 5.0
    fig, ax = plt.subplots(figsize=(size, size))
    top = max(int(edges[["support", "oppose"]].to_numpy().max(initial=0)), 1)
    graph = nx.MultiDiGraph()
    graph.add_nodes_from(nodes)
    where = {name: pos[i] for i, name in enumerate(nodes)}
    for stance, color in COLORS.items():
        arrows = [
            (s, t, n)
            for s, t, n in zip(edges["source"], edges["target"], edges[stance], strict=True)
            if n > 0
        ]
        if not arrows:
            continue
        nx.draw_networkx_edges(
            graph,
            where,
            edgelist=[(s, t) for s, t, _ in arrows],
            width=[0.8 + 5.0 * n / top for _, _, n in arrows],
            edge_color=color,
            alpha=0.75,
            arrowstyle="-|>",
            arrowsize=[12 + 6 * n / top for _, _, n in arrows],
            connectionstyle=f"arc3,rad={_BEND[stance]}",
            node_size=NODE_SIZE,
            ax=ax,
        )
    if nodes:
        drawn = nx.draw_networkx_nodes(
            graph, where, node_size=NODE_SIZE, node_color="white", edgecolors="0.3", ax=ax
        )
        drawn.set_zorder(3)
        labels = nx.draw_networkx_labels(
            graph, where, labels={n: n[:8] for n in nodes}, font_size=8, ax=ax
        )
        for text in labels.values():
            text.set_zorder(4)
    else:
        ax.text(0, 0, "no support or oppose pairs", ha="center", va="center", color="0.4")
    for stance, color in COLORS.items():
        ax.plot([], [], color=color, lw=2.5, label=f"{stance} (max {top} per arrow)")
    ax.legend(loc="lower right", fontsize=7, frameon=False)
    ax.set_xlim(-1.3, 1.3)
    ax.set_ylim(-1.3, 1.3)
    ax.set_aspect("equal")
    ax.axis("off")
    ax.set_title(
        f"{title} ({len(nodes)} actors, {int((edges['support'] > 0).sum())} support "
        f"and {int((edges['oppose'] > 0).sum())} oppose dyads)",
        fontsize=9,
    )
    return save_png(fig, path)


def monthly(series: pd.DataFrame, path: str | Path, title: str = "Monthly net stance") -> Path:
    """One panel per dyad: net stance per month, marker area by support + oppose pairs."""
    dyads = list(dict.fromkeys(zip(series["source"], series["target"], strict=True)))
    months = _month_range(series["month"])
    fig, axes = plt.subplots(
        max(len(dyads), 1),
        1,
        figsize=(7, 1.6 * max(len(dyads), 1) + 0.6),
        sharex=True,
        squeeze=False,
    )
    position = {m: i for i, m in enumerate(months)}
    for ax, (source, target) in zip(axes[:, 0], dyads, strict=False):
        rows = series[(series["source"] == source) & (series["target"] == target)]
        x = rows["month"].map(position).to_numpy()
        y = rows["net_stance"].to_numpy(dtype=float)
        n = (rows["support"] + rows["oppose"]).to_numpy()
        ax.axhline(0, color="0.7", lw=0.8)
        ax.plot(x, y, color="0.4", lw=1)
        ax.scatter(x, y, s=12 + 8 * n, c=np.where(y >= 0, "tab:green", "tab:red"), zorder=3)
        ax.set_ylim(-1.15, 1.15)
        ax.set_yticks([-1, 0, 1])
        ax.set_ylabel(f"{source}\u2192{target}", fontsize=8)
    if not dyads:
        axes[0, 0].text(
            0.5, 0.5, "no support or oppose pairs", ha="center", transform=axes[0, 0].transAxes
        )
    last = axes[-1, 0]
    step = max(1, len(months) // 12)
    last.set_xticks(range(0, len(months), step), months[::step], rotation=45, fontsize=7)
    axes[0, 0].set_title(f"{title}: (support - oppose) / (support + oppose)", fontsize=9)
    return save_png(fig, path)


def _month_range(values: pd.Series) -> list[str]:
    """Every month from the first to the last of `values` ("YYYY-MM"), gaps included."""
    if values.empty:
        return []
    periods = pd.PeriodIndex(values, freq="M")
    return [str(m) for m in pd.period_range(periods.min(), periods.max(), freq="M")]


def error_kinds(counts: Mapping[str, int], path: str | Path, title: str) -> Path:
    """Bar plot of triple errors by kind."""
    kinds = list(counts)
    fig, ax = plt.subplots(figsize=(5.5, 3.2))
    bars = ax.bar(range(len(kinds)), [counts[k] for k in kinds], color="tab:gray")
    ax.bar_label(bars, fontsize=8)
    ax.set_xticks(range(len(kinds)), [k.replace("_", "\n") for k in kinds], fontsize=8)
    ax.set_ylabel("errors")
    ax.set_title(title, fontsize=9)
    return save_png(fig, path)
