"""DSE's official 5-class figures from two directed rows per item (Park, Pan & Joo 2021).

A model labels each direction of an item (ent1 -> ent2 ``forward``, ent2 -> ent1 ``backward``)
support/oppose/neutral. :func:`combine_directions` turns the two rows back into one 0-4 label
by one of two rules:

- ``"neutral_first"``: both rows neutral -> 0; otherwise the non-neutral direction whose
  predicted label has the higher score decides (forward support 1, backward support 2, forward
  oppose 3, backward oppose 4; forward on a tie).
- ``"argmax"``: five item scores, label 0 the mean of the two rows' neutral scores and labels
  1-4 the support/oppose score of their row; the highest wins (the lower label on a tie). It
  lets a confident neutral row outvote a weak stance in the other direction. Chosen on DSE valid
  (macro-F1 65.82 against 65.42 for ``experiment=dse_ngrams``; experiments/dse/dse_variants.py).
Micro-F1 over the five classes equals accuracy, since every item gets exactly one label.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from stance.data.news_pairs import DSE_LABEL_OF
from stance.errors import ConfigError, DataError
from stance.evaluation.metrics import bootstrap_interval, confusion_counts, per_class, score

DSE_CLASSES: tuple[int, ...] = (0, 1, 2, 3, 4)
RULES: dict[str, str] = {
    "neutral_first": "both neutral -> 0, else the non-neutral direction with the higher score",
    "argmax": "argmax of five item scores (0: mean neutral score of the two rows)",
}
_NEEDED = ("item_id", "direction", "dse_label")


def combine_directions(
    predictions: pd.DataFrame,
    task: str = "stance",
    neutral: str = "neutral",
    rule: str = "neutral_first",
) -> pd.DataFrame:
    """One row per item: ``item_id``, ``gold`` and ``predicted`` 0-4 labels, ``duplicate``.

    `predictions` has two rows per item (``direction`` forward/backward), the predicted label in
    column `task` and a ``score_<label>`` column per class, as ``StanceModel.predict`` returns.
    `rule` is one of :data:`RULES` (see the module docstring).
    """
    if rule not in RULES:
        raise DataError(f"5-class DSE report: unknown rule {rule!r}; use one of {list(RULES)}.")
    missing = [c for c in (*_NEEDED, task) if c not in predictions]
    if missing:
        raise DataError(
            f"5-class DSE report: predictions lack column(s) {missing}; "
            "it needs the DSE corpus's two rows per item and the model's predictions."
        )
    labels = predictions[task].astype(str).to_numpy()
    score_columns = {c[len("score_") :]: c for c in predictions if c.startswith("score_")}
    absent = sorted(set(labels) - set(score_columns))
    if absent:
        raise DataError(f"5-class DSE report: no score column for predicted label(s) {absent}.")
    rows = pd.DataFrame(
        {
            "item_id": predictions["item_id"].to_numpy(),
            "direction": predictions["direction"].astype(str).to_numpy(),
            "gold": predictions["dse_label"].to_numpy(),
            "label": labels,
            "score": _picked(predictions, labels, score_columns),
            "duplicate": predictions.get("duplicate", pd.Series(False, index=predictions.index))
            .astype(bool)
            .to_numpy(),
        }
    )
    unknown = sorted(set(rows["direction"]) - {"forward", "backward"})
    if unknown:
        raise DataError(
            f"5-class DSE report: unknown direction(s) {unknown}; use forward/backward."
        )
    shape = rows.groupby(["item_id", "direction"], sort=False).size().unstack(fill_value=0)
    shape = shape.reindex(columns=["forward", "backward"], fill_value=0)
    broken = shape.index[~shape.eq(1).all(axis=1)]
    if len(broken):
        raise DataError(
            f"5-class DSE report: {len(broken)} item(s) lack exactly one forward and one "
            f"backward row (first {broken[0]!r}); evaluate whole items."
        )
    order = pd.unique(rows["item_id"])
    if rule == "argmax":
        predicted = _argmax_labels(predictions, rows, order, score_columns, neutral)
    else:
        predicted = _neutral_first_labels(rows, order, neutral)
    per_item = rows.groupby("item_id", sort=False).agg(
        gold=("gold", "first"), n_gold=("gold", "nunique"), duplicate=("duplicate", "any")
    )
    per_item = per_item.loc[order]
    if (per_item["n_gold"] > 1).any():
        raise DataError("5-class DSE report: the two rows of an item disagree on dse_label.")
    return pd.DataFrame(
        {
            "item_id": order,
            "gold": per_item["gold"].astype(int).to_numpy(),
            "predicted": predicted,
            "duplicate": per_item["duplicate"].to_numpy(),
        }
    )


def _neutral_first_labels(rows: pd.DataFrame, order: np.ndarray, neutral: str) -> np.ndarray:
    wide = rows.pivot(index="item_id", columns="direction", values=["label", "score"])
    wide = wide.loc[order]
    f_label, b_label = wide["label"]["forward"], wide["label"]["backward"]
    f_score, b_score = wide["score"]["forward"], wide["score"]["backward"]
    forward = (f_label != neutral) & ((b_label == neutral) | (f_score >= b_score))
    backward = (b_label != neutral) & ~forward
    predicted = np.zeros(len(wide), dtype=int)
    predicted[forward.to_numpy()] = [_label_of("forward", v) for v in f_label[forward]]
    predicted[backward.to_numpy()] = [_label_of("backward", v) for v in b_label[backward]]
    return predicted


def _argmax_labels(
    predictions: pd.DataFrame,
    rows: pd.DataFrame,
    order: np.ndarray,
    columns: dict[str, str],
    neutral: str,
) -> np.ndarray:
    """Per item, the label 0-4 with the highest of the five item scores."""
    needed = [neutral, *sorted({s for _, s in DSE_LABEL_OF})]
    absent = [label for label in needed if label not in columns]
    if absent:
        raise DataError(
            f"5-class DSE report (argmax rule): no score column for label(s) {absent}; "
            "the model must score every class."
        )
    scores = pd.DataFrame(
        {label: predictions[columns[label]].to_numpy(dtype=float) for label in needed}
    )
    scores["item_id"], scores["direction"] = rows["item_id"], rows["direction"]
    wide = scores.pivot(index="item_id", columns="direction").loc[order]
    five = [(wide[neutral]["forward"] + wide[neutral]["backward"]).to_numpy() / 2]
    for direction, stance in sorted(DSE_LABEL_OF, key=DSE_LABEL_OF.get):  # labels 1, 2, 3, 4
        five.append(wide[stance][direction].to_numpy())
    return np.stack(five, axis=1).argmax(axis=1)


def _picked(predictions: pd.DataFrame, labels: np.ndarray, columns: dict[str, str]) -> np.ndarray:
    """The score of each row's predicted label."""
    names = sorted(columns)
    matrix = predictions[[columns[n] for n in names]].to_numpy(dtype=float)
    index = np.searchsorted(names, labels)
    return matrix[np.arange(len(labels)), index]


