"""The ledger's invariants, checked from scratch: a list of what is wrong, empty if all is
well (beancount's validation stage). The in-memory ledger runs them after every posting;
the store's tests run them over what the database holds.

1. Idempotency keys and posting ids are unique (X-5).
2. Balances kept incrementally equal the sums of legs.
3. For every unit, all balances sum to zero: no value created or lost.
4. No member account (wallet, held, spent, expired) is below zero.
5. Every leg naming a lot is in that lot's book; no lot's share of any member account is
   below zero; a lot never holds more than it was accrued, and its wallet, held, spent
   and expired shares add up to what was accrued net of reversals. No value enters a
   lot's wallet after its expiry date (OSR-14: no reactivation).
6. Each held account equals the sum of its pending holds, lot by lot (CRD-3).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

from alliance.domain.ledger.accounts import MEMBER_KINDS, AccountKey, AccountKind
from alliance.domain.ledger.balances import Balances
from alliance.domain.ledger.holds import Hold
from alliance.domain.ledger.lots import Lot
from alliance.domain.ledger.postings import Posting


def invariant_problems(
    postings: Sequence[Posting],
    lots: Mapping[str, Lot],
    holds: Iterable[Hold],
    kept: Balances | None = None,
) -> list[str]:
    """Everything wrong with a ledger made of ``postings``, ``lots`` and ``holds``."""
    problems: list[str] = []
    for label, values in (
        ("idempotency key", [p.idempotency_key for p in postings]),
        ("posting id", [p.id for p in postings]),
    ):
        problems += [f"{label} {v!r} used {n} times" for v, n in Counter(values).items() if n > 1]
    balances = Balances.of(postings)
    if kept is not None:
        for account in set(kept.accounts) | set(balances.accounts):
            if kept.account(account) != balances.account(account):
                problems.append(
                    f"{account} is kept at {kept.account(account)} "
                    f"but its legs sum to {balances.account(account)}"
                )
    per_unit: defaultdict[str, Decimal] = defaultdict(Decimal)
    for account, amount in balances.accounts.items():
        per_unit[account.unit] += amount
        if account.kind in MEMBER_KINDS and amount < 0:
            problems.append(f"{account} is below zero: {amount}")
    problems += [f"{unit} balances sum to {t}, not 0" for unit, t in per_unit.items() if t != 0]
    problems += _lot_problems(postings, lots, balances)
    problems += _hold_problems(holds, balances)
    return problems


def _lot_problems(
    postings: Sequence[Posting], lots: Mapping[str, Lot], balances: Balances
) -> list[str]:
    problems: list[str] = []
    for posting in postings:
        for leg in posting.legs:
            lot = lots.get(leg.lot_id) if leg.lot_id else None
            if leg.lot_id is not None and lot is None:
                problems.append(f"{posting.id} names unknown lot {leg.lot_id}")
            elif lot is not None and leg.account.book not in (None, lot.book):
                problems.append(f"{posting.id} moves lot {lot.id} in {leg.account}")
            elif (
                lot is not None
                and leg.account.kind is AccountKind.WALLET
                and leg.amount > 0
                and lot.is_expired_on(posting.effective_on)
            ):
                problems.append(f"{posting.id} puts value back into expired lot {lot.id}")
    for lot in lots.values():
        accrued = -balances.lot(lot.id, AccountKind.SOURCE)
        shares = {kind: balances.lot(lot.id, kind) for kind in MEMBER_KINDS}
        if not Decimal(0) <= accrued <= lot.amount:
            problems.append(f"lot {lot.id} accrued {accrued}, outside [0, {lot.amount}]")
        problems += [
            f"lot {lot.id} has {amount} {kind}, below zero"
            for kind, amount in shares.items()
            if amount < 0
        ]
        if sum(shares.values(), Decimal(0)) != accrued:
            problems.append(f"lot {lot.id}: {shares} do not add up to {accrued} accrued")
    return problems


def _hold_problems(holds: Iterable[Hold], balances: Balances) -> list[str]:
    problems: list[str] = []
    pending_by_account: defaultdict[AccountKey, Decimal] = defaultdict(Decimal)
    pending_by_lot: defaultdict[str, Decimal] = defaultdict(Decimal)
    for hold in holds:
        if hold.is_pending:
            pending_by_account[hold.book.account(AccountKind.HELD)] += hold.amount
            for lot_id, amount in hold.lots:
                pending_by_lot[lot_id] += amount
    held_accounts = {a for a in balances.accounts if a.kind is AccountKind.HELD}
    for account in held_accounts | set(pending_by_account):
        if balances.account(account) != pending_by_account[account]:
            problems.append(
                f"{account} holds {balances.account(account)} "
                f"but its pending holds add up to {pending_by_account[account]}"
            )
    held_lots = {lot for (lot, kind) in balances.lots if kind is AccountKind.HELD}
    for lot_id in held_lots | set(pending_by_lot):
        if balances.lot(lot_id, AccountKind.HELD) != pending_by_lot[lot_id]:
            problems.append(
                f"lot {lot_id} has {balances.lot(lot_id, AccountKind.HELD)} held "
                f"but its pending holds add up to {pending_by_lot[lot_id]}"
            )
    return problems
