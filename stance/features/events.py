"""Event codes between the two actors of a pair row, as features and as a rule's input.

For each pair row (``text``, ``source_mention``, ``target_mention``, offsets when given) the
actors of the text are found (:class:`~stance.actors.coding.ActorCoder`, the pair's two mentions
added where the coder missed them) and the CAMEO events between them are coded
(:class:`~stance.events.coder.EventCoder`). :class:`EventFeatures` turns them into sparse
indicator features for a learned model; :class:`EventCodes` into the few numbers a rule reads
(:class:`stance.models.CameoRules`).

Both compile their dictionaries in ``fit`` from `dictionaries` (paths of CAMEO/Phoenix files in
any order; this project's additions are always read last) and keep them, compiled, in the
fitted estimator: a model file carries the dictionaries it was trained with.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction import DictVectorizer

from stance.actors.cameo import tokens
from stance.actors.coding import ActorCoder
from stance.actors.recognizer import Mention
from stance.events.coder import Event, EventCoder
from stance.events.codes import plover_of_code, quad_class
from stance.events.dictionary_set import DictionarySet, load_dictionaries
from stance.events.sources import project_dictionaries
from stance.features.spans import OFFSET_COLUMNS, as_text, located_pairs

#: Optional input column: offsets of every actor mention of the row's text.
SPANS_COLUMN = "mention_spans"

__all__ = ["EventCodes", "EventFeatures", "PairEvents", "stance_of_code"]

#: CAMEO roots (first two digits) and the stance they carry in this project
#: (data/events/README.md): 01 is a plain statement; 02-08 cooperation; 09-20 conflict.
SUPPORT_ROOTS = frozenset(range(2, 9))
OPPOSE_ROOTS = frozenset(range(9, 21))


def stance_of_code(code: str | None) -> str:
    """``support``, ``oppose`` or ``neutral`` for a CAMEO code by the project's mapping."""
    root = int(code[:2]) if code and code[:2].isdigit() else 0
    return "support" if root in SUPPORT_ROOTS else "oppose" if root in OPPOSE_ROOTS else "neutral"


class PairEvents:
    """The events of each pair row: forward (source to target), backward, and others."""

    def __init__(self, dictionaries: DictionarySet) -> None:
        self.actors = ActorCoder(dictionaries.vocabulary, reporters=True)
        self.coder = EventCoder(dictionaries.verbs)
        self._last: tuple[Any, list] | None = None  # the rows of the last frame read

    def read(self, X: pd.DataFrame) -> list[dict[str, list[Event]]]:
        """One dict per row: ``forward``, ``backward``, ``source_other``, ``target_other``.

        A ``mention_spans`` column (the offsets of every actor mention of the row's text, as
        raw-text prediction gives it) saves finding the actors again. The last frame's rows are
        kept, so reading one frame twice (features, then event columns) codes it once.
        """
        given = X[SPANS_COLUMN].tolist() if SPANS_COLUMN in X.columns else None
        key = (
            tuple(X["text"].astype(str).tolist()),
            *(tuple(map(as_text, X[c].tolist())) for c in ("source_mention", "target_mention")),
            *(tuple(X[c].tolist()) if c in X.columns else None for c in OFFSET_COLUMNS),
            None if given is None else tuple(map(tuple, given)),
        )
        if self._last is not None and self._last[0] == key:
            return self._last[1]
        rows = self._read(X, given)
        self._last = (key, rows)
        return rows

    def _read(self, X: pd.DataFrame, given: list | None) -> list[dict[str, list[Event]]]:
        mentions: dict[str, list[tuple[int, int]]] = {}
        coded: dict[tuple[str, tuple], list[Event]] = {}
        out = []
        for number, (text, source, target) in enumerate(located_pairs(X)):
            if given is not None:
                mentions.setdefault(text, [tuple(span) for span in given[number]])
            elif text not in mentions:
                found = self.actors.find(text)
                mentions[text] = spans_of([m for m in found if m.kind != "reporter"])
            known = mentions[text]
            added = {span for span in (source, target) if span is not None and _free(known, span)}
            spans = tuple(sorted(set(known) | added))
            if (text, spans) not in coded:
                coded[(text, spans)] = self._events(text, list(spans))
            out.append(self._row(list(spans), coded[(text, spans)], source, target))
        return out

    def _events(self, text: str, spans: list[tuple[int, int]]) -> list[Event]:
        toks = tokens(text)
        starts = [tok.start for tok in toks]
        token_spans = [
            (bisect.bisect_left(starts, a), bisect.bisect_left(starts, b)) for a, b in spans
        ]
        return self.coder.events(toks, token_spans)

    def _row(
        self, spans: list[tuple[int, int]], events: list[Event], source: Any, target: Any
    ) -> dict[str, list[Event]]:
        s = _index_of(spans, source)
        t = _index_of(spans, target)
        empty: dict[str, list[Event]] = {
            "forward": [],
            "backward": [],
            "source_other": [],
            "target_other": [],
        }
        if s is None or t is None or s == t:
            return empty
        for event in events:
            if event.source == s and event.target == t:
                empty["forward"].append(event)
            elif event.source == t and event.target == s:
                empty["backward"].append(event)
            elif event.source == s:
                empty["source_other"].append(event)
            elif event.target == t:
                empty["target_other"].append(event)
        return empty


