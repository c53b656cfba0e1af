"""OIP duties (OIP-5), benefits (OIP-6), commissions and the back-margin (OIP-1, OIP-7)
as the API receives and shows them; money as exact decimal strings (X-1)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from alliance.api.schemas.pex import ExplanationPublic
from alliance.api.schemas.rewards import MoneyPublic
from alliance.domain.money import Money
from alliance.domain.statuses import Payout
from alliance.services.status_incentives.duties import DutiesReport
from alliance.services.status_incentives.ports import DutyProfile


def _money(value: Money) -> MoneyPublic:
    return MoneyPublic.of(value.amount, value.currency)


class DutyItemPublic(BaseModel):
    key: str
    duty: str
    name: str
    kind: str
    needed: int
    done: int
    met: bool


class BenefitPublic(BaseModel):
    id: str
    name: str
    kind: str
    value: MoneyPublic | None
    quantity: int | None
    items: list[str]


class DutiesPublic(BaseModel):
    partner_id: str
    member_type: str
    status: str
    status_until: date
    status_explanation: ExplanationPublic
    product_lines: list[str]
    flags: list[str]
    duties: list[DutyItemPublic]
    met: int
    due: int
    compliance: str = Field(description="The share of duty items met, 0 to 1.")
    benefits: list[BenefitPublic]
    summary: str

    @classmethod
    def of(cls, report: DutiesReport) -> DutiesPublic:
        outcome = report.standing.outcome
        return cls(
            partner_id=outcome.partner_id,
            member_type=outcome.member_type,
            status=outcome.status.id,
            status_until=outcome.valid_until,
            status_explanation=ExplanationPublic.of(outcome.explanation),
            product_lines=sorted(report.product_lines),
            flags=sorted(report.flags),
            duties=[
                DutyItemPublic(
                    key=i.key,
                    duty=i.duty,
                    name=i.name,
                    kind=i.kind,
                    needed=i.needed,
                    done=i.done,
                    met=i.met,
                )
                for i in report.duties.items
            ],
            met=len(report.duties.met),
            due=len(report.duties.items),
            compliance=f"{report.duties.rate:f}",
            benefits=[
                BenefitPublic(
                    id=b.id,
                    name=b.name,
                    kind=b.kind,
                    value=_money(b.value) if b.value is not None else None,
                    quantity=b.quantity,
                    items=list(b.items),
                )
                for b in report.benefits
            ],
            summary=report.summary,
        )


class DutyRecord(BaseModel):
    model_config = ConfigDict(extra="forbid")

    done: int = Field(ge=0, examples=[1])
    on: date | None = None
    program: str = Field(default="oip", max_length=40)


class ProfileUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product_lines: list[str] = Field(max_length=20, examples=[["sip_trunk", "data"]])
    flags: list[str] = Field(default_factory=list, max_length=20, examples=[["uses_eshop"]])
    program: str = Field(default="oip", max_length=40)


class ProfilePublic(BaseModel):
    partner_id: str
    product_lines: list[str]
    flags: list[str]

    @classmethod
    def of(cls, profile: DutyProfile) -> ProfilePublic:
        return cls(
            partner_id=profile.partner_id,
            product_lines=sorted(profile.product_lines),
            flags=sorted(profile.flags),
        )


class PayoutPublic(BaseModel):
    partner_id: str
    period: str
    base: MoneyPublic
    rate: str
    exact: MoneyPublic
    amount: MoneyPublic = Field(description="Rounded half-up once (X-1).")
    idempotency_key: str
    explanation: ExplanationPublic

    @classmethod
    def of(cls, payout: Payout) -> PayoutPublic:
        return cls(
            partner_id=payout.partner_id,
            period=payout.period,
            base=_money(payout.base),
            rate=f"{payout.rate.rate:f}",
            exact=_money(payout.exact),
            amount=_money(payout.amount),
            idempotency_key=payout.idempotency_key,
            explanation=ExplanationPublic.of(payout.explanation),
        )
