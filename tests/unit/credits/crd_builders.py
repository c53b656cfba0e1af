"""Builders for credit tests: a principal with two associates, its people, its ledger."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from alliance.domain.clock import FixedClock
from alliance.domain.credits import (
    ALLOCATION_TAG,
    CREDITS,
    PARTNER_CREDITS,
    PUBLIC_SECTOR_TAG,
    REWARD_TAG,
    earned_by_tag,
)
from alliance.domain.ids import OrganizationId, PersonId
from alliance.domain.ledger import AccountKind, Book, Ledger, LotRemaining, Origin
from alliance.domain.organizations import Hierarchy
from alliance.domain.people import PartnerRole, Person

PRINCIPAL = OrganizationId("org_principal")
ASSOC_A = OrganizationId("org_assoc_a")
ASSOC_B = OrganizationId("org_assoc_b")
STRANGER = OrganizationId("org_stranger")
HIERARCHY = Hierarchy({PRINCIPAL: None, ASSOC_A: PRINCIPAL, ASSOC_B: PRINCIPAL, STRANGER: None})

TODAY = date(2025, 5, 5)
NOW = datetime(2025, 5, 5, 10, tzinfo=UTC)
MEMBERSHIP_END = date(2026, 1, 14)
BOOK = Book(PRINCIPAL, PARTNER_CREDITS, CREDITS)

ADMIN = PartnerRole.PARTNER_ADMINISTRATOR
CREDIT_MANAGER = PartnerRole.PARTNER_CREDIT_MANAGER


def person(name: str, org: OrganizationId, *roles: PartnerRole) -> Person:
    slug = name.lower().replace(" ", ".")
    return Person(
        id=PersonId(f"per_{slug}"),
        name=name,
        email=f"{slug}@example.com",
        organization_id=org,
        partner_roles=frozenset(roles),
    )


PRINCIPAL_ADMIN = person("Ada Admin", PRINCIPAL, ADMIN)
PRINCIPAL_CREDITS = person("Carl Credits", PRINCIPAL, CREDIT_MANAGER)
PRINCIPAL_MARKETING = person("Mia Marketing", PRINCIPAL, PartnerRole.MARKETING_CONTACT)
ASSOC_ADMIN = person("Abe Associate", ASSOC_A, ADMIN)
ASSOC_B_ADMIN = person("Bea Associate", ASSOC_B, ADMIN)
STRANGER_ADMIN = person("Sid Stranger", STRANGER, ADMIN)


def ledger() -> Ledger:
    return Ledger(FixedClock(NOW))


def fund(
    book: Ledger,
    amount: str,
    *,
    key: str,
    tags: frozenset[str] = frozenset({ALLOCATION_TAG}),
    expires_on: date = MEMBERSHIP_END,
    accrued_on: date = date(2025, 1, 15),
) -> str:
    """Open a lot of ``amount`` credits in the principal's wallet; returns its id."""
    posting = book.accrue(
        PRINCIPAL,
        PARTNER_CREDITS,
        CREDITS,
        Decimal(amount),
        accrued_on=accrued_on,
        expires_on=expires_on,
        origin=Origin("opn", key, tags),
        idempotency_key=key,
    )
    assert posting.lot_id is not None
    return posting.lot_id


def earned(by: OrganizationId, public: bool = False) -> frozenset[str]:
    tags = {REWARD_TAG, earned_by_tag(by)}
    if public:
        tags.add(PUBLIC_SECTOR_TAG)
    return frozenset(tags)


def lots(book: Ledger) -> list[LotRemaining]:
    return book.open_lots(BOOK)


def balances(book: Ledger) -> tuple[Decimal, Decimal, Decimal]:
    """(available, held, spent) of the principal's credits."""
    return (
        book.balance(BOOK.account(AccountKind.WALLET)),
        book.balance(BOOK.account(AccountKind.HELD)),
        book.balance(BOOK.account(AccountKind.SPENT)),
    )
