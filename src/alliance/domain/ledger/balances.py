"""Balances derived from postings: per account, and per lot and account kind.

Nothing here is stored state that could drift: every number is a sum of legs. A lot's
**remaining** value is the sum of the ``WALLET`` legs that name it (its held, spent and
expired values likewise), so a wallet's balance is always the sum of its lots'
remaining values. ``as_of`` keeps the postings effective on or before a day, which
reconstructs any past state (X-4).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from alliance.domain.ledger.accounts import LOT_KINDS, AccountKey, AccountKind
from alliance.domain.ledger.errors import BackdatedPosting
from alliance.domain.ledger.postings import Posting


@dataclass
class Balances:
    """Running sums of legs, updated posting by posting."""

    accounts: defaultdict[AccountKey, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    lots: defaultdict[tuple[str, AccountKind], Decimal] = field(
        default_factory=lambda: defaultdict(Decimal)
    )
    latest: dict[tuple[AccountKey, str], date] = field(default_factory=dict)
    """The latest effective day of a leg on each (wallet or held account, lot)."""

    @classmethod
    def of(cls, postings: Iterable[Posting], as_of: date | None = None) -> Balances:
        """The balances after ``postings`` (those effective by ``as_of``, if given)."""
        balances = cls()
        for posting in postings:
            if as_of is None or posting.effective_on <= as_of:
                balances.apply(posting)
        return balances

    def apply(self, posting: Posting) -> None:
        for leg in posting.legs:
            self.accounts[leg.account] += leg.amount
            if leg.lot_id is not None:
                self.lots[(leg.lot_id, leg.account.kind)] += leg.amount
                if leg.account.kind in LOT_KINDS:
                    key = (leg.account, leg.lot_id)
                    self.latest[key] = max(self.latest.get(key, date.min), posting.effective_on)

    def account(self, key: AccountKey) -> Decimal:
        return self.accounts.get(key, Decimal(0))

    def lot(self, lot_id: str, kind: AccountKind = AccountKind.WALLET) -> Decimal:
        """What ``lot_id`` holds in accounts of ``kind``; ``WALLET`` is its remaining value."""
        return self.lots.get((lot_id, kind), Decimal(0))

    def check_not_backdated(self, posting: Posting) -> None:
        """X-4: a posting is never effective before the latest posting on a wallet or held
        account of the same lot. Each lot's available and held values are then built in
        date order, so no past day is ever shown below zero."""
        for leg in posting.legs:
            if leg.account.kind not in LOT_KINDS or leg.lot_id is None:
                continue
            latest = self.latest.get((leg.account, leg.lot_id))
            if latest is not None and posting.effective_on < latest:
                raise BackdatedPosting(
                    f"lot {leg.lot_id} already moved on {latest} in {leg.account}; "
                    f"a posting on {posting.effective_on} would rewrite its history",
                    field="effective_on",
                    rule="X-4",
                )
