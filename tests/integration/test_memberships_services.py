"""The membership use cases against a real database (SQLite and PostgreSQL): enrolment
and its fees (OPN-4 … OPN-11, CRD-1), associates (OPN-2, OPN-8), tracks (OPN-12, OPN-13),
expertise (OPN-17), roles (OPN-18), renewal and the daily job (OPN-14, OPN-15)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from alliance.domain.access import Actor, ActorKind
from alliance.domain.clock import FixedClock
from alliance.domain.errors import AllianceError, Forbidden
from alliance.domain.ids import OrganizationId, PersonId
from alliance.domain.membership import MembershipStatus, SubscriptionId, opn_terms
from alliance.domain.money import usd
from alliance.domain.organizations import Organization
from alliance.domain.people import PartnerRole, Person
from alliance.services.membership_terms import MembershipProgram
from alliance.services.memberships import (
    applications,
    expertise,
    payments,
    roles,
    tick,
    tracks,
    views,
)
from alliance.store.unit_of_work import SqlUnitOfWork
from memberships_forms import Answers, associate_answers, principal_answers, renewal_answers

UowFactory = Callable[[], SqlUnitOfWork]
SYSTEM = Actor.system("test")
PROGRAM = MembershipProgram("opn", "OPN", "USD", opn_terms())
ACME, IBERIA, GLOBEX = (
    OrganizationId("org_acme"),
    OrganizationId("org_iberia"),
    OrganizationId("org_globex"),
)
ADA, INES, GUS = PersonId("per_ada"), PersonId("per_ines"), PersonId("per_gus")
START = date(2025, 3, 14)  # a Friday


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2025, 3, 14, 9, 30, tzinfo=UTC))


@pytest.fixture
def uow_factory(uow_factory: UowFactory) -> UowFactory:
    with uow_factory() as uow:
        uow.organizations.add(Organization(id=ACME, name="Acme", country="FR"))
        uow.organizations.add(
            Organization(
                IBERIA, "Acme Iberia", "ES", parent_id=ACME, ownership_percent=Decimal(100)
            )
        )
        uow.organizations.add(Organization(id=GLOBEX, name="Globex", country="DE"))
        uow.people.add(Person(ADA, "Ada", "ada@acme.example", ACME))
        uow.people.add(Person(INES, "Ines", "ines@iberia.example", IBERIA))
        uow.people.add(Person(GUS, "Gus", "gus@globex.example", GLOBEX))
        uow.commit()
    return uow_factory


def enrol(
    uow_factory: UowFactory,
    clock: FixedClock,
    organization: OrganizationId,
    person: PersonId,
    answers: Answers,
) -> applications.SubmitOutcome:
    view = applications.start_application(
        uow_factory(), SYSTEM, PROGRAM, clock, organization, applicant=person
    )
    for step, data in answers:
        applications.save_step(
            uow_factory(), SYSTEM, PROGRAM, clock, view.application.id, step, data
        )
    return applications.submit_application(
        uow_factory(), SYSTEM, PROGRAM, clock, view.application.id
    )


def credits_of(uow_factory: UowFactory, owner: str, as_of: date | None = None) -> Decimal:
    with uow_factory() as uow:
        return uow.ledger.statement(owner, "partner_credits", "CREDITS", as_of).available


def test_level_2_quarterly_is_active_at_once_with_four_equal_instalments_and_its_credits(
    uow_factory: UowFactory, clock: FixedClock
) -> None:
    """OPN-6: four instalments of 25,000.00 USD from activation; OPN-10 administrator;
    CRD-1: 100,000 credits allocated at activation, once."""
    outcome = enrol(uow_factory, clock, ACME, ADA, principal_answers("l2", "quarterly", "card"))
    membership, invoice = outcome.membership, outcome.invoice
    assert membership is not None and invoice is not None
    assert membership.status is MembershipStatus.ACTIVE
    assert membership.term is not None
    assert (membership.term.start, membership.term.end) == (START, date(2026, 3, 14))
    assert invoice.amount == usd("100000.00")
    assert invoice.reference == membership.subscription_id  # OPN-7
    assert invoice.issued_on == date(2025, 3, 19)  # 3 business days after Friday
    assert [(i.amount, i.due_on) for i in invoice.instalments] == [
        (usd("25000.00"), date(2025, 3, 14)),
        (usd("25000.00"), date(2025, 6, 14)),
        (usd("25000.00"), date(2025, 9, 14)),
        (usd("25000.00"), date(2025, 12, 14)),
    ]
    assert credits_of(uow_factory, ACME) == Decimal("100000")
    with uow_factory() as uow:
        ada = uow.people.get(ADA)
        assert ada is not None and PartnerRole.PARTNER_ADMINISTRATOR in ada.partner_roles
        actions = [r.action for r in uow.audit.search(entity_id=membership.subscription_id)]
        assert "membership.subscribed" in actions
        assert "membership.credits_allocated" in actions
        mails = uow.outbox.list()
    assert "bill@acme.example" in {d.target for d in mails}  # OPN-7: the billing contact


def test_level_3_annual_waits_for_full_payment_then_activates(
    uow_factory: UowFactory, clock: FixedClock
) -> None:
    """OPN-6: full payment before activation; OPN-11: benefits (credits) only from it;
    OPN-7: more than owed is refused; OPN-5: a method the plan does not take is refused."""
    outcome = enrol(uow_factory, clock, ACME, ADA, principal_answers("l3", "annual", "wire"))
    membership = outcome.membership
    assert membership is not None and membership.status is MembershipStatus.PENDING_PAYMENT
    assert outcome.invoice is not None
    assert [i.amount for i in outcome.invoice.instalments] == [usd("500000.00")]
    assert credits_of(uow_factory, ACME) == 0
    sub = membership.subscription_id
    with pytest.raises(AllianceError) as card:
        payments.record_payment(
            uow_factory(), SYSTEM, PROGRAM, clock, sub, usd("1000"), method="card"
        )
    assert card.value.rule == "OPN-5"
    first = payments.record_payment(uow_factory(), SYSTEM, PROGRAM, clock, sub, usd("200000"))
    assert not first.activated and first.membership.status is MembershipStatus.PENDING_PAYMENT
    again = payments.record_payment(uow_factory(), SYSTEM, PROGRAM, clock, sub, usd("200000"))
    assert again.replayed  # the same payment twice is recorded once
    with pytest.raises(AllianceError) as too_much:
        payments.record_payment(uow_factory(), SYSTEM, PROGRAM, clock, sub, usd("300000.01"))
    assert too_much.value.rule == "OPN-7"
    clock.set(datetime(2025, 3, 20, 10, tzinfo=UTC))
    paid = payments.record_payment(uow_factory(), SYSTEM, PROGRAM, clock, sub, usd("300000"))
    assert paid.activated
    assert paid.membership.term is not None
    assert (paid.membership.term.start, paid.membership.term.end) == (
        date(2025, 3, 20),
        date(2026, 3, 20),
    )
    assert credits_of(uow_factory, ACME) == Decimal("500000")


@pytest.mark.parametrize(
    ("level", "plan", "method", "rule", "field"),
    [
        ("l1", "quarterly", "wire", "OPN-6", "plan"),
        ("l0", "annual", "purchase_order", "OPN-5", "method"),
        ("l3", "annual", "card", "OPN-5", "method"),
        ("l3", "quarterly", "card", "OPN-5", "method"),
    ],
)
def test_plans_and_methods_the_level_does_not_offer_are_refused_naming_the_rule(
    uow_factory: UowFactory,
    clock: FixedClock,
    level: str,
    plan: str,
    method: str,
    rule: str,
    field: str,
) -> None:
    answers = principal_answers(level, plan, method)
    with pytest.raises(AllianceError) as refused:
        enrol(uow_factory, clock, ACME, ADA, answers)
    assert (refused.value.rule, refused.value.field) == (rule, field)


def test_an_associate_waits_for_its_principal_administrator_and_inherits_level_and_end(
    uow_factory: UowFactory, clock: FixedClock
) -> None:
    """OPN-2 approval by the principal's administrator; OPN-8 level and end date."""
    principal = enrol(uow_factory, clock, ACME, ADA, principal_answers("l2", "quarterly", "wire"))
    assert principal.membership is not None
    sub = principal.membership.subscription_id
    clock.set(datetime(2025, 5, 2, tzinfo=UTC))
    pending = enrol(
        uow_factory, clock, IBERIA, INES, associate_answers(sub, "quarterly", "wire", level="l2")
    )
    assert pending.membership is None
    assert pending.application.status.value == "pending_approval"
    app_id = pending.application.id
    with pytest.raises(AllianceError) as not_admin:
        applications.decide_associate(
            uow_factory(), SYSTEM, PROGRAM, clock, app_id, approved=True, by=INES
        )
    assert not_admin.value.rule == "OPN-2"
    approved = applications.decide_associate(
        uow_factory(), SYSTEM, PROGRAM, clock, app_id, approved=True, by=ADA
    )
    associate = approved.membership
    assert associate is not None and associate.principal == sub
    assert associate.level == "l2"
    assert associate.status is MembershipStatus.ACTIVE
    assert associate.term is not None and associate.term.end == date(2026, 3, 14)
    assert credits_of(uow_factory, IBERIA) == 0  # CRD-1: the principal's only
    with pytest.raises(AllianceError) as own_track:
        tracks.change_track(
            uow_factory(), SYSTEM, PROGRAM, clock, associate.subscription_id, "healthcare"
        )
    assert own_track.value.rule == "OPN-13"
    joined = tracks.change_track(uow_factory(), SYSTEM, PROGRAM, clock, sub, "healthcare")
    assert [t.track for t in joined.tracks] == ["healthcare"]
    shown = views.get_membership(uow_factory(), SYSTEM, PROGRAM, clock, associate.subscription_id)
    assert shown.tracks == ("healthcare",)  # OPN-13: the principal's track


