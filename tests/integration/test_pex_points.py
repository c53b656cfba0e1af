"""PEX use cases over stored facts and the SQL ledger, on SQLite and PostgreSQL:
enrolment by partner type and modules (PEX-2, PEX-7), points posted exactly once
(PEX-3, PEX-4, PEX-6, X-5), proof-of-concept budgets paid with points (PEX-4) and the
Resell tranche margin (PEX-5)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from alliance.domain.calendar import Month, Period
from alliance.domain.clock import FixedClock
from alliance.domain.errors import BusinessRuleViolation, Conflict, Forbidden, InvalidInput
from alliance.domain.money import usd
from alliance.programs.registry import ProgramRegistry
from alliance.services.modular_tier_terms import ModularTierProgram, modular_tier_program
from alliance.services.modular_tiers.budgets import (
    decide_budget,
    points_statement,
    request_budget,
)
from alliance.services.modular_tiers.enrolment import enrol
from alliance.services.modular_tiers.margins import margin_statement
from alliance.services.modular_tiers.points import post_points
from alliance.services.modular_tiers.ports import BudgetStatus
from earned_world import STAFF, SYSTEM, Factory, certs, deal, load, member_of

RESELLER, INFLUENCER, DISTRIBUTOR = "org_reseller", "org_influencer", "org_distributor"
JAN, FEB = Month(2025, 1), Month(2025, 2)  # the clock says 2025-03-14: both have ended


@pytest.fixture(scope="module")
def pex() -> ModularTierProgram:
    return modular_tier_program(ProgramRegistry.load(None))


@pytest.fixture
def world(uow_factory: Factory, pex: ModularTierProgram, clock: FixedClock) -> Factory:
    """A reseller (Resell), an influencer (Resell + Sell With), a distributor; one deal
    transacted by the reseller and influenced by the influencer (PEX-3); the reseller's
    people earn 3 certifications in January (PEX-6)."""
    on = date(2025, 1, 2)
    enrol(
        uow_factory(),
        SYSTEM,
        RESELLER,
        "solution_provider",
        ["resell"],
        on=on,
        program=pex,
        clock=clock,
    )
    enrol(
        uow_factory(),
        SYSTEM,
        INFLUENCER,
        "solution_provider",
        ["resell", "sell_with"],
        on=on,
        program=pex,
        clock=clock,
    )
    enrol(
        uow_factory(),
        SYSTEM,
        DISTRIBUTOR,
        "distributor",
        ["distribution"],
        on=on,
        program=pex,
        clock=clock,
    )
    load(
        uow_factory,
        "pex",
        deals=[
            deal("D1", RESELLER, "60000", date(2025, 1, 20), [INFLUENCER]),
            deal("D2", INFLUENCER, "12500", date(2025, 2, 3), [RESELLER]),  # no Sell With
            deal("D3", RESELLER, "8000", date(2025, 2, 10), kind="services"),  # no margin
        ],
        certifications=certs(RESELLER, 3, date(2025, 1, 15)),
    )
    return uow_factory


def test_one_deal_credits_the_seller_and_the_influencer(
    world: Factory, pex: ModularTierProgram, clock: FixedClock
) -> None:
    """PEX-3: deal D1 (60,000 USD) goes through the reseller — its Resell margin — and
    earns the influencer Sell With points: 60 (1 point per 1,000 USD, PEX-4). The
    reseller's 3 certifications earn 150 points (50 each, PEX-6)."""
    run = post_points(world(), SYSTEM, JAN, program=pex, clock=clock)
    assert (run.posted, run.already_posted) == (2, 0)
    assert {(a.partner_id, a.source.value, a.points) for a in run.awards} == {
        (INFLUENCER, "influence", Decimal(60)),
        (RESELLER, "certification", Decimal(150)),
    }
    with world() as uow:
        keys = {
            p.idempotency_key
            for p in uow.ledger.postings()
            if p.idempotency_key.startswith("pex:points:")
        }
    assert keys == {
        "pex:points:influence:org_influencer:2025-01",
        "pex:points:certification:org_reseller:2025-01",
    }
    margin = margin_statement(world(), STAFF, RESELLER, Period.parse("2025"), program=pex)
    # PEX-5: 25,000 × 10 % + 25,000 × 12 % + 10,000 × 14 % = 6,900.00 USD (D3 is services)
    assert margin.margin.margin == usd("6900.00")
    assert margin.deals == ("D1",)
    influencer = margin_statement(world(), STAFF, INFLUENCER, Period.parse("2025"), program=pex)
    assert influencer.margin.margin == usd("1250.00")  # D2: 12,500 × 10 %


