"""What a prediction run labelled: batch summaries summed, and the one line that says so."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any


def summed(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    """The counts of several batch summaries (``result.attrs["summary"]``) added up."""
    total: Counter = Counter()
    labels: Counter = Counter()
    pooled: Counter = Counter()
    for summary in summaries:
        labels.update(summary.get("labels", {}))
        pooled.update(summary.get("pooled_targets", {}))
        total.update({k: v for k, v in summary.items() if isinstance(v, int)})
    return {**total, "labels": dict(labels), **({"pooled_targets": dict(pooled)} if pooled else {})}


def pooled_clause(summary: dict[str, Any]) -> str:
    """``; N row(s) ...`` about rows whose target a per-target model never saw ('' if none)."""
    pooled = summary.get("pooled_targets") or {}
    if not pooled:
        return ""
    named = ", ".join(f"{k!r} ({v})" for k, v in sorted(pooled.items()))
    return (
        f"; {sum(pooled.values())} row(s) of target(s) unseen in training went to the model of "
        f"all targets: {named}"
    )


def summary_line(summary: dict[str, Any], output: Path) -> str:
    """The line ``stance predict`` prints about a finished run."""
    labels = ", ".join(f"{k} {v}" for k, v in sorted(summary["labels"].items())) or "none"
    if "sentences" not in summary:
        line = f"labelled {summary.get('pairs', 0)} statement(s) -> {output} ({labels})"
        return line + pooled_clause(summary)
    line = (
        f"labelled {summary['pairs']} actor pair(s) in {summary['sentences_with_pairs']} of "
        f"{summary['sentences']} sentence(s) from {summary['statements']} statement(s); "
        f"wrote {summary['kept']} row(s) -> {output} ({labels}); "
        f"{summary['sentences_one_actor']} sentence(s) named one actor, "
        f"{summary['sentences_no_actor']} none; {summary['empty_texts']} empty text(s)"
    )
    if summary.get("pairs_requested"):
        line += (
            f"; {summary['pairs_not_found']} of {summary['pairs_requested']} requested "
            "pair(s) not found"
        )
    return line
