"""RWD-1 / RWD-3: the criteria table, commercial eligibility and the public-sector pool."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from rwd_builders import OFFERS_IN_FRANCE, deal, hardware, oci, public, saas, thresholds

from alliance.domain.calendar import DateRange
from alliance.domain.engagement_rewards import (
    DEFAULT_OFFERS,
    Attribute,
    Criterion,
    Deal,
    Op,
    OrderKind,
    Outcome,
    PayoutMethod,
    Pool,
    PoolThresholds,
    Sector,
    assess_deal,
    plan_payout,
    pool_status,
)
from alliance.domain.engagements import (
    Address,
    Category,
    Contact,
    Customer,
    Engagement,
    ProductLine,
)
from alliance.domain.errors import InvalidInput
from alliance.domain.money import usd

CREDITS, MONEY = PayoutMethod.PARTNER_CREDITS, PayoutMethod.MONEY


def test_a_commercial_new_sale_is_eligible_and_the_partner_is_told_why() -> None:
    assessment = assess_deal(deal(oci("100000")), MONEY)

    assert assessment.outcome is Outcome.ELIGIBLE
    assert assessment.qualifying_value == usd("100000")
    assert assessment.explanation == (
        "commercial deal eligible on 100,000.00 USD; the collaboration goes on either way [RWD-1]",
    )


def test_a_commercial_renewal_is_not_eligible_but_collaboration_goes_on() -> None:
    assessment = assess_deal(deal(oci("100000"), kind=OrderKind.RENEWAL), MONEY)

    assert assessment.outcome is Outcome.NOT_ELIGIBLE
    assert assessment.explanation == (
        "order kind 'renewal' is not one of: extension, new_sale [RWD-1]",
        "commercial deal not eligible; the collaboration goes on either way [RWD-1]",
    )


def test_no_public_sector_country_ships_configured_so_nothing_is_pooled() -> None:
    assessment = assess_deal(public(oci("100000")), CREDITS, DEFAULT_OFFERS)

    assert assessment.outcome is Outcome.NOT_POOLED
    assert "country 'FR' is not one of: none configured [RWD-3]" in assessment.explanation


def test_a_public_sector_oci_sale_in_a_configured_country_enters_the_pool() -> None:
    assessment = assess_deal(public(oci("100000"), hardware("30000")), CREDITS, OFFERS_IN_FRANCE)

    assert assessment.outcome is Outcome.POOLED
    assert assessment.qualifying_value == usd("100000")
    assert (
        "exadata: product family 'hardware' is not one of: oci, saas [RWD-3]"
        in assessment.explanation
    )


def test_a_public_sector_renewal_does_not_enter_the_pool() -> None:
    assessment = assess_deal(
        public(saas("80000"), kind=OrderKind.RENEWAL), CREDITS, OFFERS_IN_FRANCE
    )

    assert assessment.outcome is Outcome.NOT_POOLED


def test_a_public_sector_deal_from_a_partner_that_chose_money_gets_no_reward() -> None:
    big_pool = Pool("org_partner", "USD").with_deal("eng_old", usd("900000"))
    sale = public(oci("100000"))

    assessment = assess_deal(sale, MONEY, OFFERS_IN_FRANCE)
    payout = plan_payout(sale, MONEY, offers=OFFERS_IN_FRANCE, pool=big_pool)

    assert assessment.outcome is Outcome.NOT_POOLED
    assert any(r.rule == "RWD-3" and "chose money" in r.message for r in assessment.reasons)
    assert payout.amount == usd("0")
    assert not payout.due


def test_the_pool_is_eligible_exactly_at_its_threshold() -> None:
    pool = Pool("org_partner", "USD").with_deal("a", usd("150000")).with_deal("b", usd("100000"))

    status = pool_status(pool, thresholds(total="250000"))

    assert status.eligible
    assert status.explanation == (
        "250,000.00 USD pooled: value threshold 250,000.00 USD reached [RWD-1]",
    )


def test_a_pool_one_cent_short_says_what_is_missing() -> None:
    pool = Pool("org_partner", "USD").with_deal("a", usd("249999.99"))

    status = pool_status(pool, thresholds(total="250000"))

    assert not status.eligible
    assert status.explanation == (
        "249,999.99 USD pooled, 0.01 USD more needed to reach 250,000.00 USD [RWD-1]",
    )


def test_a_count_threshold_counts_deals() -> None:
    pool = Pool("org_partner", "USD").with_deal("a", usd("1")).with_deal("b", usd("1"))

    assert not pool_status(pool, thresholds(count=3)).eligible
    assert pool_status(pool.with_deal("c", usd("1")), thresholds(count=3)).eligible
    assert "1 more needed to reach 3" in pool_status(pool, thresholds(count=3)).explanation[0]


def test_with_both_thresholds_each_must_be_reached() -> None:
    pool = Pool("org_partner", "USD").with_deal("a", usd("300000"))

    status = pool_status(pool, thresholds(count=2, total="250000"))

    assert not status.eligible
    assert [r.message.endswith("reached") for r in status.reasons] == [False, True]


def test_a_deal_counts_once_in_its_pool_at_its_latest_value() -> None:
    pool = Pool("p", "USD").with_deal("a", usd("100")).with_deal("a", usd("250"))

    assert (len(pool.deals), pool.total) == (1, usd("250"))


def test_a_pool_needs_a_threshold() -> None:
    with pytest.raises(InvalidInput):
        PoolThresholds()


def test_a_deal_value_criterion_compares_amounts() -> None:
    at_least = Criterion(Attribute.DEAL_VALUE, Op.AT_LEAST, amount=usd("50000"))
    small = deal(oci("49999.99"))

    assert not at_least.holds(small, small.lines[0])
    assert at_least.failure(small, small.lines[0]).message == (
        "deal value 49,999.99 USD is not at least 50,000.00 USD"
    )


def test_a_criterion_on_a_list_cannot_compare_amounts() -> None:
    with pytest.raises(InvalidInput):
        Criterion(Attribute.COUNTRY, Op.AT_LEAST, amount=usd("1"))


def test_a_deal_is_built_from_an_opportunity_in_its_customer_country() -> None:
    period = DateRange(date(2025, 1, 1), date(2025, 12, 31))
    engagement = Engagement(
        id="eng_9",
        partner_id="org_partner",
        category=Category.OPPORTUNITY,
        name="Ministry cloud",
        customer=Customer("Ministère", Address("1 rue de Grenelle", "Paris", "FR")),
        partner_contact=Contact("Paula Partner"),
        products=(
            ProductLine("oci-compute", "oci", Decimal(1), usd("60000"), period),
            ProductLine("fusion-erp", "saas", Decimal(1), usd("40000"), period),
        ),
    )

    built = Deal.of_engagement(engagement, sector=Sector.PUBLIC, order_kind=OrderKind.NEW_SALE)

    assert (built.engagement_id, built.country, built.value) == ("eng_9", "FR", usd("100000"))