def test_an_associate_needs_an_active_principal(uow_factory: UowFactory, clock: FixedClock) -> None:
    principal = enrol(uow_factory, clock, ACME, ADA, principal_answers("l3", "annual", "wire"))
    assert principal.membership is not None
    with pytest.raises(AllianceError) as refused:
        enrol(
            uow_factory,
            clock,
            IBERIA,
            INES,
            associate_answers(principal.membership.subscription_id),
        )
    assert refused.value.rule == "OPN-2"


def test_level_0_never_publishes_expertise(uow_factory: UowFactory, clock: FixedClock) -> None:
    """OPN-17: refused first, whatever the qualifications."""
    l0 = enrol(
        uow_factory, clock, GLOBEX, GUS, principal_answers("l0", "annual", "card", country="DE")
    )
    assert l0.membership is not None
    sub = l0.membership.subscription_id
    payments.record_payment(uow_factory(), SYSTEM, PROGRAM, clock, sub, usd("500"))
    with pytest.raises(AllianceError) as refused:
        expertise.publish(
            uow_factory(), SYSTEM, PROGRAM, clock, sub, "database", qualifications=["dba"]
        )
    assert refused.value.rule == "OPN-17"
    assert refused.value.code == "level_too_low_for_expertise"
    l2 = enrol(uow_factory, clock, ACME, ADA, principal_answers("l2", "quarterly", "wire"))
    assert l2.membership is not None
    with pytest.raises(AllianceError) as missing:
        expertise.publish(
            uow_factory(),
            SYSTEM,
            PROGRAM,
            clock,
            l2.membership.subscription_id,
            "database",
            required_qualifications=["dba"],
        )
    assert missing.value.code == "missing_qualifications"
    published = expertise.publish(
        uow_factory(),
        SYSTEM,
        PROGRAM,
        clock,
        l2.membership.subscription_id,
        "database",
        qualifications=["dba"],
        required_qualifications=["dba"],
    )
    assert published.product == "database"


