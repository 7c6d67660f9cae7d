"""CAMEO dictionary readers, the details: every error message in full, every count by reason
when it occurs twice, comments, dates, phrases and the load caches (issue 27)."""

from __future__ import annotations

import datetime as dt
import os
from collections import Counter
from pathlib import Path

import pytest

from stance.actors.dictionaries import (
    ActorEntry,
    DatedCode,
    Phrase,
    code_kind,
    load_actor_file,
    load_agent_file,
    read_actor_file,
    read_agent_file,
)
from stance.actors.dictionaries.dates import dated_code, read_date
from stance.actors.dictionaries.lines import TextLine, read_text_lines
from stance.actors.dictionaries.phrases import ParsedPhrase, parse_phrase, regular_plural
from stance.errors import DataError
from tests.errors import check_line_errors, data_error

PUT = "put it under a primary phrase line (PHRASE_ [CODE]) or remove it."
DATE_FIX = "correct the date (YYYYMMDD or YYMMDD)."
LONG = "A" * 70  # longer than the 60 characters a message quotes


def _write(folder: Path, text: str, name: str = "test.actors.txt") -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- dates


def test_dates_of_six_and_eight_digits_and_the_century_rule():
    tolerated: Counter[str] = Counter()
    assert read_date("300101", "f:1", "x", tolerated) == dt.date(2030, 1, 1)
    assert read_date("310101", "f:1", "x", tolerated) == dt.date(1931, 1, 1)
    assert read_date("19991231", "f:1", "x", tolerated) == dt.date(1999, 12, 31)
    assert tolerated == {}


def test_dates_of_other_lengths_are_tolerated_and_counted():
    tolerated: Counter[str] = Counter()
    assert read_date("9008223", "f:1", "x", tolerated) == dt.date(1990, 8, 22)  # YYMMDD + 1
    assert read_date("1920030320", "f:1", "x", tolerated) == dt.date(2003, 3, 20)  # last eight
    assert read_date("201005011", "f:1", "x", tolerated) == dt.date(2010, 5, 1)  # first eight
    assert read_date("201005019", "f:1", "x", tolerated) == dt.date(2010, 5, 1)
    assert tolerated == {"date of 7 digits": 1, "date of 10 digits": 1, "date of 9 digits": 2}


@pytest.mark.parametrize(
    ("digits", "problem"),
    [
        ("20101", "a date of 5 digits"),
        ("123456", "no such date 123456"),
        ("20100231", "no such date 20100231"),
        ("1399999999", "no such date 13999999"),  # neither the last nor the first eight
        ("201302310", "no such date 20130231"),
    ],
)
def test_unreadable_dates_name_the_line_and_the_fix(digits, problem):
    text = f"  [X {digits}] {LONG}"
    assert data_error(read_date, digits, "f:7", text, Counter()) == (
        f"f:7: {problem} ({text.strip()[:60]!r}); {DATE_FIX}"
    )


def test_date_restrictions_and_their_oddities():
    tolerated: Counter[str] = Counter()
    day = dt.date

    def read(restriction: str) -> DatedCode:
        return dated_code("C", restriction, "f:1", restriction, tolerated)

    assert read("<19990101") == DatedCode("C", end=day(1999, 1, 1))
    assert read(">19990101") == DatedCode("C", start=day(1999, 1, 1))
    assert read("19990101") == DatedCode("C", start=day(1999, 1, 1))  # read as >DATE
    assert read("990101") == DatedCode("C", start=day(1999, 1, 1))
    assert read("< 19990101") == DatedCode("C", end=day(1999, 1, 1))
    assert read(">  990101") == DatedCode("C", start=day(1999, 1, 1))
    assert read("990101 - 000101") == DatedCode("C", day(1999, 1, 1), day(2000, 1, 1))
    assert read("000101-990101") == DatedCode("C", day(2000, 1, 1), day(1999, 1, 1))
    assert read("000101-000101") == DatedCode("C", day(2000, 1, 1), day(2000, 1, 1))
    assert read("100101-0001019") == DatedCode("C", day(2010, 1, 1), day(2000, 1, 1))
    assert tolerated == {
        "date without '<' or '>' (read as >DATE)": 2,
        "blank between '<'/'>' and the date": 2,
        "date range ending before it starts (never applies)": 2,
        "date of 7 digits": 1,
    }


