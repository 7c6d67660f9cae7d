"""Verb dictionary, CAMEO codes, patterns and the PLOVER table, the details: every error message
in full, every count by reason when it occurs twice, heads of multi-word verbs (issue 27)."""

from __future__ import annotations

import os
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
    load_verb_file,
    parse_event_code,
    quad_class,
    read_plover_table,
    read_verb_file,
)
from stance.events.codes import PloverType
from stance.events.patterns import PatternSyntaxError, UndefinedSynset, parse_pattern_body
from stance.events.verbs import Synset, Transformation
from tests.errors import check_line_errors, data_error

LONG = "A" * 70  # longer than the 60 characters a message quotes
GRAMMAR = "see the pattern grammar."


def _write(folder: Path, text: str, name: str = "test.verbs.txt") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


_ODD = """\
&SET
+WORD
+XRAY_
+&OTHER
+$X
+two_words_
&SET
+MORE
&EMPTY_
--- GRANT [070!] ---
give [080!]
take [080!]
GIVE_UP
GIVE_UP {GAVE_UP GIVES_UP}
PUT_+OFF {PUTS_OFF PUTTING_IT_OFF +PUTTING_OFF_AGAIN}
LIFT [s]
LIFT [s]
- * aid [s]
- * AID [s]
- * AID
- * AID
- * AID (TO)) [070]
- * &SET [071] # note
- *AID [072]
- BIG_&SET * [073]
- * {} [074]
- * A/B_C [075]
- * (to/for_ X) [076]
- * &NOPE [077]
~ a (b) c
~ a (a b) SAY = a b = 015
~ x (y) z = w
"""


def test_verb_file_oddities_counted_twice(tmp_path):
    book = read_verb_file(_write(tmp_path, _ODD))
    assert book.path == str(tmp_path / "test.verbs.txt") and book.encoding == "utf-8"
    assert book.skipped == {
        "synset member with a marker or a set (not allowed)": 2,
        "verb with an unreadable code": 2,
        "pattern with an unreadable code": 2,
        "pattern without a code": 2,
        "pattern with unbalanced brackets": 1,
        "transformation without '='": 1,
        "pattern using an undefined synset": 1,
    }
    assert book.tolerated == {
        "synset defined twice (members merged)": 1,
        "code with a trailing '!' (read without it)": 2,
        "lower-case letters (upper-cased)": 2,
        "multi-word form without '+' (verb word guessed)": 6,
        "verb marker '*' joined to a word": 1,
        "empty {} in a pattern (dropped)": 1,
        "alternatives A/B in a pattern": 2,
    }
    members = (("WORD",), ("WORDS",), ("XRAY",), ("TWO", "WORDS"), ("MORE",), ("MORES",))
    assert book.synsets == {
        "&SET": Synset("&SET", members, True, "test.verbs.txt:1"),
        "&EMPTY": Synset("&EMPTY", (), False, "test.verbs.txt:9"),
    }
    (block,) = list(book)
    assert (block.name, block.code, block.where) == ("GRANT", EventCode("070"), "test.verbs.txt:10")
    give, take, give_up, gave_up, put_off = block.verbs
    assert take.lemma == VerbForm(("TAKE",)) and take.code == EventCode("080")
    assert (give.code, give.own_code, give.block, give.where) == (
        EventCode("080"),
        True,
        "GRANT",
        "test.verbs.txt:11",
    )
    assert give_up.forms[-1] == VerbForm(("GIVING", "UP"), 0)
    assert (give_up.code, give_up.own_code) == (EventCode("070"), False)
    assert gave_up.forms == (
        VerbForm(("GIVE", "UP"), 0),
        VerbForm(("GAVE", "UP"), 0),
        VerbForm(("GIVES", "UP"), 0),
    )
    assert put_off.forms == (
        VerbForm(("PUT", "OFF"), 1),
        VerbForm(("PUTS", "OFF"), 1),  # no '+': the lemma's head, same length
        VerbForm(("PUTTING", "IT", "OFF"), 0),  # other length: the first word
        VerbForm(("PUTTING", "OFF", "AGAIN"), 0),
    )
    patterns = book.patterns
    assert [p.code for p in patterns] == [EventCode(f"07{i}") for i in range(1, 7)]
    assert [p.where for p in patterns] == [f"test.verbs.txt:{i}" for i in range(23, 29)]
    assert patterns[0].note == "note" and patterns[0].block == "GRANT"
    assert patterns[0].after == (Words(members, ("&SET",)),)
    assert patterns[2].before[0].alternatives[0] == ("BIG", "WORD")
    assert patterns[3].after == (NounPhrase(()),)
    assert patterns[4].after == (Words((("A", "C"), ("B", "C"))),)
    assert patterns[5].after == (Prep(("TO", "FOR"), (Words((("X",),)),)),)
    assert book.transformations == (
        Transformation(
            ("a", "(", "a", "b", ")", "SAY"), ("a", "b", "=", "015"), "test.verbs.txt:31"
        ),
        Transformation(("x", "(", "y", ")", "z"), ("w",), "test.verbs.txt:32"),
    )


