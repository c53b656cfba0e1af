"""Which usage lines earn rewards, and the reasons given (OSR-2…OSR-8, OSR-13, OSR-15)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from osr_fixtures import DEC_2021, customer, line, subscription

from alliance.domain.calendar import DateRange, Month
from alliance.domain.errors import InvalidInput
from alliance.domain.rewards import (
    LineKind,
    OrderType,
    OveragePolicy,
    RewardTerms,
    Sector,
    Subscription,
    UsageLine,
    line_eligibility,
)

TERMS = RewardTerms.default()


def rules_excluding(
    usage: UsageLine, sub: Subscription | None = None, *, on_premises_support: bool = True
) -> list[str]:
    """The rule ids that exclude ``usage``; empty when it counts."""
    owner = customer(on_premises_support=on_premises_support)
    result = line_eligibility(usage, sub or subscription(), owner, TERMS)
    return [] if result.eligible else list(result.rules)


def test_a_committed_credit_order_line_counts() -> None:
    """OSR-2, OSR-12: the reference case counts, and says why."""
    result = line_eligibility(line(), subscription(), customer(), TERMS)
    assert result.eligible
    assert result.rules == ("OSR-12",)


def test_pay_as_you_go_earns_nothing() -> None:
    """OSR-2: pay-as-you-go customers are not eligible."""
    sub = subscription(order_type=OrderType.PAY_AS_YOU_GO)
    result = line_eligibility(line(), sub, customer(), TERMS)
    assert not result.eligible
    assert result.reasons[0].rule == "OSR-2"
    assert "pay-as-you-go" in result.reasons[0].message


@pytest.mark.parametrize("order_type", [OrderType.TRIAL, OrderType.FREE_TIER, OrderType.PROMOTION])
def test_trial_free_tier_promotion_earn_nothing(order_type: OrderType) -> None:
    """OSR-2: trials, free tier and promotions are not eligible."""
    assert rules_excluding(line(), subscription(order_type=order_type)) == ["OSR-2"]


def test_free_tier_services_on_a_committed_order_earn_nothing() -> None:
    """OSR-2: a free-tier service line does not count, even on an eligible order."""
    assert rules_excluding(line(free_tier=True)) == ["OSR-2"]


def test_a_customer_without_on_premises_support_earns_nothing() -> None:
    """OSR-2: rewards are for customers with on-premises support to pay."""
    assert rules_excluding(line(), on_premises_support=False) == ["OSR-2"]


@pytest.mark.parametrize(
    ("country", "sector"),
    [
        ("CN", Sector.COMMERCIAL),  # China
        ("CO", Sector.COMMERCIAL),  # Colombia
        ("MX", Sector.COMMERCIAL),  # Mexico
        ("TW", Sector.COMMERCIAL),  # Taiwan
        ("US", Sector.US_FEDERAL_PUBLIC),  # US federal public sector
    ],
)
def test_excluded_regions_earn_nothing(country: str, sector: Sector) -> None:
    """OSR-3: China, Colombia, Mexico, Taiwan and the US federal public sector."""
    assert rules_excluding(line(), subscription(country=country, sector=sector)) == ["OSR-3"]


def test_us_commercial_and_state_public_sector_earn() -> None:
    """OSR-3: only the *federal* public sector of the US is excluded."""
    assert rules_excluding(line(), subscription(country="US")) == []
    assert rules_excluding(line(), subscription(country="US", sector=Sector.PUBLIC)) == []


@pytest.mark.parametrize("flag", ["third_party", "marketplace", "saas"])
def test_marketplace_third_party_saas_lines_do_not_count(flag: str) -> None:
    """OSR-7: third-party services (VMware, Microsoft…), marketplace listings and SaaS."""
    flagged: dict[str, Any] = {flag: True}
    assert rules_excluding(replace(line(), **flagged)) == ["OSR-7"]


def test_rack_base_subscription_does_not_count_but_rack_consumption_does() -> None:
    """OSR-7: on-premises cloud racks earn on consumption, not on the base subscription."""
    base = line(service="rack base", category="cloud_at_customer", rack_subscription=True)
    consumption = line(service="rack compute", category="cloud_at_customer")
    assert rules_excluding(base) == ["OSR-7"]
    assert rules_excluding(consumption) == []


def test_byol_counts() -> None:
    """OSR-5: bring-your-own-licence services on the rate card are eligible."""
    result = line_eligibility(line(byol=True), subscription(), customer(), TERMS)
    assert result.eligible
    assert "OSR-5" in result.rules


def test_any_workload_counts() -> None:
    """OSR-8: a custom or ISV application earns like the vendor's own software."""
    assert rules_excluding(line(service="isv app on compute", category="isv_workload")) == []


