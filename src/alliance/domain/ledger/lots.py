"""Lots: parcels of value that remember where they came from and when they expire.

A lot is opened by an accrual or an allocation and never changes; what is left of it
is derived from the legs that name it (:mod:`alliance.domain.ledger.balances`). Its
``origin`` keeps the program, the event that earned it and tags such as
``public_sector``, so a redemption can refuse value of the wrong kind (CRD-6).

**Expiry-day semantics (OSR-14).** A lot expires at the *end* of its ``expires_on``
day: it is still redeemable on ``expires_on`` and not from the next day on. Rewards
accrued at the end of December 2021 expire at the end of December 2022: redeemable on
2022-12-31, expired on 2023-01-01. The expiry posting is effective on that first day
(``expires_on + 1``), so a statement as of ``expires_on`` still shows the value, "expiring
today". A lot without ``expires_on`` never expires.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from alliance.domain.errors import InvalidInput
from alliance.domain.ledger.accounts import AccountKey, AccountKind, Book
from alliance.domain.ledger.units import Unit

PUBLIC_SECTOR = "public_sector"
"""The tag of credits earned on public-sector deals, which some options refuse (CRD-6)."""


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a lot came from: its ``program``, the ``source_event`` that earned it (an
    accrual run, an engagement, an enrolment) and free ``tags`` (``public_sector``)."""

    program: str
    source_event: str
    tags: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        object.__setattr__(self, "tags", frozenset(self.tags))
        if not self.program.strip():
            raise InvalidInput("a lot's origin names its program", field="program", rule="CRD-6")


@dataclass(frozen=True, slots=True)
class Lot:
    """``amount`` of ``unit`` accrued to ``owner``'s ``wallet`` on ``accrued_on``.

    ``amount`` is the original value, never changed; see the module doc for when the
    lot stops being redeemable.
    """

    id: str
    owner: str
    wallet: str
    unit: str
    amount: Decimal
    accrued_on: date
    expires_on: date | None
    origin: Origin

    def __post_init__(self) -> None:
        Unit.of(self.unit).check(self.amount)
        if self.amount <= 0:
            raise InvalidInput(
                f"a lot holds a positive amount, got {self.amount}", field="amount", rule="X-5"
            )
        if self.expires_on is not None and self.expires_on < self.accrued_on:
            raise InvalidInput(
                f"a lot accrued on {self.accrued_on} cannot expire before, on {self.expires_on}",
                field="expires_on",
                rule="OSR-14",
            )

    @property
    def book(self) -> Book:
        return Book(self.owner, self.wallet, self.unit)

    @property
    def tags(self) -> frozenset[str]:
        return self.origin.tags

    @property
    def first_expired_day(self) -> date | None:
        """The first day the lot is no longer redeemable: the day after ``expires_on``."""
        return None if self.expires_on is None else self.expires_on + timedelta(days=1)

    def is_expired_on(self, day: date) -> bool:
        """True from the day after ``expires_on`` on (OSR-14)."""
        return self.expires_on is not None and self.expires_on < day

    def is_redeemable_on(self, day: date) -> bool:
        """Accrued by ``day`` and not expired on ``day`` (it still is on ``expires_on``)."""
        return self.accrued_on <= day and not self.is_expired_on(day)

    def account(self, kind: AccountKind) -> AccountKey:
        """This lot's owner's account of ``kind`` in the lot's wallet and unit."""
        return self.book.account(kind)


LotRemaining = tuple[Lot, Decimal]
"""A lot and what remains of it in its wallet, as planners take them."""


def returning_kind(lot: Lot, on: date) -> AccountKind:
    """Where value coming back to ``lot`` on ``on`` goes (a released hold, a reversed
    redemption): its wallet, or the expired account if the lot has expired by then —
    expired value is never redeemable again, not even for a day (OSR-14: no reactivation).
    """
    return AccountKind.EXPIRED if lot.is_expired_on(on) else AccountKind.WALLET