def test_an_unreadable_restriction_names_the_line():
    text = f"[C since 2009] {LONG}"
    assert data_error(dated_code, "C", "since 2009", "f:3", text, Counter()) == (
        f"f:3: an unreadable date restriction ({text[:60]!r}); write <DATE, >DATE or DATE-DATE."
    )
    assert data_error(dated_code, "C", "990101-0231", "f:4", "t", Counter()) == (
        f"f:4: a date of 4 digits ('t'); {DATE_FIX}"
    )
    assert data_error(dated_code, "C", "0231-990101", "f:5", "t", Counter()) == (
        f"f:5: a date of 4 digits ('t'); {DATE_FIX}"
    )


# ---------------------------------------------------------------- lines and comments


def test_comments_are_removed_as_petrarch_does(tmp_path):
    path = tmp_path / "d.txt"
    path.write_bytes(
        "\ufeffA # one\r\n"
        "B <!-- x --> C <!-- y --> D\n"
        "E <!-- open\n"
        "still open\n"
        "closed --> F # two #three\n"
        "a < b\n"
        "<!-- -->G<!-- a\n"
        "--> H\n"
        "#\n".encode()
    )
    lines, encoding = read_text_lines(path)
    assert encoding == "utf-8"
    assert lines == [
        TextLine(1, "A", "one"),
        TextLine(2, "B  C  D", None),
        TextLine(3, "E", None),
        TextLine(4, "", None),
        TextLine(5, " F", "two #three"),
        TextLine(6, "a < b", None),
        TextLine(7, "G", None),
        TextLine(8, " H", None),
        TextLine(9, "", ""),
    ]


def test_a_comment_closed_on_a_later_line_after_an_arrow(tmp_path):
    path = tmp_path / "d.txt"
    path.write_text("X <!-- a --\nb --> Y --> Z\n", encoding="utf-8")
    assert read_text_lines(path)[0] == [TextLine(1, "X", None), TextLine(2, " Y --> Z", None)]


def test_a_comment_closes_only_after_it_opens_and_a_line_may_start_with_the_close(tmp_path):
    path = tmp_path / "d.txt"
    path.write_text("<!--> still a comment\n-->WORD #note\nX #y\n", encoding="utf-8")
    assert read_text_lines(path)[0] == [
        TextLine(1, "", None),
        TextLine(2, "WORD", "note"),
        TextLine(3, "X", "y"),
    ]


def test_latin1_files_and_unreadable_ones(tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes("C\xd4TE # \xe9t\xe9\n".encode("latin-1"))
    assert read_text_lines(path) == ([TextLine(1, "CÔTE", "été")], "latin-1")
    absent = tmp_path / "absent.txt"
    assert data_error(read_text_lines, absent) == (
        f"dictionary file {str(absent)!r} not found; check the path (or STANCE_DATA_HOME)."
    )
    assert data_error(read_text_lines, tmp_path) == (
        f"dictionary file {str(tmp_path)!r} cannot be read (Is a directory); check its permissions."
    )
    assert data_error(read_actor_file, absent).startswith("actor dictionary file ")
    assert data_error(read_agent_file, absent).startswith("agent dictionary file ")


# ---------------------------------------------------------------- phrases


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("AL_QAEDA_", ParsedPhrase(Phrase(("AL", "QAEDA")), True, 0, 0, False)),
        (" BAGRAM ", ParsedPhrase(Phrase(("BAGRAM",), stem=True), False, 0, 0, False)),
        ("al_qaeda", ParsedPhrase(Phrase(("AL", "QAEDA"), stem=True), False, 0, 0, True)),
        ("CHIEF EXECUTIVE_", ParsedPhrase(Phrase(("CHIEF", "EXECUTIVE"), gaps=(0,)), True, 0, 0,
                                          False)),
        ("A B_C D", ParsedPhrase(Phrase(("A", "B", "C", "D"), stem=True, gaps=(0, 2)), False, 0,
                                 0, False)),
        ("FOR_ YOUTH_", ParsedPhrase(Phrase(("FOR", "YOUTH"), gaps=(0,)), True, 0, 1, False)),
        ("FOR _YOUTH", ParsedPhrase(Phrase(("FOR", "YOUTH"), stem=True, gaps=(0,)), False, 0, 1,
                                    False)),
        ("A_ _B_ C", ParsedPhrase(Phrase(("A", "B", "C"), stem=True, gaps=(0, 1)), False, 0, 3,
                                  False)),
        ("__A__B", ParsedPhrase(Phrase(("A", "B"), stem=True), False, 3, 0, False)),
        ("RAMCIEL___", ParsedPhrase(Phrase(("RAMCIEL",)), True, 2, 0, False)),
        ("X Y_ _", ParsedPhrase(Phrase(("X", "Y"), gaps=(0,)), True, 0, 2, False)),
        ("_ A", ParsedPhrase(Phrase(("A",), stem=True), False, 1, 1, False)),  # no gap before A
    ],
)  # fmt: skip
def test_phrases_parse_to_words_gaps_and_oddities(text, parsed):
    assert parse_phrase(text) == parsed


