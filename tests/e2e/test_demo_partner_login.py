"""The demo's partner login sees a full picture (issue 5, issue 6): its company is an
active principal with credits (CRD-1) and orders held, delivered, cancelled and awaiting
approval (CRD-2, CRD-3), an approved associate (OPN-2), engagements in several states,
and — once the demo evaluates — earned tiers: qualified in Data & AI and Security, not
in Modern Work (MCPP-2), enrolled in those designations (MCPP-8), a PEX tier; OIP's
members have statuses. Loading the evaluations twice saves nothing new (X-5)."""

from __future__ import annotations

from decimal import Decimal

from alliance.bootstrap import Application
from alliance.demo.dataset import DemoSpec, generate
from alliance.demo.evaluations import load_evaluations
from alliance.demo.loader import (
    create_logins,
    load_credits,
    load_directory,
    load_engagements,
    load_memberships,
    load_tier_facts,
)
from alliance.demo.partner import PARTNER_LOGIN, demo_partner_id
from alliance.domain.access import Actor
from alliance.domain.calendar import Month
from alliance.domain.credits.orders import RequestStatus
from alliance.domain.ids import OrganizationId
from alliance.domain.membership import MembershipStatus
from alliance.services.credits.orders import list_orders
from alliance.services.credits.statements import credit_statement
from alliance.services.dashboard import partner_standing
from alliance.services.engagements.queries import list_engagements

SYSTEM = Actor.system("test")
END = Month(2025, 2)  # the last full month before the tests' clock (2025-03-14)


def test_the_partner_login_sees_every_part_of_the_demo(application: Application) -> None:
    dataset = generate(DemoSpec(partners=40, seed=7, end_month=END))
    load_directory(application.uow_factory, dataset, lambda _n: None)
    logins = create_logins(
        application.uow_factory, dataset, application.clock, application.passwords
    )
    load_memberships(application)
    load_tier_facts(application, dataset)
    evaluations = load_evaluations(application, END)
    load_engagements(application)
    load_credits(application)

    org = OrganizationId(demo_partner_id(dataset.organizations))
    assert next(lg for lg in logins if lg.email == PARTNER_LOGIN).organization == org
    with application.uow_factory() as uow:
        membership = uow.memberships.current(org)
        hierarchy = uow.organizations.company_hierarchy(org)
        associates = [
            m
            for m in uow.memberships.every([MembershipStatus.ACTIVE])
            if m.organization_id in hierarchy.descendants(org)
        ]
        mcpp = uow.tier_outcomes.enrolments("mcpp", [org]).get(org, [])
    assert membership is not None and membership.status is MembershipStatus.ACTIVE
    assert membership.level == "l1" and not membership.is_associate
    assert len(associates) == 1 and associates[0].is_associate  # OPN-2, approved

    statement = credit_statement(application.uow_factory(), SYSTEM, org, clock=application.clock)
    assert statement.statement is not None
    orders = list_orders(application.uow_factory(), SYSTEM, org)
    statuses = {o.status: o.amount for o in orders}
    assert statuses == {
        RequestStatus.DELIVERED: Decimal("250"),  # a training voucher
        RequestStatus.HELD: Decimal("250"),  # two exam vouchers at 125
        RequestStatus.CANCELLED: Decimal("100"),  # cloud credits
        RequestStatus.PENDING_APPROVAL: Decimal("250"),  # the associate's voucher (CRD-2)
    }
    assert statement.statement.held == Decimal("250")  # CRD-3: held until delivery

    found = list_engagements(application.uow_factory(), SYSTEM, partner_id=org, limit=50)
    assert {r.engagement.status.value for r in found} == {
        "account_planning",
        "eligible",
        "submitted",
    }

    assert set(evaluations.runs) == {"mcpp", "oip", "pex"}, evaluations.skipped
    assert evaluations.as_of.isoformat() == "2025-02-28"
    standing = partner_standing(
        application.uow_factory(), SYSTEM, application.programs, org, clock=application.clock
    )
    areas = {s.subject_id: s for s in standing.program("mcpp").subjects if s.score is not None}
    assert areas["data_ai"].result == "enrolled" and areas["data_ai"].score == 100
    assert areas["security"].result == "enrolled" and areas["security"].score >= 70
    assert (
        areas["modern_work"].result not in {"qualified", "enrolled"}
        and areas["modern_work"].score < 70
    )
    assert [sorted(e.areas) for e in mcpp] == [["data_ai", "security"]]  # MCPP-8
    assert standing.program("pex") is not None and standing.program("pex").subjects
    assert evaluations.runs["oip"].run.partners == 8  # OIP-4: the demo's members

    again = load_evaluations(application, END)
    assert not any(s.written for s in again.runs.values())  # the same outcomes
    with application.uow_factory() as uow:
        assert len(uow.tier_outcomes.enrolments("mcpp", [org])[org]) == 1
