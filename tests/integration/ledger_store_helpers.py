"""Builders for the SQL ledger's tests: amounts, origins, commands, and checks."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from alliance.domain.ledger import (
    AccountKind,
    Book,
    Command,
    OpenLot,
    Origin,
    Posting,
    PostingKind,
    invariant_problems,
)
from alliance.store.unit_of_work import SqlUnitOfWork

Factory = Callable[[], SqlUnitOfWork]
BOOK = Book("org_acme", "credits", "USD")
ENROLMENT = Origin("opn", "enrolment-2024")
PUBLIC = Origin("opn", "public-deal", frozenset({"public_sector"}))


def usd(amount: str | int) -> Decimal:
    return Decimal(amount)


def open_lot(
    key: str,
    amount: str | int,
    *,
    accrued_on: date = date(2024, 1, 1),
    expires_on: date | None = date(2024, 12, 31),
    origin: Origin = ENROLMENT,
    book: Book = BOOK,
    kind: PostingKind = PostingKind.ALLOCATE,
) -> OpenLot:
    return OpenLot(
        key,
        book.owner,
        book.wallet,
        book.unit,
        usd(amount),
        accrued_on,
        expires_on,
        origin,
        kind,
    )


def post(uow_factory: Factory, *commands: Command) -> list[Posting]:
    """Carry out ``commands`` in one committed unit of work; the postings they made."""
    with uow_factory() as uow:
        made = [uow.ledger.execute(command) for command in commands]
        uow.commit()
    return made


def balances(uow_factory: Factory, book: Book = BOOK) -> dict[AccountKind, Decimal]:
    """``book``'s wallet, held, spent and expired balances."""
    with uow_factory() as uow:
        return {
            kind: uow.ledger.balance(book.account(kind))
            for kind in (
                AccountKind.WALLET,
                AccountKind.HELD,
                AccountKind.SPENT,
                AccountKind.EXPIRED,
            )
        }


def stored_problems(uow_factory: Factory) -> list[str]:
    """The invariants of :mod:`alliance.domain.ledger.invariants` over the stored ledger."""
    with uow_factory() as uow:
        ledger = uow.ledger
        return invariant_problems(ledger.postings(), ledger.lots(), ledger.holds().values())
