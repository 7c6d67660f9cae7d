"""Regex-based sentence splitter that keeps character offsets.

``split_sentences(text)`` returns ``(start, end)`` spans such that ``text[start:end]`` is one
sentence with surrounding whitespace stripped.  Every non-whitespace character of ``text`` belongs
to exactly one span and spans are sorted and non-overlapping.

A boundary is a run of ``.``, ``!``, ``?`` or ``…`` (optionally followed by closing quotes or
brackets) that is followed by whitespace and then by something that can start a sentence (an
uppercase letter, a digit or an opening quote/bracket).  A blank line is always a boundary.  A
full stop is *not* a boundary when it ends

* a known abbreviation or title ("Mr.", "Dr.", "Gen.", "Jan.", "Sept.", "Inc.", "No.", "vs.", ...),
* a single-letter initial ("J. Smith") or a dotted acronym ("U.S.", "U.N.", "K.P.") unless the
  next word is a typical sentence opener ("the U.S. The move ..." splits),
* a number ("3.5" never matches because there is no whitespace after the dot).

Kept hand-written after measuring pysbd 0.3.4 and syntok 1.4.4 on news text (DSE sentences,
SEESAW paragraphs; ``benchmarks/libraries/sentence_splitters.py``, figures in
``benchmarks/README.md``). Both split where news text does not end a sentence: pysbd before
the closing quote of a quotation (607 of its 654 extra SEESAW boundaries) and syntok after
titles ("Rep. ‖ Paul Ryan", "Gov. ‖ Rick Scott": 332 of 434) and at semicolons; pysbd is also
about 100 times slower. syntok does split sentences the DSE text runs together without a space
("closely.Members"), which this splitter leaves whole. Known misses of this one: plural titles
("Sens. Joe Manchin", 42 SEESAW paragraphs), list numbers ("2. Same-Sex Marriage") and the
spaced-out decimals of DSE ("$7. 3 billion"); they are kept for now because actor references
resolve within the sentences this splitter gives, and recognition must not move.
"""

from __future__ import annotations

import itertools
import re

__all__ = ["split_sentences"]

# Abbreviations (lower-cased, without the final dot) after which a full stop does not end a
# sentence when followed by more text.
_ABBREVIATIONS = frozenset(
    {
        "mr",
        "mrs",
        "ms",
        "messrs",
        "mme",
        "mlle",
        "dr",
        "prof",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "cpt",
        "sgt",
        "adm",
        "cmdr",
        "cdr",
        "brig",
        "rev",
        "fr",
        "sr",
        "jr",
        "st",
        "sen",
        "rep",
        "gov",
        "pres",
        "amb",
        "hon",
        "supt",
        "insp",
        "det",
        "ins",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "mon",
        "tue",
        "tues",
        "wed",
        "thu",
        "thur",
        "thurs",
        "fri",
        "sat",
        "sun",
        "inc",
        "corp",
        "co",
        "ltd",
        "plc",
        "llc",
        "bros",
        "dept",
        "univ",
        "assn",
        "est",
        "approx",
        "vs",
        "etc",
        "al",
        "e.g",
        "i.e",
        "cf",
        "fig",
        "vol",
        "art",
        "para",
        "ch",
        "sec",
        "ed",
        "eds",
        "op",
        "pp",
        "mt",
        "ft",
        "ave",
        "blvd",
        "rd",
        "hwy",
    }
)

# "No. 10", "Nos. 3": only an abbreviation before a number.
_NUMBER_ABBREVIATIONS = frozenset({"no", "nos"})

# Words that very commonly start a news sentence: after a dotted acronym ("U.S.") a boundary is
# only assumed when the next word is one of these.
_OPENERS = frozenset(
    {
        "the",
        "a",
        "an",
        "it",
        "its",
        "he",
        "she",
        "they",
        "we",
        "i",
        "this",
        "that",
        "these",
        "those",
        "there",
        "his",
        "her",
        "their",
        "our",
        "in",
        "on",
        "at",
        "but",
        "and",
        "however",
        "meanwhile",
        "earlier",
        "later",
        "separately",
        "also",
        "yet",
        "still",
        "while",
        "when",
        "after",
        "before",
        "if",
        "as",
        "since",
        "despite",
        "according",
        "officials",
        "analysts",
        "some",
        "many",
        "most",
        "both",
    }
)