def test_a_phrase_without_words_and_phrases_as_text():
    with pytest.raises(ValueError, match=r"^no word in phrase ' _ '$"):
        parse_phrase(" _ ")
    assert str(Phrase(("CHIEF", "EXECUTIVE"), gaps=(0,))) == "CHIEF EXECUTIVE_"
    assert str(Phrase(("AFGHAN",), stem=True)) == "AFGHAN"
    assert str(Phrase(("A", "B", "C"), stem=True, gaps=(1,))) == "A_B C"


@pytest.mark.parametrize(
    ("word", "plural"),
    [("Y", "YS"), ("AY", "AYS"), ("BY", "BIES"), ("SS", "SSES"), ("S", "SS"), ("BUS", "BUSS")],
)
def test_regular_plurals_of_short_words(word, plural):
    assert regular_plural(word) == plural


# ---------------------------------------------------------------- actor files


def test_code_kinds_by_shape():
    kinds = {
        "USAG": "country-role",
        "ABC": "country",
        "NGMXYZ": "ngo",
        "USAGOVREB": "armed-group",  # a role group in third place
        "USAXREBX": "country-role",  # REB not on a group boundary
        "USAGOVINSX": "armed-group",
        "USAGOVELI": "country-role",
        "IMG": "armed-group",
    }
    assert {code: code_kind(code) for code in kinds} == kinds


def test_actor_messages_in_full(tmp_path):
    cases = [
        ("\t[USAGOV >090120]\n", 1, f"a date restriction before any primary phrase "
         f"('[USAGOV >090120]'); {PUT}"),
        ("+OBAMA_\n", 1, f"a synonym before any primary phrase ('+OBAMA_'); {PUT}"),
        ("OBAMA_ [USAGOV\n", 1, "an unclosed '[' ('[USAGOV'); write codes as [CODE] or "
         "[CODE DATE]."),
        ("OBAMA_\n\t[X [USAGOV >090120]\n", 2, "an unclosed '[' ('[X [USAGOV >090120]'); write "
         "codes as [CODE] or [CODE DATE]."),
        ("OBAMA_ [USA] [GOV] x [ELI]\n", 1, "text between two codes ('[USA] [GOV] x [ELI]'); "
         "put each code in its own [...]."),
        ("OBAMA_\n\t[US$ >090120] [X]\n", 2, "an unreadable code ('[US$ >090120] [X]'); write "
         "[CODE] with letters and digits."),
        ("OBAMA_\n\t[USAGOV 20090231-20100101]\n", 2, "no such date ('[USAGOV "
         f"20090231-20100101]'); {DATE_FIX}"),
        ("OBAMA_\n\t[USAGOV 20100101-20090231]\n", 2, "no such date ('[USAGOV "
         f"20100101-20090231]'); {DATE_FIX}"),
        ("OBAMA_\n\t[USAGOV >20090231]\n", 2, f"no such date ('[USAGOV >20090231]'); {DATE_FIX}"),
        ("OBAMA_\n+[USA]\n", 2, "a line without a phrase (''); write the phrase before its code."),
        ("OBAMA_\n\t[USAGOV 20090231] [X]\n", 2, "no such date 20090231 ('[USAGOV 20090231] "
         f"[X]'); {DATE_FIX}"),
        ("OBAMA_\n\t[USAGOV >20090231] [X] ; [Y]\n", 2, "no such date 20090231 "
         f"('[USAGOV >20090231] [X]'); {DATE_FIX}"),
        (f"OBAMA_\n+[USA] {LONG}\n", 2, "a line without a phrase (''); write the phrase before "
         "its code."),
        (f"[X] [Y] {LONG}\n", 1, f"a date restriction before any primary phrase "
         f"({('[X] [Y] ' + LONG)[:60]!r}); {PUT}"),
    ]  # fmt: skip
    check_line_errors(read_actor_file, tmp_path / "test.actors.txt", cases)


