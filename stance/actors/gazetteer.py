"""Load the versioned gazetteer data files and build the alias table.

The data lives in ``stance/actors/data`` as UTF-8, tab-separated files.  Every file starts with a
``# version: X`` comment, may contain further ``#`` comment lines and has a header row:

``states.tsv``         actor, alias, form   (form: name|acronym|demonym|plural|capital|seat|agency|
                       exclude) -- added on top of the names that :mod:`pycountry` provides
``organisations.tsv``  actor, alias, form   (form: name|acronym|alternate|body|seat)
``people.tsv``         actor, name, aliases (``|``-separated), role, period
``blocklist.tsv``      phrase, note         (phrases that contain an alias but name no actor)
``references.tsv``     phrase, type, antecedents  (type: pair|anaphor)
``np_lexicon.tsv``     phrase, class        (words used for noun-phrase expansion)

:func:`load_gazetteer` is the only cached entry point (one parse per directory and process).
"""

from __future__ import annotations

import functools
import os
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

__all__ = [
    "DATA_DIR",
    "EXTRA_STATE_IDS",
    "ORGANISATION_IDS",
    "Alias",
    "Gazetteer",
    "Person",
    "Reference",
    "is_valid_actor_id",
    "load_gazetteer",
    "read_tsv",
]

DATA_DIR = Path(__file__).resolve().parent / "data"

#: The organisation ids used by the statements corpus (exactly these strings).
ORGANISATION_IDS = frozenset(
    [
        "UN",
        "UNSC",
        "UNGA",
        "NATO",
        "EU",
        "ASEAN",
        "AU",
        "SCO",
        "BRICS",
        "WHO",
        "IMF",
        "WB",
        "WTO",
        "IAEA",
        "OPEC",
        "OSCE",
        "G7",
        "G20",
        "ARAB_LEAGUE",
        "GCC",
        "ECOWAS",
        "OAS",
        "MERCOSUR",
        "CSTO",
        "ICC",
        "ICJ",
        "UNHCR",
        "UNICEF",
        "WFP",
        "CIS",
        "EAEU",
        "IEA",
        "OECD",
        "APEC",
        "COE",
    ]
)
#: State ids that are not (or not reliably) ISO 3166-1 alpha-3 codes in pycountry.
EXTRA_STATE_IDS = frozenset({"TWN", "XKX", "PSE"})

STATE_FORMS = frozenset(
    {"name", "official", "acronym", "demonym", "plural", "capital", "seat", "agency"}
)
ORG_FORMS = frozenset({"name", "acronym", "alternate", "body", "seat"})
LEXICON_CLASSES = frozenset(
    {
        "det",
        "preadj",
        "mod",
        "agent",
        "body",
        "thing",
        "title",
        "kin",
        "member",
        "epithet",
        "attr",
        "people",
    }
)
REFERENCE_TYPES = frozenset({"pair", "anaphor"})

_VERSION_RE = re.compile(r"^#\s*version:\s*(\S+)\s*$")
_PERSON_ID_RE = re.compile(r"^PERSON:[a-z0-9_]+$")


@dataclass(frozen=True)
class Alias:
    """One surface form of an actor (or a blocked / reference phrase).

    ``kind`` is ``state``, ``organisation``, ``person``, ``block``, ``pair`` or ``anaphor``;
    ``form`` says which gazetteer form produced it (``name``, ``official``, ``acronym``,
    ``demonym``, ``plural``, ``capital``, ``seat``, ``agency``, ``alternate``, ``body``,
    ``person``, ``block``, ``pair``, ``anaphor``).  ``priority`` breaks ties between identical
    surface forms (lower wins): explicit data rows beat pycountry-derived names.
    """

    text: str
    actor: str
    kind: str
    form: str
    source: str
    priority: int
    antecedents: tuple[str, ...] = ()


@dataclass(frozen=True)
class Person:
    actor: str
    name: str
    aliases: tuple[str, ...]
    role: str
    period: str


@dataclass(frozen=True)
class Reference:
    phrase: str
    type: str
    antecedents: tuple[str, ...]


