"""A trained model as users import it: ``load_model(run).predict(data)``.

A pair model (one whose input columns include ``source_mention``/``target_mention``) also takes
raw text: a list of texts, or a DataFrame with ``text`` and no mention columns. Each text is
split into sentences, its actors are found (:mod:`stance.actors`) and every ordered pair of
distinct actors in a sentence is labelled: one row per (text, sentence, source, target).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from stance.dyads.extract import CANDIDATE_COLUMNS, candidate_pairs
from stance.errors import DataError
from stance.io.model_files import load_model_file
from stance.predict.actor_finder import EVENT_COLUMNS, actor_finder, days_of, event_step
from stance.predict.batches import batches, joined
from stance.predict.inputs import from_schema, to_schema, trained_columns, with_target
from stance.predict.pair_scores import pair_scores

log = logging.getLogger(__name__)

MENTION_COLUMNS = ("source_mention", "target_mention")
#: Output columns of raw-text prediction before the ``score_<label>`` columns; columns carried
#: over from the input come right after ``text_id``.
DYAD_COLUMNS = CANDIDATE_COLUMNS[1:-2]  # without the input row and the character offsets
#: Rows labelled at a time by ``predict``/``predict_proba``: memory follows the batch (n-gram
#: matrices, embeddings), not the input.
BATCH_SIZE = 10_000


def class_scores(model: Any, X: Any) -> tuple[np.ndarray, str]:
    """Per-class scores in ``model.classes_`` order: probabilities when the model has them."""
    if hasattr(model, "predict_proba"):
        return np.asarray(model.predict_proba(X)), "probability"
    scores = np.asarray(model.decision_function(X))
    if scores.ndim == 1:
        scores = np.column_stack([-scores, scores])
    return scores, "decision"


class StanceModel:
    """A fitted pipeline with what it needs to know about its task.

    Parameters
    ----------
    estimator : the fitted scikit-learn model (a pipeline taking a DataFrame).
    metadata : ``task`` (the label column), ``labels`` and ``input_columns`` at least.
    """

    def __init__(self, estimator: Any, metadata: dict[str, Any]) -> None:
        self.estimator = estimator
        self.metadata = metadata
        self._finder: Any = None

    def actor_finder(self) -> Any:
        """The actor finder raw text is read with (:mod:`stance.predict.actor_finder`)."""
        if self._finder is None:
            self._finder = actor_finder(self.estimator, self.metadata)
        return self._finder

    @property
    def task(self) -> str:
        """The label column this model predicts: ``stance`` or ``sentiment``."""
        return self.metadata["task"]

    @property
    def classes(self) -> list[str]:
        """Labels in the order of the score columns."""
        return [str(c) for c in self.estimator.classes_]

    @property
    def input_columns(self) -> list[str]:
        """Columns `predict` needs in its input."""
        return list(self.metadata["input_columns"])

    @property
    def is_pair_model(self) -> bool:
        """True when the model labels a (source, target) pair of mentions in a text."""
        return set(MENTION_COLUMNS) <= set(self.input_columns)

    def predict(
        self,
        data: pd.DataFrame | Sequence[str] | Iterable[Any] | str,
        drop_neutral: bool = False,
        batch_size: int = BATCH_SIZE,
        *,
        target: str | None = None,
        columns: Mapping[str, str] | None = None,
    ) -> pd.DataFrame:
        """Label `data`; always a DataFrame with the same columns, even when empty.

        Rows as given (the input has every input column of the model): the input columns (a
        gold column named like the task is kept as ``<task>_gold``), the predicted label in a
        column named by the task and one ``score_<label>`` column per class.

        Raw text (a pair model given a list of texts or a DataFrame with ``text`` but no
        mention columns): one row per (text, sentence, source, target) with ``text_id`` (the
        input's ``text_id`` column, else its index label: the position in a list), the input's
        other columns, ``sentence_index``, ``sentence``, ``source``, ``target`` (actor ids),
        ``source_mention``, ``target_mention``, ``stance``, ``score`` (the winning class's
        score) and ``score_<label>``. An input with ``source`` and ``target`` columns scores
        only that pair of each text. How many statements, sentences and pairs were labelled is
        logged and kept in ``result.attrs["summary"]``.

        A per-target model sends rows whose target it never saw in training to its model of
        all targets: a warning names those targets, and ``summary["pooled_targets"]`` counts
        their rows.

        Large inputs are labelled `batch_size` rows at a time: the result is the same as in
        one pass, and memory beyond the input and the result stays that of one batch. (A
        model that reads the rows of a call together, :class:`stance.GroupConsistency`, gets
        them in one pass.)

        Parameters
        ----------
        data : a DataFrame, a list (or any iterable) of texts or of row dicts, a
            ``datasets.Dataset``, or one text.
        drop_neutral : leave out rows labelled ``neutral``.
        batch_size : rows labelled at a time.
        target : the target of every row (a model of stance toward a target needs one).
        columns : schema column -> your column (``{"text": "sentence"}``), so your input needs
            no renaming; by default the map the model was trained with (``data=local``). The
            output keeps your names.
        """
        batches = self._labelled(data, drop_neutral, self._batch_size(batch_size), target, columns)
        out = joined(list(batches))
        _log_summary(out.attrs["summary"], raw=self._raw_summary(out))
        return out

    def predict_batches(
        self,
        data: pd.DataFrame | Iterable[Any],
        drop_neutral: bool = False,
        batch_size: int = BATCH_SIZE,
        *,
        target: str | None = None,
        columns: Mapping[str, str] | None = None,
    ) -> Iterator[pd.DataFrame]:
        """:meth:`predict` for a stream: yield the result of each `batch_size` rows in turn.

        `data` is anything :meth:`predict` takes, including a generator of texts or row dicts
        (read lazily, `batch_size` at a time) and a ``datasets.Dataset``. The batches put
        together equal ``predict(data)``: raw-text ``text_id`` counts positions from the
        start of the stream. (A model that reads the rows of a call together, such as
        :class:`stance.GroupConsistency`, reads each batch on its own here.) Each batch's
        ``attrs["summary"]`` counts what it labelled. `target` and `columns` as in
        :meth:`predict`.
        """
        self._batch_size(batch_size)  # checked
        for out in self._labelled(data, drop_neutral, batch_size, target, columns):
            _log_summary(out.attrs["summary"], raw=self._raw_summary(out))
            yield out

    def predict_proba(
        self,
        data: pd.DataFrame | Iterable[Any],
        batch_size: int = BATCH_SIZE,
        *,
        target: str | None = None,
        columns: Mapping[str, str] | None = None,
    ) -> np.ndarray:
        """Class scores of rows as given, one column per label of :attr:`classes`.

        Probabilities when the model has them, else its decision scores (the ``score_<label>``
        columns of :meth:`predict`), computed `batch_size` rows at a time. `target` and
        `columns` as in :meth:`predict`.
        """
        parts = []
        for offset, frame, _ in self._inputs(data, self._batch_size(batch_size), target, columns):
            if self._is_raw(frame):
                raise DataError(
                    "predict_proba scores rows that have the model's input columns "
                    f"{self.input_columns}; for raw text use predict (its score_<label> columns)."
                )
            rows = self._as_frame(frame, offset)
            if len(rows):
                parts.append(class_scores(self.estimator, rows)[0])
        return np.vstack(parts) if parts else np.zeros((0, len(self.classes)))

    def _batch_size(self, batch_size: int | None) -> int | None:
        """`batch_size`, or None (one pass) for a model that reads a call's rows together."""
        if batch_size is not None and batch_size < 1:
            raise DataError(f"batch_size must be at least 1, not {batch_size}.")
        return None if getattr(self.estimator, "groups_within_call", False) else batch_size

    def _inputs(
        self,
        data: Any,
        batch_size: int | None,
        target: str | None,
        columns: Mapping[str, str] | None,
    ) -> Iterator[tuple[int, pd.DataFrame, dict[str, str]]]:
        """Each batch in the schema's column names: (offset, frame, what was renamed)."""
        mapping = trained_columns(self.metadata) | dict(columns or {})
        for offset, frame in batches([data] if isinstance(data, str) else data, batch_size):
            yield offset, *to_schema(with_target(frame, target), mapping)

    def _labelled(
        self,
        data: Any,
        drop_neutral: bool,
        batch_size: int | None,
        target: str | None = None,
        columns: Mapping[str, str] | None = None,
    ) -> Iterator[pd.DataFrame]:
        for offset, frame, renamed in self._inputs(data, batch_size, target, columns):
            yield self._predict_frame(frame, offset, drop_neutral, renamed)

    def _raw_summary(self, out: pd.DataFrame) -> bool:
        return "sentences" in out.attrs.get("summary", {})

    def _predict_frame(
        self, frame: pd.DataFrame, offset: int, drop_neutral: bool, renamed: dict[str, str]
    ) -> pd.DataFrame:
        """Label one batch (`offset`: the position of its first row in the whole input)."""
        if self._is_raw(frame):
            out, summary = self._predict_raw(frame)
        else:
            rows = self._as_frame(frame, offset)
            out = from_schema(self._predict_rows(rows), renamed)
            summary = {"statements": len(out), "pairs": len(out)}
            summary.update(_pooled(self.estimator, rows))
        if drop_neutral:
            out = out[out[self.task] != "neutral"].reset_index(drop=True)
        summary["kept"] = len(out)
        summary["labels"] = {str(k): int(v) for k, v in out[self.task].value_counts().items()}
        out.attrs["summary"] = summary
        return out

    def _is_raw(self, data: pd.DataFrame) -> bool:
        return self.is_pair_model and not set(MENTION_COLUMNS) & set(data.columns)

    # -- rows as given ------------------------------------------------------------------
    def _predict_rows(self, frame: pd.DataFrame) -> pd.DataFrame:
        out = frame.rename(columns={self.task: f"{self.task}_gold"})
        if len(frame) == 0:
            out[self.task] = pd.Series(dtype=object)
            for label in self.classes:
                out[f"score_{label}"] = pd.Series(dtype=float)
            return out
        scores, _ = class_scores(self.estimator, frame)
        classes = np.asarray(self.estimator.classes_)
        out[self.task] = classes[np.argmax(scores, axis=1)]
        for i, label in enumerate(self.classes):
            out[f"score_{label}"] = scores[:, i]
        return out

    def _as_frame(self, data: pd.DataFrame, offset: int = 0) -> pd.DataFrame:
        frame = data.copy()
        missing = [c for c in self.input_columns if c not in frame.columns]
        if missing:
            given = " or pass target=<the target>" if missing == ["target"] else ""
            raise DataError(
                f"input lacks column(s) {missing} that this {self.task} model needs "
                f"(it reads {self.input_columns}); add them to the input, name your own with "
                f"columns={{...}} (stance predict: --<name>-column){given}."
            )
        text = frame["text"]
        blank = text.isna() | (text.astype(str).str.strip() == "")
        if blank.any():
            raise DataError(
                f"input has {int(blank.sum())} empty or whitespace-only text(s) in rows "
                f"{offset}-{offset + len(frame) - 1} (first at row "
                f"{offset + int(np.argmax(blank.to_numpy()))}); remove or fill them."
            )
        return frame.reset_index(drop=True)

    # -- raw text -----------------------------------------------------------------------
    def _predict_raw(self, data: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
        frame = self._raw_frame(data)
        requested = None
        if {"source", "target"} <= set(frame.columns):
            requested = list(
                zip(frame["source"].astype(str), frame["target"].astype(str), strict=True)
            )
        ids = frame["text_id"] if "text_id" in frame.columns else frame.index
        candidates, counts = candidate_pairs(
            frame["text"].tolist(),
            list(ids),
            requested,
            recognizer=self.actor_finder(),
            days=days_of(frame, self.metadata),
        )
        carried = [c for c in frame.columns if c not in ("text", "text_id", "source", "target")]
        scores = np.zeros((len(candidates), len(self.classes)))
        view = candidates.rename(columns={"sentence": "text"})
        if len(candidates):  # n-gram pair models count each sentence once (pair_scores)
            found = pair_scores(self.estimator, view)
            scores = found if found is not None else class_scores(self.estimator, view)[0]
        out = candidates[["text_id"]].copy()
        for column in carried:
            out[column] = frame[column].to_numpy()[candidates["row"].to_numpy()]
        for column in DYAD_COLUMNS[1:]:
            out[column] = candidates[column].to_numpy()
        step = event_step(self.estimator)
        if step is not None:  # the CAMEO event between each pair (issue 24)
            events = step.event_columns(view) if len(view) else None
            for column in EVENT_COLUMNS:
                out[column] = events[column].to_numpy() if events is not None else []
        classes = np.asarray(self.classes, dtype=object)
        out[self.task] = pd.Series(classes[np.argmax(scores, axis=1)], dtype=object)
        out["score"] = scores.max(axis=1) if len(candidates) else pd.Series(dtype=float)
        for i, label in enumerate(self.classes):
            out[f"score_{label}"] = scores[:, i]
        return out, counts.as_dict()

    def _raw_frame(self, data: pd.DataFrame) -> pd.DataFrame:
        if "text" not in data.columns:
            raise DataError(
                f"input lacks a 'text' column (it has {list(data.columns)}); name the column "
                "holding the raw text 'text'."
            )
        frame = data.rename(columns={self.task: f"{self.task}_gold"})
        if ("source" in frame.columns) != ("target" in frame.columns):
            raise DataError(
                "input has only one of 'source'/'target'; give both (actor ids such as CHN, "
                "RUS: only that pair is scored) or neither (every pair is scored)."
            )
        reserved = {*DYAD_COLUMNS[1:], *EVENT_COLUMNS, self.task, "score"} - {"source", "target"}
        clash = [c for c in frame.columns if c in reserved or str(c).startswith("score_")]
        if clash:
            raise DataError(
                f"input column(s) {clash} clash with the output columns of raw-text "
                "prediction; rename or drop them."
            )
        return frame


def _pooled(estimator: Any, frame: pd.DataFrame) -> dict[str, dict[str, int]]:
    """Rows a per-target model sends to its model of all targets, by target."""
    unseen = getattr(estimator, "unseen_groups", None)
    counts = unseen(frame) if callable(unseen) and len(frame) else {}
    return {"pooled_targets": counts} if counts else {}


def _log_summary(counts: dict[str, Any], raw: bool) -> None:
    """Log what prediction labelled (`counts`: a result's ``attrs["summary"]``): the rows sent
    to the model of all targets, and for raw text the sentences and pairs."""
    pooled = counts.get("pooled_targets") or {}
    if pooled:
        log.warning(
            "%d row(s) have a target the model never saw in training and were labelled by its "
            "model of all targets: %s",
            sum(pooled.values()),
            ", ".join(f"{k!r} ({v})" for k, v in pooled.items()),
        )
    if not raw:
        return
    by_label = ", ".join(f"{k} {v}" for k, v in counts["labels"].items()) or "none"
    message = (
        f"labelled {counts['pairs']} actor pair(s) in {counts['sentences_with_pairs']} of "
        f"{counts['sentences']} sentence(s) from {counts['statements']} statement(s) "
        f"({by_label}); {counts['sentences_one_actor']} sentence(s) named one actor, "
        f"{counts['sentences_no_actor']} none, {counts['empty_texts']} text(s) were empty"
    )
    if counts["pairs_requested"]:
        message += (
            f"; {counts['pairs_not_found']} of {counts['pairs_requested']} requested pair(s) "
            "not found"
        )
    if counts["pairs"] == 0 and counts["statements"]:
        log.warning("%s: no sentence names two actors, so nothing was labelled", message)
    else:
        log.info("%s", message)


def load_model(path: str | Path, allow_pickle: bool = False) -> StanceModel:
    """Load a trained model from a run folder, its ``model/`` folder or its model file.

    Only skops files whose hash matches their metadata and whose types are on the saved
    trusted list are loaded; pickle/joblib files are refused unless `allow_pickle` is set.
    """
    estimator, metadata = load_model_file(path, allow_pickle=allow_pickle)
    return StanceModel(estimator, metadata)