def test_actor_oddities_counted_twice(tmp_path):
    path = _write(
        tmp_path,
        "a_b_ [AAA] [BBB]\n"  # lower case; a second default (the first kept); several codes
        "\t[CCC] x ; y ; z\n"  # a third default; text after a code
        "\t[DDD 19820101] [EEE >19820101]\n"  # no sign; several codes
        "+FAEROYENE]_ [FFF]\n"  # stray ']'; a code on a synonym (a fourth default)
        "  +SYN_X\n"  # indented synonym, after restriction lines
        "  SECOND_ [GGG >900101]\n"  # indented primary; a restriction on the primary line
        "\t[HHH 19820101]\n"  # the simple form without a sign
        "+A]B_ [III >900101]\n"  # stray ']'; a code on a synonym
        "\t[JJJ 20100101-20000101]\n"  # ends before it starts
        "\t[KKK 20100101-20000101] [LLL]\n"
        "[MMM]\n"  # not indented
        "THIRD_ [NNN >900101] [OOO]\n"
        "[PPP]\n"
        "c_d_\n"
        "E___F_ [QQQ]\n"
        "\n"
        "LOST_\n"  # no code, not directly followed: skipped
        "\n"
        "G _H_ [RRR]\n"
        "I_ J_ [SSS]\n",
    )
    book = read_actor_file(path)
    assert book.path == str(path)
    assert book.skipped == {"record without a code": 1}
    assert book.tolerated == {
        "lower-case letters (upper-cased)": 2,
        "second default code (the first is kept)": 5,
        "several codes on one line": 4,
        "text after the code (read as a comment)": 1,
        "date without '<' or '>' (read as >DATE)": 2,
        "stray ']' in a phrase (dropped)": 2,
        "code on a synonym line (applied to the record)": 2,
        "indented synonym line": 1,
        "synonym after restriction lines": 3,
        "indented primary phrase": 1,
        "date restriction on the primary line": 2,
        "date range ending before it starts (never applies)": 2,
        "restriction line not indented": 2,
        "primary line without a code directly followed by another (merged)": 1,
        "empty word (repeated '_')": 1,
        "'_' next to a blank (read as a blank)": 2,
    }
    first, second, third, fourth, fifth, sixth = book.entries
    assert first.default == "AAA"
    assert first.phrases == (
        Phrase(("A", "B")),
        Phrase(("FAEROYENE",)),
        Phrase(("SYN", "X"), stem=True),
    )
    assert first.dated == (
        DatedCode("DDD", dt.date(1982, 1, 1)),
        DatedCode("EEE", dt.date(1982, 1, 1)),
    )
    assert second.where == "test.actors.txt:6"
    assert second.default == "LLL"  # [MMM] came second
    assert second.dated[:2] == (
        DatedCode("GGG", dt.date(1990, 1, 1)),
        DatedCode("HHH", dt.date(1982, 1, 1)),
    )
    assert second.phrases[1] == Phrase(("AB",))
    assert third.default == "OOO" and third.dated == (DatedCode("NNN", dt.date(1990, 1, 1)),)
    assert [p.words for p in fourth.phrases] == [("C", "D"), ("E", "F")]
    assert fourth.where == "test.actors.txt:14"
    assert fifth.phrases == (Phrase(("G", "H"), gaps=(0,)),)
    assert sixth.phrases == (Phrase(("I", "J"), gaps=(0,)),)
    assert list(book) == list(book.entries) and len(book) == 6


def test_a_semicolon_ends_the_line_at_its_first_occurrence(tmp_path):
    book = read_actor_file(_write(tmp_path, "A_ [AAA] ; one ; [BBB]\n"))
    assert book.entries[0].default == "AAA" and book.tolerated == {}