def test_verb_messages_in_full(tmp_path):
    block = "start a block with '--- NAME [CODE] ---' first."
    cases = [
        ("- * AID [070]\n", 1, f"a pattern before any '--- NAME [CODE] ---' block ('- * AID "
         f"[070]'); {block}"),
        ("GRANT\n", 1, f"a verb before any '--- NAME [CODE] ---' block ('GRANT'); {block}"),
        (f"{LONG}\n", 1, f"a verb before any '--- NAME [CODE] ---' block ({LONG[:60]!r}); "
         f"{block}"),
        ("--- GRANT [07x] ---\n", 1, "an unreadable block code ('--- GRANT [07x] ---'); write "
         "[190], [---] or [042:043]."),
        ("--- ---\n", 1, "an unreadable block header ('--- ---'); write '--- NAME [CODE] ---'."),
        ("--- GRANT ---\nGIVE {GAVE GIVEN\n", 2, "an unclosed '{' ('GIVE {GAVE GIVEN'); write "
         "VERB {FORM FORM ...} [CODE]."),
        ("--- GRANT ---\nGIVE GAVE}\n", 2, "an unclosed '{' ('GIVE GAVE}'); write VERB {FORM "
         "FORM ...} [CODE]."),
        ("--- GRANT ---\nGIVE {A} B\n", 2, "text after the {forms} ('GIVE {A} B'); write VERB "
         "{FORMS} [CODE]."),
        ("--- GRANT ---\nGIVE [07\n", 2, "a misplaced '[' in a verb line ('GIVE [07'); write "
         "VERB {FORMS} [CODE]."),
        ("--- GRANT ---\nGIVE ] [070]\n", 2, "a misplaced '[' in a verb line ('GIVE ] [070]'); "
         "write VERB {FORMS} [CODE]."),
        ("--- GRANT ---\nGIVE UP\n", 2, "a verb of several blank-separated words ('GIVE UP'); "
         "join them with '_'."),
        ("--- GRANT ---\n{GAVE}\n", 2, "a verb of several blank-separated words ('{GAVE}'); "
         "join them with '_'."),
        ("--- GRANT ---\n+CORDON_+OFF\n", 2, "several '+' in one verb ('+CORDON_+OFF'); mark "
         "only the inflected word with '+'."),
        ("--- GRANT ---\n_\n", 2, "an empty verb form ('_'); write VERB or +VERB_PARTICLE."),
        ("--- GRANT ---\nGIVE {+}\n", 2, "an empty verb form ('GIVE {+}'); write VERB or "
         "+VERB_PARTICLE."),
        ("&SET\n+__\n", 2, "an empty synset member ('__'); write '+WORD' or '+TWO_WORDS'."),
        ("&SET junk\n", 1, "text after a synset label ('&SET junk'); put the members on '+' "
         "lines."),
        ("--- G ---\nGIVE\n- * AID [070\n", 3, "an unclosed or misplaced code bracket (' * AID "
         "[070'); end with [CODE]."),
        ("--- G ---\nGIVE\n- * AID ]\n", 3, "an unclosed or misplaced code bracket (' * AID ]'); "
         "end with [CODE]."),
        ("--- G ---\nGIVE\n- * [AID] [070]\n", 3, "a '[' before the pattern's code (' * [AID] "
         "[070]'); keep one [CODE] at the end."),
        ("--- G ---\nGIVE\n- * [AID [070]\n", 3, "a '[' before the pattern's code (' * [AID "
         "[070]'); keep one [CODE] at the end."),
        ("--- G ---\nGIVE\n- * AID] [070]\n", 3, "a '[' before the pattern's code (' * AID] "
         "[070]'); keep one [CODE] at the end."),
        ("--- G ---\nGIVE\n- * AID * [070]\n", 3, "an unreadable pattern: 2 verb markers '*' "
         f"(one is needed) (' * AID * [070]'); {GRAMMAR}"),
        ("--- G ---\nGIVE\n- * ({AID}) [070]\n", 3, "an unreadable pattern: a '(' that does not "
         f"start with a preposition (' * ({{AID}}) [070]'); {GRAMMAR}"),
        ("--- G ---\nGIVE\n- * (TO (FOR)) [070]\n", 3, "an unreadable pattern: a '(' inside (...) "
         f"(' * (TO (FOR)) [070]'); {GRAMMAR}"),
        ("--- G ---\nGIVE\n- * _ [070]\n", 3, "an unreadable pattern: no word in '_' (' * _ "
         f"[070]'); {GRAMMAR}"),
    ]  # fmt: skip
    check_line_errors(read_verb_file, tmp_path / "test.verbs.txt", cases)


