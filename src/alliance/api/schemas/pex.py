"""PEX as the API receives and shows it: enrolments (PEX-2, PEX-7), points runs and
statements (PEX-4, PEX-6), proof-of-concept budgets (PEX-4), tranche margins (PEX-5).
Points and money are exact decimal strings, never floats (X-1)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from alliance.api.schemas.quotes import ReasonPublic
from alliance.api.schemas.rewards import MoneyPublic
from alliance.domain.explanations import Explanation
from alliance.domain.modular_tiers import Availability
from alliance.domain.money import Money
from alliance.services.modular_tiers.budgets import BudgetResult, PointsStatement
from alliance.services.modular_tiers.enrolment import EnrolmentResult
from alliance.services.modular_tiers.margins import MarginStatement
from alliance.services.modular_tiers.points import PointsRun
from alliance.services.modular_tiers.ports import PocBudgetRequest


class ExplanationPublic(BaseModel):
    summary: str
    reasons: list[ReasonPublic]
    gap: str | None = None
    next_threshold: str | None = None
    steps: list[str] = Field(default_factory=list)

    @classmethod
    def of(cls, explanation: Explanation) -> ExplanationPublic:
        return cls(
            summary=explanation.summary,
            reasons=[ReasonPublic.of(r) for r in explanation.reasons],
            gap=f"{explanation.gap:f}" if explanation.gap is not None else None,
            next_threshold=explanation.next_threshold,
            steps=[step.message for step in explanation.steps],
        )


class AvailabilityPublic(BaseModel):
    partner_type: str
    on: date
    admitted: bool
    explanation: ExplanationPublic

    @classmethod
    def of(cls, found: Availability) -> AvailabilityPublic:
        return cls(
            partner_type=found.partner_type,
            on=found.on,
            admitted=found.admitted,
            explanation=ExplanationPublic.of(found.explanation),
        )


class EnrolmentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    partner_id: str = Field(min_length=1, max_length=64)
    partner_type: str = Field(min_length=1, max_length=40, examples=["solution_provider"])
    modules: list[str] = Field(max_length=10, examples=[["resell", "sell_with"]])
    on: date | None = None
    program: str = Field(default="pex", max_length=40)


class EnrolmentPublic(BaseModel):
    partner_id: str
    partner_type: str
    modules: list[str]
    enrolled_on: date
    tier: str | None
    tier_explanation: ExplanationPublic

    @classmethod
    def of(cls, result: EnrolmentResult) -> EnrolmentPublic:
        e = result.enrolment
        return cls(
            partner_id=e.partner_id,
            partner_type=e.partner_type,
            modules=sorted(e.modules),
            enrolled_on=e.enrolled_on,
            tier=result.tier.tier.id if result.tier.tier else None,
            tier_explanation=ExplanationPublic.of(result.tier.explanation),
        )


class PointsRunCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", examples=["2025-01"])
    program: str = Field(default="pex", max_length=40)


class AwardPublic(BaseModel):
    partner_id: str
    source: str
    points: str
    idempotency_key: str
    counted: list[str]
    explanation: ExplanationPublic


class PointsRunPublic(BaseModel):
    program: str
    month: str
    points: str
    posted: int
    already_posted: int = Field(description="Lots of this month posted by an earlier run.")
    awards: list[AwardPublic]
    message: str

    @classmethod
    def of(cls, run: PointsRun) -> PointsRunPublic:
        return cls(
            program=run.program,
            month=run.month.label,
            points=f"{run.points:f}",
            posted=run.posted,
            already_posted=run.already_posted,
            awards=[
                AwardPublic(
                    partner_id=a.partner_id,
                    source=a.source.value,
                    points=f"{a.points:f}",
                    idempotency_key=a.idempotency_key,
                    counted=list(a.counted),
                    explanation=ExplanationPublic.of(a.explanation),
                )
                for a in run.awards
            ],
            message=run.summary,
        )


class BudgetCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    points: int = Field(gt=0, examples=[500])
    budget_ref: str = Field(pattern=r"^[A-Za-z0-9._:-]{1,100}$", examples=["poc-2025-007"])
    description: str = Field(default="", max_length=500)
    program: str = Field(default="pex", max_length=40)


class BudgetDecision(BaseModel):
    model_config = ConfigDict(extra="forbid")

    approve: bool
    program: str = Field(default="pex", max_length=40)


class BudgetPublic(BaseModel):
    id: str
    partner_id: str
    budget_ref: str
    points: str
    status: str
    hold_id: str
    requested_on: date
    requested_by: str
    description: str
    decided_at: datetime | None
    decided_by: str | None

    @classmethod
    def of(cls, r: PocBudgetRequest) -> BudgetPublic:
        return cls(
            id=r.id,
            partner_id=r.partner_id,
            budget_ref=r.budget_ref,
            points=f"{r.points:f}",
            status=r.status.value,
            hold_id=r.hold_id,
            requested_on=r.requested_on,
            requested_by=r.requested_by,
            description=r.description,
            decided_at=r.decided_at,
            decided_by=r.decided_by,
        )


class BudgetResultPublic(BaseModel):
    request: BudgetPublic
    replayed: bool = Field(description="The same request was made before (X-5).")
    available_after: str
    message: str

    @classmethod
    def of(cls, result: BudgetResult) -> BudgetResultPublic:
        return cls(
            request=BudgetPublic.of(result.request),
            replayed=result.replayed,
            available_after=f"{result.available_after:f}",
            message=result.summary,
        )


class LotPublic(BaseModel):
    lot_id: str
    accrued_on: date
    source: str | None = Field(description="The award's key: pex:points:{source}:…")
    amount: str
    available: str
    spent: str


class PointsStatementPublic(BaseModel):
    partner_id: str
    as_of: date
    accrued: str
    available: str
    held: str
    spent: str
    tier: str | None
    tier_explanation: ExplanationPublic
    lots: list[LotPublic]
    budgets: list[BudgetPublic]

    @classmethod
    def of(cls, found: PointsStatement) -> PointsStatementPublic:
        s = found.statement
        return cls(
            partner_id=found.partner_id,
            as_of=s.as_of,
            accrued=f"{s.accrued:f}",
            available=f"{s.available:f}",
            held=f"{s.held:f}",
            spent=f"{s.spent:f}",
            tier=found.tier.tier.id if found.tier.tier else None,
            tier_explanation=ExplanationPublic.of(found.tier.explanation),
            lots=[
                LotPublic(
                    lot_id=line.lot.id,
                    accrued_on=line.lot.accrued_on,
                    source=line.lot.origin.source_event,
                    amount=f"{line.accrued:f}",
                    available=f"{line.available:f}",
                    spent=f"{line.spent:f}",
                )
                for line in s.lots
            ],
            budgets=[BudgetPublic.of(r) for r in found.requests],
        )


def _money(value: Money) -> MoneyPublic:
    return MoneyPublic.of(value.amount, value.currency)


class TranchePublic(BaseModel):
    lower: MoneyPublic
    upper: MoneyPublic | None
    rate: str
    base: MoneyPublic
    margin: MoneyPublic = Field(description="Exact, before the total is rounded.")


class MarginPublic(BaseModel):
    partner_id: str
    period: str
    bookings: MoneyPublic
    tranches: list[TranchePublic]
    exact: MoneyPublic
    margin: MoneyPublic = Field(description="Rounded half-up once (X-1).")
    deals: list[str]
    explanation: ExplanationPublic

    @classmethod
    def of(cls, found: MarginStatement) -> MarginPublic:
        m = found.margin
        return cls(
            partner_id=found.partner_id,
            period=found.period.label,
            bookings=_money(m.bookings),
            tranches=[
                TranchePublic(
                    lower=_money(line.lower),
                    upper=_money(line.upper) if line.upper is not None else None,
                    rate=f"{line.rate:f}",
                    base=_money(line.base),
                    margin=_money(line.margin),
                )
                for line in m.lines
            ],
            exact=_money(m.exact),
            margin=_money(m.margin),
            deals=list(found.deals),
            explanation=ExplanationPublic.of(m.explanation),
        )
