"""Engagements (deal registration) and their rewards as the API receives and shows them.

Requests are permissive on purpose: every field of the form is optional *here*, so that
CCE-3's table — applied by the use case — names **every** missing field in one refusal,
rather than the schema stopping at the first. Unknown fields are refused. Money is
``{"amount": "1200.00", "currency": "USD"}`` (X-1), dates ``YYYY-MM-DD`` (X-2).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from alliance.api.schemas.rewards import MoneyPublic
from alliance.domain.engagement_rewards import BookingRecheck, Payout
from alliance.domain.engagements import (
    Contact,
    Customer,
    Pillar,
    ProductLine,
    TransitionRecord,
)
from alliance.domain.money import Money
from alliance.services.engagement_rewards.payouts import PayoutResult
from alliance.services.engagements.changes import EditResult
from alliance.services.engagements.lifecycle import MoveResult
from alliance.services.engagements.ports import (
    AttachmentRecord,
    EngagementRecord,
    NoteRecord,
    PayoutRecord,
)
from alliance.services.engagements.queries import EngagementDetail
from alliance.services.engagements.users import ToolUsers, ToolUserView


class _Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class MoneyIn(_Request):
    amount: str = Field(examples=["200000.00"], description="An exact decimal, as a string.")
    currency: str = Field(examples=["USD"])


class PeriodIn(_Request):
    start: date | None = None
    end: date | None = None


class AddressIn(_Request):
    street: str | None = None
    city: str | None = None
    country: str | None = Field(default=None, examples=["FR"])
    postal_code: str | None = None
    region: str | None = None


class CustomerIn(_Request):
    legal_name: str | None = None
    address: AddressIn | None = None


class ContactIn(_Request):
    name: str | None = None
    email: str | None = None
    phone: str | None = None


class ProductIn(_Request):
    product: str | None = Field(default=None, examples=["OCI-COMPUTE"])
    family: str | None = Field(default=None, examples=["oci"])
    quantity: str | int | None = None
    amount: MoneyIn | None = None
    service_period: PeriodIn | None = None


class PillarIn(_Request):
    name: str | None = None
    quantity: str | int | None = None
    amount: MoneyIn | None = None
    service_period: PeriodIn | None = None


class EngagementCreate(_Request):
    """The engagement form (CCE-3). ``customer_id`` reuses a saved customer."""

    category: str | None = Field(default=None, examples=["opportunity"])
    name: str | None = None
    customer_id: str | None = None
    customer: CustomerIn | None = None
    partner_contact: ContactIn | None = None
    customer_contact: ContactIn | None = None
    products: list[ProductIn] | None = None
    pillars: list[PillarIn] | None = None
    estimated_close_date: date | None = None
    solution_description: str | None = None
    notes: str | None = Field(
        default=None, description="Quote the vendor's opportunity id (OPP-…) if known (CCE-4)."
    )
    sector: str | None = Field(default=None, examples=["commercial", "public"])
    order_kind: str | None = Field(default=None, examples=["new_sale", "extension", "renewal"])

    def form(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


class EngagementUpdate(_Request):
    """Changes after submission (CCE-5); only the fields given change."""

    name: str | None = None
    engagement_id: str | None = Field(default=None, description="The partner's reference.")
    customer: CustomerIn | None = Field(default=None, description="Never editable (CCE-5).")
    partner_contact: ContactIn | None = None
    customer_contact: ContactIn | None = None
    products: list[ProductIn] | None = None
    pillars: list[PillarIn] | None = None
    estimated_close_date: date | None = None
    solution_description: str | None = None
    notes: list[str] | None = Field(default=None, description="Account planning: all notes.")
    add_notes: list[str] | None = None
    expected_version: int | None = Field(
        default=None, description="Refuse the edit (409) if the engagement changed since."
    )

    def changes(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=True)


class NoteCreate(_Request):
    text: str = Field(min_length=1, max_length=10_000)


class TransitionCreate(_Request):
    to: str = Field(description="A state (acknowledged…) or a move (acknowledge…).")


class ToolUserCreate(_Request):
    person_id: str


class BookingLineIn(_Request):
    product: str
    family: str
    amount: MoneyIn


class BookingCreate(_Request):
    """The order as booked (RWD-2); what is left out keeps the last version's."""

    lines: list[BookingLineIn] | None = None
    sector: str | None = None
    order_kind: str | None = None
    country: str | None = None


class SupplierAccountUpdate(_Request):
    status: str = Field(examples=["active", "pending", "none"])


# -- answers -------------------------------------------------------------------------


def _money(value: Money | None) -> MoneyPublic | None:
    return None if value is None else MoneyPublic.of(value.amount, value.currency)


class ContactPublic(BaseModel):
    name: str
    email: str
    phone: str

    @classmethod
    def of(cls, contact: Contact | None) -> ContactPublic | None:
        return (
            None
            if contact is None
            else cls(name=contact.name, email=contact.email, phone=contact.phone)
        )


class PeriodPublic(BaseModel):
    start: date
    end: date