def test_roles_keep_their_bounds(uow_factory: UowFactory, clock: FixedClock) -> None:
    """OPN-18: two key executives at most; OPN-10: one administrator at least."""
    enrol(uow_factory, clock, ACME, ADA, principal_answers("l1", "annual", "wire"))
    with uow_factory() as uow:
        for key in ("k1", "k2", "k3"):
            uow.people.add(Person(PersonId(f"per_{key}"), key, f"{key}@acme.example", ACME))
        uow.commit()
    for key in ("k1", "k2"):
        roles.assign_role(
            uow_factory(), SYSTEM, PROGRAM, clock, PersonId(f"per_{key}"), PartnerRole.KEY_EXECUTIVE
        )
    with pytest.raises(AllianceError) as third:
        roles.assign_role(
            uow_factory(), SYSTEM, PROGRAM, clock, PersonId("per_k3"), PartnerRole.KEY_EXECUTIVE
        )
    assert third.value.rule == "OPN-18"
    with pytest.raises(AllianceError) as last_admin:
        roles.assign_role(
            uow_factory(),
            SYSTEM,
            PROGRAM,
            clock,
            ADA,
            PartnerRole.PARTNER_ADMINISTRATOR,
            remove=True,
        )
    assert last_admin.value.rule == "OPN-10"
    member = Actor(
        kind=ActorKind.MEMBER,
        organization_id=GLOBEX,
        partner_roles=frozenset({PartnerRole.PARTNER_ADMINISTRATOR}),
    )
    with pytest.raises(Forbidden):
        roles.assign_role(
            uow_factory(), member, PROGRAM, clock, PersonId("per_k3"), PartnerRole.LEGAL_CONTACT
        )