def test_paas_conversion_right_excludes_enrolment() -> None:
    """OSR-6: the licence-to-PaaS conversion right and rewards are mutually exclusive."""
    assert rules_excluding(line(), subscription(paas_conversion=True)) == ["OSR-6"]


def test_an_order_without_the_reward_terms_earns_nothing() -> None:
    """OSR-4: enrolment comes with the order's terms."""
    assert rules_excluding(line(), subscription(enrolled=False)) == ["OSR-4"]


def test_months_after_the_opt_out_earn_nothing_but_the_opt_out_month_does() -> None:
    """OSR-4: enrolled until the customer opts out; the month of the opt-out still counts."""
    sub = subscription(opted_out_on=date(2021, 12, 10))
    assert rules_excluding(line(month=DEC_2021), sub) == []
    assert rules_excluding(line(month=Month(2022, 1)), sub) == ["OSR-4"]


def test_no_accrual_before_the_service_period_starts() -> None:
    """OSR-13: accrual starts only when the new order's service period is active."""
    sub = subscription(period=DateRange(date(2022, 1, 15), date(2023, 1, 14)))
    before = line_eligibility(line(month=DEC_2021), sub, customer(), TERMS)
    assert not before.eligible
    assert before.rules == ("OSR-13",)
    assert "2022-01-15" in before.reasons[0].message


def test_a_partial_first_month_counts_in_full() -> None:
    """OSR-13: a service period starting mid-month makes that month's line count."""
    sub = subscription(period=DateRange(date(2022, 1, 15), date(2023, 1, 14)))
    assert rules_excluding(line(month=Month(2022, 1)), sub) == []
    assert rules_excluding(line(month=Month(2023, 1)), sub) == []
    assert rules_excluding(line(month=Month(2023, 2)), sub) == ["OSR-13"]


def test_overage_counts_at_the_overage_price_by_default_and_can_be_excluded() -> None:
    """OSR-15: by default overage earns at the same rate on its price; a switch excludes it."""
    overage = line("1.2", kind=LineKind.OVERAGE)
    counted = line_eligibility(overage, subscription(), customer(), TERMS)
    assert counted.eligible
    assert "OSR-15" in counted.rules
    excluding = replace(TERMS, overage=OveragePolicy.EXCLUDED)
    excluded = line_eligibility(overage, subscription(), customer(), excluding)
    assert excluded.rules == ("OSR-15",)
    assert line_eligibility(line(), subscription(), customer(), excluding).eligible


def test_every_rule_that_excludes_a_line_is_listed() -> None:
    """X-3: a PAYG marketplace line in Taiwan names OSR-2, OSR-3 and OSR-7."""
    sub = subscription(order_type=OrderType.PAY_AS_YOU_GO, country="TW")
    assert rules_excluding(line(marketplace=True), sub) == ["OSR-2", "OSR-3", "OSR-7"]


def test_terms_decide_which_order_types_and_regions_are_excluded() -> None:
    """OSR-2, OSR-3: the rules read the terms, not constants."""
    terms = replace(
        TERMS,
        eligible_order_types=frozenset({OrderType.COMMITTED_CREDITS, OrderType.PAY_AS_YOU_GO}),
        excluded_countries=frozenset({"FR"}),
    )
    payg = subscription(order_type=OrderType.PAY_AS_YOU_GO, country="TW")
    assert line_eligibility(line(), payg, customer(), terms).eligible
    assert line_eligibility(line(), subscription(), customer(), terms).rules == ("OSR-3",)


def test_the_customer_given_must_be_the_buyer() -> None:
    """OSR-9: a line is judged for the buyer named on the order."""
    sub = subscription(buyer="cus_parent")
    with pytest.raises(InvalidInput) as refused:
        line_eligibility(line(), sub, customer("cus_acme"), TERMS)
    assert refused.value.rule == "OSR-9"


def test_a_float_amount_is_refused() -> None:
    """X-1: usage amounts are exact decimals."""
    with pytest.raises(InvalidInput) as refused:
        replace(line(), quantity=1.5)  # type: ignore[arg-type]
    assert refused.value.field == "quantity"
