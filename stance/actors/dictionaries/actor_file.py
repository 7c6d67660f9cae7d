"""Readers for the CAMEO/Phoenix actor and agent dictionaries (the PETRARCH2 formats).

Pure readers: they turn a file into frozen data a matcher can use, and count by reason every
line they skip or read with tolerance (``skipped`` / ``tolerated``). A line that cannot be read
sensibly raises :class:`~stance.errors.DataError` naming ``file:line``. Agent files are read by
:mod:`stance.actors.dictionaries.agent_file` (re-exported here).

Actor files (grammar of ``dictionaries.rst``, "Actor Dictionary")
-------------------------------------------------------------------
A record is a primary phrase line, ``+synonym`` lines and indented date-restriction lines::

    MOHAMMAD_ZAHIR_SHAH_  ; CountryInfo.txt
        [AFGGOV 331108-730717]
        [AFGELI]

- Comments: ``#`` (anywhere, as PETRARCH does), ``;`` (TABARI, used by the rst's examples) and
  XML ``<!-- -->``. Phrases: see :mod:`.phrases` (``_`` at the end = whole word,
  otherwise a stem; a blank lets other words come in between).
- Codes: ``[CODE]`` on the primary line or indented alone is the default; ``[CODE <DATE]``,
  ``[CODE >DATE]``, ``[CODE DATE-DATE]`` are restrictions, limits inclusive ("or equal to").
  ``---`` is the null code. A code is letters, digits and ``_`` (``ARAB_LEAGUE``), optionally
  after ``*``, this project's mark for a root taken from the sentence (:mod:`stance.actors.coding`).
  Dates are ``YYYYMMDD`` or ``YYMMDD``; a two-digit year 00-30 is
  20YY and 31-99 is 19YY (PETRARCH's ``dstr_to_ordate``, the KEDS/TABARI rule; the rst's own
  example reads ``320101`` as 1932 and ``070723`` as 2007). Other lengths are tolerated and
  counted: 7 digits read as ``YYMMDD`` plus a stray digit (PETRARCH), more than 8 digits as
  their last eight when those form a date (``1920030320`` -> 2003-03-20, a doubled century),
  else their first eight (PETRARCH: ``201005011`` -> 2010-05-01).
- Tolerated and counted (all occur in the shipped files): restrictions on the primary line
  (TABARI style), several codes on one line, a date without ``<``/``>`` (read as ``>DATE``:
  ``[USAGOV 19820101] # entered Foreign Service``), a blank after ``<``/``>``, text after
  the last code (a comment without ``#``), a stray ``]`` inside a phrase (dropped), indented
  primary or synonym lines, synonyms after restriction lines, empty words, lower-case letters,
  and a primary line *without any code directly followed* by another primary line: a synonym
  that lost its ``+`` (``LEONID_BREZHNEV_`` / ``LEONID_ILYICH_BREZHNEV`` / ... ``[RUSGOV
  ...]``), merged into the record that follows (PETRARCH silently never codes these).
- Skipped and counted: comment lines, records that carry no code at all and are not followed
  directly by another phrase (``U.N._``; PETRARCH never codes them either).

Which code applies on a day, and without a day, is :meth:`ActorEntry.code_on`; the kind of an
entry (country, country-role, armed-group, igo, ngo, mnc, null) is :func:`code_kind`.

Measured on the shipped files (Phoenix, PETRARCH2 commit 676801c; the exact counts by reason
are asserted in tests/unit/test_dictionaries.py): Countries 18,353 entries (18,390 primary
lines: 35 merged, 2 skipped), International 7,838 (2 merged, 1 skipped), MilNonState 1,021;
all six dictionary files load in about 0.7 s of CPU.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from stance.actors.dictionaries.agent_file import (
    AgentDictionary,
    AgentEntry,
    load_agent_file,
    read_agent_file,
)
from stance.actors.dictionaries.dates import DatedCode, dated_code, day_of
from stance.actors.dictionaries.lines import cached_on_stat, read_text_lines
from stance.actors.dictionaries.phrases import Phrase, parse_phrase
from stance.errors import DataError

__all__ = [
    "ActorDictionary",
    "ActorEntry",
    "AgentDictionary",
    "AgentEntry",
    "DatedCode",
    "Phrase",
    "code_kind",
    "load_actor_file",
    "load_agent_file",
    "read_actor_file",
    "read_agent_file",
]

KINDS = ("country", "country-role", "armed-group", "igo", "ngo", "mnc", "null")
_ARMED_ROLES = frozenset({"REB", "INS", "UAF", "SEP"})
_BRACKET = re.compile(r"\[([^\[\]]*)\]")
_RESTRICTION = re.compile(r"(\S+)\s*(.*)")
_CODE = re.compile(r"\*?[A-Za-z0-9_]+|-+")
_SIMPLE = re.compile(r"\[(\*?[A-Z0-9_]+|-+)(?: ([<>]?)(\d{8}|\d{6})(?:-(\d{8}|\d{6}))?)?\]\s*")


@dataclass(frozen=True)
class ActorEntry:
    """One actor record: its phrases, default code and dated codes, and where it was read."""

    phrases: tuple[Phrase, ...]
    default: str | None
    dated: tuple[DatedCode, ...]
    where: str

    def code_on(self, day: dt.date | None = None) -> str | None:
        """The actor code on ``day`` (``None`` = the null code).

        With a day: the restrictions that contain it compete and the one that starts latest
        wins (an open start is the earliest; on a tie the later line wins), so on a day of
        handover, which inclusive limits give to both offices, the new office is taken; when
        none applies, the default. Without a day: the most recent restriction (latest end, an
        open end counting as the latest; then latest start; then the later line), because
        undated news text is most likely about the actor's latest role (Putin: ``RUSGOV
        >080508`` rather than the default ``RUSELI``); the default when there is none.
        """
        if not self.dated:
            return self.default
        low, high = dt.date.min, dt.date.max
        if day is None:
            ranked = max(
                enumerate(self.dated),
                key=lambda item: (item[1].end or high, item[1].start or low, item[0]),
            )
            return ranked[1].code
        applying = [(c.start or low, i, c) for i, c in enumerate(self.dated) if c.applies(day)]
        return max(applying, key=lambda item: item[:2])[2].code if applying else self.default

    @property
    def kind(self) -> str:
        """The kind of the entry's undated code (see :func:`code_kind`)."""
        return code_kind(self.code_on(None))


