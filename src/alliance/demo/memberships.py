"""Demo memberships (OPN-1 … OPN-15, CRD-1): the first demo principals enrol through the
use cases — application step by step, submission, invoice, payment, activation with
their partner credits — at various levels, on days in the past so that the demo shows
every state:

* principals at levels 1, 2 (quarterly instalments), 3 (paid before activation) and 0,
  enrolled a month ago;
* one principal enrolled ~300 days ago, so its renewal window is open today (OPN-14);
* one principal at level 3 that has not paid yet (``pending_payment``, OPN-6);
* an associate of the first principal with associates, approved by its principal's
  administrator (OPN-2, OPN-8), and another waiting for approval (``pending_approval``);

then the daily job runs for today (window notices, reminders). An organisation that
already has a membership or an application is left alone, so loading twice changes
nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from alliance.bootstrap import Application
from alliance.demo.partner import login_company
from alliance.domain.access import Actor
from alliance.domain.clock import FixedClock
from alliance.domain.errors import AllianceError
from alliance.domain.ids import OrganizationId, PersonId
from alliance.domain.membership import MembershipStatus
from alliance.domain.money import Money
from alliance.domain.organizations import Organization, OrganizationKind
from alliance.domain.people import PartnerRole
from alliance.services.membership_terms import MembershipProgram, membership_program
from alliance.services.memberships import applications, payments, tick

SYSTEM = Actor.system("demo")
ROLES_NAMED = (
    "key_executive",
    "key_executive",
    "business_development",
    "legal_contact",
    "technical_readiness",
    "accounts_payable",
    "marketing_contact",
    "sales_engagement_contact",
)


@dataclass(frozen=True)
class Plan:
    """One demo principal's enrolment: level, plan, method, days ago, and whether paid."""

    level: str
    plan: str
    method: str
    days_ago: int
    pay: bool = True


#: In order, for the first principals (by id) with people.
PLANS = (
    Plan("l1", "annual", "wire", 30),
    Plan("l2", "quarterly", "wire", 30),
    Plan("l3", "annual", "wire", 30),
    Plan("l0", "annual", "card", 30),
    Plan("l2", "annual", "purchase_order", 300),  # its renewal window is open today
    Plan("l3", "annual", "wire", 5, pay=False),  # waiting for full payment
)


@dataclass
class MembershipsLoaded:
    """What :func:`load_memberships` did: memberships by status, and what it skipped."""

    memberships: dict[str, int] = field(default_factory=dict)
    pending_applications: int = 0
    skipped: list[str] = field(default_factory=list)
    tick: str = ""

    def count(self, status: str) -> None:
        self.memberships[status] = self.memberships.get(status, 0) + 1

    @property
    def summary(self) -> str:
        done = ", ".join(f"{n} {s}" for s, n in sorted(self.memberships.items()))
        waiting = f"; {self.pending_applications} associate(s) awaiting approval"
        return (
            f"Memberships: {done or 'none'}{waiting if self.pending_applications else ''} "
            "(alliance memberships list)"
        )


def _company(org: OrganizationId, name: str, country: str, *, principal: bool) -> dict[str, Any]:
    domain = f"{org.replace('_', '-')}.demo.example"
    return {
        "legal_name": name,
        "address": {
            "line1": "1 Demo Street",
            "city": "Demo City",
            "postal_code": "10001",
            "country": country,
        },
        "administrator": {"name": f"{name} administrator", "email": f"admin@{domain}"},
        "contacts": [
            {"name": f"{role} {i}", "email": f"{role}{i}@{domain}", "role": role}
            for i, role in enumerate(ROLES_NAMED)
        ],
        "partner_store_terms_accepted": principal,
    }


def _answers(
    org: OrganizationId,
    name: str,
    country: str,
    plan: Plan | None,
    principal_subscription: str | None = None,
    associate_level: str | None = None,
) -> list[tuple[str, dict[str, Any]]]:
    associate = principal_subscription is not None
    level = associate_level if associate else (plan.level if plan else "l1")
    first: dict[str, Any] = (
        {"member_type": "associate", "principal_subscription": principal_subscription}
        if associate
        else {"member_type": "principal", "level": level}
    )
    steps: list[tuple[str, dict[str, Any]]] = [
        ("partnership_type_and_level", first),
        ("administrator_confirmation", {"accepts_administrator_role": True}),
        ("company_and_contacts", _company(org, name, country, principal=not associate)),
        ("review_contacts", {"confirmed": True}),
    ]
    if level != "l0" and not associate:
        steps.append(
            (
                "reward_questionnaire",
                {"payout": "partner_credits", "associate_ordering": "approval_required"},
            )
        )
    if level != "l0":
        steps.append(("program_questionnaire", {"tracks": [] if associate else ["healthcare"]}))
    payment = {"plan": plan.plan, "method": plan.method} if plan else {}
    steps += [
        ("agreement", {"method": "principal_terms" if associate else "online_click"}),
        ("payment", payment),
        ("final_review", {"confirmed": True}),
    ]
    return steps


def _clock_at(day: date) -> FixedClock:
    return FixedClock(datetime.combine(day, time(12), tzinfo=UTC))


def _apply(
    application: Application,
    program: MembershipProgram,
    clock: FixedClock,
    org: OrganizationId,
    person: PersonId,
    answers: list[tuple[str, dict[str, Any]]],
) -> applications.SubmitOutcome:
    factory = application.uow_factory
    view = applications.start_application(factory(), SYSTEM, program, clock, org, applicant=person)
    for step, data in answers:
        view = applications.save_step(
            factory(), SYSTEM, program, clock, view.application.id, step, data
        )
    return applications.submit_application(factory(), SYSTEM, program, clock, view.application.id)


