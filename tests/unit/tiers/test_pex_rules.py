"""PEX: tiers × modules, Sell With crediting, points, tranche margins, availability
(PEX-1 … PEX-7), with the built-in definition's numbers."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tiers_fixtures import pex_terms

from alliance.domain.calendar import Month, Period
from alliance.domain.clock import FixedClock
from alliance.domain.errors import BusinessRuleViolation
from alliance.domain.facts import Certification, Deal
from alliance.domain.ledger import Ledger, Redeem
from alliance.domain.modular_tiers import (
    CreditRole,
    PointsAward,
    PointsSource,
    availability,
    certification_points,
    check_modules,
    credit_deal,
    influence_points,
    month_awards,
    resell_margin,
    tier_for,
    tranche_margin,
)
from alliance.domain.money import usd

RESELLER, INFLUENCER = "org_reseller", "org_influencer"
HELD = {
    RESELLER: frozenset({"resell"}),
    INFLUENCER: frozenset({"resell", "sell_with"}),
}


def deal(deal_id: str, amount: str, on: date, influencers: tuple[str, ...] = (INFLUENCER,)) -> Deal:
    return Deal(deal_id, RESELLER, usd(amount), on, influencers, ("openshift",))


def test_three_tiers_each_offering_three_modules() -> None:
    """PEX-1, PEX-2: Ready, Advanced, Premier × Distribution, Resell, Sell With."""
    terms = pex_terms()
    assert [t.name for t in terms.tiers] == ["Ready", "Advanced", "Premier"]
    for tier in ("ready", "advanced", "premier"):
        for module in ("distribution", "resell", "sell_with"):
            assert check_modules({module}, tier, terms).allowed


def test_sell_with_combines_with_resell_only() -> None:
    """PEX-2: Sell With may be held together with Resell; not with Distribution."""
    terms = pex_terms()
    assert check_modules({"resell", "sell_with"}, "advanced", terms).allowed
    refused = check_modules({"distribution", "sell_with"}, "advanced", terms)
    assert not refused.allowed
    assert refused.reasons[0].message == "Distribution + Sell With cannot be held together"
    with pytest.raises(BusinessRuleViolation) as error:
        refused.require()
    assert error.value.rule == "PEX-2"


def test_one_deal_credits_the_reseller_and_the_influencer() -> None:
    """PEX-3: the reseller transacts (bookings), the influencer is credited (points)."""
    credits = credit_deal(deal("d1", "40000", date(2026, 3, 10)), HELD, pex_terms())
    assert [(c.partner_id, c.role, c.amount) for c in credits.credits] == [
        (RESELLER, CreditRole.TRANSACTION, usd("40000")),
        (INFLUENCER, CreditRole.INFLUENCE, usd("40000")),
    ]
    assert "transacted by org_reseller" in credits.credits[1].reason.message


def test_influence_without_sell_with_or_by_the_seller_itself_is_not_credited() -> None:
    terms = pex_terms()
    own = Deal("d2", INFLUENCER, usd("1000"), date(2026, 3, 1), (INFLUENCER, RESELLER))
    credits = credit_deal(own, HELD, terms)
    assert [(c.partner_id, c.role) for c in credits.credits] == [
        (INFLUENCER, CreditRole.TRANSACTION)
    ]
    assert [r.message for r in credits.refused] == [
        "org_influencer transacted d2: credited once, not twice",
        "org_reseller influenced d2 without Sell With",
    ]


def test_influence_points_are_whole_points_per_1000_usd_and_post_once() -> None:
    """PEX-4: 1 point per 1,000 USD influenced in the month (rounded down); the award is
    an OpenLot with a stable idempotency key — a replay posts nothing new (X-5)."""
    terms = pex_terms()
    deals = [
        deal("d1", "40000", date(2026, 3, 10)),
        deal("d2", "12500.50", date(2026, 3, 31)),
        deal("d3", "9000", date(2026, 4, 1)),  # next month
    ]
    award = influence_points(INFLUENCER, Month(2026, 3), deals, HELD, terms)
    assert award is not None
    assert award.units == Decimal("52500.50")
    assert award.points == Decimal(52)
    assert award.counted == ("d1", "d2")
    assert award.idempotency_key == "pex:points:influence:org_influencer:2026-03"
    command = award.command(terms)
    assert (command.owner, command.wallet, command.unit) == (INFLUENCER, "pex_points", "POINTS")
    assert command.accrued_on == date(2026, 3, 31)
    assert command.expires_on is None
    ledger = Ledger(FixedClock(datetime(2026, 4, 1, 12, tzinfo=UTC)))
    first = ledger.execute(command)
    again = ledger.execute(award.command(terms))
    assert first.id == again.id
    # PEX-4: the points are spendable on a proof-of-concept budget.
    ledger.execute(Redeem("poc:org_influencer:1", INFLUENCER, "pex_points", "POINTS", Decimal(30)))
    statement = ledger.statement(INFLUENCER, "pex_points", "POINTS")
    assert (statement.accrued, statement.spent, statement.available) == (
        Decimal(52),
        Decimal(30),
        Decimal(22),
    )
    assert influence_points(RESELLER, Month(2026, 3), deals, HELD, terms) is None


def test_certifications_earn_points_and_count_toward_the_tier() -> None:
    """PEX-6: 50 points per certification; a partner with many certifications and modest
    sales progresses: 21 certifications + 1,000 USD influenced → Advanced."""
    terms = pex_terms()
    certifications = [
        Certification(INFLUENCER, f"per_{i}", "rhce", date(2026, 1 + i % 6, 5)) for i in range(21)
    ]
    awards: list[PointsAward] = []
    for month in (
        Month(2026, 1),
        Month(2026, 2),
        Month(2026, 3),
        Month(2026, 4),
        Month(2026, 5),
        Month(2026, 6),
    ):
        awards += month_awards(
            INFLUENCER, month, [deal("d1", "1000", date(2026, 2, 2))], certifications, HELD, terms
        )
    certs_march = certification_points(INFLUENCER, Month(2026, 3), certifications, terms)
    assert certs_march is not None and certs_march.points == Decimal(200)  # 4 × 50
    assert sum((a.points for a in awards), Decimal(0)) == Decimal(1051)
    outcome = tier_for(INFLUENCER, awards, date(2026, 6, 30), terms)
    assert outcome.tier is not None and outcome.tier.name == "Advanced"
    assert outcome.next_tier is not None and outcome.next_tier.name == "Premier"
    assert outcome.explanation.gap == Decimal(3949)
    assert [s.message for s in outcome.explanation.steps] == [
        "79 more certifications: +3950 points",
        "3949000 USD more influenced deals: +3949 points",
    ]
    # 12 months later the points have left the window.
    later = tier_for(INFLUENCER, awards, date(2027, 6, 30), terms)
    assert later.points == 0 and later.tier is not None and later.tier.name == "Ready"
    assert {a.source for a in awards} == {PointsSource.CERTIFICATION, PointsSource.INFLUENCE}


@pytest.mark.parametrize(
    ("bookings", "margin"),
    [
        ("0", "0.00"),
        ("25000", "2500.00"),  # all in the first tranche at 10 %
        ("25000.01", "2500.00"),  # 0.01 × 12 % = 0.0012 → rounded
        ("60000", "6900.00"),  # 2,500 + 3,000 + 1,400
        ("100000", "13000.00"),  # 2,500 + 3,000 + 3,500 + 4,000
        ("33333.33", "3499.9996"),  # exact before rounding, see below
    ],
)
def test_resell_margin_is_computed_per_tranche_of_25000_usd(bookings: str, margin: str) -> None:
    """PEX-5: each 25,000 USD tranche at its own rate, not one rate on the total."""
    result = tranche_margin(usd(bookings), pex_terms())
    if margin == "3499.9996":
        assert result.exact == usd("3499.9996")  # 2,500 + 8,333.33 × 12 %
        assert result.margin == usd("3500.00")
    else:
        assert result.margin == usd(margin)
    assert result.exact == sum((line.margin for line in result.lines), usd("0"))


def test_tranche_explanation_and_gap_to_the_next_rate() -> None:
    result = tranche_margin(usd("60000"), pex_terms())
    messages = [r.message for r in result.explanation.reasons]
    assert (
        messages[2]
        == "10,000.00 USD between 50,000.00 USD and 75,000.00 USD at 14 % = 1,400.00 USD"
    )
    assert result.explanation.gap == Decimal(15000)
    assert result.explanation.next_threshold == "the 16 % tranche (15,000.00 USD more bookings)"


def test_resell_margin_counts_the_partners_licence_bookings_of_the_year() -> None:
    """PEX-3 + PEX-5: the reseller's margin on the deals it transacted; the influencer
    earns none on them."""
    terms = pex_terms()
    deals = [
        deal("d1", "40000", date(2026, 3, 10)),
        deal("d2", "20000", date(2026, 11, 2)),
        deal("d3", "50000", date(2025, 12, 31)),  # last year
        Deal("d4", RESELLER, usd("7000"), date(2026, 5, 5), (), (), "services"),
    ]
    margin = resell_margin(RESELLER, deals, Period.parse("2026"), HELD, terms)
    assert margin.bookings == usd("60000")
    assert margin.margin == usd("6900.00")
    influencer = resell_margin(INFLUENCER, deals, Period.parse("2026"), HELD, terms)
    assert influencer.margin == usd("0.00")


def test_cloud_service_providers_are_not_admitted_until_a_date_is_set() -> None:
    """PEX-7: not yet admitted; admitted from the configured date."""
    from dataclasses import replace

    terms = pex_terms()
    refused = availability("cloud_service_provider", date(2026, 6, 1), terms)
    assert not refused.admitted
    assert "not admitted yet (no date set yet)" in refused.explanation.reasons[0].message
    assert availability("solution_provider", date(2026, 6, 1), terms).admitted
    opened = replace(
        terms,
        partner_types=tuple(
            replace(t, available_from=date(2027, 1, 1)) if t.id == "cloud_service_provider" else t
            for t in terms.partner_types
        ),
    )
    assert not availability("cloud_service_provider", date(2026, 12, 31), opened).admitted
    assert availability("cloud_service_provider", date(2027, 1, 1), opened).admitted


@settings(max_examples=200, deadline=None)
@given(st.decimals(min_value=0, max_value=1_000_000, places=2))
def test_tranche_margin_properties(amount: Decimal) -> None:
    """PEX-5: tranche bases add up to the bookings; the margin lies between the lowest
    and highest rate on the whole; more bookings never earn less."""
    terms = pex_terms()
    result = tranche_margin(usd(str(amount)), terms)
    assert sum((line.base.amount for line in result.lines), Decimal(0)) == amount
    assert amount * Decimal("0.10") <= result.exact.amount <= amount * Decimal("0.16")
    bigger = tranche_margin(usd(str(amount + 1)), terms)
    assert bigger.exact >= result.exact


partners = st.sampled_from(["p1", "p2", "p3"])
module_sets = st.frozensets(st.sampled_from(["resell", "sell_with"]))


@settings(max_examples=200, deadline=None)
@given(
    partners,
    st.lists(partners, unique=True, max_size=3),
    st.fixed_dictionaries({"p1": module_sets, "p2": module_sets, "p3": module_sets}),
    st.decimals(min_value=0, max_value=200_000, places=2),
)
def test_a_deal_credits_its_seller_and_each_other_influencer_with_its_full_amount(
    seller: str, influencers: list[str], held: dict[str, frozenset[str]], amount: Decimal
) -> None:
    """PEX-3: the seller (with Resell) for the transaction, every other influencer (with
    Sell With) for its influence — each with the whole deal amount, never twice."""
    one = Deal("d", seller, usd(str(amount)), date(2026, 3, 1), tuple(influencers))
    credits = credit_deal(one, held, pex_terms()).credits
    expected = int("resell" in held[seller]) + sum(
        1 for p in influencers if p != seller and "sell_with" in held[p]
    )
    assert len(credits) == expected
    assert all(c.amount == one.amount for c in credits)
    assert len({(c.partner_id, c.role) for c in credits}) == len(credits)
    assert len({c.partner_id for c in credits}) == len(credits)