def code_kind(code: str | None) -> str:
    """Classify a CAMEO actor code by its shape.

    ``country`` a bare three-letter root (a state such as ``AFG``; also regions such as
    ``WEU`` and, rarely, bare sectors such as ``MED``); ``country-role`` a root with role
    groups (``USAGOV``); ``armed-group`` ``IMG...`` or a role group ``REB``, ``INS``, ``UAF``
    or ``SEP`` (``YEMREB``); ``igo`` ``IGO...``; ``ngo`` ``NGO...``/``NGM...``; ``mnc``
    ``MNC...``; ``null`` no code.
    """
    if code is None:
        return "null"
    head = code[:3]
    if head == "IGO":
        return "igo"
    if head in ("NGO", "NGM"):
        return "ngo"
    if head == "MNC":
        return "mnc"
    if head == "IMG":
        return "armed-group"
    if len(code) <= 3:
        return "country"
    if {code[i : i + 3] for i in range(3, len(code), 3)} & _ARMED_ROLES:
        return "armed-group"
    return "country-role"


@dataclass(frozen=True)
class ActorDictionary:
    """The entries of one actor file and the counts of what was skipped or tolerated."""

    path: str
    entries: tuple[ActorEntry, ...]
    skipped: Mapping[str, int] = field(default_factory=dict)
    tolerated: Mapping[str, int] = field(default_factory=dict)
    encoding: str = "utf-8"

    def __len__(self) -> int:
        return len(self.entries)

    def __iter__(self) -> Iterator[ActorEntry]:
        return iter(self.entries)

    @property
    def kinds(self) -> dict[str, int]:
        """Number of entries by :attr:`ActorEntry.kind`, every kind listed."""
        counts = Counter(entry.kind for entry in self.entries)
        return {kind: counts.get(kind, 0) for kind in KINDS}


