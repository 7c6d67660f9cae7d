"""End-to-end evaluation: (source, target, stance) triples from raw text against gold.

The model sees only the text of each gold sentence; raw-text prediction finds the actors and
labels every ordered pair (:meth:`stance.predict.model.StanceModel.predict`). Its non-neutral
triples are matched against the gold non-neutral pairs of the same text (a triple is the set
element: the same triple predicted in two sentences of one text counts once).

Every error is one event of one kind, so that ``fn = missed_actor + wrong_stance +
wrong_direction + missed_stance`` and ``fp = wrong_stance + wrong_direction + spurious``:

``missed_actor``     a gold triple whose source and target were never found in one sentence;
``wrong_stance``     the pair was predicted with the other non-neutral stance (one fn + one fp);
``wrong_direction``  the gold stance was predicted for the reversed pair, which is not itself a
                     gold triple (one fn + one fp);
``missed_stance``    the pair was found but predicted neutral;
``spurious``         any other predicted triple (``detail`` says whether gold has the pair as
                     neutral or does not list one of its actors).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from stance.actors.cameo_codes import root_of
from stance.data.schema import check_columns
from stance.dyads.extract import sentence_actors
from stance.errors import DataError

ERROR_KINDS: tuple[str, ...] = (
    "missed_actor",
    "wrong_direction",
    "wrong_stance",
    "missed_stance",
    "spurious",
)
NEUTRAL = "neutral"
ERROR_COLUMNS = (
    "text_id",
    "kind",
    "source",
    "target",
    "gold",
    "predicted",
    "detail",
    "text",
)


def _listed(value: Any) -> list[Any]:
    """Arrow lists arrive as numpy arrays (or None): a plain list either way."""
    return [] if value is None else list(value)


def read_gold(path: str | os.PathLike | None = None, split: str | None = "test") -> pd.DataFrame:
    """Gold sentences in the bundled corpus format (``text_id``, ``text``, ``mentions``,
    ``pairs``), from `path` (default: the bundled corpus), restricted to `split` (None: all)."""
    from stance.data.home import bundled_dir
    from stance.io.readers import read_file

    path = Path(path) if path is not None else bundled_dir("statements") / "statements.jsonl"
    frame = read_file(path)
    check_columns(frame, ("text_id", "text", "mentions", "pairs"), str(path))
    if split is not None:
        if "split" not in frame.columns:
            raise DataError(f"{path}: has no 'split' column; pass split=None to use every row.")
        frame = frame[frame["split"] == split]
        if frame.empty:
            raise DataError(f"{path}: no sentences in split {split!r}; use train, dev or test.")
    return frame.reset_index(drop=True)


def gold_labels(sentences: pd.DataFrame) -> dict[tuple[Any, str, str], str]:
    """``(text_id, source, target) -> stance`` for every ordered pair of each sentence's
    actors (unlisted pairs are neutral)."""
    labels: dict[tuple[Any, str, str], str] = {}
    for record in sentences.to_dict("records"):
        actors = [m["actor"] for m in _listed(record["mentions"])]
        for source in actors:
            for target in actors:
                if source != target:
                    labels[(record["text_id"], source, target)] = NEUTRAL
        for pair in _listed(record["pairs"]):  # [source, target, stance(, plover type)]
            labels[(record["text_id"], str(pair[0]), str(pair[1]))] = str(pair[2])
    return labels


def pair_key(source: str, target: str, level: str) -> tuple[str, str]:
    """A pair as compared at `level`: ``exact`` codes, or ``country``: two actors of
    different states (or organisations) by their roots (``IRQGOV`` -> ``IRQ``), two actors of
    one state by their full codes (``IRQMIL`` -> ``IRQREB``)."""
    if level == "exact":
        return source, target
    if level != "country":
        raise DataError(f"triple level {level!r}: use 'country' or 'exact'.")
    s_root, t_root = root_of(source), root_of(target)
    return (s_root, t_root) if s_root != t_root else (source, target)


def _actor_at(code: str, level: str) -> str:
    """One actor as compared at `level` (its root at country level)."""
    return root_of(code) if level == "country" else code


def _at_level(labels: dict[tuple[Any, str, str], str], level: str) -> dict:
    """`labels` keyed at `level`; where two pairs meet (``IRQGOV`` and ``IRQ`` toward ``USA``),
    the first stance wins over neutral."""
    out: dict[tuple[Any, str, str], str] = {}
    for (text_id, source, target), stance in labels.items():
        key = (text_id, *pair_key(source, target, level))
        if key[1] == key[2]:
            continue
        if out.get(key, NEUTRAL) == NEUTRAL:
            out[key] = stance
    return out


def triples(frame: pd.DataFrame, stance: str = "stance") -> set[tuple[Any, str, str, str]]:
    """Non-neutral ``(text_id, source, target, stance)`` triples of a prediction table."""
    voiced = frame[frame[stance] != NEUTRAL]
    return set(
        zip(voiced["text_id"], voiced["source"], voiced["target"], voiced[stance], strict=True)
    )


def match_triples(
    gold: dict[tuple[Any, str, str], str],
    predicted: set[tuple[Any, str, str, str]],
    candidates: set[tuple[Any, str, str]],
    found: dict[Any, set[str]] | None = None,
) -> tuple[int, pd.DataFrame]:
    """Match predicted triples against gold; return the true-positive count and the errors.

    Parameters
    ----------
    gold : ``(text_id, source, target) -> stance`` (neutral pairs included).
    predicted : non-neutral ``(text_id, source, target, stance)`` triples.
    candidates : ``(text_id, source, target)`` pairs the model scored (found in one sentence).
    found : actors found per text, for the detail of a missed actor.

    Returns
    -------
    tp : the number of predicted triples that are gold triples.
    errors : one row per error event, columns ``text_id``, ``kind``, ``source``, ``target``,
        ``gold``, ``predicted`` and ``detail`` (see the module docstring for the kinds).
    """
    gold_set = {(*key, stance) for key, stance in gold.items() if stance != NEUTRAL}
    tp = len(gold_set & predicted)
    fn = sorted(gold_set - predicted, key=str)
    fp = set(predicted - gold_set)
    errors: list[dict[str, Any]] = []

    def add(kind: str, triple: tuple, predicted_label: str, detail: str = "") -> None:
        text_id, source, target, stance = triple
        errors.append(
            {
                "text_id": text_id,
                "kind": kind,
                "source": source,
                "target": target,
                "gold": stance,
                "predicted": predicted_label,
                "detail": detail,
            }
        )

    pending = []
    for triple in fn:
        text_id, source, target, stance = triple
        if (text_id, source, target) not in candidates:
            add("missed_actor", triple, "", _missing(found, text_id, source, target))
            continue
        other = [p for p in fp if p[:3] == triple[:3]]
        if other:
            fp.discard(other[0])
            add("wrong_stance", triple, other[0][3])
        else:
            pending.append(triple)
    for triple in pending:
        text_id, source, target, stance = triple
        reverse = (text_id, target, source, stance)
        if reverse in fp:
            fp.discard(reverse)
            add("wrong_direction", triple, f"{target}->{source} {stance}")
        else:
            add("missed_stance", triple, NEUTRAL)
    for triple in sorted(fp, key=str):
        text_id, source, target, stance = triple
        known = (text_id, source, target) in gold
        detail = "gold pair is neutral" if known else "actor not in gold"
        add("spurious", (text_id, source, target, gold.get(triple[:3], "")), stance, detail)
    return tp, pd.DataFrame(errors, columns=list(ERROR_COLUMNS[:-1]))


def _missing(found: dict[Any, set[str]] | None, text_id: Any, source: str, target: str) -> str:
    if found is None:
        return ""
    actors = found.get(text_id, set())
    lost = [name for name, actor in (("source", source), ("target", target)) if actor not in actors]
    if not lost:
        return "not found in one sentence"
    return " and ".join(lost) + " not found"


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 in percent (0 when undefined)."""
    precision = 100 * tp / (tp + fp) if tp + fp else 0.0
    recall = 100 * tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def triple_metrics(tp: int, errors: pd.DataFrame, n_gold: int, n_predicted: int) -> dict[str, Any]:
    """P/R/F1 of triples and error counts by kind (every kind present, zeros included)."""
    kinds = errors["kind"].value_counts() if len(errors) else pd.Series(dtype=int)
    by_kind = {kind: int(kinds.get(kind, 0)) for kind in ERROR_KINDS}
    fn, fp = n_gold - tp, n_predicted - tp
    expected_fn = sum(by_kind[k] for k in ERROR_KINDS if k != "spurious")
    expected_fp = by_kind["wrong_stance"] + by_kind["wrong_direction"] + by_kind["spurious"]
    if (fn, fp) != (expected_fn, expected_fp):  # the accounting of match_triples
        raise AssertionError(f"error kinds {by_kind} do not add up to fn={fn}, fp={fp}")
    return {
        "unit": "percent",
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "n_gold": n_gold,
        "n_predicted": n_predicted,
        **prf(tp, fp, fn),
        "errors": by_kind,
    }