_CLOSERS = "\"'\u201d\u2019\u00bb)]}"
_OPENERS_PUNCT = "\"'\u201c\u2018\u00ab([{"

# Candidate boundary: terminal punctuation, optional closers, then whitespace.
_BOUNDARY_RE = re.compile(r"(?:[.!?]+|…)[" + re.escape(_CLOSERS) + r"]*(?=\s)")
_WS_RE = re.compile(r"\s+")
_PARAGRAPH_RE = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_WORD_BEFORE_RE = re.compile(r"([\w.]+)[.]$")
_ACRONYM_RE = re.compile(r"^(?:\w\.)+\w?$")


def _is_abbreviation(text: str, punct_start: int, next_start: int) -> bool:
    """True when the full stop at ``punct_start`` closes an abbreviation."""
    m = _WORD_BEFORE_RE.search(text, max(0, punct_start - 40), punct_start + 1)
    if m is None:
        return False
    word = m.group(1)
    # strip a leading part that is not the token (e.g. "(Mr")
    word = word.rsplit("(", 1)[-1]
    low = word.lower()
    if low in _NUMBER_ABBREVIATIONS:
        return next_start < len(text) and text[next_start].isdigit()
    if low in _ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isalpha():
        return True  # initial: "J. Smith"
    return bool(_ACRONYM_RE.match(word))


_NEXT_WORD_RE = re.compile("[" + re.escape(_OPENERS_PUNCT) + r"]*(\w+)")


def _next_word(text: str, pos: int) -> str:
    m = _NEXT_WORD_RE.match(text, pos)
    return m.group(1) if m else ""


def _can_start_sentence(text: str, pos: int) -> bool:
    if pos >= len(text):
        return False
    ch = text[pos]
    if ch in _OPENERS_PUNCT:
        j = pos
        while j < len(text) and text[j] in _OPENERS_PUNCT:
            j += 1
        return j < len(text) and (text[j].isupper() or text[j].isdigit())
    return ch.isupper() or ch.isdigit()


def _boundaries(text: str) -> list[int]:
    """Character offsets at which a new sentence may start (after whitespace)."""
    cuts: list[int] = []
    for m in _BOUNDARY_RE.finditer(text):
        ws = _WS_RE.match(text, m.end())
        nxt = ws.end() if ws else m.end()
        if not _can_start_sentence(text, nxt):
            continue
        punct = m.group(0)
        if punct == "." and _is_abbreviation(text, m.start(), nxt):
            word_m = _WORD_BEFORE_RE.search(text, max(0, m.start() - 40), m.start() + 1)
            word = word_m.group(1) if word_m else ""
            is_acronym = bool(_ACRONYM_RE.match(word)) and "." in word[:-1]
            if not (is_acronym and _next_word(text, nxt).lower() in _OPENERS):
                continue
        cuts.append(nxt)
    for m in _PARAGRAPH_RE.finditer(text):
        cuts.append(m.end())
    return sorted(set(cuts))


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Split ``text`` into sentences; return sorted ``(start, end)`` character spans.

    Leading and trailing whitespace is excluded from every span, so ``text[start:end]`` is the
    stripped sentence.  An empty or all-whitespace text gives ``[]``.
    """
    if not text or text.isspace():
        return []
    spans: list[tuple[int, int]] = []
    starts = [0, *_boundaries(text), len(text)]
    for a, b in itertools.pairwise(starts):
        seg = text[a:b]
        stripped_left = len(seg) - len(seg.lstrip())
        stripped = seg.strip()
        if not stripped:
            continue
        s = a + stripped_left
        spans.append((s, s + len(stripped)))
    return spans
