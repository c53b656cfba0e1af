"""Customer rewards as the API receives and shows them (OSR-12…OSR-23).

Money is ``{"amount": "330.00", "currency": "USD"}``: the amount an exact decimal string,
never a float (X-1). Requests refuse unknown fields; an amount in a request is a string
or a number of at most two decimal places' worth of digits, read exactly.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from alliance.domain.money import minor_unit
from alliance.services.imports.usage import UsageImportResult
from alliance.services.rewards.accrual import AccrualReport
from alliance.services.rewards.expiry import ExpiryReport
from alliance.services.rewards.ports import InvoiceRedemption
from alliance.services.rewards.redemptions import InvoiceStatus, RedemptionResult
from alliance.services.rewards.statements import CurrencyStatement, LotView, RewardStatement

_AMOUNT_TEXT = re.compile(r"\d+(\.\d+)?")


class MoneyPublic(BaseModel):
    """An exact amount: ``{"amount": "330.00", "currency": "USD"}``."""

    amount: str = Field(examples=["330.00"], description="An exact decimal, as a string.")
    currency: str = Field(examples=["USD"])

    @classmethod
    def of(cls, amount: Decimal, currency: str) -> MoneyPublic:
        """At the currency's minor unit (``330.00``) — exactly: an amount with more
        places is shown with all of them, never rounded."""
        minor = amount.quantize(Decimal(1).scaleb(-minor_unit(currency)))
        return cls(amount=f"{minor if minor == amount else amount:f}", currency=currency)


class UsageImportPublic(BaseModel):
    id: str
    file_name: str
    sha256: str
    months: list[str]
    row_count: int
    imported_at: datetime
    already_imported: bool = Field(description="The same content was imported before (X-5).")
    message: str

    @classmethod
    def of(cls, result: UsageImportResult) -> UsageImportPublic:
        r = result.record
        return cls(
            id=r.id,
            file_name=r.file_name,
            sha256=r.sha256,
            months=[m.label for m in r.months],
            row_count=r.row_count,
            imported_at=r.imported_at,
            already_imported=result.already_imported,
            message=result.summary,
        )


class AccrualCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    month: str = Field(pattern=r"^\d{4}-(0[1-9]|1[0-2])$", examples=["2021-12"])
    program: str = Field(default="osr", max_length=40)


class AccrualPublic(BaseModel):
    month: str
    program: str
    usage_files: int
    lines: int
    lots: int
    new_lots: int
    already_posted: int = Field(description="Lots of this month posted by an earlier run.")
    amounts: list[MoneyPublic]
    message: str

    @classmethod
    def of(cls, report: AccrualReport) -> AccrualPublic:
        return cls(
            month=report.month.label,
            program=report.program,
            usage_files=report.usage_files,
            lines=report.lines,
            lots=report.lots,
            new_lots=report.new_lots,
            already_posted=report.already_posted,
            amounts=[MoneyPublic.of(a, u) for u, a in sorted(report.amounts.items())],
            message=report.summary,
        )


class ExpiryCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    as_of: date = Field(examples=["2023-01-01"])


class ExpiryPublic(BaseModel):
    as_of: date
    lots: int
    amounts: list[MoneyPublic]
    message: str

    @classmethod
    def of(cls, report: ExpiryReport) -> ExpiryPublic:
        return cls(
            as_of=report.as_of,
            lots=report.lots,
            amounts=[MoneyPublic.of(a, u) for u, a in sorted(report.amounts.items())],
            message=report.summary,
        )


class LotPublic(BaseModel):
    lot_id: str
    month: str = Field(description="The month of consumption the lot was earned on.")
    accrued_on: date
    expires_on: date | None
    status: str
    accrued: MoneyPublic
    available: MoneyPublic
    used: MoneyPublic
    expired: MoneyPublic

    @classmethod
    def of(cls, lot: LotView, currency: str) -> LotPublic:
        return cls(
            lot_id=lot.lot_id,
            month=lot.month.label,
            accrued_on=lot.accrued_on,
            expires_on=lot.expires_on,
            status=lot.status,
            accrued=MoneyPublic.of(lot.accrued, currency),
            available=MoneyPublic.of(lot.available, currency),
            used=MoneyPublic.of(lot.used, currency),
            expired=MoneyPublic.of(lot.expired, currency),
        )


class ExpiringPublic(BaseModel):
    within_days: int
    amount: MoneyPublic


class CurrencyStatementPublic(BaseModel):
    currency: str
    accrued: MoneyPublic
    available: MoneyPublic
    held: MoneyPublic
    used: MoneyPublic
    expired: MoneyPublic
    expiring: list[ExpiringPublic]
    company_available: MoneyPublic = Field(
        description="What the whole corporate hierarchy may pay invoices with (OSR-18)."
    )
    lots: list[LotPublic]

    @classmethod
    def of(cls, s: CurrencyStatement) -> CurrencyStatementPublic:
        cur = s.currency
        return cls(
            currency=cur,
            accrued=MoneyPublic.of(s.accrued, cur),
            available=MoneyPublic.of(s.available, cur),
            held=MoneyPublic.of(s.held, cur),
            used=MoneyPublic.of(s.used, cur),
            expired=MoneyPublic.of(s.expired, cur),
            expiring=[
                ExpiringPublic(within_days=d, amount=MoneyPublic.of(v, cur))
                for d, v in s.expiring.items()
            ],
            company_available=MoneyPublic.of(s.company_available, cur),
            lots=[LotPublic.of(lot, cur) for lot in s.lots],
        )


class StatementPublic(BaseModel):
    """A customer's rewards as of a day (OSR-17)."""

    customer_id: str
    program: str
    as_of: date
    company: list[str]
    currencies: list[CurrencyStatementPublic]

    @classmethod
    def of(cls, statement: RewardStatement) -> StatementPublic:
        return cls(
            customer_id=statement.customer_id,
            program=statement.program,
            as_of=statement.as_of,
            company=list(statement.company),
            currencies=[CurrencyStatementPublic.of(s) for s in statement.currencies],
        )


