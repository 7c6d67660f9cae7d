"""Saving a matplotlib figure as a PNG, written whole or not at all, and closing it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stance.io.atomic import atomic_write


def save_png(fig: Any, path: str | Path, dpi: int = 110) -> Path:
    """Lay out `fig`, write it to `path` atomically and close it (it is not drawn again)."""
    import matplotlib.pyplot as plt  # the caller drew with it, so it is imported already

    path = Path(path)
    fig.tight_layout()
    atomic_write(path, lambda p: fig.savefig(p, format="png", dpi=dpi))
    plt.close(fig)
    return path
