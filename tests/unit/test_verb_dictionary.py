"""Verb dictionary reader and CAMEO code helpers: the shipped CAMEO.2.0.txt and the PLOVER
table (counted independently with grep), and small inline files for each construct."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.errors import DataError
from stance.events import (
    EventCode,
    NounPhrase,
    Prep,
    Slot,
    VerbForm,
    Words,
    inflect,
    parse_event_code,
    plover_type,
    quad_class,
    read_plover_table,
    read_verb_file,
)
from tests.conftest import corpus_folder


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "test.verbs.txt"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def cameo(data_home):
    return read_verb_file(corpus_folder(data_home, "cameo_dictionaries/CAMEO.2.0.txt"))


@pytest.fixture(scope="module")
def plover(data_home):
    return read_plover_table(corpus_folder(data_home, "plover_ontology/CAMEO2PLOVER-2021.txt"))


# ---------------------------------------------------------------- shipped files


def test_shipped_verb_file_counts(cameo):
    # grep -c '^&' -> 40 synsets; grep -c '^---' -> 397 blocks; verb lines: not blank, '#',
    # '-', '&', '~' or '+' -> 1,688, plus 129 '+' lines after '####### VERB PATTERNS' (+GET_ON
    # ...): 1,817 verbs; grep -cE '^-($|[^-])' -> 4,668 patterns, of which 2 have a stray ')'
    # (lines 2374, 7606) and 2 use undefined sets (&WEATHER, &DEMONSTRATION): 4,664 read;
    # grep -c '^~' -> 8 transformations.
    assert len(cameo.synsets) == 40
    assert len(cameo.blocks) == 397
    assert len(cameo.verbs) == 1817
    assert len(cameo.patterns) == 4664
    assert len(cameo.transformations) == 8
    assert cameo.skipped == {
        "comment line": 65,
        "pattern with unbalanced brackets": 2,
        "pattern using an undefined synset": 2,
    }
    assert cameo.tolerated == {
        "verb marker '*' joined to a word": 3,  # *SCEPTICAL, *_LAWS, SPY_*_DEAL
        "empty word (stray '_')": 3,
        "alternatives A/B in a pattern": 9,  # (TO/FOR PROTEST), BOMBING/EXPLOSION, ...
        "code with a trailing '!' (read without it)": 1,  # BACK * DOWN (FROM) [080!]
    }
    # grep -cE '\[:[0-9]+\]' -> 98 (one is the OFFEND block header): 97 patterns; two codes:
    # 348 brackets - 5 verb lines - 3 headers - the skipped VENTURE line = 339; [---]: 168 - 1.
    codes = [pattern.code for pattern in cameo.patterns]
    assert sum(1 for c in codes if c.forward is None and c.reverse) == 97
    assert sum(1 for c in codes if c.forward and c.reverse) == 339
    assert sum(1 for c in codes if c.is_null) == 167
    # 558 '+' lines in the synset section, 1,045 members once regular plurals are added.
    assert sum(len(synset.members) for synset in cameo.synsets.values()) == 1045


def test_shipped_examples(cameo):
    obtain = next(block for block in cameo.blocks if block.name == "OBTAIN")
    get = next(verb for verb in obtain.verbs if verb.lemma.words == ("GET",))
    assert get.strings == {"GET", "GETS", "GETTING", "GOT", "GOTTEN"}
    hold = next(verb for verb in obtain.verbs if verb.lemma.words == ("GET", "HOLD", "OF"))
    assert VerbForm(("GOT", "HOLD", "OF"), 0) in hold.forms
    support = next(p for p in obtain.patterns if p.where == "CAMEO.2.0.txt:2529")
    assert support.after == (Words((("SUPPORT",),)), Prep(("FROM",)))
    assert support.code == EventCode(None, "051")  # B supports A in "A got support from B"
    assert cameo.synsets["&AUXVERB1"].members == (("WAS",), ("WERE",), ("BEEN",))
    assert ("CURRENCIES",) in cameo.synsets["&CURRENCY"].members
    words_set = next(p for p in cameo.patterns if p.where == "CAMEO.2.0.txt:8688")
    assert words_set.after[0].objects[0].synsets == ("&FIGHT_OF_WORDS",)


def test_shipped_plover_table(plover):
    # 276 lines start with a code; 08 and 175 are listed twice: 274 codes.
    assert len(plover) == 274
    assert plover.skipped == {"comment line": 4, "end marker (~~~)": 1}
    assert plover.tolerated == {
        "code listed twice with another type (first kept)": 1,  # 08: CONCEDE / 08: RETREAT
        "code listed twice (first kept)": 1,  # 175
    }
    assert plover.notes == {
        "neither mode nor context": 17,
        "dated note in the comment": 1,  # 0813 ... 21.09.17: "ease" is no longer a mode
        "type differs from its section's": 2,  # 163 COERCE in 16, 1712 ASSAULT in 17
        "code listed under another root's section": 5,  # 191, 192 in 17; 175 x2, 201 in 18
    }


def test_plover_type_and_fallback(plover):
    # By eye against the table: 042 CONSULT visit; 0874 RETREAT disarm military;
    # 1121 ACCUSE allege crime; corruption; 163 COERCE (listed under 16 SANCTION).
    visit = plover_type("042", plover)
    assert (visit.event_type, visit.mode, visit.contexts) == ("CONSULT", "visit", ())
    assert plover_type("0874", plover).contexts == ("military",)
    assert plover_type("1121", plover).contexts == ("crime", "corruption")
    assert plover_type("163", plover).event_type == "COERCE"
    assert plover_type("1725", plover).code == "172"  # no 1725: its 3-digit parent
    assert plover_type("059", plover).code == "05"  # no 059: the 2-digit root SUPPORT
    assert plover_type("08", plover).event_type == "CONCEDE"  # the first 08 line
    assert plover_type("0211", plover) is None  # 01 and 02 have no PLOVER type
    assert plover_type("---", plover) is None and plover_type(None, plover) is None


@pytest.mark.parametrize(
    ("code", "quad"),
    [
        ("010", 1),
        ("0211", 1),
        ("057", 1),
        ("060", 2),
        ("0874", 2),
        ("100", 3),
        ("1411", 3),
        ("150", 4),
        ("20", 4),
        ("2042", 4),
        ("---", None),
        (None, None),
        ("", None),
        ("00", None),
        ("21", None),
    ],
)
def test_quad_class(code, quad):
    assert quad_class(code) == quad


def test_event_codes():
    assert parse_event_code("190") == (EventCode("190"), False)
    assert parse_event_code("0211") == (EventCode("0211"), False)
    assert parse_event_code("---") == (EventCode(None, None), False)
    assert parse_event_code("042:043") == (EventCode("042", "043"), False)
    assert parse_event_code(":051") == (EventCode(None, "051"), False)
    assert parse_event_code("080!") == (EventCode("080"), True)
    assert str(EventCode(None, "051")) == "[:051]" and str(EventCode(None)) == "[---]"
    for bad in ("s", "", ":", "12345", "AB:12"):
        with pytest.raises(ValueError):
            parse_event_code(bad)


# ---------------------------------------------------------------- inline files


_SAMPLE = """\
####### SYNONYM SETS #######
&CURRENCY
+DOLLAR
+EURO
+KRONER_
+SWISS_FRANC

