"""Pair views that mark the two mentions where they are, and the words between them.

:class:`~stance.features.views.TextView` (mode ``pair``) replaces the *first* occurrence of each
mention, one after the other; that marks the wrong span when a mention also occurs earlier, and
a short mention can be found inside the token put in for the other one (``GTA`` in
``TGTACTOR``). :class:`PairView` locates both spans in the original text first (from the
``source_start``/``target_start`` offsets when the corpus gives them, else by search, longer
mention first, never overlapping) and then builds the string from those spans.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
from sklearn.pipeline import FeatureUnion, Pipeline

from stance.features.mention_embeddings import MentionEmbeddings
from stance.features.ngrams import ngram_features
from stance.features.spans import Span, as_text, located_pairs
from stance.features.views import TextView

PAIR_MODES = ("pair", "between", "ordered", "names", "context", "tagged")
#: Brackets around the source and the target mention in ``"tagged"`` mode.
TAGS = {"source": ("<<", ">>"), "target": ("[[", "]]")}
_WORD = re.compile(r"\w+")


class PairView(TextView):
    """Mark the source and target mentions at their positions.

    Parameters
    ----------
    mode : ``"pair"`` gives the whole text with the mentions replaced by `source_token` and
        `target_token` (an unseen mention adds ``<token>_UNSEEN`` in front, as TextView does);
        ``"between"`` gives only the words between the two mentions, enclosed by the two tokens
        in text order (``"TGTACTOR was praised by SRCACTOR"``), plus `window` words on either
        side; ``"NOPAIR"`` when a mention is not in the text. ``"ordered"`` is ``"pair"`` with
        every other word prefixed by the order of the pair (``F_`` when the source comes first,
        ``B_`` when the target does, ``U_`` when a mention is unseen), so a linear model can
        weigh a word differently in the two directions of a sentence. ``"names"`` gives only
        the lower-cased words of the two mentions, prefixed ``S_`` and ``T_`` (who is who, which
        the marked views replace by the tokens). ``"context"`` gives the `window` words on each
        side of each mention, tagged with whose side they are on (``SL_``/``SR_`` left/right of
        the source, ``TL_``/``TR_`` of the target), so "praised" right of the source and left of
        the target reads differently from the passive; ``NOPAIR`` when a mention is unseen.
        ``"tagged"`` keeps the whole text, mention words included, and brackets the source
        with ``<< >>`` and the target with ``[[ ]]`` (the input of a fine-tuned encoder,
        which reads the names as well as the roles); an unseen mention is put in front,
        bracketed.
    source_token, target_token : placeholders for the marked mentions.
    window : words kept before the first and after the second mention in ``"between"`` mode,
        and on each side of each mention in ``"context"`` mode.
    """

    def __init__(
        self,
        mode: str = "pair",
        source_token: str = "SRCACTOR",
        target_token: str = "TGTACTOR",
        window: int = 0,
    ) -> None:
        self.mode = mode
        self.source_token = source_token
        self.target_token = target_token
        self.window = window

    def fit(self, X, y=None) -> PairView:
        if self.mode not in PAIR_MODES:
            raise ValueError(f"PairView: unknown mode {self.mode!r}; use one of {PAIR_MODES}.")
        self._rows(X)
        self.n_features_in_ = 1
        return self

    def transform(self, X) -> np.ndarray:
        rows = self._rows(X)
        out = []
        for (text, *spans), source, target in zip(
            located_pairs(rows),
            rows["source_mention"].tolist(),
            rows["target_mention"].tolist(),
            strict=True,
        ):
            if self.mode == "names":
                out.append(_names(as_text(source), as_text(target)))
            elif self.mode == "pair":
                out.append(self._marked(text, *spans))
            elif self.mode == "ordered":
                out.append(self._ordered(self._marked(text, *spans), *spans))
            elif self.mode == "context":
                out.append(self._context(text, *spans))
            elif self.mode == "tagged":
                out.append(_tagged(text, *spans, as_text(source), as_text(target)))
            else:
                out.append(self._between(text, *spans))
        return np.asarray(out, dtype=object)

    def needed_columns(self) -> tuple[str, ...]:
        """Input columns this view reads (the offset columns are used when present)."""
        return ("text", "source_mention", "target_mention")

    def _marked(self, text: str, source: Span | None, target: Span | None) -> str:
        marks = [(source, self.source_token), (target, self.target_token)]
        found = sorted((span, token) for span, token in marks if span is not None)
        pieces, at = [], 0
        for (start, end), token in found:
            pieces += [text[at:start], f" {token} "]
            at = end
        pieces.append(text[at:])
        unseen = [f"{token}_UNSEEN" for span, token in marks if span is None]
        return " ".join([*unseen, *"".join(pieces).split()])

    def _ordered(self, marked: str, source: Span | None, target: Span | None) -> str:
        tag = "U" if source is None or target is None else "F" if source < target else "B"
        tokens = {self.source_token, self.target_token}
        prefix = f"{tag}_"
        return " ".join([w if w in tokens else prefix + w for w in marked.split()])

    def _between(self, text: str, source: Span | None, target: Span | None) -> str:
        if source is None or target is None:
            return "NOPAIR"
        (first, first_token), (second, second_token) = sorted(
            [(source, self.source_token), (target, self.target_token)]
        )
        before = text[: first[0]].split()[-self.window :] if self.window > 0 else []
        after = text[second[1] :].split()[: self.window] if self.window > 0 else []
        middle = text[first[1] : second[0]].split()
        return " ".join([*before, first_token, *middle, second_token, *after])

    def _context(self, text: str, source: Span | None, target: Span | None) -> str:
        if source is None or target is None:
            return "NOPAIR"
        words = []
        for (start, end), role in ((source, "S"), (target, "T")):
            left = _WORD.findall(text[:start].lower())[-self.window :] if self.window > 0 else []
            right = _WORD.findall(text[end:].lower())[: self.window]
            words += [f"{role}L_{w}" for w in left] + [f"{role}R_{w}" for w in right]
        return " ".join(words) or "NOCONTEXT"


def _tagged(
    text: str, source: Span | None, target: Span | None, source_name: str, target_name: str
) -> str:
    marks = [(source, "source", source_name), (target, "target", target_name)]
    found = sorted((span, role) for span, role, _ in marks if span is not None)
    pieces, at = [], 0
    for (start, end), role in found:
        opening, closing = TAGS[role]
        pieces += [text[at:start], f" {opening} {text[start:end]} {closing} "]
        at = end
    pieces.append(text[at:])
    unseen = [f"{TAGS[r][0]} {name} {TAGS[r][1]}" for span, r, name in marks if span is None]
    return " ".join([*unseen, *"".join(pieces).split()])


def _names(source: str, target: str) -> str:
    words = [f"S_{w}" for w in _WORD.findall(source.lower())]
    words += [f"T_{w}" for w in _WORD.findall(target.lower())]
    return " ".join(words) or "NONAMES"


def pair_ngram_features(
    view: TextView | None = None,
    word: dict[str, Any] | None = None,
    char: dict[str, Any] | None = None,
    blocks: dict[str, dict[str, Any]] | None = None,
    mentions: dict[str, Any] | None = None,
    weights: dict[str, float] | None = None,
    extra: dict[str, Any] | None = None,
) -> Pipeline | FeatureUnion:
    """:func:`~stance.features.ngram_features` of `view`, joined with further named blocks.

    Each entry of `blocks` holds ``view``/``word``/``char`` for another
    :func:`~stance.features.ngram_features` block (e.g. a word block over
    ``PairView(mode="between")``); `mentions` adds a block ``mentions`` of
    :class:`~stance.features.mention_embeddings.MentionEmbeddings` with these parameters.
    `extra` adds ready transformers by name (e.g. :class:`~stance.features.events.EventFeatures`,
    :class:`~stance.features.roles.PairRoles`). `weights` multiplies blocks by name (``pair`` is
    the main block; 1 if absent). Without further blocks this is
    ``ngram_features(view, word, char)``.
    """
    main = ngram_features(view or PairView(), word, char)
    parts = [("pair", main)] + [
        (name, ngram_features(**spec)) for name, spec in (blocks or {}).items()
    ]
    if mentions is not None:
        parts.append(("mentions", MentionEmbeddings(**mentions)))
    parts += list((extra or {}).items())
    unknown = sorted(set(weights or {}) - {name for name, _ in parts})
    if unknown:
        raise ValueError(f"pair_ngram_features: weights for blocks that are not there: {unknown}.")
    if len(parts) == 1:
        return main
    return FeatureUnion(parts, transformer_weights=dict(weights) if weights else None)
