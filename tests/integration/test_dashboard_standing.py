"""The partner dashboard (MCPP-5, X-3, X-6) on SQLite and PostgreSQL: facts staged through
the facts store, evaluated by the evaluation use case, read back per program and subject
with score and explanation — and only by those allowed to see them.

Acme (FR) is a principal with the associate Acme Iberia; Globex (DE) another company.
Acme's Infrastructure score is 65 with every metric above zero (5 short of 70); Globex
is an OIP operator with 5,000 EUR of counted revenue a month (Business, 1,000 short of
Premium)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from evaluation_facts import LAST, mcpp_tables, monthly, named, oip_tables, stage
from tiers_fixtures import certs, customers, deployments, facts, growth

from alliance.domain.access import Actor, ActorKind
from alliance.domain.calendar import Month
from alliance.domain.clock import FixedClock
from alliance.domain.errors import NotAuthenticated, NotFound
from alliance.domain.ids import OrganizationId
from alliance.domain.organizations import Organization
from alliance.domain.people import PartnerRole, VendorRole
from alliance.domain.scoring import PartnerFacts
from alliance.programs.registry import ProgramRegistry
from alliance.services.dashboard import PartnerStanding, partner_standing
from alliance.services.evaluation.runs import evaluate
from alliance.services.organizations import CreateOrganization, create_organization
from alliance.store.unit_of_work import SqlUnitOfWork

UowFactory = Callable[[], SqlUnitOfWork]
PROGRAMS = ProgramRegistry.load(None)
SYSTEM = Actor.system("test")
VIEWER = Actor(ActorKind.VENDOR_STAFF, vendor_roles=frozenset({VendorRole.VIEWER}), label="v")
MCPP_DAY = date(2026, 6, 17)
OIP_DAY = date(2026, 7, 1)


def infrastructure_at_65() -> PartnerFacts:
    """Infrastructure: 65 on 2026-06-17, every metric above zero (MCPP-2, MCPP-8)."""
    return facts(
        customers("infrastructure", 2, date(2026, 3, 1)),  # 2 × 10 = 20
        certs("az_104", 3, date(2025, 1, 10)),  # 3 × 4 = 12
        certs("az_305", 2, date(2025, 1, 10)),  # 2 × 4 = 8
        growth("infrastructure", LAST, Decimal(100), Decimal(115)),  # 15 % → 15
        deployments("infrastructure", 5, date(2026, 2, 1)),  # 5 × 2 = 10
    )


def member(org: Organization, *roles: PartnerRole) -> Actor:
    return Actor(ActorKind.MEMBER, organization_id=org.id, partner_roles=frozenset(roles))


class World:
    def __init__(self, uow_factory: UowFactory, clock: FixedClock) -> None:
        def create(name: str, country: str, parent: Organization | None = None) -> Organization:
            command = CreateOrganization(
                name,
                country,
                parent_id=parent.id if parent else None,
                ownership_percent=Decimal(100) if parent else None,
            )
            return create_organization(uow_factory(), SYSTEM, command, clock)

        self.acme = create("Acme", "FR")
        self.iberia = create("Acme Iberia", "ES", self.acme)
        self.globex = create("Globex", "DE")
        self.uow_factory = uow_factory
        mcpp = [
            named(self.acme.id, infrastructure_at_65()),
            named("facts_only", infrastructure_at_65()),  # a partner with no organisation
        ]
        stage(uow_factory, mcpp_tables(mcpp), "mcpp")
        first_half = [Month(2026, m) for m in range(1, 7)]
        stage(
            uow_factory,
            oip_tables(
                [(self.globex.id, "operator", None)], monthly(self.globex.id, first_half, 5000)
            ),
            "oip",
        )
        evaluate(uow_factory(), SYSTEM, PROGRAMS, "mcpp", MCPP_DAY)
        evaluate(uow_factory(), SYSTEM, PROGRAMS, "oip", OIP_DAY)

    def standing(self, actor: Actor, org: str, on: date | None = None) -> PartnerStanding:
        return partner_standing(self.uow_factory(), actor, PROGRAMS, org, on)


@pytest.fixture
def world(uow_factory: UowFactory, clock: FixedClock) -> World:
    return World(uow_factory, clock)


def test_each_area_shows_its_score_and_the_gap_to_70(world: World) -> None:
    """MCPP-5, X-3: per area the score on the day, the reasons with their rule ids, the gap
    to 70 in words and the cheapest step to close it."""
    standing = world.standing(member(world.acme), world.acme.id)
    assert [p.code for p in standing.programs] == ["mcpp"]  # no OIP facts for Acme
    mcpp = standing.programs[0]
    assert mcpp.as_of == MCPP_DAY
    assert [s.subject_id for s in mcpp.subjects] == [
        "data_ai",
        "infrastructure",
        "digital_app_innovation",
        "business_applications",
        "modern_work",
        "security",
    ]  # MCPP-1, in the definition's order
    infra = next(s for s in mcpp.subjects if s.subject_id == "infrastructure")
    assert (infra.subject_name, infra.result, infra.result_name) == (
        "Infrastructure (Azure)",
        "in_progress",
        "In progress",
    )
    assert infra.score == Decimal(65)
    assert not infra.held
    assert infra.explanation.gap == Decimal(5)
    assert infra.gap_message == "needs 5 more to reach 70 points"
    assert any("2 × 10 = 20 points" in r.message for r in infra.explanation.reasons)
    assert all(r.rule for r in infra.explanation.reasons)  # every reason cites its rule
    assert infra.explanation.steps  # the cheapest way to close the gap
    assert sum(s.gain for s in infra.explanation.steps) >= 5

    security = next(s for s in mcpp.subjects if s.subject_id == "security")
    assert (security.score, security.gap_message) == (0, "needs 70 more to reach 70 points")


def test_the_oip_status_shows_the_revenue_average_and_the_gap_to_premium(world: World) -> None:
    """OIP-2, OIP-4, X-3: Business on 5,000 a month; 1,000 a month short of Premium."""
    standing = world.standing(member(world.globex), world.globex.id)
    oip = standing.program("oip")
    assert oip is not None and standing.program("mcpp") is None
    (status,) = oip.subjects
    assert (status.subject_id, status.result, status.result_name) == (
        "operator",
        "business",
        "Business",
    )
    assert status.score == Decimal(5000)
    assert status.held and status.as_of == OIP_DAY
    assert status.explanation.gap == Decimal("1000.00")
    assert status.gap_message is not None
    assert status.gap_message.startswith("needs 1000 more to reach Premium")


def test_on_reads_the_runs_of_that_day_or_before(world: World) -> None:
    """The latest run on or before ``on``: nothing before the first run."""
    assert world.standing(SYSTEM, world.acme.id, on=MCPP_DAY).programs
    assert world.standing(SYSTEM, world.acme.id, on=date(2026, 6, 16)).programs == ()


def test_only_the_partner_its_principals_administrators_and_staff_see_it(world: World) -> None:
    """X-6, OPN-2, OPN-3, OPN-18: another company's people are told there is no such
    partner — the same answer as for an id that does not exist."""
    acme, iberia, globex = world.acme, world.iberia, world.globex
    assert world.standing(VIEWER, acme.id).programs[0].code == "mcpp"
    assert world.standing(SYSTEM, globex.id).programs[0].code == "oip"
    assert world.standing(member(acme), acme.id).organization_id == acme.id
    admin = member(acme, PartnerRole.PARTNER_ADMINISTRATOR)
    assert world.standing(admin, iberia.id).programs == ()  # no outcomes, but allowed

    refused = [
        (member(globex, PartnerRole.PARTNER_ADMINISTRATOR), acme.id),
        (member(acme), iberia.id),  # not an administrator
        (member(iberia, PartnerRole.PARTNER_ADMINISTRATOR), acme.id),  # below, not above
        (member(acme), "org_does_not_exist"),
    ]
    messages = set()
    for actor, org in refused:
        with pytest.raises(NotFound) as caught:
            world.standing(actor, org)
        assert caught.value.rule == "X-6"
        messages.add(caught.value.message.replace(org, "…"))
    assert messages == {"no partner …"}  # nothing tells the refused apart from the unknown
    with pytest.raises(NotAuthenticated):
        world.standing(Actor.anonymous(), acme.id)


def test_staff_read_a_partner_known_only_by_its_facts(world: World) -> None:
    """Partner ids are the facts' own: staff see one without an organisation; its
    people cannot exist, and an id with neither is not found."""
    standing = world.standing(VIEWER, "facts_only")
    assert standing.name == "facts_only"
    infra = next(s for s in standing.programs[0].subjects if s.subject_id == "infrastructure")
    assert infra.score == Decimal(65)
    with pytest.raises(NotFound):
        world.standing(VIEWER, "nobody_at_all")
    with pytest.raises(NotFound):
        world.standing(member(world.acme, PartnerRole.PARTNER_ADMINISTRATOR), "facts_only")


def test_an_enrolled_area_is_held_until_the_anniversary(world: World) -> None:
    """MCPP-8: a designation held shows ``held`` and the day it holds until."""
    from alliance.domain.scoring import Enrolment
    from alliance.services.evaluation.ports import EnrolmentRecord

    enrolment = Enrolment(date(2026, 2, 10), date(2027, 2, 10), frozenset({"infrastructure"}))
    with world.uow_factory() as uow:
        uow.tier_outcomes.add_enrolment(EnrolmentRecord("mcpp", world.acme.id, enrolment))
        uow.commit()
    evaluate(world.uow_factory(), SYSTEM, PROGRAMS, "mcpp", date(2026, 6, 18))
    standing = world.standing(member(world.acme), OrganizationId(world.acme.id))
    infra = next(s for s in standing.programs[0].subjects if s.subject_id == "infrastructure")
    assert (infra.result, infra.result_name, infra.held, infra.until) == (
        "enrolled",
        "Designated",
        True,
        date(2027, 2, 10),
    )
    assert infra.score == Decimal(65)
