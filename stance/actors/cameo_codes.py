"""Actor codes, CAMEO style: a root (a state or an organisation) and at most one role.

``IRQ``, ``IRQMIL``, ``UN``: the root is an ISO 3166-1 alpha-3 state (plus ``TWN``, ``XKX``,
``PSE``) or one of the organisation ids of :data:`stance.actors.gazetteer.ORGANISATION_IDS` and
:data:`EXTRA_ORGANISATIONS`; the role is one of :data:`ROLES` (``data/events/README.md``).

Phoenix codes are longer (``AFGGOVJUD``, ``PSEREBHMS``, ``IGOUNO``, ``MNCUSA``):
:func:`normalise` keeps the first role after a state root, folds the agent codes outside
:data:`ROLES` into the nearest one (:data:`ROLE_FOLD`) and maps organisation codes to our ids
through the names both share (:func:`organisation_codes`). Codes with no state or organisation
root (regions such as ``WST`` or ``AFR``, multinational firms without a country, unmapped
NGOs) give ``None``: they are not actors in this project's sense.
"""

from __future__ import annotations

import functools

from stance.actors.gazetteer import EXTRA_STATE_IDS, ORGANISATION_IDS

__all__ = [
    "ARMED_ROLES",
    "CONTEXT",
    "EXTRA_ORGANISATIONS",
    "ROLES",
    "ROLE_FOLD",
    "fold_role",
    "is_root",
    "normalise",
    "root_of",
    "split_code",
    "state_ids",
]

#: The root of a code whose country comes from the sentence (an armed group known without
#: one: ``IMG...`` international militant groups, ``MEAREB``): see :mod:`stance.actors.coding`.
CONTEXT = "*"
#: Roles of armed groups, which keep a role without a country of their own.
ARMED_ROLES = frozenset({"REB", "UAF"})
#: Humanitarian and rights organisations that the events corpus codes on their own.
EXTRA_ORGANISATIONS = frozenset({"ICRC", "AMNESTY", "HRW", "MSF"})
#: The roles of the events corpus's guide (the first three letters of a CAMEO agent code).
ROLES = frozenset(
    {"GOV", "MIL", "COP", "REB", "UAF", "OPP", "LEG", "JUD", "PTY", "CVL", "REF", "MED"}
    | {"BUS", "CRM", "ELI"}
)
#: CAMEO agent codes outside :data:`ROLES` and the role they are folded into.
ROLE_FOLD: dict[str, str] = {
    "SPY": "GOV",
    "INS": "REB",
    "SEP": "REB",
    "IMG": "REB",
    "ATH": "CVL",
    "AGR": "CVL",
    "LAB": "CVL",
    "EDU": "CVL",
    "HLH": "CVL",
    "REL": "CVL",
    "CHR": "CVL",
    "MUS": "CVL",
    "JEW": "CVL",
    "HIN": "CVL",
    "BUD": "CVL",
    "ENV": "CVL",
    "HRI": "CVL",
    "NGM": "CVL",
    "DEV": "CVL",
    "SET": "CVL",
    "MOD": "CVL",
    "RAD": "CVL",
    "IGO": "GOV",
    "NGO": "CVL",
}


@functools.cache
def state_ids() -> frozenset[str]:
    """ISO 3166-1 alpha-3 codes of pycountry plus ``TWN``, ``XKX`` and ``PSE``."""
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.countries) | EXTRA_STATE_IDS


def is_root(code: str) -> bool:
    """True for a state or organisation id."""
    return code in ORGANISATION_IDS or code in EXTRA_ORGANISATIONS or code in state_ids()


def split_code(code: str) -> tuple[str, str]:
    """``IRQMIL`` -> (``IRQ``, ``MIL``), ``UN`` -> (``UN``, ``""``),
    ``*REB`` -> (``*``, ``REB``)."""
    if code in ORGANISATION_IDS or code in EXTRA_ORGANISATIONS:
        return code, ""
    if code.startswith(CONTEXT):
        return CONTEXT, code[1:]
    return code[:3], code[3:]


def root_of(code: str) -> str:
    """The root of an actor code: ``IRQMIL`` -> ``IRQ``, ``UN`` -> ``UN``."""
    return split_code(code)[0]


def fold_role(role: str) -> str:
    """A CAMEO agent code as one of :data:`ROLES` (``""`` when unknown): its first three
    letters, folded by :data:`ROLE_FOLD`, except that media of any kind are ``MED``
    (``GOVMED``, state media, is media here)."""
    if "MED" in (role[0:3], role[3:6], role[6:9]):
        return "MED"
    role = role[:3]
    if role in ROLES:
        return role
    return ROLE_FOLD.get(role, "")


def normalise(code: str | None, organisations: dict[str, str] | None = None) -> str | None:
    """A Phoenix code as this project's actor code, or None when it names no actor.

    ``AFGGOVJUD`` -> ``AFGGOV``; ``PSEREBHMS`` -> ``PSEREB``; ``MNCUSA`` -> ``USABUS``;
    ``IGOUNO`` -> ``UN`` when `organisations` (from :func:`organisation_codes`) maps it.
    """
    if not code:
        return None
    code = code.upper()
    if organisations:
        for length in range(len(code), 2, -1):
            if code[:length] in organisations:
                return organisations[code[:length]]
    if code in ORGANISATION_IDS or code in EXTRA_ORGANISATIONS:
        return code
    if code.startswith(CONTEXT):
        return CONTEXT + fold_role(code[1:]) if fold_role(code[1:]) else None
    root = code[:3]
    if root in state_ids():
        return root + fold_role(code[3:]) if len(code) > 3 else root
    if root == "MNC" and code[3:6] in state_ids():
        return code[3:6] + "BUS"
    if root == "IMG" or fold_role(code[3:6]) in ARMED_ROLES:
        return CONTEXT + "REB" if root == "IMG" else CONTEXT + fold_role(code[3:6])
    return None
