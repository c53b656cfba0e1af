"""Ledger accounts: one per (owner organisation, wallet, unit, kind).

A member's value in one wallet and one unit — its **book** — sits in four accounts that
never go below zero: ``WALLET`` (available to redeem), ``HELD`` (reserved by pending
holds, CRD-3), ``SPENT`` and ``EXPIRED`` (OSR-14). Value comes from the wallet's
``SOURCE`` account, the program's issuing account (owner ``None``), which is the
counterparty of every accrual and allocation and so goes negative by what was issued.
Every posting sums to zero per unit, so the balances of all accounts of a unit always
sum to zero: value is never created or lost.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import lru_cache

from alliance.domain.errors import InvalidInput
from alliance.domain.ledger.units import Unit


class AccountKind(StrEnum):
    """What an account holds. Only ``SOURCE`` may have a negative balance."""

    WALLET = "wallet"
    HELD = "held"
    SPENT = "spent"
    EXPIRED = "expired"
    SOURCE = "source"


MEMBER_KINDS: frozenset[AccountKind] = frozenset(
    {AccountKind.WALLET, AccountKind.HELD, AccountKind.SPENT, AccountKind.EXPIRED}
)
"""The accounts of a member's book; their balances are never negative."""

LOT_KINDS: frozenset[AccountKind] = frozenset({AccountKind.WALLET, AccountKind.HELD})
"""Accounts whose every leg names the lot the value belongs to."""


@dataclass(frozen=True, order=True, slots=True)
class Book:
    """A member's value in one wallet and one unit: what a statement is about (CRD-5)."""

    owner: str
    wallet: str
    unit: str

    def account(self, kind: AccountKind) -> AccountKey:
        return _account_key(self.owner, self.wallet, self.unit, kind)

    @property
    def source(self) -> AccountKey:
        """The issuing account this book's lots are accrued from."""
        return AccountKey.source(self.wallet, self.unit)


@dataclass(frozen=True, slots=True)
class AccountKey:
    """An account, named by what it is rather than by a surrogate id.

    ``owner`` is the owning organisation's id; it is ``None`` for, and only for, a
    ``SOURCE`` account.
    """

    owner: str | None
    wallet: str
    unit: str
    kind: AccountKind

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", AccountKind(self.kind))
        Unit.of(self.unit)
        if not self.wallet.strip():
            raise InvalidInput("an account needs a wallet name", field="wallet", rule="X-5")
        if (self.owner is None) != (self.kind is AccountKind.SOURCE):
            raise InvalidInput(
                f"a {self.kind} account {'needs' if self.owner is None else 'has no'} owner",
                field="owner",
                rule="X-5",
            )

    @classmethod
    def source(cls, wallet: str, unit: str) -> AccountKey:
        return cls(None, wallet, unit, AccountKind.SOURCE)

    @property
    def book(self) -> Book | None:
        """The member's book this account belongs to; ``None`` for a source account."""
        return None if self.owner is None else Book(self.owner, self.wallet, self.unit)

    def __str__(self) -> str:
        return f"{self.owner or '*'}/{self.wallet}/{self.unit}/{self.kind}"


@lru_cache(maxsize=16_384)
def _account_key(owner: str, wallet: str, unit: str, kind: AccountKind) -> AccountKey:
    """A book's account (keys are immutable: the busiest books' are built once)."""
    return AccountKey(owner, wallet, unit, kind)