class ProductPublic(BaseModel):
    product: str
    family: str
    quantity: str | None
    amount: MoneyPublic | None
    service_period: PeriodPublic | None

    @classmethod
    def of(cls, line: ProductLine) -> ProductPublic:
        p = line.service_period
        return cls(
            product=line.product,
            family=line.family,
            quantity=None if line.quantity is None else f"{line.quantity:f}",
            amount=_money(line.amount),
            service_period=None if p is None else PeriodPublic(start=p.start, end=p.end),
        )


class PillarPublic(BaseModel):
    name: str
    quantity: str | None
    amount: MoneyPublic | None

    @classmethod
    def of(cls, pillar: Pillar) -> PillarPublic:
        return cls(
            name=pillar.name,
            quantity=None if pillar.quantity is None else f"{pillar.quantity:f}",
            amount=_money(pillar.amount),
        )


class CustomerPublic(BaseModel):
    id: str | None
    legal_name: str
    street: str
    city: str
    postal_code: str
    region: str
    country: str

    @classmethod
    def of(cls, customer: Customer) -> CustomerPublic:
        a = customer.address
        return cls(
            id=customer.id,
            legal_name=customer.legal_name,
            street=a.street,
            city=a.city,
            postal_code=a.postal_code,
            region=a.region,
            country=a.country,
        )


class NotePublic(BaseModel):
    position: int
    text: str
    author: str
    created_at: datetime

    @classmethod
    def of(cls, note: NoteRecord) -> NotePublic:
        return cls(
            position=note.position, text=note.text, author=note.author, created_at=note.created_at
        )


class AttachmentPublic(BaseModel):
    id: str
    engagement_id: str
    name: str
    category: str
    content_type: str
    size: int
    sha256: str
    needs_review: bool = Field(description="Any category but Miscellaneous is reviewed (CCE-5).")
    uploaded_by: str
    created_at: datetime

    @classmethod
    def of(cls, a: AttachmentRecord) -> AttachmentPublic:
        return cls(
            id=a.id,
            engagement_id=a.engagement_id,
            name=a.name,
            category=a.category,
            content_type=a.content_type,
            size=a.size,
            sha256=a.sha256,
            needs_review=a.needs_review,
            uploaded_by=a.uploaded_by,
            created_at=a.created_at,
        )


class TransitionPublic(BaseModel):
    move: str
    source: str
    target: str
    actor: str
    at: datetime

    @classmethod
    def of(cls, t: TransitionRecord) -> TransitionPublic:
        return cls(
            move=t.move, source=t.source.value, target=t.target.value, actor=t.actor, at=t.at
        )


class DuplicatePublic(BaseModel):
    verdict: str = Field(examples=["new", "duplicate", "possible_duplicate"])
    matches: list[str]
    explanation: list[str]
    rule: str = "CCE-4"


class PayoutPublic(BaseModel):
    id: str
    engagement_id: str
    version: int
    partner_id: str
    principal_id: str
    method: str
    sector: str
    amount: MoneyPublic
    status: str = Field(examples=["blocked", "released", "credited"])
    missing: list[str] = Field(description="What RWD-4 still waits for.")
    explanation: list[str]
    posting_id: str | None

    @classmethod
    def of(cls, p: PayoutRecord) -> PayoutPublic:
        return cls(
            id=p.id,
            engagement_id=p.engagement_id,
            version=p.version,
            partner_id=p.partner_id,
            principal_id=p.principal_id,
            method=p.method.value,
            sector=p.sector.value,
            amount=MoneyPublic.of(p.amount.amount, p.amount.currency),
            status=p.status.value,
            missing=list(p.missing),
            explanation=list(p.explanation),
            posting_id=p.posting_id,
        )


class EngagementSummary(BaseModel):
    id: str
    reference: str
    partner_id: str
    category: str
    status: str
    name: str
    customer: str
    version: int
    duplicate_verdict: str | None
    created_at: datetime

    @classmethod
    def of(cls, r: EngagementRecord) -> EngagementSummary:
        e = r.engagement
        return cls(
            id=e.id,
            reference=e.reference,
            partner_id=e.partner_id,
            category=e.category.value,
            status=e.status.value,
            name=e.name,
            customer=e.customer.legal_name,
            version=r.version,
            duplicate_verdict=r.duplicate.verdict.value if r.duplicate else None,
            created_at=r.created_at,
        )


