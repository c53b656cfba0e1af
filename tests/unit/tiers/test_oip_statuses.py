"""OIP: status from recurring revenue net of access fees and minutes, semiannual
re-evaluation, duties with compliance, benefits, commissions and the back-margin
(OIP-1 … OIP-6), with the built-in definition's numbers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from tiers_fixtures import oip_terms

from alliance.domain.calendar import Month, Period
from alliance.domain.errors import BusinessRuleViolation
from alliance.domain.facts import RevenueKind, RevenueLine
from alliance.domain.money import eur
from alliance.domain.statuses import (
    CadenceAnchor,
    ambassador_commission,
    assign_status,
    back_margin,
    benefits_for,
    compliance,
    last_evaluation,
    next_evaluation,
)

AMB, OPE = "org_ambassador", "org_operator"


def month_lines(partner: str, month: Month, **amounts: str) -> list[RevenueLine]:
    return [
        RevenueLine(partner, month, eur(amount), RevenueKind(kind), line_id=f"{month}:{kind}")
        for kind, amount in amounts.items()
    ]


def half_year(partner: str, first: Month, **amounts: str) -> list[RevenueLine]:
    return [line for i in range(6) for line in month_lines(partner, first.shift(i), **amounts)]


def test_ambassador_status_counts_recurring_revenue_without_fees_and_minutes() -> None:
    """OIP-2: 1,400 recurring a month → Access; with the 300 of access fees and 250 of
    minutes it would have been Business (1,950) — they never count."""
    lines = half_year(
        AMB, Month(2026, 1), recurring="1400", service_access_fee="300", minutes="250"
    )
    outcome = assign_status(AMB, "ambassador", lines, date(2026, 7, 1), oip_terms())
    assert outcome.status.id == "access"
    assert outcome.measure.average == eur("1400")
    assert outcome.measure.excluded_total(RevenueKind.SERVICE_ACCESS_FEE) == eur("1800")
    assert outcome.measure.excluded_total(RevenueKind.MINUTES) == eur("1500")
    reasons = [r.message for r in outcome.explanation.reasons]
    assert reasons[0] == (
        "2026-01: 1,400.00 EUR counted (300.00 EUR service_access_fee not counted; "
        "250.00 EUR minutes not counted)"
    )
    # gap to Business (1,500 a month): 100 a month, 600 over the six months.
    assert outcome.next_status is not None and outcome.next_status.id == "business"
    assert outcome.explanation.gap == Decimal("100.00")
    assert outcome.explanation.steps[0].message == (
        "600.00 EUR more counted revenue over 6 months (100.00 EUR a month) for Business"
    )


def test_operator_status_counts_all_revenue_but_fees_and_minutes() -> None:
    """OIP-2: for Operators, revenue — one-off charges count, fees and minutes do not."""
    lines = half_year(
        OPE,
        Month(2026, 1),
        recurring="2500",
        one_off="600",
        service_access_fee="400",
        minutes="900",
    )
    outcome = assign_status(OPE, "operator", lines, date(2026, 9, 15), oip_terms())
    assert outcome.status.id == "business"  # 3,100 ≥ 3,000, < 6,000
    assert outcome.measure.total == eur("18600")
    assert outcome.measure.average == eur("3100")


def test_months_without_revenue_count_as_zero() -> None:
    lines = [
        line
        for m in (Month(2026, 1), Month(2026, 2), Month(2026, 3))
        for line in month_lines(AMB, m, recurring="3000")
    ]
    outcome = assign_status(AMB, "ambassador", lines, date(2026, 7, 1), oip_terms())
    assert outcome.measure.average == eur("1500")  # 9,000 / 6
    assert outcome.status.id == "business"


def test_statuses_are_re_evaluated_on_1_january_and_1_july() -> None:
    """OIP-3: every 6 months on fixed dates; a status holds until the next one."""
    terms = oip_terms()
    early = half_year(AMB, Month(2025, 7), recurring="3200")  # Premium in H2 2025
    late = half_year(AMB, Month(2026, 1), recurring="600")  # Access in H1 2026
    lines = early + late
    june = assign_status(AMB, "ambassador", lines, date(2026, 6, 30), terms)
    assert (june.evaluated_on, june.status.id, june.valid_until) == (
        date(2026, 1, 1),
        "premium",
        date(2026, 6, 30),
    )
    july = assign_status(AMB, "ambassador", lines, date(2026, 7, 1), terms)
    assert (july.evaluated_on, july.status.id, july.valid_until) == (
        date(2026, 7, 1),
        "access",
        date(2026, 12, 31),
    )
    assert any(
        r.message == "evaluated on 2026-07-01 from 2026-01 to 2026-06"
        for r in july.explanation.reasons
    )


def test_a_cadence_anchored_on_the_membership_start_clamps_month_ends() -> None:
    terms = replace(oip_terms(), anchor=CadenceAnchor.MEMBERSHIP_START)
    since = date(2025, 8, 31)
    assert last_evaluation(date(2026, 2, 27), terms, since) == date(2025, 8, 31)
    assert last_evaluation(date(2026, 2, 28), terms, since) == date(2026, 2, 28)
    assert next_evaluation(date(2026, 3, 1), terms, since) == date(2026, 8, 31)


def test_starter_duties_expand_per_product_line_and_show_compliance() -> None:
    """OIP-5: Starter operators — documents, 3 webinars, e-shop training if they use
    the e-shop, one webinar per product line sold, sales duties."""
    starter = oip_terms().status("starter")
    result = compliance(
        starter,
        "operator",
        done={"qualification_sheet": 1, "operator_webinars": 2, "product_line_webinar:data": 1},
        product_lines=("sip_trunk", "data"),
        flags=("uses_eshop",),
    )
    assert [i.key for i in result.items] == [
        "qualification_sheet",
        "development_plan",
        "partner_charter",
        "general_terms",
        "operator_webinars",
        "eshop_training",
        "product_line_webinar:sip_trunk",
        "product_line_webinar:data",
        "apply_development_plan",
        "meet_objectives",
        "sales_forecasts",
    ]
    assert [i.key for i in result.met] == ["qualification_sheet", "product_line_webinar:data"]
    assert result.rate == Decimal(2) / 11
    assert "Mandatory operator webinars [operator_webinars]: 2 of 3 — missing" in [
        r.message for r in result.explanation.reasons
    ]
    ambassador = compliance(starter, "ambassador", done={}, product_lines=("metacentrex",))
    keys = [i.key for i in ambassador.items]
    assert "partnership_contract" in keys and "general_terms" not in keys
    assert "eshop_training" not in keys and "operator_webinars" not in keys
    assert "product_line_webinar:metacentrex" in keys


def test_access_duties_are_by_profile() -> None:
    """OIP-5: Access — online training by profile: admin the portal; sales and technical
    each product line sold."""
    access = oip_terms().status("access")
    result = compliance(access, "ambassador", done={}, product_lines=("sip_trunk",))
    assert [i.key for i in result.items][:3] == [
        "admin_portal_training:admin",
        "product_line_online_training:sales:sip_trunk",
        "product_line_online_training:technical:sip_trunk",
    ]


def test_benefits_per_status_and_type() -> None:
    """OIP-6: the back-margin programme is a Premium operators' benefit."""
    premium = oip_terms().status("premium")
    operator = {b.id for b in benefits_for(premium, "operator")}
    ambassador = {b.id for b in benefits_for(premium, "ambassador")}
    assert "back_margin_program" in operator - ambassador
    marketing = next(b for b in benefits_for(premium, "ambassador") if b.id == "marketing_offer")
    assert marketing.value == eur("500")