def test_synset_labels_transformations_and_heads(tmp_path):
    text = (
        "&TAX_\n+LEVY\n&TAX_\n+DUTY\n&TAX_\n"  # defined three times: merged
        "--- G [010] ---\n"
        "WIRE_+TAP\n"
        "SCRAP {SCRAPPED};shan;[020]\n"  # a comment starts at the first ';'
        "~x (y) = w\n~no equals\n~ none either\n"
        "&LAST\n+ONE\n"  # still open at the end of the file
    )
    book = read_verb_file(_write(tmp_path, text))
    assert book.synsets["&TAX"].members == (("LEVY",), ("DUTY",))
    assert book.synsets["&LAST"].members == (("ONE",), ("ONES",))
    assert book.tolerated == {"synset defined twice (members merged)": 2}
    assert book.skipped == {"transformation without '='": 2}
    tap, scrap = book.verbs
    assert [form.head for form in tap.forms] == [1, 1, 1, 1]
    assert str(tap.forms[2]) == "WIRE TAPED"
    assert (scrap.code, scrap.own_code) == (EventCode("010"), False)
    assert book.transformations[0].pattern == ("x", "(", "y", ")")


def test_a_latin1_verb_file_and_the_load_cache(tmp_path):
    path = tmp_path / "old.verbs.txt"
    path.write_bytes("--- CAF\xc9 ---\nSAY\n".encode("latin-1"))
    book = read_verb_file(path)
    assert (book.encoding, book.tolerated) == ("latin-1", {"not UTF-8 (read as latin-1)": 1})
    assert book.blocks[0].name == "CAFÉ"
    os.utime(path, ns=(10**18, 10**18))
    first = load_verb_file(path)
    assert load_verb_file(str(path)) is first and first.path == str(path.resolve())
    path.write_bytes(b"--- CAF ---\nSAY\n")  # one byte shorter, same time
    os.utime(path, ns=(10**18, 10**18))
    assert load_verb_file(path).blocks[0].name == "CAF"
    path.write_bytes(b"--- TEA ---\nSAY\n")  # same size, newer
    os.utime(path, ns=(2 * 10**18, 2 * 10**18))
    assert load_verb_file(path).blocks[0].name == "TEA"
    with pytest.raises(DataError, match="verb dictionary file .* not found"):
        load_verb_file(tmp_path / "absent.txt")


# ---------------------------------------------------------------- codes


