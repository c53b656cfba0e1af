"""Partner credits as the API receives and shows them (CRD-2, CRD-3, CRD-5, CRD-6).

Credits are exact decimal strings with two places (``"500.00"``), never floats (X-1).
Requests refuse unknown fields.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from alliance.domain.credits import AssociatePolicy, RequestStatus
from alliance.services.credits.orders import CREDIT_STATE, OrderResult
from alliance.services.credits.policies import EffectivePolicy
from alliance.services.credits.ports import CatalogEntry, CreditOrder
from alliance.services.credits.statements import (
    AssociateShare,
    CreditLot,
    CreditStatement,
    CreditStatementResult,
    UsableShareView,
)

KEY = Field(
    min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._:-]+$", examples=["order-2025-03-14-1"]
)


def amount(value: Decimal | None) -> str | None:
    """Credits as an exact string with two places (more only if the value has more)."""
    if value is None:
        return None
    shown = value.quantize(Decimal("0.01"))
    return f"{shown if shown == value else value:f}"


def _text(value: Decimal) -> str:
    shown = amount(value)
    assert shown is not None
    return shown


class CatalogOptionPublic(BaseModel):
    id: str
    name: str
    description: str
    unit_price: str = Field(description="Credits per unit, an exact decimal string.")
    refuses_public_sector_credits: bool = Field(
        description="CRD-6: never paid with credits earned on public-sector orders."
    )
    active: bool

    @classmethod
    def of(cls, entry: CatalogEntry) -> CatalogOptionPublic:
        return cls(
            id=entry.id,
            name=entry.name,
            description=entry.description,
            unit_price=_text(entry.unit_price),
            refuses_public_sector_credits=entry.refuses_public_sector_credits,
            active=entry.active,
        )


class CatalogOptionSet(BaseModel):
    """Add or change a catalogue option (program admins)."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200)
    unit_price: Decimal = Field(description='Credits per unit, e.g. "250.00".')
    refuses_public_sector_credits: bool = False
    description: str = ""
    active: bool = True

    @field_validator("unit_price", mode="before")
    @classmethod
    def _exact(cls, value: object) -> object:
        if isinstance(value, float):
            raise ValueError('a price is an exact decimal string such as "250.00", not a float')
        return value


class OrderCreate(BaseModel):
    """Order ``quantity`` of a catalogue option with the principal's credits (CRD-3)."""

    model_config = ConfigDict(extra="forbid")

    organization_id: str = Field(description="The ordering organisation (yours).")
    option_id: str
    quantity: int = Field(default=1, ge=1, le=1_000_000)
    idempotency_key: str = KEY
    beneficiary_id: str | None = Field(
        default=None,
        description="The organisation the option is for; a principal may order for its "
        "associates (CRD-2 (a)). Default: the ordering organisation.",
    )


class OrderDecision(BaseModel):
    """A principal's decision on an order (CRD-2)."""

    model_config = ConfigDict(extra="forbid")

    note: str = Field(default="", max_length=2000)


class OrderPublic(BaseModel):
    id: str
    option_id: str
    option_name: str
    refuses_public_sector_credits: bool
    quantity: int
    unit_price: str
    amount: str
    organization_id: str
    beneficiary_id: str
    principal_id: str
    requester_id: str
    status: RequestStatus
    credits: str = Field(
        description="What the order's credits are: awaiting_approval, reserved (held), "
        "spent or released (the program's credit_request workflow, CRD-3)."
    )
    policy: AssociatePolicy | None
    limit: str | None = Field(description="CRD-2: the associate's limit when it ordered.")
    excluded_tags: list[str]
    hold_id: str | None
    idempotency_key: str
    ordered_on: date
    created_at: datetime
    updated_at: datetime
    settled_at: datetime | None

    @classmethod
    def of(cls, order: CreditOrder) -> OrderPublic:
        return cls(
            id=order.id,
            option_id=order.option_id,
            option_name=order.option_name,
            refuses_public_sector_credits=order.refuses_public_sector_credits,
            quantity=order.quantity,
            unit_price=_text(order.unit_price),
            amount=_text(order.amount),
            organization_id=order.organization_id,
            beneficiary_id=order.beneficiary_id,
            principal_id=order.principal_id,
            requester_id=order.requester_id,
            status=order.status,
            credits=CREDIT_STATE[order.status],
            policy=order.policy,
            limit=amount(order.limit),
            excluded_tags=sorted(order.excluded_tags),
            hold_id=order.hold_id,
            idempotency_key=order.idempotency_key,
            ordered_on=order.ordered_on,
            created_at=order.created_at,
            updated_at=order.updated_at,
            settled_at=order.settled_at,
        )


