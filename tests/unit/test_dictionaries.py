"""Actor and agent dictionary readers: the shipped Phoenix files (counted independently with
grep/awk) and small inline files for each construct and each malformed case."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from stance.actors.dictionaries import (
    ActorEntry,
    DatedCode,
    Phrase,
    code_kind,
    load_actor_file,
    read_actor_file,
    read_agent_file,
)
from stance.actors.dictionaries.phrases import parse_phrase, regular_plural
from stance.errors import DataError
from tests.conftest import corpus_folder


def _folder(data_home: Path) -> Path:
    return corpus_folder(data_home, "cameo_dictionaries")


def _write(tmp_path: Path, text: str, name: str = "test.actors.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ---------------------------------------------------------------- shipped files


def test_countries_file_counts(data_home):
    # Records: awk over the file, a record = a line that is not blank, not '#', not '+', not
    # '[' and not indented: 18,390. Of these 37 carry no code at all (awk: no '[' up to the
    # next primary line); 35 of them are directly followed by another primary line (a
    # synonym that lost its '+': LEONID_BREZHNEV_ / LEONID_ILYICH_BREZHNEV / ...) and are
    # merged into it, 2 are skipped: 18,390 - 37 = 18,353 entries.
    book = read_actor_file(_folder(data_home) / "Phoenix.Countries.actors.txt")
    assert len(book) == 18353
    assert book.skipped == {"comment line": 118, "record without a code": 2}
    assert book.tolerated == {
        "primary line without a code directly followed by another (merged)": 35,
        "empty word (repeated '_')": 5,  # +RAMCIEL___#..., ...
        "'_' next to a blank (read as a blank)": 10,
        "lower-case letters (upper-cased)": 5,
        "blank between '<'/'>' and the date": 9,  # grep -c '\[[A-Z]* [<>] ' -> 9
        "date of 7 digits": 1,  # [ARMUNR 9008223-911221]
        "date of 9 digits": 1,  # [GBRGOV >201005011]
        "date of 10 digits": 3,  # [IRQOCC 1920030320-20060520] x2, [SDNSSDAUT 1920050709-...]
        "date range ending before it starts (never applies)": 1,
        "stray ']' in a phrase (dropped)": 1,  # +FAEROYENE]_
        "date without '<' or '>' (read as >DATE)": 2,  # [MNEGOV 20121204], [USAGOV 19820101]
        "second default code (the first is kept)": 1,
        "date restriction on the primary line": 2,
    }
    assert book.encoding == "utf-8"  # 13 lines hold non-ASCII letters, all valid UTF-8
    assert book.kinds == {
        "country": 216,
        "country-role": 18116,
        "armed-group": 17,
        "igo": 2,
        "ngo": 0,
        "mnc": 0,
        "null": 2,  # AHMED_DARWISH_ [---] and one more explicit null
    }


def test_international_and_armed_group_files(data_home):
    folder = _folder(data_home)
    # awk as above: 7,841 primary lines, 3 without a code (2 merged, U.N._ skipped).
    international = read_actor_file(folder / "Phoenix.International.actors.txt")
    assert len(international) == 7838
    assert international.skipped == {"comment line": 37, "record without a code": 1}
    assert international.tolerated["date restriction on the primary line"] == 444
    assert international.tolerated["several codes on one line"] == 42
    assert international.tolerated["text after the code (read as a comment)"] == 3
    assert international.kinds == {
        "country": 22,
        "country-role": 25,
        "armed-group": 0,
        "igo": 671,
        "ngo": 2743,
        "mnc": 4377,
        "null": 0,
    }
    # 1,021 primary lines, each with a code; grep: 1,020 codes start with IMG or hold REB,
    # the other record is [WEU].
    armed = read_actor_file(folder / "Phoenix.MilNonState.actors.txt")
    assert len(armed) == 1021
    assert armed.kinds["armed-group"] == 1020 and armed.kinds["country"] == 1
    assert armed.skipped == {"comment line": 57}
    assert armed.tolerated == {"empty word (repeated '_')": 164}  # e.g. ABDULLAH_ANSHORI__


def test_agents_file_counts(data_home):
    # grep -v '^#' | grep -c '\[' -> 2,244 coded lines; 2 '!SET! =' lines; 1 line without a
    # code (ISLAMIC_EXTREMIST); 3 prefix roles ([IGO~]); 1 '[~ENV}'.
    agents = read_agent_file(_folder(data_home) / "Phoenix.agents.txt")
    assert len(agents) == 2244
    assert agents.positions == {"suffix": 2241, "prefix": 3}
    assert agents.substitutions == {
        "PERSON": ("MAN", "MEN", "WOMAN", "WOMEN", "PERSON"),
        "MINIST": ("MINISTER", "MINISTERS", "MINISTRY", "MINISTRIES"),
    }
    assert agents.skipped == {"comment line": 77, "line without a code": 1}
    assert agents.tolerated == {
        "mismatched bracket ([...})": 1,
        "'_' next to a blank (read as a blank)": 5,
        "empty word (repeated '_')": 4,
    }
    assert sum(len(entry.phrases) for entry in agents) == 5212
    by_phrase = {str(p): e for e in agents for p in e.phrases}
    assert by_phrase["POLICE_"].role == "COP"  # POLICE!PERSION! -> POLICEMAN, ... and plain
    assert by_phrase["CONGRESSWOMEN_"].role == "LEG"
    assert by_phrase["CHIEF EXECUTIVE_"].phrases[0].gaps == (0,)
    environment = by_phrase["DEPARMENT_OF_ENVIRONMENT_"]
    assert environment.combine("IRQ") == "IRQENV"


def test_load_is_cached_on_path_mtime_and_size(tmp_path):
    path = _write(tmp_path, "FRANCE_ [FRA]\n")
    first = load_actor_file(path)
    assert load_actor_file(path) is first
    path.write_text("FRANCE_ [FRA]\n+PARIS_\n", encoding="utf-8")
    assert len(load_actor_file(path).entries[0].phrases) == 2


# ---------------------------------------------------------------- actor grammar


def test_phrases_stems_and_underscores():
    assert parse_phrase("AFGHAN_").phrase == Phrase(("AFGHAN",), stem=False)
    assert parse_phrase("BAGRAM").phrase == Phrase(("BAGRAM",), stem=True)
    assert parse_phrase("AL_QAEDA").phrase == Phrase(("AL", "QAEDA"), stem=True)
    loose = parse_phrase("CHIEF EXECUTIVE_").phrase
    assert loose == Phrase(("CHIEF", "EXECUTIVE"), stem=False, gaps=(0,))
    assert str(loose) == "CHIEF EXECUTIVE_"
    odd = parse_phrase("RAMCIEL___")
    assert odd.phrase.words == ("RAMCIEL",) and odd.empty_words == 2


def test_record_with_synonyms_and_comments(tmp_path):
    path = _write(
        tmp_path,
        "# header\nAFGHANISTAN_  [AFG] # comment\n+AFGHAN\n+KABUL_ ; TABARI comment\n\n"
        "HAMID_KARZAI_  [AFGMIL]; CountryInfo.txt\n",
    )
    book = read_actor_file(path)
    afghanistan, karzai = book.entries
    assert afghanistan.phrases == (
        Phrase(("AFGHANISTAN",)),
        Phrase(("AFGHAN",), stem=True),
        Phrase(("KABUL",)),
    )
    assert afghanistan.code_on() == "AFG" and afghanistan.kind == "country"
    assert afghanistan.where == "test.actors.txt:2"
    assert karzai.default == "AFGMIL" and karzai.kind == "country-role"
    assert book.skipped == {"comment line": 1}


def test_date_restrictions_before_after_between_default(tmp_path):
    path = _write(
        tmp_path,
        "ABDUL_QADIR_  ; CountryInfo.txt\n"
        "\t[AFGELI 620101-780427]\n"  # six digits: 62 -> 1962
        "\t[AFGGOV 19780427-19780430]\n"  # eight digits, shares 1978-04-27 with the line above
        "\t[AFGREB <19620101]\n"
        "\t[AFGOPP >300101]\n"  # 30 -> 2030
        "\t[AFGELI]\n",
    )
    (entry,) = read_actor_file(path).entries
    assert entry.default == "AFGELI"
    assert entry.dated[0] == DatedCode("AFGELI", dt.date(1962, 1, 1), dt.date(1978, 4, 27))
    assert entry.dated[3] == DatedCode("AFGOPP", start=dt.date(2030, 1, 1))
    day = dt.date
    assert entry.code_on(day(1961, 12, 31)) == "AFGREB"
    # On 1962-01-01 both apply ('<' is inclusive): the restriction that starts later wins.
    assert entry.code_on(day(1962, 1, 1)) == "AFGELI"
    assert entry.code_on(day(1970, 5, 5)) == "AFGELI"
    assert entry.code_on(day(1978, 4, 27)) == "AFGGOV"  # handover day: the newer office
    assert entry.code_on(day(1978, 4, 30)) == "AFGGOV"  # inclusive end
    assert entry.code_on(day(1978, 5, 1)) == "AFGELI"  # no restriction: the default
    assert entry.code_on(day(2030, 1, 1)) == "AFGOPP"  # inclusive start
    assert entry.code_on(None) == "AFGOPP"  # no day: the most recent restriction


def test_no_default_and_null_codes(tmp_path):
    path = _write(
        tmp_path,
        "BARACK_OBAMA\n+OBAMA\n\t[USAELI 780101-000101]\n\t[USAGOV >090120]\n"
        "AHMED_DARWISH_\n\t[---]\n",
    )
    obama, darwish = read_actor_file(path).entries
    assert obama.default is None
    assert obama.code_on(dt.date(2005, 1, 1)) is None  # outside every restriction, no default
    assert obama.code_on(dt.date(2009, 1, 20)) == "USAGOV"
    assert obama.code_on() == "USAGOV"
    assert darwish.code_on() is None and darwish.kind == "null"


def test_two_digit_years_resolve_as_petrarch_does():
    entry = ActorEntry(
        (Phrase(("X",)),),
        None,
        (DatedCode("A", dt.date(1931, 1, 1), dt.date(2030, 12, 31)),),
        "x:1",
    )
    assert entry.code_on(dt.date(2000, 6, 1)) == "A"


def test_tolerated_oddities_are_counted(tmp_path):
    path = _write(
        tmp_path,
        "KOFI_ANNAN_\t[IGOUNO 970101-061231] [ELI]\n"  # TABARI: restriction on the primary line
        "\t[KORGOV > 20040101]\n"  # blank after '>'
        "\t[IGOUNO 1920030320-20060520]\n"  # 10 digits: the last eight (2003-03-20)
        "LEONID_BREZHNEV_\nLEONID_ILYICH_BREZHNEV\n\t[RUSGOV 641014-821110]\n",
    )
    book = read_actor_file(path)
    annan, brezhnev = book.entries
    assert annan.default == "ELI"
    assert annan.dated[2].start == dt.date(2003, 3, 20)
    assert [p.words for p in brezhnev.phrases] == [
        ("LEONID", "BREZHNEV"),
        ("LEONID", "ILYICH", "BREZHNEV"),
    ]
    assert book.tolerated == {
        "several codes on one line": 1,
        "date restriction on the primary line": 1,
        "blank between '<'/'>' and the date": 1,
        "date of 10 digits": 1,
        "primary line without a code directly followed by another (merged)": 1,
    }


def test_code_kinds():
    assert code_kind("USA") == "country"
    assert code_kind("USAGOV") == "country-role"
    assert code_kind("IGOUNO") == "igo"
    assert code_kind("NGOHRIAMN") == "ngo"
    assert code_kind("MNCUSA") == "mnc"
    assert code_kind("YEMREB") == "armed-group"
    assert code_kind("IMGMUSALQ") == "armed-group"
    assert code_kind(None) == "null"


def test_latin1_fallback_is_counted(tmp_path):
    path = tmp_path / "old.actors.txt"
    path.write_bytes("C\xd4TE_D'IVOIRE_ [CIV]\n".encode("latin-1"))
    book = read_actor_file(path)
    assert book.encoding == "latin-1"
    assert book.tolerated["not UTF-8 (read as latin-1)"] == 1
    assert book.entries[0].phrases[0].words == ("CÔTE", "D'IVOIRE")


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("\t[USAGOV >090120]\nOBAMA_\n", 1, "date restriction before any primary phrase"),
        ("+OBAMA_\n", 1, "synonym before any primary phrase"),
        ("OBAMA_ [USAGOV\n", 1, "unclosed"),
        ("OBAMA_\n\t[USAGOV >0901]\n", 2, "date of 4 digits"),
        ("OBAMA_\n\t[USAGOV 20090231-20100101]\n", 2, "no such date"),
        ("OBAMA_\n\t[USAGOV since 2009]\n", 2, "unreadable date restriction"),
        ("OBAMA_ [USA] [GOV] x [ELI]\n", 1, "text between two codes"),
    ],
)
def test_malformed_actor_lines_raise_one_line(tmp_path, text, line, problem):
    path = _write(tmp_path, text)
    with pytest.raises(DataError, match=rf"^test\.actors\.txt:{line}: .*{problem}") as error:
        read_actor_file(path)
    assert "\n" not in str(error.value)


def test_missing_file_is_one_line(tmp_path):
    with pytest.raises(DataError, match="not found"):
        read_actor_file(tmp_path / "absent.txt")


# ---------------------------------------------------------------- agent grammar


def test_agents_plurals_roles_and_substitutions(tmp_path):
    path = _write(
        tmp_path,
        "<!-- PETRARCH VALIDATION SUITE AGENTS DICTIONARY -->\n"
        "!PERSON! = MAN, MEN, WOMAN , WOMEN, PERSON\n"
        "FARMER [~AGR]\n"  # + S
        "MILITIA [~REB]\n"  # regular
        "BOSS [~BUS]\n"  # SS -> ES
        "AUTHORITY [~GOV]\n"  # consonant + Y -> IES
        "ENVOY [~GOV]\n"  # vowel + Y -> S
        "ATTORNEY_GENERAL {ATTORNEYS_GENERAL} [~GOVATG]\n"  # irregular plural
        "POLICE {} [~COP]\n"  # no plural
        "MUKHABARAT_ [~SPY]\n"  # trailing '_': no plural
        "CONGRESS!PERSON! [~LEG]\n"  # substitution, no plural
        "HUMAN_RIGHTS_BODY [NGO~] # BNL 07 Dec 2001\n"
        "STATE_RUN TELEVISION [~GOVMED]\n"  # a blank: words may come in between
        "DEPARMENT_OF_ENVIRONMENT [~ENV}\n"
        "ISLAMIC_EXTREMIST\n",
        name="test.agents.txt",
    )
    book = read_agent_file(path)
    forms = {e.phrases[0].words[-1]: [" ".join(p.words) for p in e.phrases] for e in book}
    assert forms["FARMER"] == ["FARMER", "FARMERS"]
    assert forms["BOSS"] == ["BOSS", "BOSSES"]
    assert forms["AUTHORITY"] == ["AUTHORITY", "AUTHORITIES"]
    assert forms["ENVOY"] == ["ENVOY", "ENVOYS"]
    assert forms["GENERAL"] == ["ATTORNEY GENERAL", "ATTORNEYS GENERAL"]
    assert forms["POLICE"] == ["POLICE"]
    assert forms["MUKHABARAT"] == ["MUKHABARAT"]
    assert forms["CONGRESSMAN"] == [
        "CONGRESSMAN",
        "CONGRESSMEN",
        "CONGRESSWOMAN",
        "CONGRESSWOMEN",
        "CONGRESSPERSON",
    ]
    body = next(e for e in book if e.role == "NGO")
    assert body.position == "prefix" and body.combine("IRQ") == "NGOIRQ"
    television = next(e for e in book if e.role == "GOVMED")
    assert television.phrases[0] == Phrase(("STATE", "RUN", "TELEVISION"), gaps=(1,))
    assert all(not p.stem for e in book for p in e.phrases)
    assert book.skipped == {"line without a code": 1}
    assert book.tolerated == {"mismatched bracket ([...})": 1}
    assert regular_plural("MILITARY") == "MILITARIES"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("POLICE [~COP\n", "unclosed '\\['"),
        ("POLICE {POLICEMEN [~COP]\n", "unclosed '{'"),
        ("POLICE!PERSON [~COP]\n!PERSON! = MAN\n", "unclosed !SET! marker"),
        ("POLICE [~COP~]\n", "unreadable role code"),
        ("!PERSON! = \n", "empty substitution set"),
        ("POLICE [~COP] extra\n", "text after the role code"),
    ],
)
def test_malformed_agent_lines_raise_one_line(tmp_path, text, problem):
    path = _write(tmp_path, text, name="test.agents.txt")
    with pytest.raises(DataError, match=rf"^test\.agents\.txt:1: .*{problem}"):
        read_agent_file(path)


def test_undefined_substitution_set_is_skipped_and_counted(tmp_path):
    path = _write(tmp_path, "SPOKES!PERSON! [~GOV]\n", name="test.agents.txt")
    book = read_agent_file(path)
    assert len(book) == 0 and book.skipped == {"undefined substitution set": 1}
