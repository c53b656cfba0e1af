"""Quotes as the API receives and shows them (OIP-7, OIP-8, X-3).

A request names the partner and a basket; amounts are exact decimal strings in the
program's currency, excluding tax (``"19.99"``), never floats (X-1). The answer gives
each line's list and quoted price with the promotions applied, then every promotion of
the program — applied, or why not ("Number porting grid needs 600.00 EUR of order
intake in 2026-Q2; you have 420.00 EUR (180.00 EUR to go)").
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from alliance.api.schemas.rewards import MoneyPublic
from alliance.domain.explanations import Reason
from alliance.domain.money import Money
from alliance.services.quotes.pricing import PartnerQuote
from alliance.services.quotes.requests import BasketRequest, LineRequest

AMOUNT = r"^\d{1,12}(\.\d{1,6})?$"


class QuoteLineCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    product: str = Field(min_length=1, max_length=80, examples=["number_porting"])
    quantity: int = Field(default=1, examples=[12])
    unit_price: str | None = Field(
        default=None, pattern=AMOUNT, description="Overrides the list price.", examples=["50.00"]
    )
    fee: str | None = Field(
        default=None, pattern=AMOUNT, description="A service-access fee charged once."
    )


class QuoteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    partner_id: str = Field(min_length=1, max_length=64)
    lines: list[QuoteLineCreate] = Field(max_length=200)
    holds: list[str] = Field(
        default_factory=list,
        max_length=50,
        description="Products the customer already subscribes to (VoIP, data links…).",
    )
    project: str | None = Field(default=None, max_length=80, examples=["fleet_migration"])
    on: date | None = Field(default=None, description="The day of the quote; default today.")
    program: str = Field(default="oip", max_length=40)

    def basket(self) -> BasketRequest:
        return BasketRequest(
            tuple(
                LineRequest(
                    line.product,
                    line.quantity,
                    Decimal(line.unit_price) if line.unit_price is not None else None,
                    Decimal(line.fee) if line.fee is not None else None,
                )
                for line in self.lines
            ),
            tuple(self.holds),
            self.project,
        )


class ReasonPublic(BaseModel):
    rule: str
    message: str

    @classmethod
    def of(cls, reason: Reason) -> ReasonPublic:
        return cls(rule=reason.rule, message=reason.message)


def _money(value: Money) -> MoneyPublic:
    return MoneyPublic.of(value.amount, value.currency)


class QuoteLinePublic(BaseModel):
    product: str
    name: str
    quantity: int
    list_unit_price: MoneyPublic
    unit_price: MoneyPublic = Field(description="Exact, before the line is rounded.")
    list_total: MoneyPublic
    total: MoneyPublic = Field(description="Rounded half-up to the cent, once (X-1).")
    fee: MoneyPublic | None
    fee_charged: MoneyPublic | None
    promotions: list[str]
    reasons: list[ReasonPublic]


class PromotionCheckPublic(BaseModel):
    promotion: str
    name: str
    eligible: bool
    applied: bool
    reasons: list[ReasonPublic]


class QuotePublic(BaseModel):
    partner_id: str
    member_type: str
    status: str
    status_reasons: list[ReasonPublic] = Field(description="Why the partner has its status.")
    program: str
    on: date
    lines: list[QuoteLinePublic]
    promotions: list[PromotionCheckPublic]
    list_total: MoneyPublic
    total: MoneyPublic
    savings: MoneyPublic
    summary: str
    reasons: list[ReasonPublic]

    @classmethod
    def of(cls, found: PartnerQuote) -> QuotePublic:
        q = found.quote
        return cls(
            partner_id=q.partner_id,
            member_type=q.member_type,
            status=q.status,
            status_reasons=[ReasonPublic.of(r) for r in found.status.explanation.reasons],
            program=found.program,
            on=q.as_of,
            lines=[
                QuoteLinePublic(
                    product=line.product,
                    name=line.name,
                    quantity=line.quantity,
                    list_unit_price=_money(line.list_unit_price),
                    unit_price=_money(line.unit_price),
                    list_total=_money(line.list_total),
                    total=_money(line.total),
                    fee=_money(line.fee) if line.fee is not None else None,
                    fee_charged=_money(line.fee_charged) if line.fee_charged is not None else None,
                    promotions=list(line.promotions),
                    reasons=[ReasonPublic.of(r) for r in line.reasons],
                )
                for line in q.lines
            ],
            promotions=[
                PromotionCheckPublic(
                    promotion=c.promotion,
                    name=c.name,
                    eligible=c.eligible,
                    applied=c.applied,
                    reasons=[ReasonPublic.of(r) for r in c.reasons],
                )
                for c in q.promotions
            ],
            list_total=_money(q.list_total),
            total=_money(q.total),
            savings=_money(q.savings),
            summary=q.explanation.summary,
            reasons=[ReasonPublic.of(r) for r in q.explanation.reasons],
        )