def test_event_code_edges():
    assert parse_event_code(" 080 ! ") == (EventCode("080"), True)
    assert parse_event_code("---:051") == (EventCode(None, "051"), False)
    assert parse_event_code("042:") == (EventCode("042", None), False)
    assert parse_event_code("042:---") == (EventCode("042", None), False)
    for bad in ("01:02:03", "!", ":---", "---:---", "1"):
        with pytest.raises(ValueError, match=rf"^not an event code: {bad!r}$"):
            parse_event_code(bad)
    assert str(EventCode("042", "043")) == "[042:043]" and str(EventCode("190")) == "[190]"
    assert EventCode(None).is_null and not EventCode(None, "051").is_null


def test_plover_of_code_by_root_with_080_to_083_conceding():
    from stance.events.codes import plover_of_code

    cases = {
        None: "",
        "": "",
        "0": "",
        "01": "",  # 01 has no PLOVER type
        "21": "",
        "05": "SUPPORT",
        "051": "SUPPORT",
        "08": "RETREAT",  # the root alone: its section's type
        "080": "CONCEDE",
        "083": "CONCEDE",
        "0831": "CONCEDE",
        "084": "RETREAT",
        "0841": "RETREAT",
        "08X": "RETREAT",
        "190": "ASSAULT",
        "1011": "REQUEST",
    }
    assert {code: plover_of_code(code) for code in cases} == cases


def test_quad_class_reads_the_first_two_characters():
    assert [quad_class(c) for c in ("12A", "0", "", None, "A1", "05x")] == [3, None, None, None,
                                                                          None, 1]  # fmt: skip


# ---------------------------------------------------------------- patterns


@pytest.mark.parametrize(
    ("body", "message", "unbalanced"),
    [
        ("* AID)", "a ')' out of place", True),
        ("* AID}", "a '}' out of place", True),
        ("* {AID", "an unclosed '{'", True),
        ("* (TO AID", "an unclosed '('", True),
        ("* (TO (AT))", "a '(' inside (...)", False),
        ("* ()", "a '(' that does not start with a preposition", False),
        ("* (}", "a '(' that does not start with a preposition", False),
        ("* (*)", "2 verb markers '*' (one is needed)", False),
        ("* ($)", "a '(' that does not start with a preposition", False),
        ("* {A (B)}", "'(' inside {...}", False),
        ("* {A )}", "')' inside {...}", False),
        ("* {A {B}}", "'{' inside {...}", False),
        ("* {+}", "'+' inside {...}", False),
        ("(TO *)", "a '*' out of place", False),
        ("{A *}", "'*' inside {...}", False),
        ("* ((TO))", "a '(' that does not start with a preposition", False),
        ("(* TO)", "a '(' that does not start with a preposition", False),
        ("AID", "0 verb markers '*' (one is needed)", False),
        ("* __", "no word in '__'", False),
    ],
)
def test_pattern_syntax_errors(body, message, unbalanced):
    with pytest.raises(PatternSyntaxError) as err:
        parse_pattern_body(body, {})
    assert (str(err.value), err.value.unbalanced) == (message, unbalanced)


def test_pattern_elements_and_oddities():
    synsets = {"&FIGHT": ((("FIGHT",),)), "&FIGHT_OF_WORDS": (("WAR", "OF", "WORDS"),)}
    before, after, oddities = parse_pattern_body(
        "$ &fight_of_words * (_to_ +) &FIGHT_CRIM ^ % A/B", synsets
    )
    assert before == (Slot("source"), Words((("WAR", "OF", "WORDS"),), ("&FIGHT_OF_WORDS",)))
    assert after == (
        Prep(("TO",), (Slot("target"),)),
        Words((("FIGHT", "CRIM"),), ("&FIGHT",)),
        Slot("skip"),
        Slot("compound"),
        Words((("A",), ("B",))),
    )
    assert oddities == ["lower-case letters (upper-cased)", "alternatives A/B in a pattern"]
    assert parse_pattern_body("X*", {})[2] == ["verb marker '*' joined to a word"]
    assert parse_pattern_body("*X", {})[2] == ["verb marker '*' joined to a word"]
    assert parse_pattern_body("* X", {})[2] == []
    assert parse_pattern_body("X *", {})[2] == []
    assert parse_pattern_body("*", {}) == ((), (), [])
    assert parse_pattern_body("* (_TAX_)", {})[1] == (Prep(("TAX",)),)
    assert parse_pattern_body("A_&FIGHT_B * (FOR/AT)", synsets)[0] == (
        Words((("A", "FIGHT", "B"),), ("&FIGHT",)),
    )
    with pytest.raises(UndefinedSynset) as err:
        parse_pattern_body("* &NOPE_X", synsets)
    assert err.value.args == ("&NOPE",)


