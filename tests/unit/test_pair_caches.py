"""The shortcuts of raw-text pair prediction give what the plain computation gives (issues 24,
25): tokens keyed from the whole text, verb patterns tried by their needed words, multi-word
pattern phrases looked up by their first or last word, the last frame's pair spans kept."""

from __future__ import annotations

import bisect
import re

import pandas as pd
import pytest

from stance.actors.cameo import Token, tokens
from stance.actors.tokens import TOKEN_RE, fold, fold_ascii, tokenise
from stance.events.coder import EventCoder
from stance.events.dictionary_set import load_dictionaries
from stance.events.pattern_match import _by_word
from stance.events.sources import project_dictionaries
from stance.events.verb_index import compile_verbs
from stance.features.events import PairEvents
from stance.features.spans import as_text, located_pairs, pair_spans

TEXTS = [
    "Russia's army struck Ukraine on Monday.",
    "Côte d\u2019Ivoire and Erdoğan's Turkey signed a deal.",  # accents, a curly apostrophe
    "The `rebels` attacked - again - the U.S. embassy in São Paulo.",
    "Nothing to see: 42 is a number, x_y too.",
    "",
]


def reference_tokens(text: str) -> list[Token]:
    """:func:`tokens` token by token, as before the ASCII shortcut."""
    return [
        Token(m.start(), m.end(), fold(m.group(0)).upper(), m.group(0)[0].isupper())
        for m in TOKEN_RE.finditer(text)
    ]


@pytest.mark.parametrize("text", TEXTS)
def test_cameo_tokens_equal_token_by_token_folding(text: str) -> None:
    assert tokens(text) == reference_tokens(text)


def test_ascii_shortcut_keys_by_hand() -> None:
    assert fold_ascii("it`s") == "it's"
    assert fold_ascii("d\u2019Ivoire") == "d'Ivoire"  # the curly apostrophe folds to ASCII
    assert fold_ascii("São") is None
    assert [(t.key, t.capital) for t in tokens("The `US` army")] == [
        ("THE", True),
        ("'", False),
        ("US", True),
        ("'", False),
        ("ARMY", False),
    ]
    assert [(t.key, t.low, t.space, t.word, t.cap) for t in tokenise("d\u2019Ivoire-based")] == [
        ("d", "d", True, True, False),
        ("'", "'", False, False, False),
        ("Ivoire", "ivoire", False, True, True),
        ("-", "-", False, False, False),
        ("based", "based", False, True, False),
    ]


