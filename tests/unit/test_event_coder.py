"""CAMEO events between known actor mentions: a small verb file written here, hand-checked codes."""

from __future__ import annotations

import bisect
from pathlib import Path

import numpy as np
import pytest

from stance.actors.cameo import tokens
from stance.events.coder import EventCoder
from stance.events.verb_index import VerbIndex, compile_verbs
from stance.features.events import stance_of_code
from stance.models.rules import CameoRules

VERBS = """\
---  ATTACK   [190]  ---
ATTACK
STRIKE {STRIKES STRUCK STRIKING}
---  MEET   [040]  ---
MEET {MEETS MET MEETING}
- * (AT) [036:036]
---  GET   [---]  ---
GET {GETS GOT GETTING}
- * SUPPORT (FROM) [:051]
---  VISIT   [042:043]  ---
VISIT
---  CONDEMN   [111]  ---
CONDEMN
---  SEND   [---]  ---
SEND {SENDS SENT SENDING}
- * AID (TO +) [070]
"""


@pytest.fixture(scope="module")
def coder(tmp_path_factory: pytest.TempPathFactory) -> EventCoder:
    path = tmp_path_factory.mktemp("verbs") / "verbs.txt"
    path.write_text(VERBS, encoding="utf-8")
    return EventCoder(compile_verbs([path]))


def events(coder: EventCoder, text: str, names: list[str]) -> set[tuple[str, str, str]]:
    """(source name, target name, code) of every event between the named mentions."""
    toks = tokens(text)
    starts = [t.start for t in toks]
    spans, labels = [], []
    for name in names:
        a = text.index(name)
        spans.append((bisect.bisect_left(starts, a), bisect.bisect_left(starts, a + len(name))))
        labels.append(name)
    return {
        (labels[e.source], labels[e.target], e.code + ("!" if e.negated else ""))
        for e in coder.events(toks, spans)
    }


def test_verb_code_runs_from_subject_to_object(coder: EventCoder) -> None:
    assert events(
        coder, "Iraqi troops attacked rebels near Mosul.", ["Iraqi troops", "rebels"]
    ) == {("Iraqi troops", "rebels", "190")}


def test_passive_takes_the_by_agent_as_source(coder: EventCoder) -> None:
    found = events(coder, "Sri Lanka was attacked by India on Monday.", ["Sri Lanka", "India"])
    assert found == {("India", "Sri Lanka", "190")}


def test_negation_marks_the_event(coder: EventCoder) -> None:
    found = events(coder, "Germany did not condemn Russia.", ["Germany", "Russia"])
    assert found == {("Germany", "Russia", "111!")}


def test_forward_reverse_code_gives_both_directions(coder: EventCoder) -> None:
    found = events(coder, "Putin visited Beijing.", ["Putin", "Beijing"])
    assert found == {("Putin", "Beijing", "042"), ("Beijing", "Putin", "043")}


def test_reverse_only_code_runs_from_the_object(coder: EventCoder) -> None:
    text = "Kyiv got support from Warsaw."
    assert events(coder, text, ["Kyiv", "Warsaw"]) == {("Warsaw", "Kyiv", "051")}


def test_target_slot_binds_the_mention_in_the_pattern(coder: EventCoder) -> None:
    text = "Japan sent aid to Haiti after the storm that hit Cuba."
    assert ("Japan", "Haiti", "070") in events(coder, text, ["Japan", "Haiti", "Cuba"])


def test_pattern_window_counts_a_long_mention_as_one_word(coder: EventCoder) -> None:
    # "AT" comes six tokens after the verb, but the mention between counts as one word.
    text = "Bush met Prime Minister Tony Blair of Britain at Camp David."
    found = events(coder, text, ["Bush", "Prime Minister Tony Blair of Britain"])
    assert ("Bush", "Prime Minister Tony Blair of Britain", "036") in found


def test_coordinated_subjects_without_object_act_on_each_other(coder: EventCoder) -> None:
    found = events(coder, "Egypt and Jordan met on Sunday.", ["Egypt", "Jordan"])
    assert found == {("Egypt", "Jordan", "040"), ("Jordan", "Egypt", "040")}


def test_coordinated_sources_each_act(coder: EventCoder) -> None:
    found = events(coder, "France and Italy condemned Libya.", ["France", "Italy", "Libya"])
    assert found == {("France", "Libya", "111"), ("Italy", "Libya", "111")}


def test_noun_event_takes_its_possessor(coder: EventCoder) -> None:
    text = "Turkey criticised the Israeli attack on Gaza."
    found = events(coder, text, ["Turkey", "Israeli", "Gaza"])
    assert ("Israeli", "Gaza", "190") in found
    assert ("Turkey", "Gaza", "190") not in found


def test_subject_skips_a_parenthetical_clause(coder: EventCoder) -> None:
    text = "Putin, who met Xi on Monday, condemned NATO."
    found = events(coder, text, ["Putin", "Xi", "NATO"])
    assert ("Putin", "NATO", "111") in found
    assert ("Xi", "NATO", "111") not in found


def test_index_round_trips_through_json(coder: EventCoder) -> None:
    again = VerbIndex.from_json(coder.index.to_json())
    assert again.verbs == coder.index.verbs
    assert again.blocks == coder.index.blocks
    assert [list(p) for p in again.patterns] == [list(p) for p in coder.index.patterns]


@pytest.mark.parametrize(
    ("code", "stance"),
    [
        ("010", "neutral"),
        ("020", "support"),
        ("046", "support"),
        ("0874", "support"),
        ("090", "oppose"),
        ("112", "oppose"),
        ("190", "oppose"),
        ("", "neutral"),
        (None, "neutral"),
    ],
)
def test_stance_of_code_follows_the_data_card(code: str | None, stance: str) -> None:
    assert stance_of_code(code) == stance


def test_cameo_rules_map_roots_and_negation() -> None:
    X = np.array([[19, 0, 0], [5, 0, 0], [0, 0, 3], [11, 1, 0], [1, 0, 0]])
    rules = CameoRules().fit(X)
    assert list(rules.predict(X)) == ["oppose", "support", "neutral", "neutral", "support"]
    project = CameoRules(support_roots=range(2, 9), oppose_roots=range(9, 21), negation=False)
    assert list(project.fit(X).predict(X)) == [
        "oppose",
        "support",
        "neutral",
        "oppose",
        "neutral",
    ]
    assert set(rules.classes_) == {"support", "oppose", "neutral"}


def test_verb_file_without_the_file_is_one_line(tmp_path: Path) -> None:
    from stance.errors import DataError

    with pytest.raises(DataError, match=r"verb dictionary .*not found"):
        compile_verbs([tmp_path / "missing.txt"])