@dataclass(frozen=True)
class Gazetteer:
    """Immutable view of all gazetteer data of one directory."""

    directory: str
    aliases: tuple[Alias, ...]
    people: tuple[Person, ...]
    references: tuple[Reference, ...]
    lexicon: tuple[tuple[str, str], ...]
    versions: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def version(self) -> str:
        """A single string identifying the versions of all data files."""
        return ";".join(f"{k}={v}" for k, v in sorted(self.versions.items()))

    def actor_ids(self) -> frozenset[str]:
        """All actor ids that occur in the data files (and pycountry-derived aliases)."""
        ids = {a.actor for a in self.aliases if a.actor}
        for ref in self.references:
            ids.update(ref.antecedents)
        return frozenset(ids)

    def counts_by_form(self) -> dict[str, int]:
        """Number of distinct (alias text, actor) pairs per gazetteer form."""
        seen = {(a.text, a.actor, a.form) for a in self.aliases}
        return dict(Counter(form for _, _, form in seen))

    def counts_by_kind(self) -> dict[str, int]:
        """Number of distinct (alias text, actor) pairs per alias kind."""
        seen = {(a.text, a.actor, a.kind) for a in self.aliases}
        return dict(Counter(kind for _, _, kind in seen))


def is_valid_actor_id(actor: str) -> bool:
    """True for ISO alpha-3 state ids (pycountry or TWN/XKX/PSE), organisation ids and
    ``PERSON:`` ids."""
    if actor in ORGANISATION_IDS or actor in EXTRA_STATE_IDS:
        return True
    if _PERSON_ID_RE.match(actor):
        return True
    import pycountry

    return len(actor) == 3 and pycountry.countries.get(alpha_3=actor) is not None


def read_tsv(path: str | os.PathLike[str]) -> tuple[str, list[str], list[list[str]]]:
    """Read one data file: return ``(version, header, rows)``.

    Raises ``ValueError`` when the ``# version:`` comment or the header is missing or when a row
    has more cells than the header.  Missing trailing cells are filled with ``""``.
    """
    version = ""
    header: list[str] = []
    rows: list[list[str]] = []
    with open(path, encoding="utf-8") as fh:
        for lineno, raw in enumerate(fh, 1):
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip():
                continue
            if line.startswith("#"):
                m = _VERSION_RE.match(line)
                if m and not version:
                    version = m.group(1)
                continue
            cells = line.split("\t")
            if not header:
                header = [c.strip() for c in cells]
                continue
            if len(cells) > len(header):
                raise ValueError(f"{path}:{lineno}: {len(cells)} cells, header has {len(header)}")
            cells = [c.strip() for c in cells] + [""] * (len(header) - len(cells))
            rows.append(cells)
    if not version:
        raise ValueError(f"{path}: missing '# version:' comment")
    if not header:
        raise ValueError(f"{path}: missing header row")
    return version, header, rows


def _records(path: Path, expected: list[str]) -> tuple[str, list[dict[str, str]]]:
    version, header, rows = read_tsv(path)
    if header != expected:
        raise ValueError(f"{path}: header {header} != {expected}")
    return version, [dict(zip(header, r, strict=True)) for r in rows]


_ARTICLE_OFFICIAL = re.compile(
    r"^(Republic|Kingdom|State|Federal|Federative|People's|Islamic|Democratic|United|Union|"
    r"Commonwealth|Principality|Grand Duchy|Sultanate|Hashemite|Plurinational|Bolivarian|"
    r"Socialist|Arab|Argentine|Eastern|Independent|Swiss|Italian|French|Hellenic|Gabonese|"
    r"Lebanese|Portuguese|Kyrgyz|Slovak|Czech|Togolese|Rwandese|Co-operative|Cooperative)\b"
)


def _pycountry_aliases() -> list[tuple[str, str, str]]:
    """(alpha_3, alias, form) for every pycountry country name usable as an alias."""
    import pycountry

    out: list[tuple[str, str, str]] = []
    for c in pycountry.countries:
        iso = c.alpha_3
        names = [("name", c.name)]
        official = getattr(c, "official_name", None)
        if official:
            names.append(("official", official))
        common = getattr(c, "common_name", None)
        if common:
            names.append(("name", common))
        for form, n in names:
            n = n.strip()
            if not n or "," in n or "(" in n:
                continue
            if n.lower().startswith("the "):
                out.append((iso, "the " + n[4:], form))
                continue
            out.append((iso, n, form))
            if form == "official" and _ARTICLE_OFFICIAL.match(n):
                out.append((iso, "the " + n, form))
    return out


