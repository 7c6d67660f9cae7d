"""A verb dictionary compiled for matching raw text, as plain data a model file can keep.

:func:`compile_verbs` turns one or more :class:`~stance.events.verbs.VerbDictionary` files into a
:class:`VerbIndex`: every surface form of every verb (by its first word), each verb's code and
block, and each block's patterns as nested lists (:func:`encode_element`). Files read later
extend earlier ones: a later file's verb form is tried first, and a block of the same name in a
later file adds its patterns to the earlier block's.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from stance.errors import DataError
from stance.events.patterns import Element, NounPhrase, Prep, Slot, Words
from stance.events.verbs import load_verb_file

__all__ = ["VerbIndex", "compile_verbs", "encode_element"]


def encode_element(element: Element) -> list[Any]:
    """A pattern element as nested lists: ``["w", alternatives]``, ``["np", words]``,
    ``["p", prepositions, objects]`` or ``["s", kind]``."""
    if isinstance(element, Words):
        return ["w", [list(alt) for alt in element.alternatives]]
    if isinstance(element, NounPhrase):
        return ["np", [encode_element(w) for w in element.words]]
    if isinstance(element, Prep):
        return ["p", list(element.prepositions), [encode_element(o) for o in element.objects]]
    if isinstance(element, Slot):
        return ["s", element.kind]
    raise TypeError(f"not a pattern element: {element!r}")


class VerbIndex:
    """Verbs, their forms and patterns (see the module doc).

    Attributes
    ----------
    forms : first word -> list of ``(words, head, verb)``, longer forms first.
    verbs : ``(lemma, block, forward, reverse)`` per verb (codes as strings or None).
    blocks : block name -> list of pattern indices.
    patterns : ``(before, after, forward, reverse, where)`` with encoded elements.
    """

    def __init__(
        self,
        verbs: Sequence[tuple[str, str, str | None, str | None]],
        forms: Sequence[tuple[tuple[str, ...], int, int]],
        patterns: Sequence[tuple[list, list, str | None, str | None, str]],
        blocks: dict[str, list[int]],
        sources: Sequence[str] = (),
    ) -> None:
        self.verbs = list(verbs)
        self.form_list = list(forms)
        self.patterns = list(patterns)
        self.blocks = blocks
        self.sources = list(sources)
        self.forms: dict[str, list[tuple[tuple[str, ...], int, int]]] = {}
        for words, head, verb in self.form_list:
            self.forms.setdefault(words[0], []).append((tuple(words), head, verb))
        for candidates in self.forms.values():
            candidates.sort(key=lambda item: -len(item[0]))

    def to_data(self) -> dict[str, Any]:
        """The index as plain lists and dicts (JSON-ready)."""
        return {
            "sources": self.sources,
            "verbs": self.verbs,
            "forms": [[list(w), h, v] for w, h, v in self.form_list],
            "patterns": self.patterns,
            "blocks": self.blocks,
        }

    def to_json(self) -> str:
        """The index as one JSON string."""
        return json.dumps(self.to_data(), separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> VerbIndex:
        """The inverse of :meth:`to_json`."""
        return cls.from_data(json.loads(text))

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> VerbIndex:
        """The inverse of :meth:`to_data`."""
        return cls(
            [tuple(v) for v in data["verbs"]],
            [(tuple(w), h, v) for w, h, v in data["forms"]],
            [tuple(p) for p in data["patterns"]],
            data["blocks"],
            data.get("sources", []),
        )


def compile_verbs(paths: Sequence[str | os.PathLike]) -> VerbIndex:
    """Read verb files into one :class:`VerbIndex` (later files extend earlier ones)."""
    verbs: list[tuple[str, str, str | None, str | None]] = []
    forms: list[tuple[tuple[str, ...], int, int]] = []
    patterns: list[tuple[list, list, str | None, str | None, str]] = []
    blocks: dict[str, list[int]] = {}
    for path in reversed(list(paths)):  # later files first: their forms are tried first
        if not Path(path).is_file():
            raise DataError(
                f"verb dictionary {str(path)!r} not found; fix events.verbs (a list of paths) "
                "or put the file there."
            )
        dictionary = load_verb_file(path)
        for block in dictionary.blocks:
            ids = blocks.setdefault(block.name, [])
            for pattern in block.patterns:
                ids.append(len(patterns))
                patterns.append(
                    (
                        [encode_element(e) for e in pattern.before],
                        [encode_element(e) for e in pattern.after],
                        pattern.code.forward,
                        pattern.code.reverse,
                        pattern.where,
                    )
                )
            for verb in block.verbs:
                index = len(verbs)
                verbs.append((str(verb.lemma), block.name, verb.code.forward, verb.code.reverse))
                for form in verb.forms:
                    if form.words and form.words[0][:1].isalpha():  # not "," (a stray comma)
                        forms.append((tuple(form.words), form.head, index))
    return VerbIndex(verbs, forms, patterns, blocks, [str(p) for p in paths])
