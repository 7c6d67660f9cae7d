"""Reporting sources: the news agency, newspaper or broadcaster that reports, not takes part.

"..., Xinhua news agency reported", "according to Iran's state television", "a newspaper of X
said", "told the Kyodo news agency": the reporter is named in the sentence, often with its
country, but it is not a participant of the event (``data/events/README.md``, rule 4).

:func:`mark_reporters` gives such mentions the kind ``"reporter"``. A mention is a reporter when
it names a news medium (it contains or is followed by a word of :data:`MEDIA_WORDS`, or is one of
:data:`AGENCIES`) and stands in a reporting construction: followed within a few words by a
reporting verb (:data:`REPORTING_VERBS`), or preceded by "according to", "told", "quoted by",
"cited by", "in an interview with".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from stance.actors.recognizer import Mention

__all__ = ["AGENCIES", "MEDIA_WORDS", "REPORTING_VERBS", "mark_reporters"]

MEDIA_WORDS = frozenset(
    [
        "agency",
        "agencies",
        "newspaper",
        "newspapers",
        "daily",
        "dailies",
        "television",
        "tv",
        "radio",
        "broadcaster",
        "broadcasters",
        "media",
        "outlet",
        "outlets",
        "channel",
        "channels",
        "weekly",
        "paper",
        "gazette",
        "tabloid",
    ]
)
#: Wire services and state media named by themselves.
AGENCIES = frozenset(
    [
        "Xinhua",
        "TASS",
        "ITAR-TASS",
        "RIA",
        "Interfax",
        "IRNA",
        "ISNA",
        "Fars",
        "Tasnim",
        "KCNA",
        "Yonhap",
        "Kyodo",
        "SANA",
        "WAFA",
        "Anadolu",
        "Bernama",
        "Antara",
        "MENA",
        "Petra",
        "SPA",
        "QNA",
        "KUNA",
        "WAM",
        "APS",
        "MAP",
        "PTI",
        "APP",
    ]
)
REPORTING_VERBS = frozenset(
    [
        "said",
        "says",
        "say",
        "reported",
        "reports",
        "report",
        "quoted",
        "quotes",
        "quoting",
        "cited",
        "cites",
        "added",
        "adds",
        "announced",
        "announces",
        "broadcast",
        "aired",
        "carried",
        "showed",
        "shows",
        "published",
    ]
)
_BEFORE = re.compile(
    r"(according to|told|quoted by|cited by|interview with|reported by|reports by|"
    r"report by|report in|reports in|carried by)\s+(the\s+)?$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[\w'-]+")


def _names_medium(text: str, mention: Mention) -> bool:
    words = [w.lower() for w in _WORD.findall(mention.text)]
    if any(w in MEDIA_WORDS for w in words) or any(
        w.strip("'s") in AGENCIES for w in _WORD.findall(mention.text)
    ):
        return True
    following = [w.lower() for w in _WORD.findall(text[mention.end : mention.end + 40])][:3]
    return any(w in MEDIA_WORDS for w in following)


def _reporting(text: str, mention: Mention) -> bool:
    if _BEFORE.search(text[max(0, mention.start - 30) : mention.start]):
        return True
    following = [w.lower() for w in _WORD.findall(text[mention.end : mention.end + 60])][:5]
    return any(w in REPORTING_VERBS for w in following)


def mark_reporters(text: str, mentions: Sequence[Mention]) -> list[Mention]:
    """`mentions` with each reporting source's kind set to ``"reporter"``."""
    return [
        replace(m, kind="reporter")
        if m.kind != "reference" and _names_medium(text, m) and _reporting(text, m)
        else m
        for m in mentions
    ]