@pytest.mark.parametrize("text", TEXTS)
def test_gazetteer_tokens_equal_with_and_without_the_ascii_shortcut(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = tokenise(text)
    monkeypatch.setattr("stance.actors.tokens.fold_ascii", lambda _text: None)
    assert tokenise(text) == fast


VERBS = """\
---  SEND   [---]  ---
SEND {SENDS SENT SENDING}
- * MILITARY_AID (TO +) [070]
- * HUMANITARIAN_AID (TO +) [073]
---  ACCUSE   [112]  ---
ACCUSE {ACCUSES ACCUSED ACCUSING}
- FORMALLY_ALSO * [1121]
- * (OF WAR_CRIMES) [1122]
---  MEET   [040]  ---
MEET {MEETS MET MEETING}
- * (AT) [036:036]
"""
SENTENCES = [
    ("Russia sent military aid to Syria.", ["Russia", "Syria"]),
    ("Russia sent military aids to Syria.", ["Russia", "Syria"]),
    ("Russia sent humanitarian aid to Syria.", ["Russia", "Syria"]),
    ("Russia formally also accused Syria.", ["Russia", "Syria"]),
    ("Russia accused Syria of war crimes.", ["Russia", "Syria"]),
    ("Russia accused Syria.", ["Russia", "Syria"]),
    ("Egypt and Jordan met at the border.", ["Egypt", "Jordan"]),
]


class EveryPattern(EventCoder):
    """The coder trying every pattern of a verb's block, as before the needed-word index."""

    def candidates(self, block: str, keyset: frozenset[str]) -> list[int]:
        return list(self.index.blocks.get(block, ()))


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("verbs") / "verbs.txt"
    path.write_text(VERBS, encoding="utf-8")
    return compile_verbs([path])


def coded(coder: EventCoder, text: str, names: list[str]) -> list[tuple[int, int, str]]:
    toks = tokens(text)
    starts = [t.start for t in toks]
    spans = []
    for name in names:
        a = text.index(name)
        spans.append((bisect.bisect_left(starts, a), bisect.bisect_left(starts, a + len(name))))
    return [(e.source, e.target, e.code) for e in coder.events(toks, spans)]


def test_patterns_by_needed_word_code_what_every_pattern_codes(index) -> None:
    fast, plain = EventCoder(index), EveryPattern(index)
    got = [coded(fast, text, names) for text, names in SENTENCES]
    assert got == [coded(plain, text, names) for text, names in SENTENCES]
    assert got == [
        [(0, 1, "070")],
        [(0, 1, "070")],  # AIDS: a pattern word may take a plural S
        [(0, 1, "073")],
        [(0, 1, "1121")],  # a phrase before the verb, matched backwards
        [(0, 1, "1122")],
        [(0, 1, "112")],
        [(1, 0, "036"), (0, 1, "036")],  # coordinated: each meets the other
    ]


def test_candidates_hold_every_pattern_whose_needs_meet_the_sentence(index) -> None:
    coder = EventCoder(index)
    block = index.verbs[next(v for v, verb in enumerate(index.verbs) if verb[0] == "ACCUSE")][1]
    numbers = index.blocks[block]
    for words in ({"WAR", "CRIMES"}, {"FORMALLY"}, {"ALSO"}, {"NOTHING"}, set()):
        keyset = frozenset(words)
        got = coder.candidates(block, keyset)
        viable = [
            n for n in numbers if all(not need.isdisjoint(keyset) for need in coder._patterns[n][2])
        ]
        assert set(viable) <= set(got) <= set(numbers)
        assert got == sorted(got, key=numbers.index)  # block order kept
    assert coder.candidates(block, frozenset({"NOTHING"})) == []


def test_phrases_by_first_and_last_word() -> None:
    phrases = (("FOOD", "AID"), ("MILITARY", "AID"), ("FOODS", "BANK"))
    assert _by_word(phrases, 0) == {
        "FOOD": (("FOOD", "AID"),),
        "FOODS": (("FOOD", "AID"), ("FOODS", "BANK")),
        "FOODSS": (("FOODS", "BANK"),),
        "MILITARY": (("MILITARY", "AID"),),
        "MILITARYS": (("MILITARY", "AID"),),
    }
    assert _by_word(phrases, -1)["AIDS"] == (("FOOD", "AID"), ("MILITARY", "AID"))


def pair_frame(**offsets: list[int]) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "text": ["Iran and Iran's army met Iraq.", "Iraq rejected it."],
            "source_mention": ["Iran", "Iraq"],
            "target_mention": ["Iraq", None],
        }
    )
    for column, values in offsets.items():
        frame[column] = values
    return frame


def test_located_pairs_kept_for_the_same_values_only() -> None:
    frame = pair_frame()
    first = located_pairs(frame)
    assert first == [
        ("Iran and Iran's army met Iraq.", (0, 4), (25, 29)),
        ("Iraq rejected it.", (0, 4), None),
    ]
    first.append("changed by the caller")
    assert located_pairs(frame) == first[:2]  # a copy was handed out
    moved = pair_frame(source_start=[9, 0], target_start=[25, -1])
    assert located_pairs(moved)[0][1] == (9, 13)  # the second "Iran"
    frame.loc[0, "source_mention"] = "Iran's army"  # the same frame, changed in place
    assert located_pairs(frame)[0] == ("Iran and Iran's army met Iraq.", (9, 20), (25, 29))
    for row, (text, source, target) in zip(frame.itertuples(), located_pairs(frame), strict=True):
        expected = pair_spans(row.text, as_text(row.source_mention), as_text(row.target_mention))
        assert (source, target) == expected and text == row.text


def test_pair_events_read_again_when_only_the_offsets_change() -> None:
    events = PairEvents(load_dictionaries(project_dictionaries()))
    text = "Iran praised Iraq, and Iraq attacked Syria."
    frame = pd.DataFrame({"text": [text], "source_mention": ["Iraq"], "target_mention": ["Syria"]})
    by_search = events.read(frame)
    assert events.read(frame) is by_search  # the same frame: coded once
    second = frame.assign(source_start=[text.index("Iraq attacked")], target_start=[37])
    by_offset = events.read(second)
    assert by_offset is not by_search
    assert by_offset == PairEvents(load_dictionaries(project_dictionaries())).read(second)
    assert re.search("Syria", text[37:])
