"""Triples compared at the country level or by exact codes, judged pairs only, stage metrics."""

from __future__ import annotations

import pandas as pd
import pytest

from stance.errors import DataError
from stance.evaluation.dse_gold import actor_of_string
from stance.evaluation.triples import evaluate_triples, pair_key


@pytest.mark.parametrize(
    ("source", "target", "level", "key"),
    [
        ("IRQMIL", "USAGOV", "country", ("IRQ", "USA")),
        ("IRQMIL", "IRQREB", "country", ("IRQMIL", "IRQREB")),
        ("UN", "SYRGOV", "country", ("UN", "SYR")),
        ("IRQMIL", "USAGOV", "exact", ("IRQMIL", "USAGOV")),
    ],
)
def test_pair_key(source: str, target: str, level: str, key: tuple[str, str]) -> None:
    assert pair_key(source, target, level) == key


def test_unknown_level_is_one_line() -> None:
    with pytest.raises(DataError, match="use 'country' or 'exact'"):
        pair_key("IRQ", "USA", "roots")


class _Model:
    """A pair model stand-in whose raw-text predictions are given."""

    is_pair_model = True
    task = "stance"

    def __init__(self, rows: list[tuple[str, str, str, str]]) -> None:
        self.rows = rows

    def predict(self, frame: pd.DataFrame) -> pd.DataFrame:
        return pd.DataFrame(self.rows, columns=["text_id", "source", "target", "stance"])

    def actor_finder(self):
        from stance.actors.coding import ActorCoder
        from stance.events.dictionary_set import load_dictionaries
        from stance.events.sources import project_dictionaries

        return ActorCoder(load_dictionaries(project_dictionaries()).vocabulary)


GOLD = pd.DataFrame(
    [
        {
            "text_id": "a",
            "text": "Iraqi troops attacked rebels near Mosul, and Washington praised Baghdad.",
            "mentions": [
                {"actor": "IRQMIL", "mentions": ["Iraqi troops"]},
                {"actor": "IRQREB", "mentions": ["rebels"]},
                {"actor": "IRQ", "mentions": ["Mosul", "Baghdad"]},
                {"actor": "USA", "mentions": ["Washington"]},
            ],
            "pairs": [["IRQMIL", "IRQREB", "oppose", "ASSAULT"], ["USA", "IRQ", "support"]],
        }
    ]
)


def test_country_level_merges_roles_across_states_and_keeps_them_within() -> None:
    model = _Model(
        [
            ("a", "IRQMIL", "IRQREB", "oppose"),  # right, by roles within Iraq
            ("a", "USAGOV", "IRQ", "support"),  # right at country level only
            ("a", "USA", "IRQ", "neutral"),  # the same country pair, neutral: the stance wins
            ("a", "IRQREB", "IRQMIL", "oppose"),  # spurious
        ]
    )
    country = evaluate_triples(model, GOLD, "country")["metrics"]
    assert (country["tp"], country["fp"], country["fn"]) == (2, 1, 0)
    assert country["precision"] == pytest.approx(200 / 3)
    exact = evaluate_triples(model, GOLD, "exact")["metrics"]
    assert (exact["tp"], exact["fp"], exact["fn"]) == (1, 2, 1)


def test_stage_metrics_are_hand_computed() -> None:
    model = _Model([("a", "IRQMIL", "IRQREB", "neutral"), ("a", "USA", "IRQ", "support")])
    metrics = evaluate_triples(model, GOLD, "country")["metrics"]
    # the finder finds all four gold actors (Iraqi troops, rebels, Mosul/Baghdad, Washington)
    assert metrics["mention_recall"] == 100.0
    # both gold triples were scored; one of the two got its stance
    assert metrics["pair_found_share"] == 100.0
    assert metrics["stance_accuracy_on_found"] == 50.0
    assert metrics["recall"] == 50.0


def test_judged_only_ignores_pairs_the_gold_does_not_list() -> None:
    gold = GOLD.copy()
    gold.at[0, "mentions"] = gold.at[0, "mentions"][:2]
    gold.at[0, "pairs"] = [["IRQMIL", "IRQREB", "oppose"]]
    model = _Model([("a", "IRQMIL", "IRQREB", "oppose"), ("a", "USA", "IRQ", "support")])
    judged = evaluate_triples(model, gold, "country", judged_only=True)["metrics"]
    assert (judged["tp"], judged["fp"]) == (1, 0)
    every = evaluate_triples(model, gold, "country")["metrics"]
    assert (every["tp"], every["fp"]) == (1, 1)


def test_dse_entities_map_by_their_own_words() -> None:
    coder = _Model([]).actor_finder()
    assert actor_of_string("Iraqi troops", coder) == "IRQMIL"
    assert actor_of_string("Breitbart New", coder) is None
    assert actor_of_string("the EU and Russia", coder) is None  # two actors
