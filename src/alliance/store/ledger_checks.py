"""The checks the SQL ledger runs on a posting before inserting it, on the lots it touches.

The in-memory :class:`~alliance.domain.ledger.Ledger` checks every invariant of
:mod:`alliance.domain.ledger.invariants` over the whole ledger before each posting; a
database cannot afford that. Every leg names its lot, though, so the invariants that a
single posting can break are local to its lots, and these are checked here on the sums
of those lots' legs, read under the lock:

- X-4: the posting is not effective before the latest leg on a wallet or held account
  of the same lot (:meth:`~alliance.domain.ledger.Balances.check_not_backdated`);
- every leg naming a lot is in that lot's book, and no value enters the wallet of a lot
  expired on the posting's day (OSR-14);
- after the posting, no lot's share of a member account is below zero, a lot's
  accrued value stays within ``[0, amount]``, and its shares add up to what was accrued.

A failure of the last two is a bug, never bad input: :class:`LedgerCorrupted`.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from alliance.domain.ledger import (
    MEMBER_KINDS,
    AccountKind,
    Balances,
    LedgerCorrupted,
    Lot,
    Posting,
)


def check_posting(posting: Posting, lots: Mapping[str, Lot], state: Balances) -> None:
    """Refuse ``posting`` if it rewrites history or breaks an invariant of its lots.

    ``state`` holds the sums of legs on the posting's lots (see
    :meth:`alliance.store.ledger_queries.LedgerQueries.lot_state`); it is updated with
    the posting, so the postings of a batch are checked one after the other.
    """
    state.check_not_backdated(posting)
    problems = _leg_problems(posting, lots)
    state.apply(posting)
    for lot_id in posting.lot_ids:
        lot = lots.get(lot_id)
        if lot is not None:
            problems += _lot_problems(lot, state)
    if problems:
        raise LedgerCorrupted(f"{posting.kind} {posting.id} refused: " + "; ".join(problems))


def _leg_problems(posting: Posting, lots: Mapping[str, Lot]) -> list[str]:
    problems: list[str] = []
    for leg in posting.legs:
        lot = lots.get(leg.lot_id) if leg.lot_id else None
        if leg.lot_id is not None and lot is None:
            problems.append(f"names unknown lot {leg.lot_id}")
        elif lot is not None and leg.account.book not in (None, lot.book):
            problems.append(f"moves lot {lot.id} in {leg.account}")
        elif (
            lot is not None
            and leg.account.kind is AccountKind.WALLET
            and leg.amount > 0
            and lot.is_expired_on(posting.effective_on)
        ):
            problems.append(f"puts value back into expired lot {lot.id}")
    return problems


def _lot_problems(lot: Lot, state: Balances) -> list[str]:
    accrued = -state.lot(lot.id, AccountKind.SOURCE)
    shares = {kind: state.lot(lot.id, kind) for kind in MEMBER_KINDS}
    problems = [
        f"lot {lot.id} would have {amount} {kind}, below zero"
        for kind, amount in shares.items()
        if amount < 0
    ]
    if not Decimal(0) <= accrued <= lot.amount:
        problems.append(f"lot {lot.id} would have accrued {accrued}, outside [0, {lot.amount}]")
    if sum(shares.values(), Decimal(0)) != accrued:
        problems.append(f"lot {lot.id}: {shares} would not add up to {accrued} accrued")
    return problems