def test_rerunning_a_month_posts_nothing(
    world: Factory, pex: ModularTierProgram, clock: FixedClock
) -> None:
    """X-5: the same month twice, one lot per partner, source and month."""
    post_points(world(), SYSTEM, JAN, program=pex, clock=clock)
    again = post_points(world(), SYSTEM, JAN, program=pex, clock=clock)
    assert (again.posted, again.already_posted) == (0, 2)
    february = post_points(world(), SYSTEM, FEB, program=pex, clock=clock)
    # D2's influencer (the reseller) holds no Sell With: no points (PEX-3)
    assert (february.posted, february.awards) == (0, ())
    statement = points_statement(world(), STAFF, INFLUENCER, on=date(2025, 3, 14), program=pex)
    assert (statement.statement.accrued, statement.statement.available) == (60, 60)
    with world() as uow:
        lots = [lot for lot in uow.ledger.lots().values() if lot.owner == INFLUENCER]
    assert len(lots) == 1


def test_a_month_is_posted_once_it_has_ended(
    world: Factory, pex: ModularTierProgram, clock: FixedClock
) -> None:
    with pytest.raises(BusinessRuleViolation) as refused:
        post_points(world(), SYSTEM, Month(2025, 3), program=pex, clock=clock)
    assert refused.value.rule == "PEX-4"
    with pytest.raises(Forbidden):
        post_points(world(), member_of(RESELLER), JAN, program=pex, clock=clock)


def test_points_pay_a_proof_of_concept_budget_and_never_past_the_balance(
    world: Factory, pex: ModularTierProgram, clock: FixedClock
) -> None:
    """PEX-4: points held while the vendor decides, captured on approval; a request past
    the balance is refused with the numbers; the same budget twice is one request."""
    post_points(world(), SYSTEM, JAN, program=pex, clock=clock)
    me = member_of(INFLUENCER)
    with pytest.raises(BusinessRuleViolation) as short:
        request_budget(world(), me, INFLUENCER, Decimal(100), "poc-1", program=pex, clock=clock)
    assert short.value.message == (
        "proof-of-concept budget poc-1 needs 100 points; org_influencer has 60 available (40 short)"
    )
    held = request_budget(world(), me, INFLUENCER, Decimal(50), "poc-1", program=pex, clock=clock)
    assert (held.request.status, held.available_after, held.replayed) == (
        BudgetStatus.HELD,
        Decimal(10),
        False,
    )
    twice = request_budget(world(), me, INFLUENCER, Decimal(50), "poc-1", program=pex, clock=clock)
    assert (twice.replayed, twice.request.id, twice.available_after) == (
        True,
        held.request.id,
        Decimal(10),
    )
    with pytest.raises(Conflict):
        request_budget(world(), me, INFLUENCER, Decimal(40), "poc-1", program=pex, clock=clock)
    with pytest.raises(BusinessRuleViolation):
        request_budget(world(), me, INFLUENCER, Decimal(20), "poc-2", program=pex, clock=clock)
    approved = decide_budget(
        world(), STAFF, held.request.id, approve=True, program=pex, clock=clock
    )
    assert approved.request.status is BudgetStatus.APPROVED
    statement = points_statement(world(), me, INFLUENCER, on=date(2025, 3, 14), program=pex)
    s = statement.statement
    assert (s.accrued, s.available, s.held, s.spent) == (60, 10, 0, 50)
    assert [r.budget_ref for r in statement.requests] == ["poc-1"]
    with pytest.raises(Conflict):
        decide_budget(world(), STAFF, held.request.id, approve=False, program=pex, clock=clock)