def test_ambassador_commission_on_every_billed_service() -> None:
    """OIP-1: commissions on all services billed to the customers (10 % by default)."""
    lines = month_lines(
        AMB, Month(2026, 3), recurring="1234.56", service_access_fee="100", minutes="45.67"
    ) + month_lines(AMB, Month(2026, 4), recurring="999")
    payout = ambassador_commission(AMB, Month(2026, 3), lines, oip_terms())
    assert payout.base == eur("1380.23")
    assert payout.exact == eur("138.023")
    assert payout.amount == eur("138.02")


def test_premium_operator_back_margin_on_the_semesters_voip_revenue() -> None:
    """OIP-7: back-margin on VoIP revenue per semester (5 % by default), computed once
    the semester has ended, for operators Premium in it."""
    voip = [
        RevenueLine(OPE, Month(2026, 1).shift(i), eur("2000.10"), RevenueKind.RECURRING, "voip")
        for i in range(6)
    ]
    minutes = [RevenueLine(OPE, Month(2026, 6), eur("333.33"), RevenueKind.MINUTES, "voip")]
    data = [RevenueLine(OPE, Month(2026, 2), eur("5000"), RevenueKind.RECURRING, "data")]
    july = [RevenueLine(OPE, Month(2026, 7), eur("9999"), RevenueKind.RECURRING, "voip")]
    lines = voip + minutes + data + july
    terms = oip_terms()
    semester = Period.parse("2026-S1")
    payout = back_margin(OPE, semester, "premium", lines, terms, as_of=date(2026, 7, 1))
    assert payout.base == eur("12333.93")
    assert payout.exact == eur("616.6965")
    assert payout.amount == eur("616.70")
    with pytest.raises(BusinessRuleViolation) as early:
        back_margin(OPE, semester, "premium", lines, terms, as_of=date(2026, 6, 30))
    assert early.value.rule == "OIP-7"
    with pytest.raises(BusinessRuleViolation):
        back_margin(OPE, semester, "business", lines, terms, as_of=date(2026, 7, 1))
