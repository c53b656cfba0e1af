"""More of the portal's world for the customer, vendor, enrolment and engagement journeys
(issue 6): customer rewards loaded as ``alliance demo`` does (usage imported, every ended
month accrued, expiry run), and the people those journeys log in as — a customer's
contact, the vendor's staff, a partner without a membership who enrols.

Everything is added once per portal world (the world is session-scoped; each test module
asks for it), through the same use cases the CLI and the loader use.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from playwright.sync_api import Page, expect
from portal_world import PASSWORD, PortalWorld

from alliance.demo.dataset import DemoSpec, generate
from alliance.demo.loader import load_rewards, write_facts
from alliance.domain.access import Actor
from alliance.domain.ids import OrganizationId
from alliance.domain.organizations import OrganizationKind
from alliance.domain.people import PartnerRole, VendorRole
from alliance.services.auth import RegisterUser, register_user
from alliance.services.membership_terms import membership_program
from alliance.services.memberships import applications
from alliance.services.organizations import CreateOrganization, create_organization
from alliance.services.reward_terms import reward_program
from alliance.services.rewards.statements import reward_statement
from memberships_forms import associate_answers

SYSTEM = Actor.system("test")


@dataclass(frozen=True)
class Login:
    email: str
    password: str
    organization_id: str | None = None
    organization_name: str | None = None


@dataclass(frozen=True)
class JourneyPeople:
    customer: Login  # a customer's contact whose company has rewards and invoices
    other_customer: Login  # another customer's contact (tenancy)
    admin: Login  # the vendor's program admin
    viewer: Login  # the vendor's read-only staff
    applicant: Login  # the administrator of a partner with no membership yet (OPN-9)


_CACHE: dict[int, JourneyPeople] = {}


def register(
    world: PortalWorld,
    email: str,
    organization_id: str | None = None,
    *,
    partner: frozenset[PartnerRole] = frozenset(),
    vendor: frozenset[VendorRole] = frozenset(),
) -> Login:
    application = world.application
    register_user(
        application.uow_factory(),
        SYSTEM,
        RegisterUser(
            name=email.split("@")[0].title(),
            email=email,
            password=PASSWORD,
            organization_id=OrganizationId(organization_id) if organization_id else None,
            partner_roles=partner,
            vendor_roles=vendor,
        ),
        application.clock,
        application.passwords,
    )
    name = None
    if organization_id:
        with application.uow_factory() as uow:
            found = uow.organizations.get(OrganizationId(organization_id))
        name = found.name if found else None
    return Login(email, PASSWORD, organization_id, name)


def _customers_with_rewards(world: PortalWorld) -> list[str]:
    """Customers (top of their hierarchy) that have accrued rewards and invoices, by id."""
    application = world.application
    program = reward_program(application.programs)
    with application.uow_factory() as uow:
        invoiced = {
            i.customer_id
            for i in uow.rewards.invoices.of_customers(
                [c.id for c in uow.rewards.customers.every_customer()]
            )
        }
        tops = sorted(
            c.id
            for c in uow.rewards.customers.every_customer()
            if c.id in invoiced and c.parent_id is None
        )
    found = []
    for customer in tops:
        statement = reward_statement(
            application.uow_factory(), SYSTEM, customer, program=program, clock=application.clock
        )
        if any(s.accrued > Decimal(0) for s in statement.currencies):
            found.append(customer)
        if len(found) == 2:
            break
    return found


def journey_people(world: PortalWorld) -> JourneyPeople:
    """Load the rewards and register the people, once per world."""
    cached = _CACHE.get(id(world))
    if cached is not None:
        return cached
    application = world.application
    dataset = generate(DemoSpec(partners=60, seed=7))
    facts = Path(tempfile.mkdtemp(prefix="portal-facts-"))
    load_rewards(application, dataset, write_facts(dataset, facts)["usage"])
    first, second = _customers_with_rewards(world)
    contact = frozenset({PartnerRole.CUSTOMER_CONTACT})
    newcomer = create_organization(
        application.uow_factory(),
        SYSTEM,
        CreateOrganization(
            name="Newcomer Consulting SARL", kind=OrganizationKind.PARTNER, country="FR"
        ),
        application.clock,
    )
    people = JourneyPeople(
        customer=register(world, "carla@customer.example", first, partner=contact),
        other_customer=register(world, "otto@customer.example", second, partner=contact),
        admin=register(world, "vera@vendor.example", vendor=frozenset({VendorRole.PROGRAM_ADMIN})),
        viewer=register(world, "vic@vendor.example", vendor=frozenset({VendorRole.VIEWER})),
        applicant=register(
            world,
            "nina@newcomer.example",
            newcomer.id,
            partner=frozenset({PartnerRole.PARTNER_ADMINISTRATOR}),
        ),
    )
    _CACHE[id(world)] = people
    return people


def log_in_as(page: Page, login: Login, heading: str | None = None) -> None:
    """Log in; the page reached is checked by its heading when ``heading`` is given."""
    page.goto("/login")
    page.get_by_label("E-mail").fill(login.email)
    page.get_by_label("Password").fill(login.password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    if heading is not None:
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)


def pending_associate(world: PortalWorld, name: str, email: str) -> tuple[str, Login]:
    """A subsidiary of Ada's company whose administrator ``email`` applied as an
    associate (OPN-1, OPN-2) and waits for the principal's approval: the application's
    id and the applicant's login."""
    application = world.application
    program = membership_program(application.programs)
    principal = world.memberships[world.ada.organization_id].membership
    subsidiary = create_organization(
        application.uow_factory(),
        SYSTEM,
        CreateOrganization(
            name=name,
            country="ES",
            kind=OrganizationKind.PARTNER,
            parent_id=OrganizationId(world.ada.organization_id),
            ownership_percent=Decimal(80),
        ),
        application.clock,
    )
    applicant = register(
        world, email, subsidiary.id, partner=frozenset({PartnerRole.PARTNER_ADMINISTRATOR})
    )
    with application.uow_factory() as uow:
        user = uow.users.by_email(applicant.email)
        assert user is not None
        person = user.person_id
    view = applications.start_application(
        application.uow_factory(),
        SYSTEM,
        program,
        application.clock,
        subsidiary.id,
        applicant=person,
    )
    app_id = view.application.id
    rank = program.terms.rank_of(principal.level)
    for step, data in associate_answers(
        principal.subscription_id, level="l0" if rank == 0 else "l1"
    ):
        applications.save_step(
            application.uow_factory(), SYSTEM, program, application.clock, app_id, step, data
        )
    applications.submit_application(
        application.uow_factory(), SYSTEM, program, application.clock, app_id
    )
    return app_id, applicant