def spans_of(mentions: Sequence[Mention]) -> list[tuple[int, int]]:
    """The character spans of `mentions`."""
    return [(m.start, m.end) for m in mentions]


def _free(spans: list[tuple[int, int]], span: tuple[int, int]) -> bool:
    return not any(a < span[1] and span[0] < b for a, b in spans)


def _index_of(spans: list[tuple[int, int]], span: tuple[int, int] | None) -> int | None:
    """The first of `spans` overlapping `span`."""
    if span is None:
        return None
    return next((k for k, (a, b) in enumerate(spans) if a < span[1] and span[0] < b), None)


def _features(row: dict[str, list[Event]]) -> dict[str, float]:
    out: dict[str, float] = {}
    for key, prefix in (("forward", "F"), ("backward", "B")):
        for event in row[key]:
            out[f"{prefix}_V_{event.block}"] = 1.0
            if not event.code:
                continue
            q = quad_class(event.code)
            out[f"{prefix}_Q{q}"] = 1.0
            out[f"{prefix}_R{event.code[:2]}"] = 1.0
            out[f"{prefix}_{stance_of_code(event.code)}"] = 1.0
            if event.negated:
                out[f"{prefix}_NEG_Q{q}"] = 1.0
    for key, prefix in (("source_other", "SO"), ("target_other", "TO")):
        for event in row[key]:
            if event.code:
                out[f"{prefix}_{stance_of_code(event.code)}"] = 1.0
    if not any(e.code for e in row["forward"] + row["backward"]):
        out["NO_EVENT"] = 1.0
    return out


class _DictionaryEstimator(TransformerMixin, BaseEstimator):
    """Shared fit: compile the dictionaries and keep them as JSON in the fitted estimator."""

    def __init__(self, dictionaries: Sequence[str] = (), project: bool = True) -> None:
        self.dictionaries = dictionaries
        self.project = project

    def _fit_dictionaries(self) -> None:
        paths = [*self.dictionaries, *(project_dictionaries() if self.project else [])]
        self.dictionaries_json_ = load_dictionaries(paths).to_json()
        self.sources_ = [str(p) for p in paths]

    def _reader(self) -> PairEvents:
        reader = getattr(self, "_events", None)
        if reader is None:
            reader = PairEvents(DictionarySet.from_json(self.dictionaries_json_))
            self._events = reader
        return reader

    def dictionary_set(self) -> DictionarySet:
        """The compiled dictionaries this estimator was fitted with."""
        return DictionarySet.from_json(self.dictionaries_json_)

    def event_columns(self, X: pd.DataFrame) -> pd.DataFrame:
        """Per pair row: the CAMEO code of the first coded event from the source to the target
        that is not negated (``cameo_code``, ``""`` for none), its PLOVER type and its
        QuadClass (0 for none)."""
        codes = []
        for row in self._reader().read(X):
            forward = next((e for e in row["forward"] if e.code and not e.negated), None)
            codes.append(forward.code if forward else "")
        return pd.DataFrame(
            {
                "cameo_code": codes,
                "plover_type": [plover_of_code(c) for c in codes],
                "quad_class": [quad_class(c) or 0 for c in codes],
            },
            index=X.index,
        )

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state.pop("_events", None)  # rebuilt from dictionaries_json_ on first use
        return state

    def needed_columns(self) -> tuple[str, ...]:
        """Input columns these features read (the offset columns are used when present)."""
        return ("text", "source_mention", "target_mention")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags


class EventFeatures(_DictionaryEstimator):
    """Indicator features of the events between each pair's source and target.

    ``F_Q3`` (an event of quad class 3 from the source to the target), ``B_R19`` (an event of
    CAMEO root 19 from the target to the source), ``F_support`` (by the project's mapping),
    ``F_NEG_Q1`` (a negated one), ``SO_oppose`` / ``TO_support`` (the source acts on, or the
    target is acted on by, another actor), ``NO_EVENT``.

    Parameters
    ----------
    dictionaries : paths of CAMEO/Phoenix actor, agent and verb files, any order.
    project : also read this project's additions (last).
    """

    def fit(self, X: pd.DataFrame, y: Any = None) -> EventFeatures:
        self._fit_dictionaries()
        rows = self._reader().read(X)
        self.vectorizer_ = DictVectorizer().fit([_features(r) for r in rows] or [{}])
        self.n_features_in_ = 1
        return self

    def transform(self, X: pd.DataFrame) -> sparse.csr_matrix:
        rows = self._reader().read(X)
        return sparse.csr_matrix(self.vectorizer_.transform([_features(r) for r in rows]))

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return self.vectorizer_.get_feature_names_out()


class EventCodes(_DictionaryEstimator):
    """Per pair row: the CAMEO root (0 = none) of the first event from the source to the
    target, whether it is negated (0/1), and the root of the first event back."""

    def fit(self, X: pd.DataFrame, y: Any = None) -> EventCodes:
        self._fit_dictionaries()
        self.n_features_in_ = 1
        return self

    def transform(self, X: pd.DataFrame) -> np.ndarray:
        out = []
        for row in self._reader().read(X):
            forward = next((e for e in row["forward"] if e.code), None)
            backward = next((e for e in row["backward"] if e.code), None)
            out.append(
                [
                    int(forward.code[:2]) if forward else 0,
                    int(forward.negated) if forward else 0,
                    int(backward.code[:2]) if backward else 0,
                ]
            )
        return np.asarray(out, dtype=np.int64).reshape(-1, 3)