class OrderResultPublic(BaseModel):
    order: OrderPublic
    replayed: bool = Field(description="The step had been taken before; nothing moved (X-5).")
    posting_id: str | None
    explanation: str
    message: str

    @classmethod
    def of(cls, result: OrderResult) -> OrderResultPublic:
        return cls(
            order=OrderPublic.of(result.order),
            replayed=result.replayed,
            posting_id=result.posting.id if result.posting is not None else None,
            explanation=result.explanation,
            message=result.summary,
        )


class PolicyPublic(BaseModel):
    organization_id: str
    principal_id: str
    policy: AssociatePolicy
    percentage: str | None = Field(description="A fraction: 0.4 is 40 % (CRD-2).")
    source: str
    description: str

    @classmethod
    def of(cls, found: EffectivePolicy) -> PolicyPublic:
        pct = found.settings.percentage
        uses_pct = found.settings.policy is AssociatePolicy.PREAPPROVED_PERCENTAGE
        return cls(
            organization_id=found.organization_id,
            principal_id=found.principal_id,
            policy=found.settings.policy,
            percentage=f"{pct:f}" if pct is not None and uses_pct else None,
            source=found.source,
            description=found.describe,
        )


class PolicySet(BaseModel):
    """CRD-2: how the associate (or, set on the principal, every associate) may order."""

    model_config = ConfigDict(extra="forbid")

    policy: AssociatePolicy
    percentage: str | None = Field(
        default=None, description='For preapproved_percentage: "40%" or "0.4".'
    )


class LotPublic(BaseModel):
    lot_id: str
    source: str
    tags: list[str]
    public_sector: bool
    accrued_on: date
    expires_on: date | None
    accrued: str
    available: str
    held: str
    spent: str
    expired: str

    @classmethod
    def of(cls, lot: CreditLot) -> LotPublic:
        return cls(
            lot_id=lot.lot_id,
            source=lot.source,
            tags=list(lot.tags),
            public_sector=lot.public_sector,
            accrued_on=lot.accrued_on,
            expires_on=lot.expires_on,
            accrued=_text(lot.accrued),
            available=_text(lot.available),
            held=_text(lot.held),
            spent=_text(lot.spent),
            expired=_text(lot.expired),
        )


class AssociateSharePublic(BaseModel):
    organization_id: str
    policy: PolicyPublic
    usable: str | None = Field(description="None: the associate cannot order itself.")
    earned: str

    @classmethod
    def of(cls, share: AssociateShare) -> AssociateSharePublic:
        return cls(
            organization_id=share.organization_id,
            policy=PolicyPublic.of(share.policy),
            usable=amount(share.usable),
            earned=_text(share.earned),
        )


class FullStatementPublic(BaseModel):
    principal_id: str
    as_of: date
    unit: str
    accrued: str
    available: str
    held: str
    spent: str
    expired: str
    public_sector_available: str
    expiring: dict[str, str]
    lots: list[LotPublic]
    associates: list[AssociateSharePublic]
    orders: list[OrderPublic]

    @classmethod
    def of(cls, s: CreditStatement) -> FullStatementPublic:
        return cls(
            principal_id=s.principal_id,
            as_of=s.as_of,
            unit=s.unit,
            accrued=_text(s.accrued),
            available=_text(s.available),
            held=_text(s.held),
            spent=_text(s.spent),
            expired=_text(s.expired),
            public_sector_available=_text(s.public_sector_available),
            expiring={str(days): _text(v) for days, v in s.expiring.items()},
            lots=[LotPublic.of(lot) for lot in s.lots],
            associates=[AssociateSharePublic.of(a) for a in s.associates],
            orders=[OrderPublic.of(o) for o in s.orders],
        )


class UsableSharePublic(BaseModel):
    organization_id: str
    principal_id: str
    as_of: date
    unit: str
    usable: str
    policy: PolicyPublic
    explanation: str

    @classmethod
    def of(cls, share: UsableShareView) -> UsableSharePublic:
        return cls(
            organization_id=share.organization_id,
            principal_id=share.principal_id,
            as_of=share.as_of,
            unit=share.unit,
            usable=_text(share.usable),
            policy=PolicyPublic.of(share.policy),
            explanation=share.explanation,
        )


class CreditStatementPublic(BaseModel):
    """CRD-5: the principal's full statement, or an associate's usable share."""

    view: str = Field(description="full_statement or usable_share.")
    statement: FullStatementPublic | None
    share: UsableSharePublic | None

    @classmethod
    def of(cls, result: CreditStatementResult) -> CreditStatementPublic:
        return cls(
            view=result.view.value,
            statement=FullStatementPublic.of(result.statement) if result.statement else None,
            share=UsableSharePublic.of(result.share) if result.share else None,
        )