def evaluate_triples(
    model: Any, sentences: pd.DataFrame, level: str = "country", judged_only: bool = False
) -> dict[str, Any]:
    """Raw-text prediction on the texts of gold `sentences`, scored as triples.

    Parameters
    ----------
    model : a pair :class:`~stance.predict.model.StanceModel`.
    sentences : gold sentences (see :func:`read_gold`); pairs ``[source, target, stance]``
        with an optional fourth element (the PLOVER type), not read here.
    level : how actor codes are compared (:func:`pair_key`): ``country`` (default) or
        ``exact``.
    judged_only : score only predicted pairs whose two actors are both listed in the gold
        sentence (for corpora that annotate one pair of a sentence, such as DSE).

    Returns
    -------
    A dict with ``metrics`` (overall and ``per_stance`` P/R/F1 in percent, counts, errors by
    kind, and the stages: ``mention_recall`` (gold actors found in their sentence's text),
    ``pair_found_share`` (gold triples whose pair was found in one sentence) and
    ``stance_accuracy_on_found`` (gold pairs, neutral ones included, found and given their
    gold stance)), ``errors`` (one row per error, with its text) and ``predictions`` (every
    scored pair).
    """
    if not getattr(model, "is_pair_model", False):
        raise DataError(
            "triple evaluation needs a pair model (input columns source_mention and "
            "target_mention), e.g. one trained with experiment=actor_pairs."
        )
    check_columns(sentences, ("text_id", "text", "mentions", "pairs"), "gold sentences")
    if sentences["text_id"].duplicated().any():
        raise DataError("gold sentences: text_id repeats; every sentence needs its own id.")
    columns = ["text_id", "text", *(["date"] if "date" in sentences.columns else [])]
    predictions = model.predict(sentences[columns])
    gold = _at_level(gold_labels(sentences), level)
    scored = _at_level(
        {
            (text_id, s, t): label
            for text_id, s, t, label in zip(
                predictions["text_id"],
                predictions["source"],
                predictions["target"],
                predictions[model.task],
                strict=True,
            )
        },
        level,
    )
    if judged_only:
        scored = {key: label for key, label in scored.items() if key in gold}
    predicted = {(*key, label) for key, label in scored.items() if label != NEUTRAL}
    candidates = set(scored)
    finder = getattr(model, "actor_finder", lambda: None)()
    found = {  # actors found per text, as full codes and (at country level) as roots
        text_id: {
            name
            for s in sentence_actors(str(text), finder)
            for actor in s.actors
            for name in (actor, _actor_at(actor, level))
        }
        for text_id, text in zip(sentences["text_id"], sentences["text"], strict=True)
    }
    tp, errors = match_triples(gold, predicted, candidates, found)
    n_gold = sum(stance != NEUTRAL for stance in gold.values())
    metrics = triple_metrics(tp, errors, n_gold, len(predicted))
    metrics["level"] = level
    metrics["n_sentences"] = len(sentences)
    metrics["mention_recall"] = _mention_recall(sentences, found, level)
    metrics["pair_found_share"] = _found_share(gold, candidates)
    metrics["stance_accuracy_on_found"] = _accuracy_on_found(gold, scored)
    metrics["per_stance"] = _per_stance(gold, predicted)
    metrics["summary"] = predictions.attrs.get("summary", {})
    texts = dict(zip(sentences["text_id"], sentences["text"], strict=True))
    errors["text"] = errors["text_id"].map(texts)
    return {"metrics": metrics, "errors": errors, "predictions": predictions}


