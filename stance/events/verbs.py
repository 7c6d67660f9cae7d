"""Reader for the PETRARCH verb dictionary (``CAMEO.2.0.txt``): synonym sets, verb blocks,
verbs with their inflected forms, patterns and transformations.

Grammar supported (``dictionaries.rst``, "Verb Dictionary", and PETRARCH's reader):

- Comments: ``#`` anywhere, ``;`` (TABARI: ``SCRAP {...};shan 8/30/93``), ``<!-- -->``.
- Synonym sets: ``&LABEL`` then ``+`` lines (a phrase; ``_`` or blanks join consecutive words).
  Regular plurals of the last word are added (:func:`~stance.actors.dictionaries.regular_plural`)
  unless the phrase or the label ends in ``_`` (``&AUXVERB1_``). The label is stored without
  its ``_``. A ``+`` line belongs to a set only while the set is open (after its label, before
  any other line); elsewhere it is a multi-word verb (``+ANGERED_BY {}``).
- Blocks: ``--- NAME [CODE] ---``; no code is the null code ``---``.
- Verbs: ``VERB {FORMS} [CODE]``. With ``{...}`` the forms are exactly those given (``{}``:
  the verb alone); without, the regular forms are generated for the verb word: ``S`` (``ES``
  after S, X, Z, SH, CH; ``IES`` after consonant + Y), ``ED`` (``D`` after E; ``IED`` after
  consonant + Y), ``ING`` (E dropped after a consonant, ``IE`` -> ``YING``). Consonants are
  never doubled (PETRARCH does not either: such verbs list their forms, ``SCRAP {SCRAPPING
  SCRAPS SCRAPPED}``). PETRARCH itself adds ``ED`` after Y and drops E after any consonant.
  Multi-word verbs mark the inflected word with ``+``: ``+CORDON_OFF``, ``WIRE_+TAP``.
- Patterns: ``- [pre-verb] * [post-verb] [CODE] # comment`` (:mod:`stance.events.patterns`,
  codes in :mod:`stance.events.codes`). A pattern using an undefined synset is skipped and
  counted (the rst: "a synset must be defined before it is used").
- Transformations ``~ a (a b ATTACK) SAY = a b 015`` are kept as token tuples, not interpreted.

Tolerated and counted: ``*`` joined to a word (``*SCEPTICAL``, ``SPY_*_DEAL``), stray ``_``,
``A/B`` alternatives, a code ending in ``!``. Skipped and counted: comment lines, patterns with
an unbalanced bracket (``- * VENTURE (WITH VISIT)   VISIT)[042:043]``), patterns using an
undefined synset, patterns or verbs with an unreadable code, synset members holding markers.

Measured on the shipped ``CAMEO.2.0.txt`` (exact counts in tests/unit/test_verb_dictionary.py):
40 synsets (1,045 members with plurals), 397 blocks, 1,817 verbs (1,688 verb lines and 129
``+`` multi-word lines), 4,664 of 4,668 patterns (2 with a stray ``)``, 2 using the undefined
``&WEATHER`` and ``&DEMONSTRATION``), 8 transformations; 118 verb forms occur in more than one
block (``ADD``, ``ASK FOR``...), which a matcher has to resolve.
"""

from __future__ import annotations

import os
import re
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import NoReturn

from stance.actors.dictionaries.lines import cached_on_stat, read_text_lines
from stance.actors.dictionaries.phrases import regular_plural
from stance.errors import DataError
from stance.events.codes import EventCode, parse_event_code
from stance.events.patterns import (
    PatternSyntaxError,
    UndefinedSynset,
    parse_pattern_body,
)
from stance.events.verb_entries import (
    Pattern,
    Synset,
    Transformation,
    Verb,
    VerbBlock,
    VerbDictionary,
    VerbForm,
    inflect,
)

__all__ = [
    "Pattern",
    "Synset",
    "Transformation",
    "Verb",
    "VerbBlock",
    "VerbDictionary",
    "VerbForm",
    "inflect",
    "load_verb_file",
    "read_verb_file",
]

_HEADER = re.compile(r"---+\s*(.*?)\s*(?:\[([^\[\]]*)\])?\s*-*")
_TRAILING_CODE = re.compile(r"\[([^\[\]]*)\]\s*$")
_BRACES = re.compile(r"\{([^{}]*)\}")
_NULL = EventCode(None, None)


class _Block:
    """The block being read (mutable while reading only)."""

    def __init__(self, name: str, code: EventCode, where: str) -> None:
        self.name, self.code, self.where = name, code, where
        self.verbs: list[Verb] = []
        self.patterns: list[Pattern] = []

    def freeze(self) -> VerbBlock:
        return VerbBlock(self.name, self.code, tuple(self.verbs), tuple(self.patterns), self.where)


