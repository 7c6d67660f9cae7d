"""Reader for the CAMEO/Phoenix agent dictionary (role nouns such as ``GOVERNMENT [~GOV]``).

Grammar (``dictionaries.rst``, "Agent Dictionary")::

    !PERSON! = MAN, MEN, WOMAN, WOMEN, PERSON       a substitution set
    PHRASE_STRING {OPTIONAL_PLURAL} [~ROLE]          ROLE goes after the actor code (IRQ+GOV)
    HUMAN_RIGHTS_BODY [NGO~]                         ROLE goes before it (NGO+IRQ)

- Phrases: ``_`` joins consecutive words, a blank lets other words come in between (kept as
  :attr:`Phrase.gaps`). PETRARCH matches agent phrases as whole words, so ``stem`` is always
  False; a trailing ``_`` (15 lines, e.g. ``MUKHABARAT_``) stops the automatic plural, as the
  rst says for synonym sets (PETRARCH itself would form ``MUKHABARAT_S``).
- Plurals: ``{}`` none; ``{X}`` the plural is ``X``; otherwise the regular plural of the last
  word (:func:`.phrases.regular_plural`). A phrase with a ``!SET!`` marker is
  expanded with every member of the set and gets no plural (the rst).
- Tolerated and counted: ``[~GOV}`` (mismatched bracket, read as ``[~GOV]``), a code without
  ``~`` (read as ``~CODE``), ``_`` next to a blank (read as a blank), lower-case letters.
- Skipped and counted: comment lines, lines without a code, phrases using an undefined set.

Measured on the shipped ``Phoenix.agents.txt``: 2,244 entries (2,241 suffix roles, 3 prefix
``[IGO~]``) with 5,212 phrases, 2 substitution sets; 1 line without a code
(``ISLAMIC_EXTREMIST``), 1 ``[~ENV}``. Known limits of the rst's plural rule, kept as the rst
says: phrases already plural get an extra ``S`` (``VICTIMS`` -> ``VICTIMSS``, harmless) and
``CH``/``SH``/``X`` words take ``S`` (``JUDICIAL_BRANCHS``); inner plurals
(``CHAMBERS_OF_COMMERCE``) must be listed in ``{}``, as the file's header says.
"""

from __future__ import annotations

import itertools
import os
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Literal, NoReturn

from stance.actors.dictionaries.lines import cached_on_stat, read_text_lines
from stance.actors.dictionaries.phrases import Phrase, parse_phrase, regular_plural
from stance.errors import DataError

__all__ = ["AgentDictionary", "AgentEntry", "load_agent_file", "read_agent_file"]

_DEFINITION = re.compile(r"!([^!\s]+)!\s*=\s*(.*)")
_CODE = re.compile(r"\[\s*([^\[\]{}]*?)\s*([\]}])")
_PLURAL = re.compile(r"\{([^{}]*)\}")
_MARKER = re.compile(r"!([^!\s]*)!")


@dataclass(frozen=True)
class AgentEntry:
    """One agent line: all its forms (singular first, then plurals or substitutions), the role
    code and whether it goes after (``suffix``, ``[~GOV]``) or before (``prefix``, ``[NGO~]``)
    the actor code."""

    phrases: tuple[Phrase, ...]
    role: str
    position: Literal["suffix", "prefix"]
    where: str

    def combine(self, actor: str) -> str:
        """The code of ``actor`` in this role: ``IRQ`` + ``[~GOV]`` -> ``IRQGOV``."""
        return actor + self.role if self.position == "suffix" else self.role + actor


@dataclass(frozen=True)
class AgentDictionary:
    """The entries of one agent file, its substitution sets and the counts by reason."""

    path: str
    entries: tuple[AgentEntry, ...]
    substitutions: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    skipped: Mapping[str, int] = field(default_factory=dict)
    tolerated: Mapping[str, int] = field(default_factory=dict)
    encoding: str = "utf-8"

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[AgentEntry]:
        return iter(self.entries)

    @property
    def positions(self) -> dict[str, int]:
        """Number of entries by position of the role (``suffix``, ``prefix``)."""
        counts = Counter(entry.position for entry in self.entries)
        return {"suffix": counts.get("suffix", 0), "prefix": counts.get("prefix", 0)}


def read_agent_file(path: str | os.PathLike) -> AgentDictionary:
    """Read an agent dictionary in the PETRARCH format (grammar in the module doc)."""
    lines, encoding = read_text_lines(path, what="agent dictionary")
    name = Path(path).name
    skipped: Counter[str] = Counter()
    tolerated: Counter[str] = Counter()
    if encoding != "utf-8":
        tolerated["not UTF-8 (read as latin-1)"] += 1
    sets: dict[str, tuple[str, ...]] = {}
    entries: list[AgentEntry] = []
    for line in lines:
        body = line.text.strip()
        if not body:
            if line.comment is not None:
                skipped["comment line"] += 1
            continue
        where = f"{name}:{line.number}"
        definition = _DEFINITION.fullmatch(body)
        if definition:
            members = tuple(m.strip().upper() for m in definition.group(2).split(",") if m.strip())
            if not members:
                _fail(where, "an empty substitution set", body, "list members: !SET! = A, B")
            if definition.group(1).upper() in sets:
                tolerated["substitution set redefined (the later kept)"] += 1
            sets[definition.group(1).upper()] = members
            continue
        entry = _entry(body, where, sets, skipped, tolerated)
        if entry is not None:
            entries.append(entry)
    return AgentDictionary(
        str(path), tuple(entries), dict(sets), dict(skipped), dict(tolerated), encoding
    )


