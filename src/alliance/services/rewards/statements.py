"""What a customer sees of its rewards (OSR-17): accrued, available, expiring, used, expired.

A statement is computed from the ledger's postings effective by ``as_of`` — never from
stored totals — so the statement of any past day can be reconstructed (X-4). It lists the
customer's lots by accrual month with their expiry (OSR-14), what expires within 30, 60
and 90 days, and what its whole corporate hierarchy has available to pay invoices with
(OSR-18). Only the people of that hierarchy, and vendor staff who see every
organisation, may read it (X-6).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from alliance.domain.access import Actor
from alliance.domain.calendar import Month
from alliance.domain.clock import Clock
from alliance.domain.ids import OrganizationId
from alliance.domain.ledger import Book, LotLine, Statement
from alliance.domain.money import minor_unit
from alliance.services.ports import UnitOfWork
from alliance.services.reward_terms import RewardProgram
from alliance.services.rewards.access import require_customer

EXPIRY_HORIZONS = (30, 60, 90)


@dataclass(frozen=True)
class LotView:
    """One lot: the month it was earned for, its expiry, and where its value is now."""

    lot_id: str
    month: Month
    accrued_on: date
    expires_on: date | None
    accrued: Decimal
    available: Decimal
    held: Decimal
    used: Decimal
    expired: Decimal

    @property
    def status(self) -> str:
        if self.available > 0:
            return "available"
        if self.expired > 0:
            return "expired"
        return "used" if self.used > 0 else "held"


@dataclass(frozen=True)
class CurrencyStatement:
    """The customer's rewards in one currency, as of the statement's day."""

    currency: str
    accrued: Decimal
    available: Decimal
    held: Decimal
    used: Decimal
    expired: Decimal
    expiring: dict[int, Decimal]
    company_available: Decimal
    lots: tuple[LotView, ...]


@dataclass(frozen=True)
class RewardStatement:
    """``customer_id``'s rewards on ``as_of``, one section per currency (OSR-17)."""

    customer_id: OrganizationId
    program: str
    as_of: date
    company: tuple[OrganizationId, ...]
    currencies: tuple[CurrencyStatement, ...]


def reward_statement(
    uow: UnitOfWork,
    actor: Actor,
    customer_id: OrganizationId,
    *,
    program: RewardProgram,
    clock: Clock,
    as_of: date | None = None,
) -> RewardStatement:
    """The statement of ``customer_id`` on ``as_of`` (default: today), for ``actor``."""
    day = as_of or clock.today()
    wallet = program.terms.wallet
    with uow:
        hierarchy = require_customer(uow, actor, customer_id)
        company = tuple(hierarchy.company_of(customer_id))
        units = uow.rewards.customers.reward_units([customer_id], wallet) or {program.currency}
        sections = []
        for unit in sorted(units):
            statement = uow.ledger.statement(customer_id, wallet, unit, day)
            sections.append(_section(statement, _available(uow, company, wallet, unit, day)))
    return RewardStatement(customer_id, program.code, day, company, tuple(sections))


def _available(
    uow: UnitOfWork, company: tuple[OrganizationId, ...], wallet: str, unit: str, day: date
) -> Decimal:
    """OSR-18: what every entity of the hierarchy has redeemable on ``day``."""
    return sum(
        (
            remaining
            for owner in company
            for lot, remaining in uow.ledger.open_lots(Book(owner, wallet, unit), day)
            if lot.is_redeemable_on(day)
        ),
        Decimal(0),
    )


def _money(value: Decimal, unit: str) -> Decimal:
    """An amount at its currency's minor unit (the ledger keeps four places; a reward
    never has more than its currency's)."""
    return value.quantize(Decimal(1).scaleb(-minor_unit(unit)))


def _section(statement: Statement, company_available: Decimal) -> CurrencyStatement:
    unit = statement.book.unit
    return CurrencyStatement(
        currency=unit,
        accrued=_money(statement.accrued, unit),
        available=_money(statement.available, unit),
        held=_money(statement.held, unit),
        used=_money(statement.spent, unit),
        expired=_money(statement.expired, unit),
        expiring={d: _money(statement.expiring_amount(d), unit) for d in EXPIRY_HORIZONS},
        company_available=_money(company_available, unit),
        lots=tuple(_lot(line, unit) for line in sorted(statement.lots, key=_by_accrual)),
    )


def _by_accrual(line: LotLine) -> tuple[date, str]:
    return (line.lot.accrued_on, line.lot.id)


def _lot(line: LotLine, unit: str) -> LotView:
    awaiting = line.remaining if line.is_expired else Decimal(0)  # past expiry, not swept
    return LotView(
        lot_id=line.lot.id,
        month=Month.containing(line.lot.accrued_on),
        accrued_on=line.lot.accrued_on,
        expires_on=line.expires_on,
        accrued=_money(line.accrued, unit),
        available=_money(line.available, unit),
        held=_money(line.held, unit),
        used=_money(line.spent, unit),
        expired=_money(line.expired + awaiting, unit),
    )
