"""Text views: turn statement rows into the strings a vectorizer reads."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, TransformerMixin

from stance.errors import DataError

MODES = ("text", "pair", "target_text")


class TextView(TransformerMixin, BaseEstimator):
    """Select the text of each statement, optionally marking who is who.

    Parameters
    ----------
    mode : ``"text"`` uses the text as it is; ``"pair"`` replaces the source and target
        mentions by `source_token` and `target_token`, so n-grams such as
        ``"SRCACTOR condemned TGTACTOR"`` carry direction; ``"target_text"`` prefixes the
        target (for pooled target-stance models).
    source_token, target_token : placeholders for the marked mentions.
    """

    def __init__(
        self, mode: str = "text", source_token: str = "SRCACTOR", target_token: str = "TGTACTOR"
    ) -> None:
        self.mode = mode
        self.source_token = source_token
        self.target_token = target_token

    def fit(self, X, y=None) -> TextView:
        if self.mode not in MODES:
            raise ValueError(f"TextView: unknown mode {self.mode!r}; use one of {MODES}.")
        self._rows(X)
        self.n_features_in_ = 1
        return self

    def transform(self, X) -> np.ndarray:
        rows = self._rows(X)
        if self.mode == "text":
            out = [str(t) for t in rows["text"]]
        elif self.mode == "target_text":
            out = [f"{g} || {t}" for g, t in zip(rows["target"], rows["text"], strict=True)]
        else:
            out = [
                mark_pair(t, s, g, self.source_token, self.target_token)
                for t, s, g in zip(
                    rows["text"], rows["source_mention"], rows["target_mention"], strict=True
                )
            ]
        return np.asarray(out, dtype=object)

    def needed_columns(self) -> tuple[str, ...]:
        """Input columns this view reads."""
        return {
            "text": ("text",),
            "target_text": ("text", "target"),
            "pair": ("text", "source_mention", "target_mention"),
        }[self.mode]

    def _rows(self, X) -> pd.DataFrame:
        if isinstance(X, pd.DataFrame):
            missing = [c for c in self.needed_columns() if c not in X.columns]
            if missing:
                raise DataError(
                    f"input lacks column(s) {missing} that this model reads "
                    f"(view mode {self.mode!r}); add them to the input."
                )
            return X
        if self.mode != "text":
            raise DataError(
                f"view mode {self.mode!r} needs a DataFrame with columns "
                f"{list(self.needed_columns())}, got {type(X).__name__}."
            )
        return pd.DataFrame({"text": np.asarray(X, dtype=object).ravel()})

    def get_feature_names_out(self, input_features: Sequence[str] | None = None) -> np.ndarray:
        return np.asarray(["text"], dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.requires_fit = False
        return tags


def mark_pair(text: str, source: str, target: str, source_token: str, target_token: str) -> str:
    """Replace the first occurrence of each mention by its token.

    Both spans are found in the original text before anything is replaced (the longer mention
    first, the other outside it), so a mention is never matched inside the other's token. A
    mention absent from the text is signalled by a ``<token>_UNSEEN`` prefix.
    """
    text = str(text)
    prefix, spans = pair_spans(text, source, target, source_token, target_token)
    out, cursor = [], 0
    for start, end, token in spans:
        out += [text[cursor:start], f" {token} "]
        cursor = end
    out.append(text[cursor:])
    return " ".join([*prefix, *"".join(out).split()])


def pair_spans(
    text: str, source: str, target: str, source_token: str, target_token: str
) -> tuple[list[str], list[tuple[int, int, str]]]:
    """What :func:`mark_pair` does to `text`: the ``<token>_UNSEEN`` words it puts in front,
    and the (start, end, token) spans it replaces, in text order."""
    marks = sorted(
        [(str(source), source_token), (str(target), target_token)], key=lambda m: -len(m[0])
    )
    spans: list[tuple[int, int, str]] = []
    prefix: list[str] = []
    for mention, token in marks:
        start = _find_outside(text, mention, spans) if mention and mention != "nan" else -1
        if start < 0:
            prefix.insert(0, f"{token}_UNSEEN")
        else:
            spans.append((start, start + len(mention), token))
    return prefix, sorted(spans)


def _find_outside(text: str, mention: str, taken: list[tuple[int, int, str]]) -> int:
    """First index of `mention` in `text` not overlapping a span in `taken` (-1 if none)."""
    start = text.find(mention)
    while start >= 0:
        end = start + len(mention)
        if all(end <= a or start >= b for a, b, _ in taken):
            return start
        start = text.find(mention, start + 1)
    return -1