def test_which_code_applies_on_a_day():
    day = dt.date
    entry = ActorEntry(
        (Phrase(("X",)),),
        "DEF",
        (
            DatedCode("OLD", None, day(2000, 1, 1)),
            DatedCode("MID", day(1990, 1, 1), day(2010, 1, 1)),
            DatedCode("NEW", day(1990, 1, 1), None),
        ),
        "x:1",
    )
    assert entry.code_on(day(1980, 1, 1)) == "OLD"
    assert entry.code_on(day(1995, 1, 1)) == "NEW"  # same start as MID: the later line wins
    assert entry.code_on(None) == "NEW"  # open end counts as the latest
    undated = ActorEntry((Phrase(("X",)),), "DEF", (), "x:1")
    assert undated.code_on(day(1995, 1, 1)) == "DEF" and undated.kind == "country"


def _rewrite(path: Path, text: str, mtime_ns: int) -> None:
    path.write_text(text, encoding="utf-8")
    os.utime(path, ns=(mtime_ns, mtime_ns))


@pytest.mark.parametrize(
    ("load", "first", "same_size", "longer", "name"),
    [
        (load_actor_file, "AAA_ [AAA]\n", "BBB_ [BBB]\n", "CCCC_ [CCC]\n", "a.actors.txt"),
        (load_agent_file, "AAA [~AAA]\n", "BBB [~BBB]\n", "CCCC [~CCC]\n", "a.agents.txt"),
    ],
)
def test_loads_are_cached_on_path_mtime_and_size(tmp_path, load, first, same_size, longer, name):
    path = tmp_path / name
    _rewrite(path, first, 10**18)
    book = load(path)
    assert load(path) is book and load(str(path)) is book
    assert load(tmp_path / "." / name) is book  # the resolved path is the key
    assert book.path == str(path.resolve())
    _rewrite(path, same_size, 2 * 10**18)  # same size, newer: read again
    changed = load(path)
    assert changed is not book and changed.entries[0].phrases != book.entries[0].phrases
    _rewrite(path, longer, 2 * 10**18)  # same time, other size: read again
    assert load(path).entries[0].phrases != changed.entries[0].phrases
    with pytest.raises(DataError, match="file .*absent.txt' not found"):
        load(tmp_path / "absent.txt")


# ---------------------------------------------------------------- agent files


def test_agent_messages_in_full(tmp_path):
    cases = [
        ("POLICE [~COP\n", "an unclosed '[' ('POLICE [~COP'); close the role code: [~ROLE]."),
        ("POLICE {POLICEMEN [~COP]\n", "an unclosed '{' ('POLICE {POLICEMEN [~COP]'); close the "
         "plural: PHRASE {PLURAL} [~ROLE]."),
        ("POLICE} [~COP]\n", "an unclosed '{' ('POLICE} [~COP]'); close the plural: PHRASE "
         "{PLURAL} [~ROLE]."),
        ("POLICE!PERSON [~COP]\n", "an unclosed !SET! marker ('POLICE!PERSON [~COP]'); write the "
         "marker as !SET!."),
        ("POLICE {A!B} [~COP]\n", "an unclosed !SET! marker ('POLICE {A!B} [~COP]'); write the "
         "marker as !SET!."),
        ("POLICE [~COP~]\n", "an unreadable role code [~COP~] ('POLICE [~COP~]'); write [~ROLE] "
         "or [ROLE~]."),
        ("POLICE [~]\n", "an unreadable role code [~] ('POLICE [~]'); write [~ROLE] or [ROLE~]."),
        ("!PERSON! = \n", "an empty substitution set ('!PERSON! ='); list members: !SET! = A, B."),
        ("POLICE [~COP] extra\n", "text after the role code ('POLICE [~COP] extra'); put comments "
         "after '#'."),
        ("POLICE ] x\n", "a ']' without '[' ('POLICE ] x'); write the role as [~ROLE]."),
        ("POLICE {A} B [~COP]\n", "text after the {plural} ('POLICE {A} B [~COP]'); write PHRASE "
         "{PLURAL} [~ROLE]."),
        ("[~COP]\n", "a line without a phrase ('[~COP]'); write the phrase before its [~ROLE]."),
        ("_ {} [~COP]\n", "a line without a phrase ('_ {} [~COP]'); write the phrase before its "
         "[~ROLE]."),
        ("A {_} [~COP]\n", "a line without a phrase ('A {_} [~COP]'); write the phrase before "
         "its [~ROLE]."),
        ("!S! = _\n!S! [~C]\n", "a line without a phrase ('!S! [~C]'); write the phrase "
         "before its [~ROLE]."),
        (f"{LONG} [~COP] extra\n", f"text after the role code ({(LONG + ' [~COP] extra')[:60]!r})"
         "; put comments after '#'."),
    ]  # fmt: skip
    check_line_errors(
        read_agent_file, tmp_path / "test.agents.txt", [(t, t.count("\n"), m) for t, m in cases]
    )


