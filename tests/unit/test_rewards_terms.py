"""A reward program's definition maps onto the domain's terms (OSR-2…OSR-21)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from alliance.domain.errors import InvalidInput
from alliance.domain.ledger import RedemptionOrder
from alliance.domain.rewards import OrderType, OveragePolicy, RewardTerms, Sector
from alliance.programs.registry import ProgramRegistry
from alliance.programs.schema import ProgramDefinition
from alliance.services.reward_terms import reward_program, terms_from_program


@pytest.fixture(scope="module")
def osr() -> ProgramDefinition:
    return ProgramRegistry.load().get("osr")


def _changed(definition: ProgramDefinition, change: dict[str, Any]) -> ProgramDefinition:
    """The definition with ``change`` applied to its (JSON) data, validated again."""
    data = definition.model_dump(mode="json", by_alias=True)
    incentive = data["incentives"][0]
    wallet = data["wallets"][0]
    for path, value in change.items():
        target, key = {"incentive": incentive, "wallet": wallet}[path.split(".")[0]], path
        *parents, last = key.split(".")[1:]
        for part in parents:
            target = target[part]
        target[last] = value
    return ProgramDefinition.model_validate(data)


def test_the_built_in_osr_definition_gives_the_spec_terms(osr: ProgramDefinition) -> None:
    """OSR-2, OSR-3, OSR-11, OSR-14, OSR-15, OSR-20, OSR-21: the YAML says what SPEC says."""
    assert terms_from_program(osr) == RewardTerms.default()


def test_the_reward_program_carries_its_currency_and_terms() -> None:
    program = reward_program(ProgramRegistry.load())
    assert (program.code, program.currency) == ("osr", "USD")
    assert program.terms.wallet == "support_rewards"


def test_a_vendor_may_change_the_rates_and_the_validity(osr: ProgramDefinition) -> None:
    """OSR-11, OSR-14: numbers come from the definition, never from constants."""
    changed = _changed(
        osr,
        {
            "incentive.rates": [
                {
                    "when": [{"attribute": "has_ula", "op": "is_true", "subject": "member"}],
                    "rate": "0.40",
                },
                {"rate": "0.20"},
            ],
            "wallet.expiry.months": 24,
        },
    )
    terms = terms_from_program(changed)
    assert (terms.ula_rate, terms.standard_rate) == (Decimal("0.40"), Decimal("0.20"))
    assert terms.validity_months == 24


def test_the_overage_switch_and_the_redemption_order_map_onto_the_domain(
    osr: ProgramDefinition,
) -> None:
    """OSR-15: a switch can exclude overage; OSR-21: the order is the wallet's."""
    changed = _changed(
        osr, {"incentive.overage": "excluded", "wallet.redemption.order": "oldest_first"}
    )
    terms = terms_from_program(changed)
    assert terms.overage is OveragePolicy.EXCLUDED
    assert terms.redemption_order is RedemptionOrder.FIFO


def test_eligibility_lists_become_the_terms_sets(osr: ProgramDefinition) -> None:
    """OSR-2, OSR-3: eligible order kinds, excluded regions and sectors."""
    terms = terms_from_program(osr)
    assert terms.eligible_order_types == {OrderType.COMMITTED_CREDITS}
    assert terms.excluded_countries == {"CN", "CO", "MX", "TW"}
    assert terms.excluded_sectors == {Sector.US_FEDERAL_PUBLIC}
    assert terms.excluded_support_programs == {
        "java_support",
        "mysql_support_some_offers",
        "linux_support",
    }


def test_a_rate_chosen_by_an_attribute_the_rules_do_not_know_is_refused(
    osr: ProgramDefinition,
) -> None:
    """X-7: a definition the OSR rules cannot honour fails, naming the field."""
    changed = _changed(
        osr,
        {
            "incentive.rates": [
                {
                    "when": [
                        {
                            "attribute": "industry",
                            "op": "in",
                            "values": ["bank"],
                            "subject": "member",
                        }
                    ],
                    "rate": "0.50",
                },
                {"rate": "0.25"},
            ]
        },
    )
    with pytest.raises(InvalidInput) as refused:
        terms_from_program(changed)
    assert refused.value.problems[0].field == "incentives.support_rewards.rates[0].when"


def test_an_unknown_eligibility_criterion_is_refused(osr: ProgramDefinition) -> None:
    data = osr.model_dump(mode="json", by_alias=True)
    data["incentives"][0]["eligibility"]["exclude"].append(
        {"attribute": "favourite_colour", "op": "in", "values": ["red"], "subject": "member"}
    )
    with pytest.raises(InvalidInput) as refused:
        terms_from_program(ProgramDefinition.model_validate(data))
    assert "favourite_colour" in refused.value.problems[0].message


def test_an_expiry_that_is_not_end_of_month_is_refused(osr: ProgramDefinition) -> None:
    """OSR-14: rewards expire at the end of the month N months after accrual."""
    changed = _changed(osr, {"wallet.expiry.kind": "never", "wallet.expiry.months": None})
    with pytest.raises(InvalidInput) as refused:
        terms_from_program(changed)
    assert refused.value.rule == "OSR-14"
