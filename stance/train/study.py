"""Reproducible studies: run each row of ``study.yaml`` over several seeds and write the table.

    stance study experiments/semeval2016_stance

reads ``study.yaml`` in that folder, trains every row for every seed with ``stance-train`` (run
folders under ``outputs/studies/<study>/``), and rewrites ``results.md`` and the block between
``<!-- results:start -->`` and ``<!-- results:end -->`` in the folder's README. Numbers in the
table therefore always come from runs, never from typing.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import yaml
from omegaconf import OmegaConf

from stance.config.compose import compose
from stance.errors import ConfigError, StanceError
from stance.io.atomic import write_text

START, END = "<!-- results:start -->", "<!-- results:end -->"
#: Columns whose path starts with this read the run's end-to-end reports, not a split's.
END_TO_END = "end_to_end"


def load_spec(folder: Path) -> dict[str, Any]:
    """Read and check ``study.yaml``."""
    path = folder / "study.yaml"
    if not path.is_file():
        raise ConfigError(f"{path}: no study.yaml; a study folder needs one (see the README).")
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    for key in ("title", "split", "seeds", "rows"):
        if key not in spec:
            raise ConfigError(f"{path}: missing key {key!r}.")
    if "metric" not in spec and "columns" not in spec:
        raise ConfigError(f"{path}: give either 'metric' or 'columns' (name and path each).")
    return spec


def run_row(row: dict[str, Any], seed: int, out: Path) -> dict[str, Any]:
    """Train one row for one seed into `out`, unless a complete run of the same resolved config
    is already there (an edited config or row retrains; the old run is replaced)."""
    if not _reusable(out, [*row["overrides"], f"seed={seed}"]):
        if out.exists():
            shutil.rmtree(out)
        started = time.perf_counter()
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "stance.train",
                *row["overrides"],
                f"seed={seed}",
                f"hydra.run.dir={out}",
            ],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            last = (result.stderr.strip().splitlines() or ["(no output)"])[-1]
            raise StanceError(f"study row {row['name']!r}, seed {seed} failed: {last}")
        (out / "wall_seconds.txt").write_text(f"{time.perf_counter() - started:.1f}\n")
    return json.loads((out / "metrics.json").read_text())


def _reusable(out: Path, overrides: list[str]) -> bool:
    """Whether `out` holds a complete run whose saved config is the one `overrides` give now."""
    status, saved = out / "status.json", out / "config.yaml"
    if not (status.is_file() and saved.is_file()):
        return False
    if json.loads(status.read_text(encoding="utf-8")).get("status") != "complete":
        return False
    now = OmegaConf.to_container(compose(overrides), resolve=True)
    return yaml.safe_load(saved.read_text(encoding="utf-8")) == now


def _mean_sd(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.2f}"
    return f"{statistics.mean(values):.2f} ± {statistics.stdev(values):.2f}"


def columns(spec: dict[str, Any]) -> list[dict[str, str]]:
    """The metric columns: ``columns`` entries ``{name, path}`` (a dotted path into the split's
    report, e.g. ``dse_5class.full.macro_f1``, or into the run's end-to-end reports when it
    starts with ``end_to_end.``), or the one ``metric`` (``metrics.<metric>``)."""
    given = spec.get("columns")
    if not given:
        return [{"name": spec["metric"], "path": f"metrics.{spec['metric']}"}]
    for column in given:
        if not isinstance(column, dict) or not {"name", "path"} <= set(column):
            raise ConfigError(f"study {spec['title']!r}: each column needs a name and a path.")
    return list(given)


def _lookup(report: dict[str, Any], path: str) -> Any:
    value: Any = report
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            raise ConfigError(f"study column path {path!r}: no {key!r} in the run's metrics.json.")
        value = value[key]
    return value


def _interval(report: dict[str, Any], path: str) -> list[float] | None:
    """The 95% interval stored beside the value (``<name>_ci95``), or the primary metric's."""
    parent, _, name = path.rpartition(".")
    holder = _lookup(report, parent) if parent else report
    if f"{name}_ci95" in holder:
        return holder[f"{name}_ci95"]
    if path.startswith("metrics.") and report.get("primary", {}).get("name") == name:
        return report["primary"]["ci95"]
    return None