def test_agent_oddities_counted_twice(tmp_path):
    path = _write(
        tmp_path,
        "# a comment\n"
        "!person! = MAN, , woman\n"
        "!PERSON! = MAN, WOMAN\n"  # redefined (the later kept)
        "!PERSON! = MAN, WOMAN, CHILD\n"
        "police [~cop]\n"  # lower case; no '~'? no: a suffix role, upper-cased
        "GUARD [SEC]\n"  # no '~'
        "WATCH [SEC}\n"  # no '~'; a mismatched bracket
        "ENVOY [~G}\n"  # one-letter role; a mismatched bracket
        "LEGATE [G~]\n"  # a one-letter prefix role
        "UNDEFINED!NOPE! [~X]\n"
        "UNDEFINED!NOPE! [~X]\n"
        "LONE_WORD\n"
        "LONE_WORD\n"
        "SPOKES!PERSON! {SPOKES!PERSON!S} [IGO~]\n"
        "A__B [~AB]\n"
        "C_ D [~CD]\n"
        "e {eS} [~E]\n",
        "test.agents.txt",
    )
    book = read_agent_file(path)
    assert book.path == str(path)
    assert book.encoding == "utf-8"
    assert book.substitutions == {"PERSON": ("MAN", "WOMAN", "CHILD")}
    assert book.skipped == {
        "comment line": 1,
        "undefined substitution set": 2,
        "line without a code": 2,
    }
    assert book.tolerated == {
        "substitution set redefined (the later kept)": 2,
        "lower-case letters (upper-cased)": 3,
        "role code without '~' (read as ~CODE)": 2,
        "mismatched bracket ([...})": 2,
        "empty word (repeated '_')": 1,
        "'_' next to a blank (read as a blank)": 1,
    }
    entries = {entry.where: entry for entry in book}
    assert [(e.role, e.position) for e in book] == [
        ("COP", "suffix"),
        ("SEC", "suffix"),
        ("SEC", "suffix"),
        ("G", "suffix"),
        ("G", "prefix"),
        ("IGO", "prefix"),
        ("AB", "suffix"),
        ("CD", "suffix"),
        ("E", "suffix"),
    ]
    assert book.positions == {"suffix": 7, "prefix": 2}
    spokes = entries["test.agents.txt:14"]
    assert [str(p) for p in spokes.phrases] == [
        "SPOKESMAN_",
        "SPOKESWOMAN_",
        "SPOKESCHILD_",
        "SPOKESMANS_",
        "SPOKESWOMANS_",
        "SPOKESCHILDS_",
    ]
    assert spokes.combine("IRQ") == "IGOIRQ" and entries["test.agents.txt:5"].combine("IRQ") == (
        "IRQCOP"
    )
    assert [str(p) for p in entries["test.agents.txt:5"].phrases] == ["POLICE_", "POLICES_"]
    assert [str(p) for p in entries["test.agents.txt:16"].phrases] == ["C D_", "C DS_"]
    assert [str(p) for p in entries["test.agents.txt:17"].phrases] == ["E_", "ES_"]
    assert list(book) == list(book.entries) and len(book) == 9


def test_a_latin1_agent_file_is_counted(tmp_path):
    path = tmp_path / "old.agents.txt"
    path.write_bytes("CH\xc9F [~GOV]\n".encode("latin-1"))
    book = read_agent_file(path)
    assert (book.encoding, book.tolerated) == ("latin-1", {"not UTF-8 (read as latin-1)": 1})
    assert book.entries[0].phrases[0].words == ("CHÉF",)


def test_undated_lookup_takes_the_latest_start_when_the_ends_tie():
    entry = ActorEntry(
        (Phrase(("PUTIN",)),),
        "RUSELI",
        (DatedCode("RUSGOV", dt.date(2008, 5, 8)), DatedCode("RUSELI", dt.date(2000, 1, 1))),
        "x:1",
    )
    assert entry.code_on(None) == "RUSGOV"  # both open-ended: 2008 starts later than 2000
    assert entry.code_on(dt.date(2010, 1, 1)) == "RUSGOV"


