"""Promotions and quotes: stacking, exclusivity, quarterly minimums, exact totals
(OIP-7, OIP-8, X-1, X-3), with the built-in OIP promotions (EUR excluding tax)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from tiers_fixtures import oip_promotions

from alliance.domain.calendar import Month
from alliance.domain.facts import Order, RevenueKind, RevenueLine
from alliance.domain.money import eur
from alliance.domain.promotions import (
    Basket,
    BasketLine,
    BenefitKind,
    ConditionKind,
    ConditionTerms,
    PriceBenefit,
    PromotionTerms,
    QuoteParty,
    quote,
)

AS_OF = date(2026, 5, 15)  # 2026-Q2


def ambassador(status: str, *orders: tuple[date, str]) -> QuoteParty:
    return QuoteParty(
        "org_amb",
        "ambassador",
        status,
        orders=tuple(Order("org_amb", f"o{i}", on, eur(a)) for i, (on, a) in enumerate(orders)),
    )


def operator(status: str, *revenue: tuple[Month, str, RevenueKind]) -> QuoteParty:
    return QuoteParty(
        "org_ope",
        "operator",
        status,
        revenue=tuple(RevenueLine("org_ope", m, eur(a), k) for m, a, k in revenue),
    )


def test_starter_ambassador_promotions_stack() -> None:
    """OIP-7: SIP trunk at 19.99 instead of 27 (data links with the operator), 10 % off
    data links with VoIP, 30 % off VMs with VoIP — all three cumulative."""
    basket = Basket(
        (
            BasketLine("sip_trunk"),
            BasketLine("data_link", 2, unit_price=eur("50")),
            BasketLine("vm", 3, unit_price=eur("39.99")),
        ),
        holds=frozenset({"voip"}),
    )
    result = quote(ambassador("starter"), basket, oip_promotions(), AS_OF)
    assert [line.total for line in result.lines] == [eur("19.99"), eur("90.00"), eur("83.98")]
    assert result.lines[2].unit_price == eur("27.993")  # exact until the line is rounded
    assert result.total == eur("193.97")
    assert result.list_total == eur("246.97")
    assert result.savings == eur("53.00")
    applied = [c.promotion for c in result.promotions if c.applied]
    assert applied == ["sa_ambassador_sip_trunk", "sa_ambassador_data_link", "sa_ambassador_vm"]
    business = result.check("business_ambassador_porting")
    assert not business.eligible
    assert business.reasons[0].message == "for business partners; you are starter"


def test_the_sip_trunk_condition_says_what_is_missing() -> None:
    basket = Basket((BasketLine("sip_trunk"), BasketLine("sip_trunk_channel", 3, eur("1.5"))))
    result = quote(ambassador("access"), basket, oip_promotions(), AS_OF)
    check = result.check("sa_ambassador_sip_trunk")
    assert not check.applied
    assert check.reasons[-1].message == (
        "SIP trunk at 19.99 instead of 27 EUR: needs more than 4 SIP trunk channel; the basket "
        "has 3 or needs a subscription to Data link"
    )
    assert result.lines[0].total == eur("27.00")


def test_business_porting_price_needs_the_quarterly_order_intake() -> None:
    """OIP-8: Business promotions need 600 EUR of order intake this quarter; 420 is short
    (an order of the previous quarter and one after the quote's day do not count)."""
    basket = Basket((BasketLine("number_porting", 12),))
    short = ambassador(
        "business",
        (date(2026, 3, 31), "5000"),
        (date(2026, 4, 2), "300"),
        (date(2026, 5, 15), "120"),
        (date(2026, 5, 16), "900"),
    )
    refused = quote(short, basket, oip_promotions(), AS_OF)
    check = refused.check("business_ambassador_porting")
    assert not check.eligible
    assert check.reasons[0].message == (
        "Number porting grid needs 600.00 EUR of order intake in 2026-Q2; you have "
        "420.00 EUR (180.00 EUR to go)"
    )
    assert refused.total == eur("108.00")  # 12 × 9 EUR list
    enough = ambassador("business", (date(2026, 4, 2), "650"))
    assert quote(enough, basket, oip_promotions(), AS_OF).total == eur("84.00")  # 12 × 7
    more = Basket((BasketLine("number_porting", 31),))
    assert quote(enough, more, oip_promotions(), AS_OF).total == eur("155.00")  # 31 × 5
    ten = Basket((BasketLine("number_porting", 10),))
    assert quote(enough, ten, oip_promotions(), AS_OF).total == eur("90.00")  # not > 10


def test_business_operator_minimum_reads_revenue_and_waives_fleet_migration_fees() -> None:
    """OIP-8: an Operator needs 1,500 EUR of revenue in the quarter; OIP-7: access fees
    waived on a fleet-migration project, porting 4 instead of 5."""
    party = operator(
        "business",
        (Month(2026, 4), "800", RevenueKind.RECURRING),
        (Month(2026, 5), "750", RevenueKind.MINUTES),
        (Month(2026, 3), "9000", RevenueKind.RECURRING),
    )
    basket = Basket(
        (
            BasketLine("number_porting", 20),
            BasketLine("sip_trunk", 1, fee=eur("250")),
        ),
        project="fleet_migration",
    )
    result = quote(party, basket, oip_promotions(), AS_OF)
    assert result.lines[0].total == eur("80.00")
    assert result.lines[1].fee_charged == eur("0")
    assert result.total == eur("107.00")  # 80 + 27 + 0 fee
    assert result.list_total == eur("377.00")  # 100 + 27 + 250
    assert result.check("business_operator_fleet_migration").applied
    without = quote(party, replace(basket, project=None), oip_promotions(), AS_OF)
    assert without.total == eur("357.00")
    poor = operator("business", (Month(2026, 4), "1499.99", RevenueKind.RECURRING))
    assert quote(poor, basket, oip_promotions(), AS_OF).total == eur("377.00")


def test_premium_operator_fibre_discount_excludes_ftth() -> None:
    """OIP-7: extra 5 % off fibre (excluding FTTH); porting 3 instead of 5."""
    party = operator("premium", (Month(2026, 4), "2000", RevenueKind.ONE_OFF))
    basket = Basket(
        (
            BasketLine("fibre", 2, eur("199.90")),
            BasketLine("ftth", 1, eur("45")),
            BasketLine("number_porting", 4),
            BasketLine("voip_minutes", 1000, eur("0.012")),
        )
    )
    result = quote(party, basket, oip_promotions(), AS_OF)
    assert [line.total for line in result.lines] == [
        eur("379.81"),  # 2 × 189.905 = 379.81
        eur("45.00"),
        eur("12.00"),
        eur("12.00"),
    ]
    assert result.total == eur("448.81")
    assert result.check("premium_operator_voip_minutes").applied  # a grid, named not priced
    assert result.check("premium_operator_back_margin").applied


def test_a_non_cumulative_promotion_applies_alone_and_the_cheaper_way_wins() -> None:
    """OIP-7: cumulative promotions stack; one that is not applies alone."""
    terms = oip_promotions()
    twenty = PromotionTerms(
        "spring_data",
        "20 % off data links",
        ("starter",),
        ("ambassador",),
        (PriceBenefit(BenefitKind.PERCENT_OFF, product="data_link", percent=Decimal("0.2")),),
    )
    five = replace(
        twenty,
        id="small_data",
        name="5 % off data links",
        benefits=(PriceBenefit(BenefitKind.PERCENT_OFF, "data_link", percent=Decimal("0.05")),),
    )
    custom = replace(terms, promotions=(*terms.promotions, twenty, five))
    basket = Basket((BasketLine("data_link", 1, eur("100")),), holds=frozenset({"voip"}))
    result = quote(ambassador("starter"), basket, custom, AS_OF)
    assert result.total == eur("80.00")
    assert result.lines[0].promotions == ("spring_data",)
    lost = result.check("sa_ambassador_data_link")
    assert lost.eligible and not lost.applied
    assert lost.reasons[-1].message.endswith("not cumulative; spring_data gives a lower price")


def test_cumulative_percentages_apply_one_after_the_other() -> None:
    terms = oip_promotions()
    extra = PromotionTerms(
        "loyalty",
        "5 % loyalty",
        ("starter",),
        ("ambassador",),
        (PriceBenefit(BenefitKind.PERCENT_OFF, "data_link", percent=Decimal("0.05")),),
        cumulative=True,
    )
    custom = replace(terms, promotions=(*terms.promotions, extra))
    basket = Basket((BasketLine("data_link", 3, eur("33.33")),), holds=frozenset({"voip"}))
    result = quote(ambassador("starter"), basket, custom, AS_OF)
    assert result.lines[0].unit_price == eur("28.497150")  # 33.33 × 0.9 × 0.95
    assert result.total == eur("85.49")  # 85.49145 rounded once


def test_an_exclusive_promotion_never_combines_with_others() -> None:
    terms = oip_promotions()
    bundle = PromotionTerms(
        "bundle",
        "VM at 20 EUR, nothing else",
        ("starter",),
        ("ambassador",),
        (PriceBenefit(BenefitKind.UNIT_PRICE, "vm", unit_price=eur("20"), list_price=eur("40")),),
        ConditionTerms(ConditionKind.ALWAYS),
        exclusive=True,
    )
    custom = replace(terms, promotions=(*terms.promotions, bundle))
    basket = Basket(
        (BasketLine("vm", 2, eur("40")), BasketLine("data_link", 1, eur("100"))),
        holds=frozenset({"voip"}),
    )
    # with the others: VMs 28 each (30 % off) and the link 90 → 146; exclusive: 40 + 100 = 140.
    result = quote(ambassador("starter"), basket, custom, AS_OF)
    assert result.total == eur("140.00")
    assert [c.promotion for c in result.promotions if c.applied] == ["bundle"]
    small = Basket(
        (BasketLine("vm", 1, eur("40")), BasketLine("data_link", 5, eur("100"))),
        holds=frozenset({"voip"}),
    )
    other = quote(ambassador("starter"), small, custom, AS_OF)
    assert other.total == eur("478.00")  # 28 + 450 beats 20 + 500
    assert (
        other.check("bundle")
        .reasons[-1]
        .message.endswith("exclusive, and the other promotions give a lower total")
    )


prices = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("500"), places=2)


@settings(max_examples=150, deadline=None)
@given(
    st.sampled_from(["starter", "access", "business", "premium"]),
    st.integers(1, 40),
    st.integers(1, 10),
    prices,
    prices,
    st.booleans(),
)
def test_quote_totals_are_exact_and_never_above_list(
    status: str, porting: int, links: int, link_price: Decimal, vm_price: Decimal, voip: bool
) -> None:
    """X-1: the total is the sum of the rounded lines and fees; a promotion never raises a
    price (OIP-7)."""
    basket = Basket(
        (
            BasketLine("number_porting", porting),
            BasketLine("data_link", links, eur(str(link_price))),
            BasketLine("vm", 2, eur(str(vm_price))),
            BasketLine("sip_trunk", 1),
        ),
        holds=frozenset({"voip"}) if voip else frozenset(),
    )
    party = ambassador(status, (date(2026, 4, 1), "900"))
    result = quote(party, basket, oip_promotions(), AS_OF)
    assert result.total == sum((line.total for line in result.lines), eur("0"))
    assert result.total <= result.list_total
    for line in result.lines:
        assert line.unit_price <= line.list_unit_price
        assert line.total == (line.unit_price * line.quantity).rounded()