def _associate_plan(level: str) -> Plan:
    return (
        Plan(level, "quarterly", "wire", 0)
        if level in {"l2", "l3"}
        else Plan(level, "annual", "wire", 0)
    )


def load_memberships(
    application: Application, progress: Callable[[str], None] = lambda _step: None
) -> MembershipsLoaded:
    """Enrol the demo's first principals and two associates (see the module doc)."""
    program = membership_program(application.programs)
    today = application.clock.today()
    loaded = MembershipsLoaded()
    with application.uow_factory() as uow:
        listed = uow.organizations.list(kind=OrganizationKind.PARTNER, limit=200)
        mine = login_company(uow)
        own = uow.organizations.get(mine) if mine is not None else None
        if own is not None and all(o.id != own.id for o in listed):
            listed.append(own)
        principals = [o for o in listed if o.parent_id is None]
        # the login's company first (it gets the first plan), then principals with
        # subsidiaries, so that the associates have a principal
        parents = {o.parent_id for o in listed}
        chosen = sorted(principals, key=lambda o: (o.id != mine, o.id not in parents, o.id))[
            : len(PLANS)
        ]
        candidates = []
        for org, plan in zip(chosen, PLANS, strict=False):
            people = uow.people.of_organization(org.id)
            known = uow.memberships.current(org.id) or uow.memberships.applications(
                organizations=[org.id], limit=1
            )
            if people and not known:
                candidates.append((org, people[0].id, plan))
    actives: list[tuple[str, OrganizationId, str]] = []
    for org, person, plan in candidates:
        progress(f"enrolling {org.name}")
        day = today - timedelta(days=plan.days_ago)
        clock = _clock_at(day)
        try:
            outcome = _apply(
                application,
                program,
                clock,
                org.id,
                person,
                _answers(org.id, org.name, org.country, plan),
            )
            membership = outcome.membership
            assert membership is not None
            if plan.pay and membership.status is MembershipStatus.PENDING_PAYMENT:
                fee = program.terms.level(plan.level).fee
                paid = payments.record_payment(
                    application.uow_factory(),
                    SYSTEM,
                    program,
                    clock,
                    membership.subscription_id,
                    Money(fee.amount, fee.currency),
                    method=plan.method,
                    idempotency_key=f"demo:{membership.subscription_id}:fee",
                )
                membership = paid.membership
            loaded.count(membership.status.value)
            if membership.status is MembershipStatus.ACTIVE and plan.level != "l0":
                actives.append((membership.subscription_id, org.id, plan.level))
        except AllianceError as refusal:
            loaded.skipped.append(f"{org.id}: {refusal} [{refusal.rule}]")
    _associates(application, program, today, actives, loaded)
    progress("daily job")
    loaded.tick = tick.run_daily(
        application.uow_factory(), SYSTEM, program, application.clock
    ).summary
    return loaded


def _associates(
    application: Application,
    program: MembershipProgram,
    today: date,
    actives: list[tuple[str, OrganizationId, str]],
    loaded: MembershipsLoaded,
) -> None:
    """Subsidiaries of the active principals apply (OPN-2): the first is approved by its
    principal's administrator (and pays), the next one waits for approval; a lone
    subsidiary waits."""
    found: list[tuple[Organization, PersonId, str, str, PersonId | None]] = []
    with application.uow_factory() as uow:
        for subscription, principal_org, level in actives:
            admins = [
                p.id
                for p in uow.people.of_organization(principal_org)
                if PartnerRole.PARTNER_ADMINISTRATOR in p.partner_roles
            ]
            company = uow.organizations.company_hierarchy(principal_org)
            for child in sorted(company.descendants(principal_org)):
                organization = uow.organizations.get(child)
                people = uow.people.of_organization(child)
                if organization is not None and people:
                    admin = admins[0] if admins else None
                    found.append((organization, people[0].id, subscription, level, admin))
    clock = _clock_at(today)
    approve_first = len(found) > 1
    for index, (organization, person, subscription, level, admin) in enumerate(found[:2]):
        answers = _answers(
            organization.id,
            organization.name,
            organization.country,
            _associate_plan(level),
            principal_subscription=subscription,
            associate_level=level,
        )
        try:
            outcome = _apply(application, program, clock, organization.id, person, answers)
            if index == 0 and approve_first and admin is not None:
                _approve(application, program, clock, outcome, admin, loaded)
            else:
                loaded.pending_applications += 1
        except AllianceError as refusal:
            loaded.skipped.append(f"{organization.id}: {refusal} [{refusal.rule}]")


def _approve(
    application: Application,
    program: MembershipProgram,
    clock: FixedClock,
    outcome: applications.SubmitOutcome,
    admin: PersonId,
    loaded: MembershipsLoaded,
) -> None:
    decided = applications.decide_associate(
        application.uow_factory(),
        SYSTEM,
        program,
        clock,
        outcome.application.id,
        approved=True,
        by=admin,
    )
    associate = decided.membership
    if associate is not None and associate.status is MembershipStatus.PENDING_PAYMENT:
        fee = program.terms.level(associate.level).fee
        associate = payments.record_payment(
            application.uow_factory(),
            SYSTEM,
            program,
            clock,
            associate.subscription_id,
            Money(fee.amount, fee.currency),
            idempotency_key=f"demo:{associate.subscription_id}:fee",
        ).membership
    if associate is not None:
        loaded.count(associate.status.value)