def test_null_codes_and_codes_after_a_second_default(tmp_path):
    path = _write(
        tmp_path,
        "NOBODY_ [-]\nSOMEONE_ [--- <19900101] [USA]\nOTHER_ [AAA] [BBB] [CCC >19900101]\n",
    )
    nobody, someone, other = read_actor_file(path).entries
    assert (nobody.default, nobody.dated) == (None, ())
    assert (someone.default, someone.dated) == ("USA", (DatedCode(None, end=dt.date(1990, 1, 1)),))
    assert (other.default, other.dated) == ("AAA", (DatedCode("CCC", dt.date(1990, 1, 1)),))


def test_indented_lines_and_stray_brackets_counted_twice(tmp_path):
    path = _write(
        tmp_path,
        "  FIRST_ [AAA]\n"
        "  +ONE_\n"
        "\t+TWO_\n"
        "\tSECOND]_ [BBB]\n"  # indented, with a stray ']'
        "THIRD_\n"
        "FOURTH]_ [CCC]\n",  # a primary without a code directly followed: merged, stray ']'
    )
    book = read_actor_file(path)
    assert book.tolerated == {
        "indented primary phrase": 2,
        "indented synonym line": 2,
        "stray ']' in a phrase (dropped)": 2,
        "primary line without a code directly followed by another (merged)": 1,
    }
    assert [e.default for e in book.entries] == ["AAA", "BBB", "CCC"]
    assert book.entries[2].phrases == (Phrase(("THIRD",)), Phrase(("FOURTH",)))


def test_messages_name_synonym_merged_and_primary_lines(tmp_path):
    no_phrase = "a line without a phrase ('_'); write the phrase before its code."
    cases = [
        ("OBAMA_ [USA]\n+BARACK_ [USAGOV >20090231]\n", 2,
         f"no such date ('[USAGOV >20090231]'); {DATE_FIX}"),
        ("OBAMA_\nBARACK_OBAMA_ [USAGOV >20090231]\n", 2,
         f"no such date ('[USAGOV >20090231]'); {DATE_FIX}"),
        ("OBAMA_\n_ [USA]\n", 2, no_phrase),
        ("OBAMA_ [USA]\n\n_ [USA]\n", 3, no_phrase),
    ]  # fmt: skip
    check_line_errors(read_actor_file, tmp_path / "test.actors.txt", cases)


def test_a_stat_cache_built_at_test_time(tmp_path, monkeypatch):
    # the loaders above are built when the module is imported; this one is built here, so a
    # change to cached_on_stat shows in this test (mutation testing runs it after the import)
    from stance.actors.dictionaries.lines import cached_on_stat

    calls = []

    def read(path):
        calls.append(path)
        if not Path(path).is_file():
            raise DataError(f"no file {path}")
        return Path(path).read_text(encoding="utf-8")

    load = cached_on_stat(read, maxsize=4)
    path = tmp_path / "a.txt"
    _rewrite(path, "one\n", 10**18)
    monkeypatch.chdir(tmp_path)
    assert load("a.txt") == load(path) == load(tmp_path / "." / "a.txt") == "one\n"
    assert calls == [str(path)]  # read once, by the resolved path
    _rewrite(path, "two\n", 2 * 10**18)  # same size, newer
    assert load(path) == "two\n" and len(calls) == 2
    _rewrite(path, "three\n", 2 * 10**18)  # same time, longer
    assert load(path) == "three\n" and len(calls) == 3
    assert data_error(load, "gone.txt") == "no file gone.txt"  # as given, not resolved
    assert calls[-1] == "gone.txt"


def test_backward_ranges_in_the_simple_form_are_counted_each(tmp_path):
    path = _write(
        tmp_path,
        "A_ [AAA]\n\t[BBB 20100101-20000101]\n\t[CCC 20100101-20000101]\n",
    )
    book = read_actor_file(path)
    assert book.tolerated == {"date range ending before it starts (never applies)": 2}
    assert book.entries[0].dated == (
        DatedCode("BBB", dt.date(2010, 1, 1), dt.date(2000, 1, 1)),
        DatedCode("CCC", dt.date(2010, 1, 1), dt.date(2000, 1, 1)),
    )
