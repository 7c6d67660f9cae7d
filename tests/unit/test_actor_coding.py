"""Actors coded CAMEO style: roots, roles, role nouns alone, shared heads, reporting sources."""

from __future__ import annotations

from pathlib import Path

import pytest

from stance.actors.cameo_codes import normalise, root_of, split_code
from stance.actors.coding import ActorCoder
from stance.events.dictionary_set import load_dictionaries
from stance.events.sources import field_dictionaries, project_dictionaries


@pytest.fixture(scope="module")
def own() -> ActorCoder:
    """The coder with this project's additions and the GeoNames cities only (a fresh clone)."""
    return ActorCoder(load_dictionaries(project_dictionaries()).vocabulary)


@pytest.fixture(scope="module")
def field(data_home: Path) -> ActorCoder:
    """The coder with the Phoenix files of the data home read first."""
    files = field_dictionaries(data_home)
    assert len(files) == 5, f"expected the five CAMEO/Phoenix files under {data_home}"
    return ActorCoder(load_dictionaries([*files, *project_dictionaries()]).vocabulary)


def coded(coder: ActorCoder, text: str) -> list[tuple[str, str]]:
    return [(m.text, m.actor) for m in coder.find(text)]


@pytest.mark.parametrize(
    ("phoenix", "ours"),
    [
        ("AFGGOVJUD", "AFGGOV"),
        ("PSEREBHMS", "PSEREB"),
        ("USAELI", "USAELI"),
        ("SYRGOVMED", "SYRMED"),
        ("IRQSPY", "IRQGOV"),
        ("MNCUSA", "USABUS"),
        ("IMGMUSALQ", "*REB"),
        ("WSTNAT", None),
        ("AFR", None),
        (None, None),
        ("UN", "UN"),
    ],
)
def test_phoenix_codes_normalise_to_roots_and_one_role(phoenix: str, ours: str | None) -> None:
    assert normalise(phoenix) == ours


def test_split_code_keeps_organisations_whole() -> None:
    assert split_code("IRQMIL") == ("IRQ", "MIL")
    assert split_code("ARAB_LEAGUE") == ("ARAB_LEAGUE", "")
    assert root_of("ICRC") == "ICRC"


def test_role_nouns_inside_and_after_a_state(own: ActorCoder) -> None:
    assert coded(own, "Iraqi troops attacked rebels near Mosul.") == [
        ("Iraqi troops", "IRQMIL"),
        ("rebels", "IRQREB"),
        ("Mosul", "IRQ"),
    ]


def test_a_bare_state_has_no_role(own: ActorCoder) -> None:
    found = coded(own, "China supports Russian leadership in connection with June 24 events")
    assert found == [("China", "CHN"), ("Russian leadership", "RUS")]


def test_role_noun_takes_the_country_its_sentence_is_about(own: ActorCoder) -> None:
    found = coded(own, "Police fired tear gas at protesters in Kampala on Monday.")
    assert found == [("Police", "UGACOP"), ("protesters", "UGAOPP"), ("Kampala", "UGA")]


def test_role_noun_without_any_state_is_not_an_actor(own: ActorCoder) -> None:
    assert coded(own, "Rebels attacked a convoy on Monday.") == []


def test_coordinated_demonyms_share_the_head(own: ActorCoder) -> None:
    found = coded(own, "Nigerian and Cameroonian troops began joint patrols.")
    assert [code for _, code in found] == ["NGAMIL", "CMRMIL"]


def test_office_holders_of_the_gazetteer_are_government(own: ActorCoder) -> None:
    assert ("Vladimir Putin", "RUSGOV") in coded(own, "Vladimir Putin met Xi Jinping.")


def test_reporting_source_is_marked(own: ActorCoder) -> None:
    text = "Egypt and Jordan resumed border talks, Egypt's state news agency reported."
    kinds = {m.text: m.kind for m in own.find(text)}
    assert kinds["Egypt's state news agency"] == "reporter"
    assert kinds["Jordan"] == "state"


def test_roles_off_gives_the_bundled_corpus_ids(own: ActorCoder) -> None:
    plain = ActorCoder(own.vocabulary, roles=False)
    assert [c for _, c in coded(plain, "Iraqi troops attacked rebels near Mosul.")] == [
        "IRQ",
        "IRQ",
        "IRQ",
    ]


def test_an_armed_group_of_the_additions(own: ActorCoder) -> None:
    found = coded(own, "Houthi rebels fired a missile at Riyadh, Saudi officials said.")
    assert found[0] == ("Houthi rebels", "YEMREB")
    assert ("Saudi officials", "SAUGOV") in found


def test_city_names_that_point_to_two_states_are_left_out(own: ActorCoder) -> None:
    assert coded(own, "The talks were held in Victoria.") == []
    assert coded(own, "Shelling hit Donetsk overnight.") == [("Donetsk", "UKR")]


def test_field_dictionaries_code_the_issue_examples(field: ActorCoder) -> None:
    assert coded(field, "Iraqi troops attacked rebels near Mosul")[:2] == [
        ("Iraqi troops", "IRQMIL"),
        ("rebels", "IRQREB"),
    ]
    assert coded(field, "The Tamil Tigers accused the Sri Lankan army of shelling Jaffna.")[:2] == [
        ("The Tamil Tigers", "LKAREB"),
        ("the Sri Lankan army", "LKAMIL"),
    ]


def test_field_dictionaries_date_office_holders(field: ActorCoder) -> None:
    import datetime as dt

    text = "Vladimir Putin met Tony Blair in Moscow."
    in_2003 = dict(coded_on(field, text, dt.date(2003, 5, 1)))
    assert in_2003["Tony Blair"] == "GBRGOV"
    in_2015 = dict(coded_on(field, text, dt.date(2015, 5, 1)))
    assert in_2015["Tony Blair"] == "GBRELI"


def coded_on(coder: ActorCoder, text: str, day) -> list[tuple[str, str]]:
    return [(m.text, m.actor) for m in coder.find(text, day)]
