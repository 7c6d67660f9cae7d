"""``stance aggregate SWEEP_DIR``: one table over the runs of a Hydra multirun sweep.

Rows are runs (overrides, status, metrics); a *setting* is a run's overrides without ``seed``.
Settings get mean and standard deviation over seeds; the best setting (highest mean primary
metric on dev, or on test when there is no dev) is compared with every other setting on the
same test items by McNemar's test and a paired bootstrap. Failed runs are listed, not hidden.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from stance.errors import DataError
from stance.evaluation.significance import mcnemar, paired_bootstrap
from stance.io.atomic import atomic_write, write_text
from stance.io.figures import save_png


def _read_json(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def find_runs(sweep: Path) -> list[Path]:
    """Run folders of a sweep: every folder below it holding a ``.hydra/overrides.yaml``."""
    if not sweep.is_dir():
        raise DataError(f"{sweep}: no such sweep folder; pass the folder Hydra's multirun wrote.")
    runs = sorted(p.parent.parent for p in sweep.glob("**/.hydra/overrides.yaml"))
    if not runs:
        raise DataError(
            f"{sweep}: no runs found (no */.hydra/overrides.yaml); is it a sweep folder?"
        )
    return runs


def run_row(run: Path) -> dict[str, Any]:
    """One run's overrides, status and headline metrics."""
    overrides = yaml.safe_load((run / ".hydra" / "overrides.yaml").read_text()) or []
    seed = next((o.split("=", 1)[1] for o in overrides if o.split("=", 1)[0] == "seed"), None)
    status = _read_json(run / "status.json") or {"status": "incomplete"}
    row: dict[str, Any] = {
        "run": str(run),
        "overrides": " ".join(overrides),
        "_overrides": dict(o.split("=", 1) for o in overrides if "=" in o),
        "seed": seed,
        "status": status.get("status", "incomplete"),
        "error": status.get("error", ""),
    }
    metrics = _read_json(run / "metrics.json")
    if metrics and row["status"] == "complete":
        row["primary"] = metrics["primary"]
        for split, report in metrics["splits"].items():
            row[f"{split}_{metrics['primary']}"] = report["primary"]["value"]
            low, high = report["primary"]["ci95"]
            row[f"{split}_ci95"] = f"{low:.2f}-{high:.2f}"
        row["task"] = metrics["task"]
    return row


def aggregate(sweep: str | Path, n_resamples: int = 1000) -> pd.DataFrame:
    """Build the summary of `sweep`; write summary.csv, summary.md and summary.png into it."""
    sweep = Path(sweep)
    rows = [run_row(run) for run in find_runs(sweep)]
    _set_settings([row.pop("_overrides") for row in rows], rows)
    table = pd.DataFrame(rows)
    done = table[table["status"] == "complete"]
    if done.empty:
        _write(sweep, table, pd.DataFrame())
        return table
    primary = done["primary"].iloc[0]
    choose = f"dev_{primary}" if f"dev_{primary}" in done else f"test_{primary}"
    test = f"test_{primary}"
    stats = done.groupby("setting").agg(
        n=(test, "size"),
        test_mean=(test, "mean"),
        test_std=(test, "std"),
        select_mean=(choose, "mean"),
    )
    best = stats["select_mean"].idxmax()
    stats["best"] = stats.index == best
    stats["mcnemar_p"], stats["bootstrap_diff"], stats["bootstrap_p"] = None, None, None
    for setting in stats.index.drop(best):
        pair = _paired_runs(done, best, setting)
        if pair is None:
            continue
        gold, a, b, labels = pair
        stats.loc[setting, "mcnemar_p"] = mcnemar(gold, a, b)
        diff, p = paired_bootstrap(gold, a, b, labels, primary, n_resamples)
        stats.loc[setting, "bootstrap_diff"] = diff
        stats.loc[setting, "bootstrap_p"] = p
    table = table.merge(
        stats.add_prefix("setting_"), left_on="setting", right_index=True, how="left"
    )
    _write(sweep, table, stats.reset_index(), primary, choose)
    return table


