"""Memberships round-trip through the store on SQLite and PostgreSQL: drafts (OPN-9),
memberships with tracks and renewals (OPN-12, OPN-14, OPN-16), fee invoices with their
instalments (OPN-6, OPN-7), payments and the daily job's keys (X-5)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from alliance.domain.errors import Conflict
from alliance.domain.ids import OrganizationId, PersonId
from alliance.domain.membership import (
    ApplicationStatus,
    AssociateOrdering,
    Membership,
    MembershipNotActive,
    MembershipStatus,
    PaymentChoice,
    PaymentMethod,
    PaymentPlan,
    PaymentTiming,
    PublishedExpertise,
    Renewal,
    RenewalStatus,
    RewardPayout,
    Step,
    SubscriptionId,
    Term,
    TrackMembership,
    UniversalCreditsLapse,
    complete_step,
    opn_terms,
    start_application,
)
from alliance.domain.money import usd
from alliance.domain.organizations import EntityRole, Organization
from alliance.domain.people import PartnerRole, Person
from alliance.services.memberships.access import active_membership
from alliance.services.memberships.ports import (
    FeeInvoice,
    FeePayment,
    InstalmentRecord,
    TickActionRecord,
)
from alliance.store.unit_of_work import SqlUnitOfWork

UowFactory = Callable[[], SqlUnitOfWork]
ACME = OrganizationId("org_acme")
IBERIA = OrganizationId("org_iberia")
ADA = PersonId("per_ada")
SUB = SubscriptionId("sub_acme")
NOW = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
TERMS = opn_terms()


@pytest.fixture
def uow_factory(uow_factory: UowFactory) -> UowFactory:
    with uow_factory() as uow:
        uow.organizations.add(Organization(id=ACME, name="Acme", country="FR"))
        uow.organizations.add(
            Organization(
                id=IBERIA,
                name="Acme Iberia",
                country="ES",
                parent_id=ACME,
                ownership_percent=Decimal("100"),
            )
        )
        uow.people.add(
            Person(
                ADA,
                "Ada",
                "ada@acme.example",
                ACME,
                frozenset({PartnerRole.PARTNER_ADMINISTRATOR}),
            )
        )
        uow.commit()
    return uow_factory


def membership(**changes: object) -> Membership:
    base = Membership(
        subscription_id=SUB,
        organization_id=ACME,
        member_type=EntityRole.PRINCIPAL,
        level="l2",
        status=MembershipStatus.ACTIVE,
        subscribed_on=date(2025, 1, 10),
        payment=PaymentChoice(PaymentPlan.QUARTERLY, PaymentMethod.WIRE),
        term=Term(date(2025, 1, 10), date(2026, 1, 10)),
        tracks=(TrackMembership("healthcare", date(2025, 1, 10)),),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def test_a_draft_is_saved_after_a_step_and_resumed_from_a_new_unit_of_work(
    uow_factory: UowFactory,
) -> None:
    """OPN-9: a draft saved after every step survives; the same applicant resumes it."""
    draft = start_application(ACME, ADA, "FR", date(2025, 1, 6))
    draft = complete_step(
        draft,
        Step.PARTNERSHIP_TYPE_AND_LEVEL,
        {"member_type": "principal", "level": "l1"},
        TERMS,
        date(2025, 1, 6),
        by=ADA,
    )
    with uow_factory() as uow:
        uow.memberships.add_application(draft)
        uow.commit()
    with uow_factory() as uow:
        back = uow.memberships.application(draft.id)
        mine = uow.memberships.applications(applicant=ADA)
    assert back == draft
    assert back is not None and back.level == "l1"
    assert [a.id for a in mine] == [draft.id]
    submitted = replace(draft, status=ApplicationStatus.SUBMITTED)
    with uow_factory() as uow:
        uow.memberships.save_application(submitted)
        uow.commit()
    with uow_factory() as uow:
        found = uow.memberships.application(draft.id)
        assert found is not None and found.status is ApplicationStatus.SUBMITTED


def test_a_membership_comes_back_with_its_tracks_and_renewal(uow_factory: UowFactory) -> None:
    """OPN-12 tracks, OPN-14 renewal with its new term, OPN-16 effects recorded on it."""
    with uow_factory() as uow:
        uow.memberships.add(membership())
        uow.commit()
    renewal = Renewal(
        requested_on=date(2025, 11, 1),
        level="l3",
        payment=PaymentChoice(PaymentPlan.ANNUAL, PaymentMethod.WIRE),
        tracks=("healthcare", "license_and_hardware"),
        status=RenewalStatus.APPROVED,
        decided_on=date(2025, 11, 2),
        term=Term(date(2026, 1, 10), date(2027, 1, 10)),
        effects=(UniversalCreditsLapse(Decimal("1250.50")),),
    )
    renewed = membership(renewal=renewal)
    with uow_factory() as uow:
        uow.memberships.save(renewed)
        uow.commit()
    with uow_factory() as uow:
        back = uow.memberships.get(SUB)
        current = uow.memberships.current(ACME)
    assert back == renewed
    assert current == renewed
    assert back is not None and back.renewal is not None
    assert back.renewal.effects == (UniversalCreditsLapse(Decimal("1250.50")),)


def test_active_membership_refuses_an_expired_one_naming_opn_15(uow_factory: UowFactory) -> None:
    with uow_factory() as uow:
        uow.memberships.add(membership())
        uow.commit()
    with uow_factory() as uow:
        assert active_membership(uow, ACME).subscription_id == SUB
        assert active_membership(uow, ACME, date(2026, 1, 10)).subscription_id == SUB
        with pytest.raises(MembershipNotActive) as refused:
            active_membership(uow, ACME, date(2026, 1, 11))
        assert refused.value.rule == "OPN-15"
        with pytest.raises(MembershipNotActive) as none:
            active_membership(uow, IBERIA)
        assert none.value.rule == "OPN-11"


def test_reward_preferences_come_from_the_accepted_application_and_reach_associates(
    uow_factory: UowFactory,
) -> None:
    """RWD-3 / CRD-2: what the reward questionnaire answered; an associate has its
    principal's."""
    day = date(2025, 1, 6)
    draft = start_application(ACME, ADA, "FR", day)
    draft = complete_step(
        draft,
        Step.PARTNERSHIP_TYPE_AND_LEVEL,
        {"member_type": "principal", "level": "l2"},
        TERMS,
        day,
        by=ADA,
    )
    answers = {
        Step.ADMINISTRATOR_CONFIRMATION: {"accepts_administrator_role": True},
    }
    for step, data in answers.items():
        draft = complete_step(draft, step, data, TERMS, day, by=ADA)
    # the questionnaire answer is stored as given by the domain's form
    draft = replace(
        draft,
        answers={
            **draft.answers,
            Step.REWARD_QUESTIONNAIRE: {
                "payout": "partner_credits",
                "associate_ordering": "preapproved_percentage",
                "preapproved_percentage": "0.25",
            },
        },
    )
    associate = membership(
        subscription_id=SubscriptionId("sub_iberia"),
        organization_id=IBERIA,
        member_type=EntityRole.ASSOCIATE,
        principal=SUB,
        tracks=(),
    )
    with uow_factory() as uow:
        uow.memberships.add_application(draft)
        uow.memberships.add(membership(), application_id=draft.id)
        uow.memberships.add(associate)
        uow.commit()
    with uow_factory() as uow:
        mine = uow.memberships.reward_preferences(ACME)
        theirs = uow.memberships.reward_preferences(IBERIA)
        nobody = uow.memberships.reward_preferences(OrganizationId("org_unknown"))
        associates = uow.memberships.associates_of(SUB)
    assert mine is not None
    assert mine.payout is RewardPayout.PARTNER_CREDITS
    assert mine.associate_ordering is AssociateOrdering.PREAPPROVED_PERCENTAGE
    assert mine.preapproved_percentage == Decimal("0.25")
    assert theirs == mine
    assert nobody is None
    assert [a.subscription_id for a in associates] == ["sub_iberia"]


