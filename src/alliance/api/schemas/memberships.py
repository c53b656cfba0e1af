"""Memberships as the API receives and shows them (OPN-1 … OPN-18).

Money is ``{"amount": "25000.00", "currency": "USD"}`` — an exact decimal string, never a
float (X-1). Requests refuse unknown fields. A step's answer is the JSON object the
domain's form for that step reads (OPN-9); the README lists them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from alliance.api.schemas.rewards import MoneyPublic
from alliance.domain.membership.legacy import effect_json
from alliance.domain.money import Money
from alliance.domain.people import Person
from alliance.services.memberships.applications import ApplicationView, SubmitOutcome
from alliance.services.memberships.expertise import ExpertiseView
from alliance.services.memberships.payments import PaymentOutcome
from alliance.services.memberships.ports import FeeInvoice
from alliance.services.memberships.tick import TickReport
from alliance.services.memberships.views import MembershipView


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


def _money(value: Money) -> MoneyPublic:
    return MoneyPublic.of(value.amount, value.currency)


class ApplicationCreate(_Request):
    organization_id: str
    applicant: str | None = Field(
        None, description="The applicant's person id; a partner's person applies as itself."
    )
    country: str | None = None


class RenewalCreate(_Request):
    applicant: str | None = Field(None, description="Staff name the person who renews.")


class Decision(_Request):
    by: str | None = Field(None, description="Staff name the principal's administrator.")
    note: str = ""


class PersonChoice(_Request):
    by: str | None = None


class ApplicationPublic(BaseModel):
    id: str
    organization_id: str
    applicant: str
    kind: str
    status: str
    renewing: str | None
    member_type: str | None
    level: str | None
    principal_subscription: str | None
    steps: list[str]
    completed: list[str]
    next_step: str | None = Field(description="Where the applicant resumes (OPN-9).")
    answers: dict[str, Any]

    @classmethod
    def of(cls, view: ApplicationView) -> ApplicationPublic:
        a = view.application
        body = a.to_json()
        return cls(
            id=a.id,
            organization_id=a.organization_id,
            applicant=a.applicant,
            kind=a.kind.value,
            status=a.status.value,
            renewing=a.renewing,
            member_type=a.member_type.value if a.member_type else None,
            level=a.level,
            principal_subscription=a.principal_subscription,
            steps=[s.value for s in view.steps],
            completed=[s.value for s in view.steps if s in a.answers],
            next_step=view.next_step.value if view.next_step else None,
            answers=body["answers"],  # type: ignore[arg-type]
        )


class InstalmentPublic(BaseModel):
    number: int
    amount: MoneyPublic
    due_on: date
    paid_on: date | None


class InvoicePublic(BaseModel):
    id: str
    subscription_id: str
    reference: str = Field(description="The subscription id quoted on payment (OPN-7).")
    level: str
    amount: MoneyPublic
    issued_on: date
    timing: str
    recipient_role: str
    paid_in_full: bool
    instalments: list[InstalmentPublic]

    @classmethod
    def of(cls, invoice: FeeInvoice) -> InvoicePublic:
        return cls(
            id=invoice.id,
            subscription_id=invoice.subscription_id,
            reference=invoice.reference,
            level=invoice.level,
            amount=_money(invoice.amount),
            issued_on=invoice.issued_on,
            timing=invoice.timing.value,
            recipient_role=invoice.recipient_role.value,
            paid_in_full=invoice.paid_in_full,
            instalments=[
                InstalmentPublic(
                    number=i.number, amount=_money(i.amount), due_on=i.due_on, paid_on=i.paid_on
                )
                for i in invoice.instalments
            ],
        )


class StandingPublic(BaseModel):
    active: bool
    benefits: bool
    engagements: bool
    expertise_valid: bool
    reason: str
    rule: str


class RenewalPublic(BaseModel):
    route: str
    reason: str
    rule: str
    window_opens: date | None
    status: str | None
    term_start: date | None
    term_end: date | None
    effects: list[dict[str, Any]]


class MembershipPublic(BaseModel):
    subscription_id: str
    organization_id: str
    member_type: str
    principal: str | None
    level: str
    status: str
    subscribed_on: date
    start: date | None
    end: date | None
    payment_plan: str | None
    payment_method: str | None
    as_of: date
    standing: StandingPublic
    tracks: list[str]
    renewal: RenewalPublic
    invoices: list[InvoicePublic]
    expertise: list[str]

    @classmethod
    def of(cls, view: MembershipView) -> MembershipPublic:
        m, s = view.membership, view.standing
        renewal = m.renewal
        return cls(
            subscription_id=m.subscription_id,
            organization_id=m.organization_id,
            member_type=m.member_type.value,
            principal=m.principal,
            level=m.level,
            status=m.status.value,
            subscribed_on=m.subscribed_on,
            start=m.term.start if m.term else None,
            end=m.term.end if m.term else None,
            payment_plan=m.payment.plan.value if m.payment else None,
            payment_method=m.payment.method.value if m.payment else None,
            as_of=view.as_of,
            standing=StandingPublic(
                active=s.active,
                benefits=s.benefits,
                engagements=s.engagements,
                expertise_valid=s.expertise_valid,
                reason=s.reason,
                rule=s.rule,
            ),
            tracks=list(view.tracks),
            renewal=RenewalPublic(
                route=view.renewal.route.value,
                reason=view.renewal.reason,
                rule=view.renewal.rule,
                window_opens=view.window_opens,
                status=renewal.status.value if renewal else None,
                term_start=renewal.term.start if renewal and renewal.term else None,
                term_end=renewal.term.end if renewal and renewal.term else None,
                effects=[effect_json(e) for e in renewal.effects] if renewal else [],
            ),
            invoices=[InvoicePublic.of(i) for i in view.invoices],
            expertise=[e.product for e in view.expertise],
        )


class SubmitPublic(BaseModel):
    application: ApplicationPublic
    membership: MembershipPublic | None
    invoice: InvoicePublic | None


class PaymentCreate(_Request):
    amount: MoneyPublic
    paid_on: date | None = None
    method: str | None = None
    reference: str | None = None
    idempotency_key: str | None = Field(None, max_length=200)


class PaymentPublic(BaseModel):
    id: str
    subscription_id: str
    invoice_id: str
    amount: MoneyPublic
    paid_on: date
    method: str
    reference: str
    idempotency_key: str
    activated: bool
    renewed: bool
    replayed: bool
    membership_status: str
    invoice: InvoicePublic

    @classmethod
    def of(cls, outcome: PaymentOutcome) -> PaymentPublic:
        p = outcome.payment
        return cls(
            id=p.id,
            subscription_id=p.subscription_id,
            invoice_id=p.invoice_id,
            amount=_money(p.amount),
            paid_on=p.paid_on,
            method=p.method,
            reference=p.reference,
            idempotency_key=p.idempotency_key,
            activated=outcome.activated,
            renewed=outcome.renewed,
            replayed=outcome.replayed,
            membership_status=outcome.membership.status.value,
            invoice=InvoicePublic.of(outcome.invoice),
        )


class LegacyEnvironment(_Request):
    id: str
    renewal_date: date


class LegacyTraining(_Request):
    id: str
    activated: bool


class LegacyHoldingsCreate(_Request):
    """OPN-16: what the partner holds from the legacy program when it renews."""

    unused_universal_credits: str = Field("0", pattern=r"^\d+(\.\d+)?$")
    cloud_environments: list[str] = []
    saas_environments: list[LegacyEnvironment] = []
    training_subscriptions: list[LegacyTraining] = []


class RenewalDecision(_Request):
    legacy: LegacyHoldingsCreate | None = None


class ExpertiseCreate(_Request):
    product: str = Field(min_length=1, max_length=100)
    qualifications: list[str] = []
    contracts: list[str] = []
    required_qualifications: list[str] = []
    required_contracts: list[str] = []
    by: str | None = None


class ExpertisePublic(BaseModel):
    subscription_id: str
    product: str
    published_on: date
    valid: bool

    @classmethod
    def of(cls, view: ExpertiseView) -> ExpertisePublic:
        e = view.expertise
        return cls(
            subscription_id=e.subscription_id,
            product=e.product,
            published_on=e.published_on,
            valid=view.valid,
        )


class PersonRolesPublic(BaseModel):
    person_id: str
    organization_id: str | None
    partner_roles: list[str]

    @classmethod
    def of(cls, person: Person) -> PersonRolesPublic:
        return cls(
            person_id=person.id,
            organization_id=person.organization_id,
            partner_roles=sorted(r.value for r in person.partner_roles),
        )


class TickCreate(_Request):
    as_of: date | None = None


class TickPublic(BaseModel):
    as_of: date
    counts: dict[str, int]
    emails: int
    summary: str

    @classmethod
    def of(cls, report: TickReport) -> TickPublic:
        return cls(
            as_of=report.as_of, counts=report.counts, emails=report.emails, summary=report.summary
        )


def submit_public(
    outcome: SubmitOutcome, application: ApplicationView, membership: MembershipView | None
) -> SubmitPublic:
    return SubmitPublic(
        application=ApplicationPublic.of(application),
        membership=MembershipPublic.of(membership) if membership else None,
        invoice=InvoicePublic.of(outcome.invoice) if outcome.invoice else None,
    )
