"""OIP duties with compliance (OIP-5), benefits (OIP-6), Ambassador commissions (OIP-1)
and the Premium operators' semiannual back-margin (OIP-7) over stored facts, on SQLite
and PostgreSQL. Statuses come from the revenue of 2025-H2, assigned on 2026-01-01."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from alliance.domain.calendar import Month, Period
from alliance.domain.clock import FixedClock
from alliance.domain.errors import BusinessRuleViolation, Forbidden, InvalidInput
from alliance.domain.facts import RevenueKind
from alliance.domain.money import eur
from alliance.programs.registry import ProgramRegistry
from alliance.services.status_incentives.commissions import (
    back_margin_statement,
    commission_statement,
)
from alliance.services.status_incentives.duties import duties_report, record_duty, set_profile
from alliance.services.status_terms import StatusProgram, status_program
from earned_world import SYSTEM, Factory, load, member_of, monthly

ON = date(2026, 5, 15)
AMB, OPE = "org_amb", "org_ope"


@pytest.fixture(scope="module")
def oip() -> StatusProgram:
    return status_program(ProgramRegistry.load(None))


@pytest.fixture
def world(uow_factory: Factory) -> Factory:
    """An Access ambassador (600 EUR a month) and a Premium operator (4,000 VoIP + 3,000
    data a month); April 2026 billing for the commission, 2026-S1 VoIP for the
    back-margin."""
    load(
        uow_factory,
        "oip",
        members=[(AMB, "ambassador", None), (OPE, "operator", None)],
        revenue=[
            *monthly(AMB, Month(2025, 7), 6, "600"),
            *monthly(AMB, Month(2026, 4), 1, "1000"),
            *monthly(AMB, Month(2026, 4), 1, "200", RevenueKind.SERVICE_ACCESS_FEE),
            *monthly(AMB, Month(2026, 4), 1, "50.33", RevenueKind.MINUTES),
            *monthly(AMB, Month(2026, 5), 1, "999"),  # another month
            *monthly(OPE, Month(2025, 7), 6, "4000", product_line="voip"),
            *monthly(OPE, Month(2025, 7), 6, "3000", product_line="data"),
            *monthly(OPE, Month(2026, 1), 6, "1234.57", product_line="voip"),
            *monthly(OPE, Month(2026, 1), 6, "2500", product_line="data"),  # not VoIP
        ],
    )
    return uow_factory


def test_duties_of_the_status_held_with_compliance(
    world: Factory, oip: StatusProgram, clock: FixedClock
) -> None:
    """OIP-5: Access duties for an ambassador — the portal training for the admin, the
    online training per product line sold for sales and technical, the sales duties."""
    report = duties_report(world(), member_of(AMB), AMB, on=ON, program=oip)
    assert report.standing.outcome.status.id == "access"
    assert [i.key for i in report.duties.items] == [
        "admin_portal_training:admin",
        "update_development_plan",
        "meet_objectives",
        "sales_forecasts",
    ]
    set_profile(world(), SYSTEM, AMB, ["sip_trunk", "data"], [], program=oip, clock=clock)
    record_duty(
        world(), SYSTEM, AMB, "admin_portal_training:admin", 1, on=ON, program=oip, clock=clock
    )
    after = record_duty(world(), SYSTEM, AMB, "meet_objectives", 1, on=ON, program=oip, clock=clock)
    assert [i.key for i in after.duties.missing] == [
        "product_line_online_training:sales:sip_trunk",
        "product_line_online_training:sales:data",
        "product_line_online_training:technical:sip_trunk",
        "product_line_online_training:technical:data",
        "update_development_plan",
        "sales_forecasts",
    ]
    assert (len(after.duties.met), after.duties.rate) == (2, Decimal("0.25"))
    assert after.duties.explanation.summary == "Access duties: 2 of 8 met"
    # OIP-6: the Access benefits
    assert [b.id for b in after.benefits] == [
        "dedicated_sales_rep",
        "escalation_grid",
        "installation_expert_base",
        "booster_pack",
        "marketing_promo",
        "promotions",
    ]


def test_a_duty_that_is_not_due_is_refused_and_members_only_read(
    world: Factory, oip: StatusProgram, clock: FixedClock
) -> None:
    with pytest.raises(InvalidInput) as wrong:
        record_duty(world(), SYSTEM, AMB, "operator_webinars", 3, on=ON, program=oip, clock=clock)
    assert (wrong.value.field, wrong.value.rule) == ("item_key", "OIP-5")
    with pytest.raises(InvalidInput) as line:
        set_profile(world(), SYSTEM, AMB, ["hoverboards"], [], program=oip, clock=clock)
    assert line.value.field == "product_lines"
    with pytest.raises(Forbidden):
        record_duty(
            world(), member_of(AMB), AMB, "meet_objectives", 1, on=ON, program=oip, clock=clock
        )
    with pytest.raises(Forbidden):
        duties_report(world(), member_of(OPE), AMB, on=ON, program=oip)
    premium = duties_report(world(), member_of(OPE), OPE, on=ON, program=oip)
    assert premium.standing.outcome.status.id == "premium"
    assert [i.key for i in premium.duties.items] == [
        "update_development_plan",
        "meet_objectives",
        "sales_forecasts",
    ]
    assert "back_margin_program" in [b.id for b in premium.benefits]


def test_the_ambassador_commission_on_every_billed_service(
    world: Factory, oip: StatusProgram
) -> None:
    """OIP-1: 10 % of 1,000 + 200 + 50.33 = 1,250.33 EUR billed in April = 125.033, rounded
    half-up once to 125.03 EUR (X-1)."""
    payout = commission_statement(world(), member_of(AMB), AMB, Month(2026, 4), program=oip)
    assert (payout.base, payout.exact, payout.amount) == (
        eur("1250.33"),
        eur("125.033"),
        eur("125.03"),
    )
    assert payout.idempotency_key == "payout:org_amb:2026-04"
    with pytest.raises(BusinessRuleViolation) as operator:
        commission_statement(world(), SYSTEM, OPE, Month(2026, 4), program=oip)
    assert operator.value.rule == "OIP-1"


def test_the_semiannual_back_margin_of_a_premium_operator(
    world: Factory, oip: StatusProgram
) -> None:
    """OIP-7: 5 % of the 2026-S1 VoIP revenue (6 × 1,234.57 = 7,407.42) = 370.371 →
    370.37 EUR, once the semester has ended; the data revenue does not count."""
    s1 = Period.parse("2026-S1")
    payout = back_margin_statement(world(), SYSTEM, OPE, s1, on=date(2026, 7, 1), program=oip)
    assert (payout.base, payout.amount) == (eur("7407.42"), eur("370.37"))
    with pytest.raises(BusinessRuleViolation) as early:
        back_margin_statement(world(), SYSTEM, OPE, s1, on=date(2026, 6, 30), program=oip)
    assert early.value.field == "as_of"
    with pytest.raises(BusinessRuleViolation) as ambassador:
        back_margin_statement(world(), SYSTEM, AMB, s1, on=date(2026, 7, 1), program=oip)
    assert ambassador.value.rule == "OIP-7"