class EngagementPublic(BaseModel):
    id: str
    reference: str
    partner_id: str
    category: str
    status: str
    name: str
    version: int
    customer: CustomerPublic
    partner_contact: ContactPublic | None
    customer_contact: ContactPublic | None
    products: list[ProductPublic]
    pillars: list[PillarPublic]
    estimated_close_date: date | None
    solution_description: str
    sector: str
    order_kind: str
    sales_review: bool = Field(description="Product changes routed to the sales team (CCE-5).")
    submitted_by: str
    created_at: datetime
    updated_at: datetime
    notes: list[NotePublic]
    attachments: list[AttachmentPublic]
    transitions: list[TransitionPublic]
    next_states: list[str] = Field(description="Where the lifecycle allows it to go (CCE-6).")
    duplicate: DuplicatePublic | None
    payouts: list[PayoutPublic]

    @classmethod
    def of(cls, d: EngagementDetail) -> EngagementPublic:
        r = d.record
        e = r.engagement
        return cls(
            id=e.id,
            reference=e.reference,
            partner_id=e.partner_id,
            category=e.category.value,
            status=e.status.value,
            name=e.name,
            version=r.version,
            customer=CustomerPublic.of(e.customer),
            partner_contact=ContactPublic.of(e.partner_contact),
            customer_contact=ContactPublic.of(e.customer_contact),
            products=[ProductPublic.of(p) for p in e.products],
            pillars=[PillarPublic.of(p) for p in e.pillars],
            estimated_close_date=e.estimated_close_date,
            solution_description=e.solution_description,
            sector=r.sector.value,
            order_kind=r.order_kind.value,
            sales_review=r.sales_review,
            submitted_by=r.submitted_by,
            created_at=r.created_at,
            updated_at=r.updated_at,
            notes=[NotePublic.of(n) for n in d.notes],
            attachments=[AttachmentPublic.of(x) for x in d.attachments],
            transitions=[TransitionPublic.of(t) for t in d.transitions],
            next_states=[m.target.value for m in d.moves],
            duplicate=None
            if d.duplicate is None
            else DuplicatePublic(
                verdict=d.duplicate.verdict.value,
                matches=list(d.duplicate.matches),
                explanation=list(d.duplicate.explanation),
            ),
            payouts=[PayoutPublic.of(p) for p in d.payouts],
        )


class EditResultPublic(BaseModel):
    engagement: EngagementPublic
    changed: list[str]
    sales_review: list[str]
    explanation: list[str]

    @classmethod
    def of(cls, result: EditResult) -> EditResultPublic:
        o = result.outcome
        return cls(
            engagement=EngagementPublic.of(result.engagement),
            changed=[f.value for f in o.applied],
            sales_review=[f.value for f in o.sales_review],
            explanation=list(o.explanation),
        )


class MoveResultPublic(BaseModel):
    engagement: EngagementPublic
    emails_queued: int
    assessment: list[str] = Field(description="The reward offers' verdict on acceptance (RWD-1).")

    @classmethod
    def of(cls, result: MoveResult) -> MoveResultPublic:
        return cls(
            engagement=EngagementPublic.of(result.engagement),
            emails_queued=result.emails,
            assessment=list(result.assessment.explanation) if result.assessment else [],
        )


class ToolUserPublic(BaseModel):
    person_id: str
    name: str
    email: str
    organization_id: str
    active: bool
    granted_by: str | None

    @classmethod
    def of(cls, v: ToolUserView) -> ToolUserPublic:
        return cls(
            person_id=v.person_id,
            name=v.name,
            email=v.email,
            organization_id=v.organization_id,
            active=v.active,
            granted_by=v.granted_by,
        )


class ToolUsersPublic(BaseModel):
    organization_id: str
    users: list[ToolUserPublic]
    active: int
    limit: int | None = Field(description="At most this many active users (CCE-1).")
    places_left: int | None

    @classmethod
    def of(cls, found: ToolUsers) -> ToolUsersPublic:
        return cls(
            organization_id=found.organization_id,
            users=[ToolUserPublic.of(u) for u in found.users],
            active=found.active,
            limit=found.limit,
            places_left=found.places_left,
        )


class PayoutPreviewPublic(BaseModel):
    engagement_id: str
    version: int
    method: str
    sector: str
    amount: MoneyPublic
    due: bool
    explanation: list[str]

    @classmethod
    def of(cls, payout: Payout, why: tuple[str, ...]) -> PayoutPreviewPublic:
        return cls(
            engagement_id=payout.engagement_id,
            version=payout.version,
            method=payout.method.value,
            sector=payout.sector.value,
            amount=MoneyPublic.of(payout.amount.amount, payout.amount.currency),
            due=payout.due,
            explanation=list(why),
        )


class PayoutResultPublic(BaseModel):
    payout: PayoutPublic
    replayed: bool = Field(description="Released before: nothing changed (X-5).")

    @classmethod
    def of(cls, result: PayoutResult) -> PayoutResultPublic:
        return cls(payout=PayoutPublic.of(result.payout), replayed=result.replayed)


class BookingPublic(BaseModel):
    engagement_id: str
    version: int
    submitted_payout: MoneyPublic
    booked_payout: MoneyPublic
    difference: MoneyPublic
    explanation: list[str]

    @classmethod
    def of(cls, recheck: BookingRecheck) -> BookingPublic:
        def money(m: Money) -> MoneyPublic:
            return MoneyPublic.of(m.amount, m.currency)

        return cls(
            engagement_id=recheck.booked.engagement_id,
            version=recheck.booked.version,
            submitted_payout=money(recheck.submitted.amount),
            booked_payout=money(recheck.booked.amount),
            difference=money(recheck.difference),
            explanation=list(recheck.explanation),
        )


class SupplierAccountPublic(BaseModel):
    organization_id: str
    status: str