def test_renewal_window_opens_on_day_90_not_91_and_renews_on_payment(
    uow_factory: UowFactory, clock: FixedClock
) -> None:
    """OPN-14: the window opens exactly 90 days before the end date (2026-03-14)."""
    enrolled = enrol(uow_factory, clock, ACME, ADA, principal_answers("l1", "annual", "wire"))
    assert enrolled.membership is not None
    sub = enrolled.membership.subscription_id
    payments.record_payment(uow_factory(), SYSTEM, PROGRAM, clock, sub, usd("5000"))
    active = views.get_membership(uow_factory(), SYSTEM, PROGRAM, clock, sub).membership
    assert active.end == date(2026, 3, 14)
    clock.set(datetime(2025, 12, 13, 12, tzinfo=UTC))  # 91 days before 2026-03-14
    with pytest.raises(AllianceError) as early:
        applications.start_renewal_application(
            uow_factory(), SYSTEM, PROGRAM, clock, sub, applicant=ADA
        )
    assert (early.value.rule, early.value.code) == ("OPN-14", "renewal_window_not_open")
    clock.set(datetime(2025, 12, 14, 12, tzinfo=UTC))  # 90 days before
    view = applications.start_renewal_application(
        uow_factory(), SYSTEM, PROGRAM, clock, sub, applicant=ADA
    )
    for step, data in renewal_answers("l2", "annual", "wire"):
        applications.save_step(
            uow_factory(), SYSTEM, PROGRAM, clock, view.application.id, step, data
        )
    requested = applications.submit_application(
        uow_factory(), SYSTEM, PROGRAM, clock, view.application.id
    )
    assert requested.invoice is not None and requested.invoice.amount == usd("100000.00")
    paid = payments.record_payment(uow_factory(), SYSTEM, PROGRAM, clock, sub, usd("100000"))
    assert paid.renewed
    renewal = paid.membership.renewal
    assert renewal is not None and renewal.term is not None
    assert (renewal.term.start, renewal.term.end) == (date(2026, 3, 14), date(2027, 3, 14))
    # the daily job starts the renewed term on the renewal date (OPN-14), with its credits
    report = tick.run_daily(uow_factory(), SYSTEM, PROGRAM, clock, date(2026, 3, 14))
    assert report.counts.get("start_renewed_term") == 1
    renewed = views.get_membership(
        uow_factory(), SYSTEM, PROGRAM, clock, sub, as_of=date(2026, 3, 15)
    )
    assert renewed.membership.level == "l2"
    assert renewed.standing.active
    # CRD-1: the l2 term's 100,000 credits; the l1 term's 5,000 expired with it
    assert credits_of(uow_factory, ACME, date(2026, 3, 15)) == Decimal("100000")


