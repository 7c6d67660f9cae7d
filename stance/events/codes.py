"""CAMEO event codes: the code of a verb pattern, QuadClass, and the CAMEO -> PLOVER table.

Event codes in the verb dictionary (``CAMEO.2.0.txt``) take these forms, read by
:func:`parse_event_code`:

- ``[190]``, ``[0211]``: a CAMEO code, from the source (subject) to the target.
- ``[---]``: the null code (no event).
- ``[042:043]``: two codes. PETRARCH2 (``utilities.convert_code``) calls them the "active" and
  "passive" meanings and (``PETRtree.VerbPhrase.get_meaning``) codes the first from the
  subject to the object and the second from the object back to the subject: "A rushed to B"
  gives A->B 042 (make a visit) and B->A 043 (host a visit). Of the 340 two-code patterns
  most pair a CAMEO act with its converse (042:043) or repeat a symmetric one (057:057).
- ``[:051]``: only the second code: the event goes from the object to the subject. PETRARCH2
  then treats the verb as passive (source from a BY/FROM/IN phrase, target the subject): in
  "A got support from B" (``GET * SUPPORT (FROM) [:051]``) B endorses A; all 97 such
  patterns are receiving verbs (RECEIVE, GET, OBTAIN, WIN, GAIN...).
- ``[080!]`` (once, ``BACK * DOWN (FROM)``): no rule documents ``!``; PETRARCH2 reads
  unknown codes by their first two digits + ``0``, i.e. 080, so it is read as ``080`` and
  counted by the verb reader.
- ``[s]``: not a code. In the shipped file it only occurs inside the header comment ("the
  verb[s] where the pattern was originally found"), which is why comments are removed first.

QuadClass (:func:`quad_class`) by the code's root (first two digits): 1 verbal cooperation
(01-05), 2 material cooperation (06-09), 3 verbal conflict (10-14), 4 material conflict (15-20).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from stance.actors.dictionaries.lines import read_text_lines
from stance.errors import DataError

__all__ = [
    "EventCode",
    "PloverTable",
    "PloverType",
    "parse_event_code",
    "plover_type",
    "quad_class",
    "read_plover_table",
]

_DIGITS = re.compile(r"\d{2,4}")
_PLOVER_LINE = re.compile(r"(\d{2,4})\s*:\s*(.*)")
_DATED_NOTE = re.compile(r"\d{2}\.\d{2}\.\d{2}:")


@dataclass(frozen=True)
class EventCode:
    """An event code: ``forward`` from subject to object, ``reverse`` from object to subject
    (``None`` = no event that way). ``[---]`` is ``EventCode(None, None)``."""

    forward: str | None
    reverse: str | None = None

    @property
    def is_null(self) -> bool:
        """True for ``[---]``: the verb or pattern codes no event."""
        return self.forward is None and self.reverse is None

    def __str__(self) -> str:
        if self.reverse is None:
            return f"[{self.forward or '---'}]"
        return f"[{self.forward or ''}:{self.reverse}]"


def parse_event_code(text: str) -> tuple[EventCode, bool]:
    """Read the inside of a code bracket (``190``, ``---``, ``042:043``, ``:051``, ``080!``).

    Returns the code and whether a trailing ``!`` was dropped; raises ``ValueError`` when the
    text is no code.
    """
    body = text.strip()
    bang = body.endswith("!")
    if bang:
        body = body[:-1].rstrip()
    parts = body.split(":")
    if len(parts) > 2 or not body:
        raise ValueError(f"not an event code: {text!r}")
    codes: list[str | None] = []
    for part in parts:
        part = part.strip()
        if (part in ("", "---") and len(parts) == 2) or part == "---":
            codes.append(None)
        elif _DIGITS.fullmatch(part):
            codes.append(part)
        else:
            raise ValueError(f"not an event code: {text!r}")
    if len(codes) == 2 and codes == [None, None]:
        raise ValueError(f"not an event code: {text!r}")
    return EventCode(codes[0], codes[1] if len(codes) == 2 else None), bang


def quad_class(code: str | None) -> int | None:
    """QuadClass of a CAMEO code by its root: 1 (01-05), 2 (06-09), 3 (10-14), 4 (15-20).

    ``None`` for the null code, ``None`` itself or anything whose first two characters are
    not a root from 01 to 20.
    """
    if not code or len(code) < 2 or not code[:2].isdigit():
        return None
    root = int(code[:2])
    for quad, last in ((1, 5), (2, 9), (3, 14), (4, 20)):
        if 1 <= root <= last:
            return quad
    return None


#: PLOVER event type of each CAMEO root, as the PLOVER manual's CAMEO table assigns its codes
#: (01, public statements, has no PLOVER type; 08 is CONCEDE up to 083 and RETREAT from 084).
ROOT_PLOVER: dict[str, str] = {
    "02": "REQUEST",
    "03": "AGREE",
    "04": "CONSULT",
    "05": "SUPPORT",
    "06": "COOPERATE",
    "07": "AID",
    "08": "RETREAT",
    "09": "ACCUSE",
    "10": "REQUEST",
    "11": "ACCUSE",
    "12": "REJECT",
    "13": "THREATEN",
    "14": "PROTEST",
    "15": "MOBILIZE",
    "16": "SANCTION",
    "17": "COERCE",
    "18": "ASSAULT",
    "19": "ASSAULT",
    "20": "ASSAULT",
}


def plover_of_code(code: str | None) -> str:
    """The PLOVER event type of a CAMEO code by its root (:data:`ROOT_PLOVER`; ``""`` for none).

    Without the PLOVER table this is the type every code of a root shares; with it,
    :func:`plover_type` gives the type, mode and context of one code.
    """
    if not code or len(code) < 2:
        return ""
    if code[:2] == "08" and len(code) >= 3 and code[2] in "0123":
        return "CONCEDE"
    return ROOT_PLOVER.get(code[:2], "")


@dataclass(frozen=True)
class PloverType:
    """The PLOVER reading of one CAMEO code (``CAMEO2PLOVER-2021.txt``)."""

    code: str
    event_type: str
    mode: str | None
    contexts: tuple[str, ...]
    description: str | None
    where: str


@dataclass(frozen=True)
class PloverTable(Mapping[str, PloverType]):
    """CAMEO code (leading zeros kept) -> :class:`PloverType`, a read-only mapping, with the
    counts of what was skipped, tolerated or noted while reading."""

    path: str
    types: Mapping[str, PloverType]
    skipped: Mapping[str, int] = field(default_factory=dict)
    tolerated: Mapping[str, int] = field(default_factory=dict)
    notes: Mapping[str, int] = field(default_factory=dict)

    def __getitem__(self, code: str) -> PloverType:
        return self.types[code]

    def __iter__(self) -> Iterator[str]:
        return iter(self.types)

    def __len__(self) -> int:
        return len(self.types)


def read_plover_table(path: str | os.PathLike) -> PloverTable:
    """Read ``CAMEO2PLOVER-2021.txt``: ``CODE: TYPE, MODE, CONTEXT[; CONTEXT] # description``.

    Two-digit lines (``05: SUPPORT``) are section headers that map the root to a type. Counted:
    ``skipped`` comment lines and the closing ``~~~~~``; ``tolerated`` codes listed twice (the
    first is kept: ``08`` is both CONCEDE and RETREAT, ``175`` appears twice); ``notes`` codes
    listed under another root's section (``191: COERCE`` under ``17``), types that differ from
    their section (``163: COERCE`` under ``16: SANCTION``), dated editor's notes in a comment
    (``0813``), and lines with neither mode nor context.
    """
    lines, _encoding = read_text_lines(path, what="CAMEO-to-PLOVER table")
    name = Path(path).name
    types: dict[str, PloverType] = {}
    skipped: Counter[str] = Counter()
    tolerated: Counter[str] = Counter()
    notes: Counter[str] = Counter()
    section: PloverType | None = None
    for line in lines:
        body = line.text.strip()
        if not body:
            if line.comment is not None:
                skipped["comment line"] += 1
            continue
        if set(body) == {"~"}:
            skipped["end marker (~~~)"] += 1
            continue
        where = f"{name}:{line.number}"
        match = _PLOVER_LINE.fullmatch(body)
        if match is None:
            raise DataError(
                f"{where}: not a 'CODE: TYPE, MODE, CONTEXT' line ({body[:50]!r}); "
                "correct it or comment it out with '#'."
            )
        code, rest = match.groups()
        fields = [part.strip() for part in rest.split(",")]
        if len(fields) > 3 or not re.fullmatch(r"[A-Z_]+", fields[0]):
            raise DataError(
                f"{where}: expected 'CODE: TYPE, MODE, CONTEXT' with an upper-case TYPE "
                f"({body[:50]!r}); correct the line."
            )
        fields += [""] * (3 - len(fields))
        contexts = tuple(part.strip() for part in fields[2].split(";") if part.strip())
        entry = PloverType(code, fields[0], fields[1] or None, contexts, line.comment, where)
        if line.comment and _DATED_NOTE.search(line.comment):
            notes["dated note in the comment"] += 1
        if entry.mode is None and not contexts and len(code) > 2:
            notes["neither mode nor context"] += 1
        if len(code) == 2:
            section = entry
        elif section is not None:
            if code[:2] != section.code:
                notes["code listed under another root's section"] += 1
            if entry.event_type != section.event_type:
                notes["type differs from its section's"] += 1
        if code in types:
            same = types[code].event_type == entry.event_type
            tolerated[f"code listed twice{'' if same else ' with another type'} (first kept)"] += 1
            continue
        types[code] = entry
    return PloverTable(str(path), types, dict(skipped), dict(tolerated), dict(notes))


def plover_type(code: str | None, table: Mapping[str, PloverType]) -> PloverType | None:
    """The PLOVER type of a CAMEO code, falling back from 4 to 3 to 2 digits (None: unmapped).

    >>> plover_type("0874", table).event_type  # doctest: +SKIP
    'RETREAT'
    """
    if not code or not code.isdigit():
        return None
    for size in (4, 3, 2):
        if len(code) >= size and code[:size] in table:
            return table[code[:size]]
    return None
