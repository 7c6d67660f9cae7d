"""What a prediction run labelled: batch summaries summed, and the one line that says so."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any


def summed(summaries: list[dict[str, Any]]) -> dict[str, Any]:
    """The counts of several batch summaries (``result.attrs["summary"]``) added up."""
    total: Counter = Counter()
    labels: Counter = Counter()
    for summary in summaries:
        labels.update(summary.get("labels", {}))
        total.update({k: v for k, v in summary.items() if isinstance(v, int)})
    return {**total, "labels": dict(labels)}


def summary_line(summary: dict[str, Any], output: Path) -> str:
    """The line ``stance predict`` prints about a finished run."""
    labels = ", ".join(f"{k} {v}" for k, v in sorted(summary["labels"].items())) or "none"
    if "sentences" not in summary:
        return f"labelled {summary.get('pairs', 0)} statement(s) -> {output} ({labels})"
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