def read_verb_file(path: str | os.PathLike) -> VerbDictionary:
    """Read a PETRARCH verb dictionary (grammar in the module doc)."""
    lines, encoding = read_text_lines(path, what="verb dictionary")
    name = Path(path).name
    skipped: Counter[str] = Counter()
    tolerated: Counter[str] = Counter()
    if encoding != "utf-8":
        tolerated["not UTF-8 (read as latin-1)"] += 1
    members: dict[str, list[tuple[str, ...]]] = {}
    synsets: dict[str, Synset] = {}
    frozen: dict[str, tuple[tuple[str, ...], ...]] = {}
    blocks: list[_Block] = []
    transformations: list[Transformation] = []
    undefined: list[str] = []
    open_set: Synset | None = None
    for line in lines:
        text = line.text.split(";", 1)[0]
        body = text.strip()
        if not body:
            if line.comment is not None:
                skipped["comment line"] += 1
            continue
        where = f"{name}:{line.number}"
        if body.startswith("+") and open_set is not None:
            _member(body[1:], open_set, members, where, skipped)
            continue
        if open_set is not None:  # the set is complete: patterns below may use it
            frozen[open_set.name] = tuple(dict.fromkeys(members[open_set.name]))
            open_set = None
        if body.startswith("---"):
            blocks.append(_header(body, where))
        elif body.startswith("-"):
            if not blocks:
                _fail(where, "a pattern before any '--- NAME [CODE] ---' block", body)
            pattern = _pattern(
                body[1:], line.comment, blocks[-1], frozen, where, skipped, tolerated
            )
            if isinstance(pattern, str):
                undefined.append(pattern)
            elif pattern is not None:
                blocks[-1].patterns.append(pattern)
        elif body.startswith("&"):
            label = body.split()[0].upper()
            if body.split()[1:]:
                _fail(where, "text after a synset label", body, "put the members on '+' lines")
            plurals = not label.endswith("_")
            key = label.rstrip("_")
            if key in synsets:
                tolerated["synset defined twice (members merged)"] += 1
            else:
                members[key] = []
            open_set = Synset(key, (), plurals, where)
            synsets[key] = synsets.get(key, open_set)
        elif body.startswith("~"):
            transformation = _transformation(body[1:], where)
            if transformation is None:
                skipped["transformation without '='"] += 1
            else:
                transformations.append(transformation)
        else:
            if not blocks:
                _fail(where, "a verb before any '--- NAME [CODE] ---' block", body)
            verb = _verb(body, blocks[-1], where, skipped, tolerated)
            if verb is not None:
                blocks[-1].verbs.append(verb)
    if open_set is not None:
        frozen[open_set.name] = tuple(dict.fromkeys(members[open_set.name]))
    for label in undefined:
        later = label in synsets
        skipped[
            f"pattern using {'a synset defined later' if later else 'an undefined synset'}"
        ] += 1
    final = {
        key: Synset(key, frozen.get(key, ()), synset.plurals, synset.where)
        for key, synset in synsets.items()
    }
    return VerbDictionary(
        str(path),
        final,
        tuple(block.freeze() for block in blocks),
        tuple(transformations),
        dict(skipped),
        dict(tolerated),
        encoding,
    )


#: :func:`read_verb_file`, cached on the resolved path, modification time and size.
load_verb_file = cached_on_stat(read_verb_file, maxsize=4)


def _fail(where: str, problem: str, text: str, fix: str = "") -> NoReturn:
    fix = fix or "start a block with '--- NAME [CODE] ---' first"
    raise DataError(f"{where}: {problem} ({text[:60]!r}); {fix}.")


def _code(text: str, where: str, line: str, tolerated: Counter[str]) -> EventCode | None:
    try:
        code, bang = parse_event_code(text)
    except ValueError:
        return None
    if bang:
        tolerated["code with a trailing '!' (read without it)"] += 1
    return code


def _header(body: str, where: str) -> _Block:
    match = _HEADER.fullmatch(body)
    if match is None or not match.group(1):
        _fail(where, "an unreadable block header", body, "write '--- NAME [CODE] ---'")
    code = _NULL
    if match.group(2) is not None:
        try:
            code, _bang = parse_event_code(match.group(2))
        except ValueError:
            _fail(where, "an unreadable block code", body, "write [190], [---] or [042:043]")
    return _Block(match.group(1).upper(), code, where)