def _build(directory: Path) -> Gazetteer:
    versions: dict[str, str] = {}
    aliases: list[Alias] = []

    # --- states -------------------------------------------------------------------------
    v, rows = _records(directory / "states.tsv", ["actor", "alias", "form"])
    versions["states"] = v
    excluded: set[str] = set()
    for r in rows:
        form = r["form"]
        if form == "exclude":
            excluded.add(r["alias"])
            continue
        if form not in STATE_FORMS:
            raise ValueError(f"states.tsv: unknown form {form!r}")
        aliases.append(Alias(r["alias"], r["actor"], "state", form, "states.tsv", 0))
    for iso, name, form in _pycountry_aliases():
        if name in excluded or (name.startswith("the ") and name[4:] in excluded):
            continue
        aliases.append(Alias(name, iso, "state", form, "pycountry", 3))

    # --- organisations ------------------------------------------------------------------
    v, rows = _records(directory / "organisations.tsv", ["actor", "alias", "form"])
    versions["organisations"] = v
    for r in rows:
        if r["form"] not in ORG_FORMS:
            raise ValueError(f"organisations.tsv: unknown form {r['form']!r}")
        aliases.append(
            Alias(r["alias"], r["actor"], "organisation", r["form"], "organisations.tsv", 0)
        )

    # --- people -------------------------------------------------------------------------
    v, rows = _records(directory / "people.tsv", ["actor", "name", "aliases", "role", "period"])
    versions["people"] = v
    people: list[Person] = []
    for r in rows:
        extra = tuple(a.strip() for a in r["aliases"].split("|") if a.strip())
        people.append(Person(r["actor"], r["name"], extra, r["role"], r["period"]))
        for text in dict.fromkeys((r["name"], *extra)):
            aliases.append(Alias(text, r["actor"], "person", "person", "people.tsv", 1))

    # --- blocklist ----------------------------------------------------------------------
    v, rows = _records(directory / "blocklist.tsv", ["phrase", "note"])
    versions["blocklist"] = v
    for r in rows:
        aliases.append(Alias(r["phrase"], "", "block", "block", "blocklist.tsv", 0))

    # --- references ---------------------------------------------------------------------
    v, rows = _records(directory / "references.tsv", ["phrase", "type", "antecedents"])
    versions["references"] = v
    references: list[Reference] = []
    for r in rows:
        if r["type"] not in REFERENCE_TYPES:
            raise ValueError(f"references.tsv: unknown type {r['type']!r}")
        ants = tuple(a for a in r["antecedents"].split("|") if a)
        references.append(Reference(r["phrase"], r["type"], ants))
        aliases.append(
            Alias(r["phrase"], "", r["type"], r["type"], "references.tsv", 0, antecedents=ants)
        )

    # --- lexicon ------------------------------------------------------------------------
    v, rows = _records(directory / "np_lexicon.tsv", ["phrase", "class"])
    versions["np_lexicon"] = v
    lexicon: list[tuple[str, str]] = []
    for r in rows:
        if r["class"] not in LEXICON_CLASSES:
            raise ValueError(f"np_lexicon.tsv: unknown class {r['class']!r}")
        lexicon.append((r["phrase"], r["class"]))

    return Gazetteer(
        directory=str(directory),
        aliases=tuple(aliases),
        people=tuple(people),
        references=tuple(references),
        lexicon=tuple(lexicon),
        versions=MappingProxyType(versions),
    )


@functools.lru_cache(maxsize=8)
def _load_cached(directory: str) -> Gazetteer:
    return _build(Path(directory))


def load_gazetteer(directory: str | os.PathLike[str] | None = None) -> Gazetteer:
    """Load (once per process and directory) the gazetteer from ``directory``.

    ``None`` means the data shipped with the package.
    """
    path = DATA_DIR if directory is None else Path(directory).resolve()
    return _load_cached(str(path))