def _cost(runs: list[dict[str, Any]]) -> str:
    """Mean fit seconds, prediction throughput and peak memory of a row's runs."""
    timing = [r.get("timing", {}) for r in runs]
    fit = [t["fit_seconds"] for t in timing if t.get("fit_seconds") is not None]
    rates = [
        sum(split.get("n", 0) for split in r["splits"].values()) / t["predict_seconds"]
        for r, t in zip(runs, timing, strict=True)
        if t.get("predict_seconds")
    ]
    peak = [t["peak_memory_mb"] for t in timing if t.get("peak_memory_mb") is not None]
    fit_text = f"{statistics.mean(fit):.0f} s" if fit else "—"
    rate_text = f"{statistics.mean(rates):,.0f}" if rates else "—"
    peak_text = f"{max(peak) / 1024:.1f} GiB" if peak else "—"
    return f"{fit_text} | {rate_text} | {peak_text}"


def table(spec: dict[str, Any], results: dict[str, list[dict[str, Any]]]) -> str:
    """Markdown table: ours (mean ± sd over seeds, CI of the first seed) beside published,
    with each row's mean fit time and peak memory."""
    split, seeds, cols = spec["split"], spec["seeds"], columns(spec)
    head = ["system"]
    for col in cols:
        head += [
            f"ours: {col['name']} on {split} (mean ± sd, {len(seeds)} seeds)",
            f"95% CI (seed {seeds[0]})",
            "published",
        ]
    head += ["source", "fit time", "predict rows/s", "peak memory"]
    rule = "|---|" + "---:|---:|---:|" * len(cols) + "---|---:|---:|---:|"
    lines = ["| " + " | ".join(head) + " |", rule]
    for row in spec["rows"]:
        runs = results[row["name"]]
        reports = [r["splits"][split] for r in runs]
        cells = [row["name"]]
        published = row.get("published") or {}
        for i, col in enumerate(cols):
            whole = col["path"].startswith(f"{END_TO_END}.")
            values = [
                float(_lookup(run if whole else rep, col["path"]))
                for run, rep in zip(runs, reports, strict=True)
            ]
            ci = None if whole else _interval(reports[0], col["path"])
            value = published.get(col["name"], published.get("value") if i == 0 else None)
            cells += [
                _mean_sd(values),
                f"{ci[0]:.2f} to {ci[1]:.2f}" if ci else "—",
                f"{value:.2f}" if value is not None else "—",
            ]
        cells += [published.get("source", ""), _cost(runs)]
        lines.append("| " + " | ".join(cells) + " |")
    for ref in spec.get("references", []):
        cells = [ref["name"]]
        for i, col in enumerate(cols):
            value = ref.get(col["name"], ref.get("value") if i == 0 else None)
            cells += ["—", "—", f"{value:.2f}" if value is not None else "—"]
        cells += [ref["source"], "—", "—", "—"]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def run_study(folder: str | Path, output_root: str | Path = "outputs/studies") -> str:
    """Run every row and seed of the study in `folder`; write results.md and the README block."""
    folder = Path(folder)
    spec = load_spec(folder)
    root = Path(output_root) / folder.name
    results: dict[str, list[dict[str, Any]]] = {}
    for i, row in enumerate(spec["rows"]):
        results[row["name"]] = [
            run_row(row, seed, root / f"row{i}" / f"seed{seed}") for seed in spec["seeds"]
        ]
    text = table(spec, results)
    commands = "\n".join(
        f"- {row['name']}: `stance-train {' '.join(map(shlex.quote, row['overrides']))} "
        "seed=<seed>`"
        for row in spec["rows"]
    )
    cost = (
        "Fit time is the mean over seeds of the fit alone; predict rows/s counts the rows of the "
        "evaluated splits over the time to label them (including their features); peak memory "
        "is the largest peak resident memory of the row's training processes"
        + (
            " (embeddings read from the STANCE_EMBEDDING_CACHE folder where an earlier run put "
            "them; `benchmarks/cost/cost.py` measures cold runs)."
            if os.environ.get("STANCE_EMBEDDING_CACHE")
            else "."
        )
    )
    body = (
        f"{START}\n_Generated by `stance study {folder}`; do not edit by hand._\n\n{text}\n\n"
        f"{cost}\n\n"
        f"Commands (seeds {', '.join(map(str, spec['seeds']))}):\n{commands}\n{END}"
    )
    write_text(folder / "results.md", f"# {spec['title']}: results\n\n{body}\n")
    readme = folder / "README.md"
    if readme.is_file():
        current = readme.read_text(encoding="utf-8")
        if START in current and END in current:
            head, rest = current.split(START, 1)
            write_text(readme, head + body + rest.split(END, 1)[1])
    return text