&AUXVERB3_
+HAVE
+HAS

---  GRANT [070]  ---
GRANT
GIVE {GAVE GIVEN GIVING GIVES}  # jw  11/14/91
CLARIFY [040]
+CORDON_OFF {+CORDONED_OFF +CORDONS_OFF +CORDONING_OFF}
+BEEF_UP
WIRE_+TAP
RIP {RIPPING RIPS RIPPED};shan   7/11/93
- * &CURRENCY [071] # GIVE
- $ * (TO +) {FINANCIAL AID} [073]
- * SUPPORT (FROM) [:051] # GET
- * (TO) [042:043]
- &AUXVERB3 * &CRISIS [020]
- % &CURRENCY * [062:062]
- * OFF (FROM ^) [042]

---  SAY  ---
SAY {SAID SAYING SAYS}
- * (TO/FOR PROTEST) [141]

######## TRANSFORMATIONS ##########
~ a (a b ATTACK) SAY = a b 015
"""


def test_synsets_with_plurals(tmp_path):
    book = read_verb_file(_write(tmp_path, _SAMPLE))
    assert book.synsets["&CURRENCY"].members == (
        ("DOLLAR",),
        ("DOLLARS",),
        ("EURO",),
        ("EUROS",),
        ("KRONER",),  # ends with '_': no plural
        ("SWISS", "FRANC"),
        ("SWISS", "FRANCS"),
    )
    auxiliary = book.synsets["&AUXVERB3"]  # label ends with '_': no plurals at all
    assert not auxiliary.plurals and auxiliary.members == (("HAVE",), ("HAS",))


def test_verbs_forms_and_codes(tmp_path):
    book = read_verb_file(_write(tmp_path, _SAMPLE))
    grant, say = book.blocks
    assert grant.code == EventCode("070") and say.code == EventCode(None)
    verbs = {verb.lemma.words: verb for verb in grant.verbs}
    assert verbs[("GRANT",)].strings == {"GRANT", "GRANTS", "GRANTED", "GRANTING"}
    assert verbs[("GRANT",)].code == EventCode("070") and not verbs[("GRANT",)].own_code
    assert verbs[("GIVE",)].strings == {"GIVE", "GAVE", "GIVEN", "GIVING", "GIVES"}
    clarify = verbs[("CLARIFY",)]
    assert clarify.strings == {"CLARIFY", "CLARIFIES", "CLARIFIED", "CLARIFYING"}
    assert clarify.code == EventCode("040") and clarify.own_code
    cordon = verbs[("CORDON", "OFF")]
    assert cordon.forms == (
        VerbForm(("CORDON", "OFF"), 0),
        VerbForm(("CORDONED", "OFF"), 0),
        VerbForm(("CORDONS", "OFF"), 0),
        VerbForm(("CORDONING", "OFF"), 0),
    )
    assert verbs[("BEEF", "UP")].strings == {"BEEF UP", "BEEFS UP", "BEEFED UP", "BEEFING UP"}
    tap = verbs[("WIRE", "TAP")]
    assert tap.lemma.head == 1 and "WIRE TAPED" in tap.strings  # no doubling: see RIP
    assert verbs[("RIP",)].strings == {"RIP", "RIPPING", "RIPS", "RIPPED"}  # ';' comment


def test_inflection_rules():
    assert inflect("ACCELERATE") == ("ACCELERATES", "ACCELERATED", "ACCELERATING")
    assert inflect("HURRY") == ("HURRIES", "HURRIED", "HURRYING")
    assert inflect("DELAY") == ("DELAYS", "DELAYED", "DELAYING")
    assert inflect("PUSH") == ("PUSHES", "PUSHED", "PUSHING")
    assert inflect("FAX") == ("FAXES", "FAXED", "FAXING")
    assert inflect("AGREE") == ("AGREES", "AGREED", "AGREEING")
    assert inflect("TIE") == ("TIES", "TIED", "TYING")
    assert inflect("STOP") == ("STOPS", "STOPED", "STOPING")  # never doubled: list them in {}
    # short words and the sibilant endings (issue 27)
    assert inflect("Y") == ("YS", "YED", "YING")
    assert inflect("BY") == ("BIES", "BIED", "BYING")
    assert inflect("BUS") == ("BUSES", "BUSED", "BUSING")
    assert inflect("BUZZ") == ("BUZZES", "BUZZED", "BUZZING")
    assert inflect("WATCH") == ("WATCHES", "WATCHED", "WATCHING")
    assert inflect("E") == ("ES", "ED", "EING")
    assert inflect("BE") == ("BES", "BED", "BING")
    assert inflect("SEE") == ("SEES", "SEED", "SEEING")
    assert inflect("EYE") == ("EYES", "EYED", "EYEING")
    assert inflect("AXE") == ("AXES", "AXED", "AXING")


def test_patterns_elements_slots_and_codes(tmp_path):
    book = read_verb_file(_write(tmp_path, _SAMPLE))
    grant = book.blocks[0]
    # &CRISIS is never defined: that pattern is skipped, six remain.
    currency, aid, support, visit, compound, skip = grant.patterns
    assert currency.after[0].synsets == ("&CURRENCY",)
    assert ("SWISS", "FRANCS") in currency.after[0].alternatives
    assert currency.note == "GIVE" and currency.block == "GRANT"
    assert currency.where == "test.verbs.txt:20"
    assert aid.before == (Slot("source"),)
    assert aid.after == (
        Prep(("TO",), (Slot("target"),)),
        NounPhrase((Words((("FINANCIAL",),)), Words((("AID",),)))),
    )
    assert aid.after[1].head == Words((("AID",),))
    assert support.code == EventCode(None, "051")
    assert visit.code == EventCode("042", "043") and visit.after == (Prep(("TO",)),)
    assert compound.before[0] == Slot("compound") and compound.code == EventCode("062", "062")
    assert skip.after == (Words((("OFF",),)), Prep(("FROM",), (Slot("skip"),)))
    protest = book.blocks[1].patterns[0]
    assert protest.after == (Prep(("TO", "FOR"), (Words((("PROTEST",),)),)),)
    assert book.skipped == {"comment line": 2, "pattern using an undefined synset": 1}
    assert book.tolerated == {"alternatives A/B in a pattern": 1}
    assert book.transformations[0].result == ("a", "b", "015")


def test_synset_defined_after_use_is_skipped(tmp_path):
    text = "--- X [010] ---\nSAY\n- * &LATE [020]\n&LATE\n+WORD\n"
    book = read_verb_file(_write(tmp_path, text))
    assert book.patterns == ()
    assert book.skipped == {"pattern using a synset defined later": 1}


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("- * AID [070]\n", 1, "pattern before any"),
        ("GRANT\n", 1, "verb before any"),
        ("--- GRANT [07x] ---\n", 1, "unreadable block code"),
        ("--- GRANT ---\nGIVE {GAVE GIVEN\n", 2, "unclosed '{'"),
        ("--- GRANT ---\n+CORDON_+OFF\n", 2, "several '\\+'"),
        ("--- GRANT ---\nGIVE\n- * AID * [070]\n", 3, "2 verb markers"),
        ("--- GRANT ---\nGIVE\n- * ({AID}) [070]\n", 3, "does not start with a preposition"),
        ("--- GRANT ---\nGIVE\n- * {AID $} [070]\n", 3, "inside"),
        ("--- GRANT ---\nGIVE\n- * AID [070\n", 3, "unclosed or misplaced code bracket"),
        ("&SET junk\n", 1, "text after a synset label"),
    ],
)
def test_malformed_verb_lines_raise_one_line(tmp_path, text, line, problem):
    with pytest.raises(DataError, match=rf"^test\.verbs\.txt:{line}: .*{problem}") as error:
        read_verb_file(_write(tmp_path, text))
    assert "\n" not in str(error.value)


def test_unreadable_codes_are_skipped_and_counted(tmp_path):
    text = "--- GRANT ---\nGIVE [s]\nGRANT\n- * AID [s]\n- * HELP (TO)) [070]\n"
    book = read_verb_file(_write(tmp_path, text))
    assert [verb.lemma.words for verb in book.verbs] == [("GRANT",)]
    assert book.skipped == {
        "verb with an unreadable code": 1,
        "pattern with an unreadable code": 1,
        "pattern with unbalanced brackets": 1,
    }