class RedemptionCreate(BaseModel):
    """Pay ``amount`` (default: all that rewards can) of the invoice, once per key."""

    model_config = ConfigDict(extra="forbid")

    amount: Decimal | None = Field(
        default=None, description='An exact amount such as "120.00"; omit to pay all.'
    )
    idempotency_key: str = Field(
        min_length=1, max_length=100, pattern=r"^[A-Za-z0-9._:-]+$", examples=["req-2022-01-20-1"]
    )

    @field_validator("amount", mode="before")
    @classmethod
    def _exact(cls, value: object) -> object:
        if isinstance(value, float):
            raise ValueError('an amount is an exact decimal string such as "120.00", not a float')
        if isinstance(value, str) and not _AMOUNT_TEXT.fullmatch(value.strip()):
            raise ValueError('an amount is a decimal such as "120.00"')
        return value


class RedemptionPublic(BaseModel):
    id: str
    invoice_id: str
    idempotency_key: str
    amount: MoneyPublic
    redeemed_on: date
    payer_kind: str
    payer_id: str
    recorded_at: datetime

    @classmethod
    def of(cls, r: InvoiceRedemption) -> RedemptionPublic:
        return cls(
            id=r.id,
            invoice_id=r.invoice_id,
            idempotency_key=r.idempotency_key,
            amount=MoneyPublic.of(r.amount, r.currency),
            redeemed_on=r.redeemed_on,
            payer_kind=r.payer_kind,
            payer_id=r.payer_id,
            recorded_at=r.recorded_at,
        )


class InvoiceLinePublic(BaseModel):
    product: str
    support_program: str
    pre_tax_amount: MoneyPublic
    payable_with_rewards: bool = Field(description="False for excluded programs (OSR-20).")


class InvoicePublic(BaseModel):
    """A support invoice and what rewards paid and may still pay of it (OSR-19, OSR-20)."""

    id: str
    customer_id: str
    issued_on: date
    due_on: date
    lines: list[InvoiceLinePublic]
    pre_tax_total: MoneyPublic
    tax: MoneyPublic
    total: MoneyPublic
    payable_with_rewards: MoneyPublic
    paid_with_rewards: MoneyPublic
    still_payable_with_rewards: MoneyPublic
    redemptions: list[RedemptionPublic]

    @classmethod
    def of(cls, status: InvoiceStatus) -> InvoicePublic:
        inv = status.invoice
        cur = inv.currency
        return cls(
            id=inv.id,
            customer_id=inv.customer_id,
            issued_on=inv.issued_on,
            due_on=inv.due_on,
            lines=[
                InvoiceLinePublic(
                    product=line.product,
                    support_program=line.support_program,
                    pre_tax_amount=MoneyPublic.of(line.pre_tax_amount, cur),
                    payable_with_rewards=eligible,
                )
                for line, eligible in status.lines()
            ],
            pre_tax_total=MoneyPublic.of(inv.pre_tax_total, cur),
            tax=MoneyPublic.of(inv.tax, cur),
            total=MoneyPublic.of(inv.total, cur),
            payable_with_rewards=MoneyPublic.of(status.redeemable, cur),
            paid_with_rewards=MoneyPublic.of(status.redeemed, cur),
            still_payable_with_rewards=MoneyPublic.of(status.still_redeemable, cur),
            redemptions=[RedemptionPublic.of(r) for r in status.redemptions],
        )


class LotPaymentPublic(BaseModel):
    lot_id: str
    owner: str
    amount: MoneyPublic
    accrued_on: date
    expires_on: date | None


class RedemptionResultPublic(BaseModel):
    redemption: RedemptionPublic
    replayed: bool = Field(description="This key was used before: nothing new was paid (X-5).")
    lots: list[LotPaymentPublic]
    invoice: InvoicePublic

    @classmethod
    def of(cls, result: RedemptionResult) -> RedemptionResultPublic:
        cur = result.redemption.currency
        return cls(
            redemption=RedemptionPublic.of(result.redemption),
            replayed=result.replayed,
            lots=[
                LotPaymentPublic(
                    lot_id=p.lot_id,
                    owner=p.owner,
                    amount=MoneyPublic.of(p.amount, cur),
                    accrued_on=p.accrued_on,
                    expires_on=p.expires_on,
                )
                for p in result.payments
            ],
            invoice=InvoicePublic.of(result.invoice),
        )