class _Record:
    """The record being read (mutable while reading only)."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.phrases: list[Phrase] = []
        self.default: str | None = None
        self.has_default = False
        self.dated: list[DatedCode] = []
        self.after_dates = False


def read_actor_file(path: str | os.PathLike) -> ActorDictionary:
    """Read an actor dictionary in the TABARI/PETRARCH format (grammar in the module doc)."""
    lines, encoding = read_text_lines(path, what="actor dictionary")
    name = Path(path).name
    skipped: Counter[str] = Counter()
    tolerated: Counter[str] = Counter()
    if encoding != "utf-8":
        tolerated["not UTF-8 (read as latin-1)"] += 1
    entries: list[ActorEntry] = []
    record: _Record | None = None
    previous = 0  # number of the last line that was not blank or a comment

    def close() -> None:
        if record is None:
            return
        if not record.has_default and not record.dated:
            skipped["record without a code"] += 1
            return
        entries.append(
            ActorEntry(tuple(record.phrases), record.default, tuple(record.dated), record.where)
        )

    for line in lines:
        text = line.text.split(";", 1)[0]
        body = text.strip()
        if not body:
            if line.comment is not None:
                skipped["comment line"] += 1
            continue
        where = f"{name}:{line.number}"
        indented = text[0] in " \t"
        adjacent, previous = previous == line.number - 1, line.number
        if body.startswith("["):
            if record is None:
                _fail(where, "a date restriction before any primary phrase", body)
            if not indented:
                tolerated["restriction line not indented"] += 1
            _read_codes(body, record, where, tolerated)
            record.after_dates = True
        elif body.startswith("+"):
            if record is None:
                _fail(where, "a synonym before any primary phrase", body)
            if indented:
                tolerated["indented synonym line"] += 1
            if record.after_dates:
                tolerated["synonym after restriction lines"] += 1
            phrase_text, codes = _split_codes(body[1:], tolerated)
            record.phrases.append(_phrase(phrase_text, where, tolerated))
            if codes:
                tolerated["code on a synonym line (applied to the record)"] += 1
                _read_codes(codes, record, where, tolerated)
        elif (
            record is not None and not record.has_default and not record.dated and adjacent
        ):  # "LEONID_BREZHNEV_" then "LEONID_ILYICH_BREZHNEV": a synonym that lost its "+"
            tolerated["primary line without a code directly followed by another (merged)"] += 1
            phrase_text, codes = _split_codes(body, tolerated)
            record.phrases.append(_phrase(phrase_text, where, tolerated))
            if codes:
                _read_codes(codes, record, where, tolerated, primary=True)
        else:
            close()
            record = _Record(where)
            if indented:
                tolerated["indented primary phrase"] += 1
            phrase_text, codes = _split_codes(body, tolerated)
            record.phrases.append(_phrase(phrase_text, where, tolerated))
            if codes:
                _read_codes(codes, record, where, tolerated, primary=True)
    close()
    return ActorDictionary(str(path), tuple(entries), dict(skipped), dict(tolerated), encoding)


#: :func:`read_actor_file`, cached on the resolved path, modification time and size.
load_actor_file = cached_on_stat(read_actor_file, maxsize=16)


def _fail(where: str, problem: str, text: str, fix: str = "") -> NoReturn:
    fix = fix or "put it under a primary phrase line (PHRASE_ [CODE]) or remove it"
    raise DataError(f"{where}: {problem} ({text.strip()[:60]!r}); {fix}.")


def _split_codes(text: str, tolerated: Counter[str]) -> tuple[str, str]:
    """Split ``PHRASE [CODE] [CODE ...]`` into the phrase and the bracket part."""
    start = text.find("[")
    phrase, codes = (text, "") if start < 0 else (text[:start], text[start:])
    if "]" in phrase:  # e.g. "+FAEROYENE]_": nothing but a stray bracket
        tolerated["stray ']' in a phrase (dropped)"] += 1
        phrase = phrase.replace("]", "")
    return phrase, codes


def _phrase(text: str, where: str, tolerated: Counter[str]) -> Phrase:
    try:
        parsed = parse_phrase(text)
    except ValueError:
        _fail(where, "a line without a phrase", text, "write the phrase before its code")
    if parsed.empty_words:
        tolerated["empty word (repeated '_')"] += 1
    if parsed.underscore_blank:
        tolerated["'_' next to a blank (read as a blank)"] += 1
    if parsed.lower_case:
        tolerated["lower-case letters (upper-cased)"] += 1
    return parsed.phrase


def _read_codes(
    text: str, record: _Record, where: str, tolerated: Counter[str], *, primary: bool = False
) -> None:
    simple = _SIMPLE.fullmatch(text)
    if simple:  # one well-formed [CODE], [CODE <DATE], [CODE >DATE] or [CODE DATE-DATE]
        code, sign, first, second = simple.groups()
        code = None if code[0] == "-" else code
        if first is None:
            if record.has_default:
                tolerated["second default code (the first is kept)"] += 1
            else:
                record.default, record.has_default = code, True
            return
        if primary:
            tolerated["date restriction on the primary line"] += 1
        if not sign and second is None:  # "[USAGOV 19820101] # entered Foreign Service"
            tolerated["date without '<' or '>' (read as >DATE)"] += 1
        start = day_of(first)
        if second is not None:
            end = day_of(second)
            if start is None or end is None:
                _fail(where, "no such date", text, "correct the date (YYYYMMDD or YYMMDD)")
            if start > end:
                tolerated["date range ending before it starts (never applies)"] += 1
            record.dated.append(DatedCode(code, start, end))
            return
        if start is None:
            _fail(where, "no such date", text, "correct the date (YYYYMMDD or YYMMDD)")
        record.dated.append(DatedCode(code, end=start) if sign == "<" else DatedCode(code, start))
        return
    groups = list(_BRACKET.finditer(text))
    tail = text[groups[-1].end() :] if groups else text
    inside = _BRACKET.sub(" ", text[: groups[-1].end()] if groups else "")
    if "[" in text.replace("[", "", len(groups)) or not groups:
        _fail(where, "an unclosed '['", text, "write codes as [CODE] or [CODE DATE]")
    if inside.strip():
        _fail(where, "text between two codes", text, "put each code in its own [...]")
    if tail.strip():  # "[MNCMED]\tNewspapers/Magazines\t$137,000,000": a comment without '#'
        tolerated["text after the code (read as a comment)"] += 1
    if len(groups) > 1:
        tolerated["several codes on one line"] += 1
    for group in groups:
        content = group.group(1).strip()
        match = _RESTRICTION.fullmatch(content)
        if match is None or not _CODE.fullmatch(match.group(1)):
            _fail(where, "an unreadable code", text, "write [CODE] with letters and digits")
        code = None if set(match.group(1)) == {"-"} else match.group(1).upper()
        restriction = match.group(2)
        if not restriction:
            if record.has_default:
                tolerated["second default code (the first is kept)"] += 1
                continue
            record.default, record.has_default = code, True
            continue
        if primary:
            tolerated["date restriction on the primary line"] += 1
        record.dated.append(dated_code(code, restriction, where, text, tolerated))