def _mention_recall(sentences: pd.DataFrame, found: dict[Any, set[str]], level: str) -> float:
    """Percent of gold actors (at `level`) the finder found in their sentence."""
    hits = total = 0
    for record in sentences.to_dict("records"):
        for mention in _listed(record["mentions"]):
            actor = _actor_at(mention["actor"], level)
            total += 1
            hits += actor in found.get(record["text_id"], set())
    return 100 * hits / total if total else 0.0


def _accuracy_on_found(gold: dict, scored: dict) -> float:
    """Percent of the gold pairs (neutral ones too) that were scored and got the gold label."""
    found = [key for key in gold if key in scored]
    return 100 * float(np.mean([scored[k] == gold[k] for k in found])) if found else 0.0


def _found_share(gold: dict, candidates: set) -> float:
    keys = [key for key, stance in gold.items() if stance != NEUTRAL]
    return 100 * float(np.mean([key in candidates for key in keys])) if keys else 0.0


def _per_stance(gold: dict, predicted: set, labels: Iterable[str] = ("support", "oppose")):
    out = {}
    for label in labels:
        g = {(*k, s) for k, s in gold.items() if s == label}
        p = {t for t in predicted if t[3] == label}
        tp = len(g & p)
        out[label] = {**prf(tp, len(p) - tp, len(g) - tp), "n_gold": len(g)}
    return out


def write_triple_report(result: dict[str, Any], output_dir: str | Path, title: str = "") -> dict:
    """Write ``triple_metrics.json``, ``triple_errors.csv``, ``triple_predictions.csv`` and
    ``triple_errors.png`` (error counts by kind) into `output_dir`; return the paths."""
    from stance.dyads.plots import error_kinds
    from stance.io.atomic import atomic_write, write_json

    output_dir = Path(output_dir)
    metrics = result["metrics"]

    def csv(frame: pd.DataFrame, name: str) -> Path:
        return atomic_write(
            output_dir / name, lambda p: frame.to_csv(p, index=False, encoding="utf-8")
        )

    heading = (
        f"{title + ': ' if title else ''}triples P {metrics['precision']:.1f} "
        f"R {metrics['recall']:.1f} F1 {metrics['f1']:.1f} (n gold {metrics['n_gold']})"
    )
    return {
        "metrics": write_json(output_dir / "triple_metrics.json", metrics),
        "errors": csv(result["errors"], "triple_errors.csv"),
        "predictions": csv(result["predictions"], "triple_predictions.csv"),
        "plot": error_kinds(metrics["errors"], output_dir / "triple_errors.png", heading),
    }