def _set_settings(overrides: list[dict[str, str]], rows: list[dict[str, Any]]) -> None:
    """Set each row's ``setting`` to the overrides that vary across runs, other than the seed."""
    keys = sorted({k for o in overrides for k in o} - {"seed"})
    varying = [k for k in keys if len({o.get(k) for o in overrides}) > 1]
    for row, o in zip(rows, overrides, strict=True):
        row["setting"] = " ".join(f"{k}={o.get(k, '')}" for k in varying) or "(one setting)"


def _paired_runs(done: pd.DataFrame, best: str, other: str):
    """Test predictions of the best and another setting for their lowest common seed."""
    a_runs, b_runs = done[done.setting == best], done[done.setting == other]
    common = sorted(set(a_runs.seed) & set(b_runs.seed), key=str)
    pick_a = a_runs[a_runs.seed == common[0]] if common else a_runs
    pick_b = b_runs[b_runs.seed == common[0]] if common else b_runs
    pa = Path(pick_a.run.iloc[0]) / "predictions" / "test.csv"
    pb = Path(pick_b.run.iloc[0]) / "predictions" / "test.csv"
    if not (pa.is_file() and pb.is_file()):
        return None
    task = pick_a.task.iloc[0]
    a = pd.read_csv(pa, keep_default_na=False)
    b = pd.read_csv(pb, keep_default_na=False).set_index("id").loc[a["id"]]
    config = yaml.safe_load((Path(pick_a.run.iloc[0]) / "config.yaml").read_text())
    return a[f"{task}_gold"], a[task], b[task].to_numpy(), list(config["task"]["labels"])


def _write(
    sweep: Path, table: pd.DataFrame, stats: pd.DataFrame, primary: str = "", choose: str = ""
) -> None:
    atomic_write(sweep / "summary.csv", lambda p: table.to_csv(p, index=False))
    parts = [
        f"# Sweep summary: {sweep}\n",
        "## Runs\n",
        _markdown(table.drop(columns=[c for c in table if c.startswith("setting_")])),
    ]
    if not stats.empty:
        parts += [
            f"\n## Settings (test {primary}: mean ± sd over seeds; best chosen by {choose})\n",
            _markdown(stats),
            "\nmcnemar_p / bootstrap_p: the best setting against each other one on the same test "
            "items (lowest common seed); bootstrap_diff = best minus other.\n",
        ]
        _plot(sweep / "summary.png", table, stats, primary)
    failed = table[table["status"] != "complete"]
    if len(failed):
        parts.append(f"\n**{len(failed)} run(s) did not complete**: see the status column.\n")
    write_text(sweep / "summary.md", "\n".join(parts))


def _markdown(frame: pd.DataFrame) -> str:
    frame = frame.astype(object).where(frame.notna(), "")
    head = "| " + " | ".join(map(str, frame.columns)) + " |"
    rule = "|" + "---|" * len(frame.columns)
    rows = [
        "| " + " | ".join(f"{v:.3g}" if isinstance(v, float) else str(v) for v in row) + " |"
        for row in frame.itertuples(index=False)
    ]
    return "\n".join([head, rule, *rows])


def _plot(path: Path, table: pd.DataFrame, stats: pd.DataFrame, primary: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    stats = stats.reset_index(drop=False) if "setting" not in stats else stats
    fig, ax = plt.subplots(figsize=(6.5, 0.45 * len(stats) + 1.5))
    for i, row in enumerate(stats.itertuples()):
        ax.errorbar(
            row.test_mean,
            i,
            xerr=0 if pd.isna(row.test_std) else row.test_std,
            fmt="o",
            color="tab:red" if row.best else "tab:blue",
            capsize=4,
        )
        seeds = table[(table.setting == row.setting) & (table.status == "complete")]
        ax.scatter(seeds[f"test_{primary}"], [i] * len(seeds), s=10, color="gray", zorder=3)
    ax.set_yticks(range(len(stats)), [s[:50] for s in stats.setting], fontsize=8)
    ax.set_xlabel(f"test {primary} (mean ± sd over seeds; dots: single runs)")
    save_png(fig, path)