# ---------------------------------------------------------------- the PLOVER table


def test_plover_table_every_field_and_count(tmp_path):
    path = _write(
        tmp_path,
        "# header\n"
        "011: OTHER  # before any section\n"
        "05: SUPPORT\n"
        "051: SUPPORT, , praise; endorse   # 19.01.21: a dated note\n"
        "052: SUPPORT, verbal\n"
        "052: SUPPORT\n"
        "052: SUPPORT  # 20.02.21: the same twice\n"
        "052: CONSULT\n"
        "17: COERCE\n"
        "191: COERCE, seize, ; # listed under 17\n"
        "172: SANCTION\n"
        "~~~~~\n"
        "21: OTHER\n"
        "~~~\n",
        "plover.txt",
    )
    table = read_plover_table(path)
    assert table.path == str(path)
    assert table.skipped == {"comment line": 1, "end marker (~~~)": 2}
    assert table.tolerated == {
        "code listed twice (first kept)": 2,
        "code listed twice with another type (first kept)": 1,
    }
    assert table.notes == {
        "dated note in the comment": 2,
        "neither mode nor context": 5,  # 011, 052 three times (copies count too) and 172
        "code listed under another root's section": 1,
        "type differs from its section's": 2,  # 052: CONSULT under 05, 172 under 17
    }
    assert table["051"] == PloverType(
        "051", "SUPPORT", None, ("praise", "endorse"), "19.01.21: a dated note", "plover.txt:4"
    )
    assert table["052"] == PloverType("052", "SUPPORT", "verbal", (), None, "plover.txt:5")
    assert table["191"] == PloverType(
        "191", "COERCE", "seize", (), "listed under 17", "plover.txt:10"
    )
    assert table["011"].where == "plover.txt:2"  # a code before any section
    assert list(table) == ["011", "05", "051", "052", "17", "191", "172", "21"]
    assert len(table) == 8


def test_plover_messages_in_full(tmp_path):
    cases = [
        ("05: SUPPORT\nfoo bar\n", 2, "not a 'CODE: TYPE, MODE, CONTEXT' line ('foo bar'); "
         "correct it or comment it out with '#'."),
        (f"x{LONG}\n", 1, f"not a 'CODE: TYPE, MODE, CONTEXT' line ({('x' + LONG)[:50]!r}); "
         "correct it or comment it out with '#'."),
        ("05: support\n", 1, "expected 'CODE: TYPE, MODE, CONTEXT' with an upper-case TYPE "
         "('05: support'); correct the line."),
        ("05: A, B, C, D\n", 1, "expected 'CODE: TYPE, MODE, CONTEXT' with an upper-case TYPE "
         "('05: A, B, C, D'); correct the line."),
        (f"05: a{LONG}\n", 1, "expected 'CODE: TYPE, MODE, CONTEXT' with an upper-case TYPE "
         f"({('05: a' + LONG)[:50]!r}); correct the line."),
    ]  # fmt: skip
    check_line_errors(read_plover_table, tmp_path / "plover.txt", cases)
    assert read_plover_table(_write(tmp_path, "05: A, B, C\n", "ok.txt"))["05"].contexts == ("C",)
    absent = tmp_path / "absent.txt"
    assert data_error(read_plover_table, absent).startswith("CAMEO-to-PLOVER table file ")