def _label_of(direction: str, stance: str) -> int:
    try:
        return DSE_LABEL_OF[(direction, stance)]
    except KeyError:
        raise DataError(
            f"5-class DSE report: cannot map ({direction}, {stance}) to a DSE label."
        ) from None


def five_class_metrics(gold, predicted, n_resamples: int = 1000, seed: int = 0) -> dict[str, Any]:
    """Micro- and macro-F1 (percent) over the five DSE classes, with bootstrap 95% intervals."""
    gold, predicted = [int(v) for v in gold], [int(v) for v in predicted]
    out: dict[str, Any] = {"n_items": len(gold)}
    if not gold:
        return out
    for metric in ("micro_f1", "macro_f1"):
        out[metric] = score(metric, gold, predicted, DSE_CLASSES)
        if n_resamples > 0:
            out[f"{metric}_ci95"] = list(
                bootstrap_interval(gold, predicted, DSE_CLASSES, metric, n_resamples, seed)
            )
    out["per_class_f1"] = {
        str(k): v["f1"] for k, v in per_class(gold, predicted, DSE_CLASSES).items()
    }
    matrix = confusion_counts(gold, predicted, DSE_CLASSES)[:5, :5]
    out["confusion_matrix"] = {"labels": list(DSE_CLASSES), "matrix": matrix.tolist()}
    return out


class DirectedFiveClassReport:
    """``(predictions, task) -> dict``: DSE 5-class figures, full split and de-duplicated.

    Parameters
    ----------
    n_resamples : bootstrap resamples of items for the 95% intervals (0: none).
    seed : seed of the bootstrap.
    neutral : the task's neutral label.
    rule : how the two rows become one label, one of :data:`RULES`.
    """

    def __init__(
        self,
        n_resamples: int = 1000,
        seed: int = 0,
        neutral: str = "neutral",
        rule: str = "neutral_first",
    ) -> None:
        self.n_resamples = n_resamples
        self.seed = seed
        self.neutral = neutral
        self.rule = rule

    def __call__(self, predictions: pd.DataFrame, task: str) -> dict[str, Any]:
        items = combine_directions(predictions, task, self.neutral, self.rule)
        kept = items[~items["duplicate"]]
        return {
            "rule": RULES[self.rule],
            "full": five_class_metrics(
                items["gold"], items["predicted"], self.n_resamples, self.seed
            ),
            "deduplicated": five_class_metrics(
                kept["gold"], kept["predicted"], self.n_resamples, self.seed
            ),
        }


def dse_five_class(
    n_resamples: int = 1000, seed: int = 0, neutral: str = "neutral", rule: str = "neutral_first"
) -> DirectedFiveClassReport:
    """The ``evaluation.extra`` entry of the DSE experiment: a 5-class report callable."""
    if rule not in RULES:
        raise ConfigError(f"dse_five_class: unknown rule {rule!r}; use one of {list(RULES)}.")
    return DirectedFiveClassReport(n_resamples=n_resamples, seed=seed, neutral=neutral, rule=rule)