def _member(
    text: str,
    synset: Synset,
    members: dict[str, list[tuple[str, ...]]],
    where: str,
    skipped: Counter[str],
) -> None:
    phrase = text.strip().upper()
    words = tuple(word for word in re.split(r"[\s_]+", phrase) if word)
    if not words:
        _fail(where, "an empty synset member", text, "write '+WORD' or '+TWO_WORDS'")
    if any(word[0] in "&$+%^" for word in words):
        skipped["synset member with a marker or a set (not allowed)"] += 1
        return
    members[synset.name].append(words)
    if synset.plurals and not phrase.endswith("_"):
        members[synset.name].append((*words[:-1], regular_plural(words[-1])))


def _pattern(
    text: str,
    note: str | None,
    block: _Block,
    synsets: Mapping[str, tuple[tuple[str, ...], ...]],
    where: str,
    skipped: Counter[str],
    tolerated: Counter[str],
) -> Pattern | str | None:
    """The pattern, or the name of an undefined synset it uses, or None when skipped."""
    match = _TRAILING_CODE.search(text)
    if match is None:
        if "[" in text or "]" in text:
            _fail(where, "an unclosed or misplaced code bracket", text, "end with [CODE]")
        skipped["pattern without a code"] += 1
        return None
    code = _code(match.group(1), where, text, tolerated)
    if code is None:
        skipped["pattern with an unreadable code"] += 1
        return None
    body = text[: match.start()]
    if "[" in body or "]" in body:
        _fail(where, "a '[' before the pattern's code", text, "keep one [CODE] at the end")
    try:
        before, after, oddities = parse_pattern_body(body, synsets)
    except UndefinedSynset as error:
        return str(error.args[0])
    except PatternSyntaxError as error:
        if error.unbalanced:  # "- * VENTURE (WITH VISIT)   VISIT)[042:043]": a stray ")"
            skipped["pattern with unbalanced brackets"] += 1
            return None
        _fail(where, f"an unreadable pattern: {error}", text, "see the pattern grammar")
    for oddity in oddities:
        tolerated[oddity] += 1
    return Pattern(before, after, code, block.name, where, note)


def _verb(
    body: str, block: _Block, where: str, skipped: Counter[str], tolerated: Counter[str]
) -> Verb | None:
    text, code, own = body, block.code, False
    match = _TRAILING_CODE.search(text)
    if match:
        parsed = _code(match.group(1), where, body, tolerated)
        if parsed is None:
            skipped["verb with an unreadable code"] += 1
            return None
        text, code, own = text[: match.start()], parsed, True
    if "[" in text or "]" in text:
        _fail(where, "a misplaced '[' in a verb line", body, "write VERB {FORMS} [CODE]")
    braces = _BRACES.search(text)
    if braces is None and ("{" in text or "}" in text):
        _fail(where, "an unclosed '{'", body, "write VERB {FORM FORM ...} [CODE]")
    if braces and text[braces.end() :].strip():
        _fail(where, "text after the {forms}", body, "write VERB {FORMS} [CODE]")
    main = (text[: braces.start()] if braces else text).split()
    if len(main) != 1:
        _fail(where, "a verb of several blank-separated words", body, "join them with '_'")
    lemma = _form(main[0], None, where, body, tolerated)
    if braces is None:
        head = lemma.words[lemma.head]
        forms = [lemma] + [
            VerbForm((*lemma.words[: lemma.head], word, *lemma.words[lemma.head + 1 :]), lemma.head)
            for word in inflect(head)
        ]
    else:
        forms = [lemma] + [_form(t, lemma, where, body, tolerated) for t in braces.group(1).split()]
    return Verb(tuple(dict.fromkeys(forms)), code, own, block.name, where)


def _form(
    token: str, lemma: VerbForm | None, where: str, body: str, tolerated: Counter
) -> VerbForm:
    if token != token.upper():
        tolerated["lower-case letters (upper-cased)"] += 1
    words = [word for word in token.upper().split("_") if word]
    marked = [i for i, word in enumerate(words) if word.startswith("+")]
    if len(marked) > 1:
        _fail(where, "several '+' in one verb", body, "mark only the inflected word with '+'")
    if marked:
        words[marked[0]] = words[marked[0]][1:]
        head = marked[0]
    elif len(words) > 1:
        tolerated["multi-word form without '+' (verb word guessed)"] += 1
        head = lemma.head if lemma is not None and len(lemma.words) == len(words) else 0
    else:
        head = 0
    if not words or not all(words):
        _fail(where, "an empty verb form", body, "write VERB or +VERB_PARTICLE")
    return VerbForm(tuple(words), head)


def _transformation(text: str, where: str) -> Transformation | None:
    if "=" not in text:
        return None
    left, right = text.split("=", 1)
    spaced = re.sub(r"([()])", r" \1 ", left)
    return Transformation(tuple(spaced.split()), tuple(right.split()), where)