def test_invoices_instalments_and_payments_are_kept_once_per_key(uow_factory: UowFactory) -> None:
    """OPN-6 / OPN-7 / X-5: four instalments of 25,000.00 USD; a key is stored once."""
    with uow_factory() as uow:
        uow.memberships.add(membership())
        uow.commit()
    invoice = FeeInvoice(
        id="inv_1",
        subscription_id=SUB,
        level="l2",
        amount=usd("100000.00"),
        issued_on=date(2025, 1, 15),
        timing=PaymentTiming.FROM_ACTIVATION,
        recipient_role=PartnerRole.ACCOUNTS_PAYABLE,
        idempotency_key=f"{SUB}:fee_invoice:2025-01-10",
        instalments=tuple(
            InstalmentRecord(n, usd("25000.00"), date(2025, 1 + 3 * (n - 1), 10))
            for n in range(1, 5)
        ),
    )
    with uow_factory() as uow:
        assert uow.memberships.add_invoice(invoice) is True
        assert uow.memberships.add_invoice(replace(invoice, id="inv_2")) is False
        uow.memberships.mark_paid("inv_1", [1], date(2025, 1, 20))
        payment = FeePayment(
            id="pay_1",
            subscription_id=SUB,
            invoice_id="inv_1",
            amount=usd("25000.00"),
            paid_on=date(2025, 1, 20),
            method="wire",
            reference=SUB,
            idempotency_key="pay:1",
            actor="finance",
            recorded_at=NOW,
        )
        uow.memberships.add_payment(payment)
        uow.commit()
    with uow_factory() as uow:
        stored = uow.memberships.invoices(SUB)
        assert uow.memberships.payment_for_key("pay:1") == payment
        assert uow.memberships.payments("inv_1") == [payment]
        with pytest.raises(Conflict):
            uow.memberships.add_payment(replace(payment, id="pay_2"))
    assert len(stored) == 1
    assert stored[0].reference == SUB
    assert [i.amount for i in stored[0].instalments] == [usd("25000.00")] * 4
    assert [i.paid_on for i in stored[0].instalments] == [date(2025, 1, 20), None, None, None]
    assert str(stored[0].amount) == str(usd("100000.00"))


def test_expertise_and_job_actions(uow_factory: UowFactory) -> None:
    """OPN-17 published once per product; X-5 job keys remembered."""
    with uow_factory() as uow:
        uow.memberships.add(membership())
        published = PublishedExpertise(SUB, "database", date(2025, 2, 1))
        assert uow.memberships.add_expertise(published) is True
        assert uow.memberships.add_expertise(published) is False
        uow.memberships.record_action(
            TickActionRecord(
                "sub_acme:expire:2026-01-10", SUB, "expire", date(2026, 1, 11), "OPN-15"
            )
        )
        uow.commit()
    with uow_factory() as uow:
        assert uow.memberships.expertise(SUB) == [published]
        assert uow.memberships.done_actions() == {"sub_acme:expire:2026-01-10"}
        assert uow.memberships.done_actions(["x", "sub_acme:expire:2026-01-10"]) == {
            "sub_acme:expire:2026-01-10"
        }
        assert uow.memberships.find(statuses=[MembershipStatus.ACTIVE])[0].subscription_id == SUB
        assert uow.memberships.find(organizations=[]) == []