#: :func:`read_agent_file`, cached on the resolved path, modification time and size.
load_agent_file = cached_on_stat(read_agent_file, maxsize=8)


def _fail(where: str, problem: str, text: str, fix: str) -> NoReturn:
    raise DataError(f"{where}: {problem} ({text[:60]!r}); {fix}.")


def _entry(
    body: str,
    where: str,
    sets: Mapping[str, tuple[str, ...]],
    skipped: Counter[str],
    tolerated: Counter[str],
) -> AgentEntry | None:
    if "[" not in body:
        if "]" in body:
            _fail(where, "a ']' without '['", body, "write the role as [~ROLE]")
        skipped["line without a code"] += 1
        return None
    code = _CODE.search(body)
    if code is None:
        _fail(where, "an unclosed '['", body, "close the role code: [~ROLE]")
    if code.group(2) == "}":
        tolerated["mismatched bracket ([...})"] += 1
    if body[code.end() :].strip():
        _fail(where, "text after the role code", body, "put comments after '#'")
    role, position = _role(code.group(1), where, body, tolerated)
    head = body[: code.start()]
    plural_text: str | None = None
    braces = _PLURAL.search(head)
    if braces:
        if head[braces.end() :].strip():
            _fail(where, "text after the {plural}", body, "write PHRASE {PLURAL} [~ROLE]")
        head, plural_text = head[: braces.start()], braces.group(1).strip()
    elif "{" in head or "}" in head:
        _fail(where, "an unclosed '{'", body, "close the plural: PHRASE {PLURAL} [~ROLE]")
    texts = [head] + ([plural_text] if plural_text else [])
    if any(text.count("!") % 2 for text in texts):
        _fail(where, "an unclosed !SET! marker", body, "write the marker as !SET!")
    if any(_MARKER.search(text) for text in texts):
        expanded = _substitute(texts, sets)
        if expanded is None:
            skipped["undefined substitution set"] += 1
            return None
        phrases = [_phrase(text, where, body, tolerated) for text in expanded]
        return AgentEntry(tuple(dict.fromkeys(phrases)), role, position, where)
    singular = _phrase(head, where, body, tolerated)
    phrases = [singular]
    if plural_text:
        phrases.append(_phrase(plural_text, where, body, tolerated))
    elif plural_text is None and not head.strip().endswith("_"):
        words = (*singular.words[:-1], regular_plural(singular.words[-1]))
        phrases.append(replace(singular, words=words))
    return AgentEntry(tuple(phrases), role, position, where)


def _role(
    text: str, where: str, body: str, tolerated: Counter[str]
) -> tuple[str, Literal["suffix", "prefix"]]:
    code = text.strip().upper()
    if code.startswith("~") and not code.endswith("~") and len(code) > 1:
        return code[1:], "suffix"
    if code.endswith("~") and not code.startswith("~") and len(code) > 1:
        return code[:-1], "prefix"
    if code and "~" not in code:
        tolerated["role code without '~' (read as ~CODE)"] += 1
        return code, "suffix"
    _fail(where, f"an unreadable role code [{text}]", body, "write [~ROLE] or [ROLE~]")


def _substitute(texts: list[str], sets: Mapping[str, tuple[str, ...]]) -> list[str] | None:
    """Every text with each marker replaced by every member of its set (None: undefined)."""
    out: list[str] = []
    for text in texts:
        pieces = _MARKER.split(text)  # text, marker, text, marker, ...
        names = [piece.upper() for piece in pieces[1::2]]
        if any(name not in sets for name in names):
            return None
        for members in itertools.product(*(sets[name] for name in names)):
            merged = pieces[0]
            for member, after in zip(members, pieces[2::2], strict=True):
                merged += member + after
            out.append(merged)
    return out


def _phrase(text: str, where: str, body: str, tolerated: Counter[str]) -> Phrase:
    try:
        parsed = parse_phrase(text)
    except ValueError:
        _fail(where, "a line without a phrase", body, "write the phrase before its [~ROLE]")
    if parsed.empty_words:
        tolerated["empty word (repeated '_')"] += 1
    if parsed.underscore_blank:
        tolerated["'_' next to a blank (read as a blank)"] += 1
    if parsed.lower_case:
        tolerated["lower-case letters (upper-cased)"] += 1
    return replace(parsed.phrase, stem=False)
