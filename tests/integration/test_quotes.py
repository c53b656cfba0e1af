"""Quotes as a use case over stored facts (OIP-7, OIP-8, X-3, X-6), on SQLite and
PostgreSQL: the member type and status come from the facts (OIP-1 … OIP-4), the
quarterly minimum from the orders or revenue of the quarter to the quote's day."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from alliance.domain.access import Actor
from alliance.domain.calendar import Month
from alliance.domain.errors import Forbidden, InvalidInput, NotAuthenticated, NotFound
from alliance.domain.explanations import Explanation
from alliance.domain.facts import RevenueKind
from alliance.domain.money import eur
from alliance.domain.outcomes import Outcome, Run, RunKey, Subject
from alliance.domain.promotions import BenefitKind, PriceBenefit, PromotionTerms
from alliance.programs.registry import ProgramRegistry
from alliance.services.quotes.pricing import quote
from alliance.services.quotes.requests import BasketRequest, LineRequest, lines_of
from alliance.services.status_terms import StatusProgram, status_program
from earned_world import (
    STAFF,
    SYSTEM,
    VIEWER,
    Factory,
    load,
    member_of,
    monthly,
    orders,
)

ON = date(2026, 5, 15)  # 2026-Q2; the status was assigned on 2026-01-01 from 2025-07…12
H2_2025 = Month(2025, 7)


@pytest.fixture(scope="module")
def oip() -> StatusProgram:
    return status_program(ProgramRegistry.load(None))


@pytest.fixture
def world(uow_factory: Factory) -> Factory:
    """A starter ambassador, a business ambassador with 420 EUR of Q2 order intake, a
    premium operator with 2,100 EUR of Q2 revenue."""
    load(
        uow_factory,
        "world",
        members=[
            ("org_amb_starter", "ambassador", None),
            ("org_amb_business", "ambassador", None),
            ("org_ope_premium", "operator", None),
            ("org_ope_business", "operator", None),
        ],
        revenue=[
            *monthly("org_amb_business", H2_2025, 6, "1500"),  # average 1,500: Business
            *monthly("org_amb_business", H2_2025, 6, "900", RevenueKind.MINUTES),  # not counted
            *monthly("org_ope_premium", H2_2025, 6, "6000"),  # Premium operator
            *monthly("org_ope_premium", Month(2026, 4), 2, "1050"),  # Q2: 2,100
            *monthly("org_ope_business", H2_2025, 6, "3500"),  # Business operator
            *monthly("org_ope_business", Month(2026, 4), 1, "1500", RevenueKind.ONE_OFF),
        ],
        orders=orders(
            "org_amb_business",
            (date(2026, 3, 31), "5000"),  # last quarter: not counted
            (date(2026, 4, 2), "300"),
            (date(2026, 5, 15), "120"),
            (date(2026, 5, 16), "900"),  # after the quote's day: not counted
        ),
    )
    return uow_factory


def basket(*lines: str, holds: tuple[str, ...] = (), project: str | None = None) -> BasketRequest:
    return BasketRequest(lines_of(lines), holds, project)


def test_starter_ambassador_promotions_stack_to_the_cent(
    world: Factory, oip: StatusProgram
) -> None:
    """OIP-7: SIP trunk 19.99 instead of 27 (data links with the operator), 10 % off data
    links with VoIP, 30 % off VMs with VoIP — all three cumulative; lines rounded once."""
    found = quote(
        world(),
        member_of("org_amb_starter"),
        "org_amb_starter",
        basket("sip_trunk:1", "data_link:2:50", "vm:3:39.99", holds=("voip",)),
        on=ON,
        program=oip,
    )
    q = found.quote
    assert (q.member_type, q.status) == ("ambassador", "starter")
    assert [line.total for line in q.lines] == [eur("19.99"), eur("90.00"), eur("83.98")]
    assert q.lines[2].unit_price == eur("27.993")
    assert (q.total, q.list_total, q.savings) == (eur("193.97"), eur("246.97"), eur("53.00"))
    assert [c.promotion for c in q.promotions if c.applied] == [
        "sa_ambassador_sip_trunk",
        "sa_ambassador_data_link",
        "sa_ambassador_vm",
    ]
    assert q.check("business_ambassador_porting").reasons[0].message == (
        "for business partners; you are starter"
    )


def test_business_porting_needs_600_eur_of_order_intake_this_quarter(
    world: Factory, oip: StatusProgram
) -> None:
    """OIP-8, with real numbers from the stored orders: 300 + 120 = 420 EUR in 2026-Q2
    (the March order and the one after the quote's day do not count)."""
    found = quote(
        world(), STAFF, "org_amb_business", basket("number_porting:12"), on=ON, program=oip
    )
    q = found.quote
    assert q.status == "business"
    check = q.check("business_ambassador_porting")
    assert (check.eligible, check.applied) == (False, False)
    assert check.reasons[0].message == (
        "Number porting grid needs 600.00 EUR of order intake in 2026-Q2; you have "
        "420.00 EUR (180.00 EUR to go)"
    )
    assert q.total == eur("108.00")  # 12 × 9 EUR list
    # minutes never count toward the status (OIP-2): 1,500 a month, not 2,400
    assert found.status.measure.average == eur("1500")

    load(world, "more-orders", orders=[*orders("org_amb_business", (date(2026, 5, 2), "180"))])
    again = quote(
        world(), STAFF, "org_amb_business", basket("number_porting:12"), on=ON, program=oip
    ).quote
    assert again.check("business_ambassador_porting").applied
    assert again.check("business_ambassador_porting").reasons[0].message == (
        "order intake in 2026-Q2: 600.00 EUR of 600.00 EUR — met"
    )
    assert again.total == eur("84.00")  # 12 × 7 EUR
    assert quote(
        world(), STAFF, "org_amb_business", basket("number_porting:31"), on=ON, program=oip
    ).quote.total == eur("155.00")  # more than 30: 5 EUR


def test_an_exclusive_promotion_never_combines_and_the_cheaper_basket_wins(
    world: Factory, oip: StatusProgram
) -> None:
    """OIP-7: an exclusive promotion is tried alone on the whole basket against the others
    together; the lower total wins and the loser says why."""
    assert oip.promotions is not None
    exclusive = PromotionTerms(
        "premium_fibre_launch",
        "Fibre launch offer: 50 % off fibre",
        ("premium",),
        ("operator",),
        (PriceBenefit(BenefitKind.PERCENT_OFF, "fibre", percent=Decimal("0.5")),),
        exclusive=True,
    )
    program = replace(
        oip,
        promotions=replace(oip.promotions, promotions=(*oip.promotions.promotions, exclusive)),
    )
    small = quote(
        world(),
        STAFF,
        "org_ope_premium",
        basket("fibre:2:100", "number_porting:40"),
        on=ON,
        program=program,
    ).quote
    # others together: fibre 2 × 95 = 190 (5 % off) + porting 40 × 3 = 120 → 310.00;
    # the exclusive alone: 2 × 50 = 100 + 40 × 5 = 200 → 300.00: the exclusive wins
    assert small.total == eur("300.00")
    assert small.check("premium_fibre_launch").applied
    assert not small.check("premium_operator_porting").applied
    assert not small.check("premium_operator_fibre").applied
    large = quote(
        world(),
        STAFF,
        "org_ope_premium",
        basket("fibre:2:100", "number_porting:400"),
        on=ON,
        program=program,
    ).quote
    # others: 190 + 1,200 = 1,390.00; exclusive: 100 + 2,000 = 2,100.00 → the others win
    assert large.total == eur("1390.00")
    assert [c.promotion for c in large.promotions if c.applied] == [
        "premium_operator_porting",
        "premium_operator_fibre",
        "premium_operator_back_margin",  # an incentive: named, not priced
    ]
    assert large.check("premium_fibre_launch").reasons[-1].message == (
        "Fibre launch offer: 50 % off fibre: exclusive, and the other promotions give a lower total"
    )
    assert large.check("premium_operator_porting").reasons[0].message == (
        "revenue in 2026-Q2: 2,100.00 EUR of 2,000.00 EUR — met"
    )


def test_a_partner_quotes_for_its_own_organisation_only(world: Factory, oip: StatusProgram) -> None:
    """X-6: a partner's people quote for their organisation; vendor staff for anyone."""
    wanted = basket("number_porting:12")
    with pytest.raises(Forbidden) as refused:
        quote(world(), member_of("org_amb_starter"), "org_amb_business", wanted, on=ON, program=oip)
    assert refused.value.rule == "X-6"
    with pytest.raises(NotAuthenticated):
        quote(world(), Actor.anonymous(), "org_amb_business", wanted, on=ON, program=oip)
    own = quote(
        world(), member_of("org_amb_business"), "org_amb_business", wanted, on=ON, program=oip
    )
    seen = quote(world(), VIEWER, "org_amb_business", wanted, on=ON, program=oip)
    assert own.quote.total == seen.quote.total == eur("108.00")


def test_bad_baskets_and_unknown_partners_are_refused_naming_the_field(
    world: Factory, oip: StatusProgram
) -> None:
    """X-7: every bad field at once; a partner that is not an OIP member is not found."""
    with pytest.raises(InvalidInput) as bad:
        quote(
            world(),
            SYSTEM,
            "org_amb_starter",
            BasketRequest(
                (LineRequest("hoverboard", 1), LineRequest("vm", 0, Decimal("10"))),
                holds=("teleporter",),
            ),
            on=ON,
            program=oip,
        )
    assert [(p.field, p.rule) for p in bad.value.problems] == [
        ("lines[0].product", "OIP-7"),
        ("lines[1].quantity", "OIP-7"),
        ("holds[0]", "OIP-7"),
    ]
    with pytest.raises(InvalidInput) as unpriced:
        quote(world(), SYSTEM, "org_amb_starter", basket("vm:2"), on=ON, program=oip)
    assert unpriced.value.field == "lines.unit_price"
    with pytest.raises(NotFound) as unknown:
        quote(world(), SYSTEM, "org_nobody", basket("sip_trunk:1"), on=ON, program=oip)
    assert (unknown.value.field, unknown.value.rule) == ("partner_id", "OIP-1")
    with pytest.raises(InvalidInput) as syntax:
        lines_of(["sip_trunk:two"])
    assert syntax.value.field == "lines[0].quantity"


def test_a_stored_evaluation_run_decides_the_status_held(
    world: Factory, oip: StatusProgram
) -> None:
    """OIP-3: the status the 1 January evaluation assigned holds until 30 June; when its
    run is stored, the quote uses it (a fact imported later does not change it)."""
    run_key = RunKey("oip", oip.version, date(2026, 1, 1))
    saved = Outcome(
        "oip",
        oip.version,
        date(2026, 1, 1),
        "org_amb_starter",
        Subject.STATUS,
        "ambassador",
        "business",
        Decimal("1600"),
        Explanation("Business (ambassador) since 2026-01-01, until 2026-06-30"),
        held=True,
        until=date(2026, 6, 30),
        details={"member_type": "ambassador", "evaluated_on": "2026-01-01"},
    )
    with world() as uow:
        run = Run(run_key, "hash", datetime(2026, 1, 1, tzinfo=UTC), 1, 1, {}, "")
        uow.tier_outcomes.save_run(run, [saved])
        uow.commit()
    found = quote(
        world(), STAFF, "org_amb_starter", basket("number_porting:12"), on=ON, program=oip
    )
    assert found.quote.status == "business"
    assert found.status.explanation.reasons[0].message == (
        f"assigned by the evaluation oip {oip.version} run of 2026-01-01"
    )
    assert found.quote.check("business_ambassador_porting").reasons[0].message == (
        "Number porting grid needs 600.00 EUR of order intake in 2026-Q2; you have "
        "0.00 EUR (600.00 EUR to go)"
    )
    # on 1 July the next evaluation applies: no run stored for it, computed from facts
    july = quote(
        world(), STAFF, "org_amb_starter", basket("sip_trunk:1"), on=date(2026, 7, 1), program=oip
    )
    assert july.quote.status == "starter"


def test_fleet_migration_waives_the_access_fee_and_the_volume_offer_prices_channels(
    world: Factory, oip: StatusProgram
) -> None:
    """OIP-7 for a Business operator (OIP-8: 1,500 EUR of revenue in 2026-Q2, met): the
    SIP trunk volume offer (0.5 instead of 1.5 EUR a channel) and, on a fleet migration,
    no service-access fee."""
    lines = ("sip_trunk_channel:20:1.5:150",)
    migrating = quote(
        world(),
        STAFF,
        "org_ope_business",
        basket(*lines, holds=("sip_trunk_volume_offer",), project="fleet_migration"),
        on=ON,
        program=oip,
    ).quote
    line = migrating.lines[0]
    assert (line.total, line.fee, line.fee_charged) == (eur("10.00"), eur("150"), eur("0"))
    assert (migrating.total, migrating.list_total) == (eur("10.00"), eur("180.00"))
    assert migrating.check("business_operator_fleet_migration").applied
    plain_order = quote(
        world(),
        STAFF,
        "org_ope_business",
        basket(*lines, holds=("sip_trunk_volume_offer",)),
        on=ON,
        program=oip,
    ).quote
    assert plain_order.total == eur("160.00")  # 20 × 0.50 + the 150 EUR fee
    assert plain_order.check("business_operator_fleet_migration").reasons[-1].message == (
        "Service-access fees waived on fleet migrations: needs a fleet_migration project"
    )