def test_a_rejected_budget_gives_the_points_back(
    world: Factory, pex: ModularTierProgram, clock: FixedClock
) -> None:
    post_points(world(), SYSTEM, JAN, program=pex, clock=clock)
    held = request_budget(world(), STAFF, RESELLER, Decimal(150), "lab-7", program=pex, clock=clock)
    assert held.available_after == 0
    rejected = decide_budget(
        world(), STAFF, held.request.id, approve=False, program=pex, clock=clock
    )
    assert (rejected.request.status, rejected.available_after) == (BudgetStatus.REJECTED, 150)
    with pytest.raises(Forbidden):
        request_budget(
            world(), member_of(INFLUENCER), RESELLER, Decimal(1), "x", program=pex, clock=clock
        )
    with pytest.raises(Forbidden):
        decide_budget(
            world(), member_of(RESELLER), held.request.id, approve=True, program=pex, clock=clock
        )
    with pytest.raises(InvalidInput) as fraction:
        request_budget(world(), STAFF, RESELLER, Decimal("1.5"), "y", program=pex, clock=clock)
    assert (fraction.value.field, fraction.value.rule) == ("points", "PEX-4")


def test_enrolment_checks_availability_and_combinable_modules(
    world: Factory, pex: ModularTierProgram, clock: FixedClock
) -> None:
    """PEX-7: cloud service providers are not admitted yet; PEX-2: Sell With combines with
    Resell, Distribution with nothing."""
    on = date(2025, 3, 1)
    with pytest.raises(BusinessRuleViolation) as csp:
        enrol(
            world(),
            SYSTEM,
            "org_csp",
            "cloud_service_provider",
            ["resell"],
            on=on,
            program=pex,
            clock=clock,
        )
    assert csp.value.message == "Cloud service providers are not admitted yet (no date set yet)"
    with pytest.raises(BusinessRuleViolation) as mixed:
        enrol(
            world(),
            SYSTEM,
            DISTRIBUTOR,
            "distributor",
            ["distribution", "resell"],
            on=on,
            program=pex,
            clock=clock,
        )
    assert mixed.value.message == "Distribution + Resell cannot be held together"
    changed = enrol(
        world(),
        STAFF,
        RESELLER,
        "solution_provider",
        ["resell", "sell_with"],
        on=on,
        program=pex,
        clock=clock,
    )
    assert changed.enrolment.modules == frozenset({"resell", "sell_with"})
    assert changed.enrolment.enrolled_on == date(2025, 1, 2)  # kept from the first enrolment
    # the reseller now holds Sell With: February's D2 (influenced by it) earns it 12 points
    february = post_points(world(), SYSTEM, FEB, program=pex, clock=clock)
    assert [(a.partner_id, a.points) for a in february.awards] == [(RESELLER, Decimal(12))]


def test_tiers_from_points_and_availability_by_date(
    world: Factory, pex: ModularTierProgram, clock: FixedClock
) -> None:
    """PEX-1, PEX-6: the reseller's 150 certification points keep it Ready, 850 short of
    Advanced — 17 more certifications close the gap; PEX-7: once a vendor sets the day
    cloud service providers are admitted, they enrol from that day."""
    post_points(world(), SYSTEM, JAN, program=pex, clock=clock)
    statement = points_statement(world(), STAFF, RESELLER, on=date(2025, 3, 14), program=pex)
    tier = statement.tier
    assert (tier.tier.id if tier.tier else None, tier.points) == ("ready", Decimal(150))
    assert tier.explanation.gap == Decimal(850)
    assert tier.explanation.steps[0].message == "17 more certifications: +850 points"
    types = tuple(
        replace(t, available_from=date(2025, 3, 1)) if t.id == "cloud_service_provider" else t
        for t in pex.terms.partner_types
    )
    later = replace(pex, terms=replace(pex.terms, partner_types=types))
    with pytest.raises(BusinessRuleViolation) as early:
        enrol(
            world(), SYSTEM, "org_csp", "cloud_service_provider", ["resell"],
            on=date(2025, 2, 28), program=later, clock=clock,
        )  # fmt: skip
    assert early.value.message == ("Cloud service providers are not admitted yet (from 2025-03-01)")
    admitted = enrol(
        world(), SYSTEM, "org_csp", "cloud_service_provider", ["resell"],
        on=date(2025, 3, 1), program=later, clock=clock,
    )  # fmt: skip
    assert admitted.availability.admitted
