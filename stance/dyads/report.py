"""Write the dyad view of a predictions table: table, network and monthly series."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from stance.dyads import plots
from stance.dyads.aggregate import dyad_table, monthly_net_stance, top_dyads
from stance.io.atomic import atomic_write


def write_csv(frame: pd.DataFrame, path: Path) -> Path:
    """Atomically write `frame` as UTF-8 csv without its index."""
    return atomic_write(path, lambda p: frame.to_csv(p, index=False, encoding="utf-8"))


def dyad_report(
    predictions: pd.DataFrame,
    output_dir: str | Path,
    date_column: str | None = "date",
    top: int = 6,
    layout: str = "circle",
    max_nodes: int = 30,
    seed: int = 0,
    min_count: int = 1,
) -> dict[str, Any]:
    """Aggregate predicted pairs and write the dyad files into `output_dir`.

    Writes ``dyads.csv`` (:func:`~stance.dyads.aggregate.dyad_table`) and ``network.png`` (arrows of
    at least `min_count` pairs);
    when `predictions` has `date_column`, also ``dyads_monthly.csv`` and ``monthly.png`` for
    the `top` dyads with most support + oppose pairs. Returns the table, the monthly series
    (or None) and the paths written.
    """
    output_dir = Path(output_dir)
    table = dyad_table(predictions)
    paths = {
        "table": write_csv(table, output_dir / "dyads.csv"),
        "network": plots.network(
            table,
            output_dir / "network.png",
            layout=layout,
            max_nodes=max_nodes,
            seed=seed,
            min_count=min_count,
        ),
    }
    series = None
    if date_column and date_column in predictions.columns:
        series = monthly_net_stance(predictions, top_dyads(table, top), date_column)
        paths["monthly_table"] = write_csv(series, output_dir / "dyads_monthly.csv")
        paths["monthly"] = plots.monthly(series, output_dir / "monthly.png")
    return {"table": table, "monthly": series, "paths": paths}
