"""The end-to-end report of an actor-pair run: raw text in, (source, target, stance) out.

Every actor-pair experiment reports, for each gold corpus, what the fitted model does on the
sentences' text alone (no gold pairs given), stage by stage (issue 19):

- ``mention_recall``: gold actors found in their sentence;
- ``pair_found_share``: gold triples whose two actors were found in one sentence;
- ``stance_accuracy_on_found``: gold pairs (neutral ones too) found and given their stance;
- ``precision`` / ``recall`` / ``f1`` of non-neutral triples;

at the ``country`` level (states by their roots, two actors of one state by their roles; see
:func:`stance.evaluation.triples.pair_key`), with the ``exact`` codes' F1 beside, and the same
for the rule baseline (:class:`stance.models.CameoRules` on the model's own dictionaries).

Gold corpora: ``events`` (the test set written from the PLOVER definitions, data/events),
``statements`` (the bundled corpus's test split), ``dse`` and ``seesaw`` (real news from the
data home: the items whose entities normalise to two actors, only the annotated pair judged;
:mod:`stance.evaluation.dse_gold`, :mod:`stance.evaluation.seesaw_gold`). A corpus whose files
are missing is reported as skipped with the reason, never silently.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from stance.errors import DataError
from stance.evaluation.triples import evaluate_triples, read_gold
from stance.io.atomic import atomic_write, write_text

log = logging.getLogger(__name__)

__all__ = ["CORPORA", "end_to_end_report", "rules_model"]

CORPORA: tuple[str, ...] = ("events", "statements", "dse", "seesaw")
STAGES = ("mention_recall", "pair_found_share", "stance_accuracy_on_found")


def rules_model(model: Any) -> Any:
    """The CAMEO rule baseline over `model`'s dictionaries, as a model with its interface."""
    from sklearn.pipeline import Pipeline

    from stance.features.events import EventCodes
    from stance.models.rules import CameoRules
    from stance.predict.actor_finder import event_step
    from stance.predict.model import StanceModel

    step = event_step(model.estimator)
    if step is None:
        raise DataError("the rule baseline needs a model fitted with event features.")
    codes = EventCodes(dictionaries=step.dictionaries, project=step.project)
    codes.dictionaries_json_ = step.dictionaries_json_
    codes.sources_ = list(getattr(step, "sources_", []))
    codes.n_features_in_ = 1
    rules = CameoRules().fit(np.zeros((1, 3), dtype=np.int64))
    return StanceModel(Pipeline([("events", codes), ("rules", rules)]), dict(model.metadata))


def _gold(name: str, split: str, data_home: Any, finder: Any) -> tuple[pd.DataFrame, bool, dict]:
    """Gold sentences of corpus `name`, whether only listed pairs are judged, and counts."""
    from stance.data.home import bundled_dir

    if name == "events":
        path = bundled_dir("events") / "test.jsonl"
        return read_gold(path, split="test"), False, {}
    if name == "statements":
        return read_gold(None, split=split), False, {}
    if name == "dse":
        from stance.evaluation.dse_gold import dse_gold

        gold, counts = dse_gold(split, data_home, coder=finder)
        return gold, True, counts
    if name == "seesaw":
        from stance.evaluation.seesaw_gold import seesaw_gold

        gold, counts = seesaw_gold(split, data_home, recognizer=finder)
        return gold, True, {k: v for k, v in counts.items() if k != "actors"}
    raise DataError(f"end-to-end report: unknown corpus {name!r}; use {', '.join(CORPORA)}.")


def _summary(result: dict[str, Any], exact: dict[str, Any]) -> dict[str, Any]:
    metrics = result["metrics"]
    out = {key: round(float(metrics[key]), 2) for key in STAGES}
    for key in ("precision", "recall", "f1"):
        out[key] = round(float(metrics[key]), 2)
    out["f1_exact"] = round(float(exact["metrics"]["f1"]), 2)
    out["n_gold"] = int(metrics["n_gold"])
    out["n_predicted"] = int(metrics["n_predicted"])
    out["n_sentences"] = int(metrics["n_sentences"])
    out["errors"] = metrics["errors"]
    return out


def end_to_end_report(
    corpora: Sequence[str] = CORPORA,
    split: str = "test",
    data_home: str | None = None,
    rules: bool = True,
) -> Callable[[Any, Path], dict[str, Any]]:
    """A function ``(model, folder) -> report`` for ``evaluation.end_to_end`` (module doc).

    It writes ``end_to_end.md`` (the table) and ``<corpus>_errors.csv`` (the model's errors
    at the country level) into `folder`.
    """

    def report(model: Any, folder: Path) -> dict[str, Any]:
        finder = model.actor_finder()
        baseline = _baseline(model) if rules else None
        out: dict[str, Any] = {}
        for name in corpora:
            try:
                gold, judged, counts = _gold(name, split, data_home, finder)
            except DataError as err:
                out[name] = {"skipped": str(err)}
                log.warning("end-to-end report: %s skipped: %s", name, err)
                continue
            entry: dict[str, Any] = {"gold": counts} if counts else {}
            for who, scorer in (("model", model), ("rules", baseline)):
                if scorer is None:
                    continue
                country = evaluate_triples(scorer, gold, "country", judged_only=judged)
                exact = evaluate_triples(scorer, gold, "exact", judged_only=judged)
                entry[who] = _summary(country, exact)
                if who == "model":
                    errors = country["errors"]
                    atomic_write(
                        folder / f"{name}_errors.csv",
                        lambda p, e=errors: e.to_csv(p, index=False, encoding="utf-8"),
                    )
            out[name] = entry
        write_text(folder / "end_to_end.md", table(out))
        return out

    return report


def _baseline(model: Any) -> Any:
    try:
        return rules_model(model)
    except DataError:
        return None


def table(report: dict[str, Any]) -> str:
    """The report as a markdown table (percent; country level, exact F1 beside)."""
    lines = [
        "| corpus | who | mentions | pairs found | stance on found | P | R | F1 | F1 exact "
        "| gold |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, entry in report.items():
        if "skipped" in entry:
            lines.append(f"| {name} | skipped: {entry['skipped']} |||||||||")
            continue
        for who in ("model", "rules"):
            if who not in entry:
                continue
            m = entry[who]
            lines.append(
                f"| {name} | {who} | {m['mention_recall']:.1f} | {m['pair_found_share']:.1f} "
                f"| {m['stance_accuracy_on_found']:.1f} | {m['precision']:.1f} "
                f"| {m['recall']:.1f} | {m['f1']:.1f} | {m['f1_exact']:.1f} | {m['n_gold']} |"
            )
    return "\n".join(lines) + "\n"