def test_the_daily_job_expires_reminds_and_is_idempotent(
    uow_factory: UowFactory, clock: FixedClock
) -> None:
    """OPN-15 expiry the day after the end date; OPN-14 notices once; X-5 reruns."""
    enrolled = enrol(uow_factory, clock, ACME, ADA, principal_answers("l1", "annual", "wire"))
    assert enrolled.membership is not None
    sub = enrolled.membership.subscription_id
    payments.record_payment(uow_factory(), SYSTEM, PROGRAM, clock, sub, usd("5000"))
    opened = tick.run_daily(uow_factory(), SYSTEM, PROGRAM, clock, date(2025, 12, 14))
    assert opened.counts == {"open_renewal_window": 1, "renewal_reminder": 1}
    assert opened.emails >= 1
    assert tick.run_daily(uow_factory(), SYSTEM, PROGRAM, clock, date(2025, 12, 14)).counts == {}
    last_day = tick.run_daily(uow_factory(), SYSTEM, PROGRAM, clock, date(2026, 3, 14))
    assert "expire" not in last_day.counts
    expired = tick.run_daily(uow_factory(), SYSTEM, PROGRAM, clock, date(2026, 3, 15))
    assert expired.counts == {"expire": 1}
    assert tick.run_daily(uow_factory(), SYSTEM, PROGRAM, clock, date(2026, 3, 15)).counts == {}
    with uow_factory() as uow:
        from alliance.services.memberships.access import active_membership

        with pytest.raises(AllianceError) as stopped:
            active_membership(uow, ACME)
    assert stopped.value.rule == "OPN-15"
    # expired less than a year: late renewal brings it back with new dates (OPN-15)
    clock.set(datetime(2026, 6, 1, tzinfo=UTC))
    view = applications.start_renewal_application(
        uow_factory(), SYSTEM, PROGRAM, clock, sub, applicant=ADA
    )
    for step, data in renewal_answers("l1", "annual", "wire"):
        applications.save_step(
            uow_factory(), SYSTEM, PROGRAM, clock, view.application.id, step, data
        )
    applications.submit_application(uow_factory(), SYSTEM, PROGRAM, clock, view.application.id)
    back = payments.record_payment(uow_factory(), SYSTEM, PROGRAM, clock, sub, usd("5000"))
    assert back.membership.status is MembershipStatus.ACTIVE
    assert back.membership.term is not None
    assert (back.membership.term.start, back.membership.term.end) == (
        date(2026, 6, 1),
        date(2027, 6, 1),
    )


def test_expired_more_than_a_year_must_enrol_anew(
    uow_factory: UowFactory, clock: FixedClock
) -> None:
    enrolled = enrol(uow_factory, clock, ACME, ADA, principal_answers("l1", "annual", "wire"))
    assert enrolled.membership is not None
    sub = enrolled.membership.subscription_id
    payments.record_payment(uow_factory(), SYSTEM, PROGRAM, clock, sub, usd("5000"))
    tick.run_daily(uow_factory(), SYSTEM, PROGRAM, clock, date(2026, 3, 15))
    lapsed = tick.run_daily(uow_factory(), SYSTEM, PROGRAM, clock, date(2027, 3, 15))
    assert lapsed.counts == {"lapse": 1}
    clock.set(datetime(2027, 3, 15, tzinfo=UTC))
    with pytest.raises(AllianceError) as anew:
        applications.start_renewal_application(
            uow_factory(), SYSTEM, PROGRAM, clock, sub, applicant=ADA
        )
    assert anew.value.rule == "OPN-15"
    again = enrol(uow_factory, clock, ACME, ADA, principal_answers("l1", "annual", "wire"))
    assert again.membership is not None and again.membership.subscription_id != SubscriptionId(sub)


def test_a_draft_is_resumed_only_by_its_applicant(
    uow_factory: UowFactory, clock: FixedClock
) -> None:
    """OPN-9: saved after every step; another person is refused."""
    view = applications.start_application(
        uow_factory(), SYSTEM, PROGRAM, clock, ACME, applicant=ADA
    )
    first = principal_answers("l1")[0]
    applications.save_step(uow_factory(), SYSTEM, PROGRAM, clock, view.application.id, *first)
    resumed = applications.get_application(uow_factory(), SYSTEM, PROGRAM, view.application.id)
    assert resumed.next_step is not None and resumed.next_step.value == "administrator_confirmation"
    with uow_factory() as uow:
        uow.people.add(Person(PersonId("per_eve"), "Eve", "eve@acme.example", ACME))
        uow.commit()
    with pytest.raises(AllianceError) as other:
        applications.save_step(
            uow_factory(),
            SYSTEM,
            PROGRAM,
            clock,
            view.application.id,
            "administrator_confirmation",
            {"accepts_administrator_role": True},
            by=PersonId("per_eve"),
        )
    assert (other.value.rule, other.value.code) == ("OPN-9", "not_the_applicant")
