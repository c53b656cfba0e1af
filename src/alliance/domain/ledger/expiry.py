"""Expiry: a lot's remaining value moves to the owner's ``EXPIRED`` account (OSR-14).

A lot expires at the end of its ``expires_on`` day. The expiry run on ``as_of`` closes
every lot with ``expires_on < as_of`` that still has value in the wallet, one posting per
lot, effective on the lot's first expired day (``expires_on + 1``) whatever day the run
happens, so a late run changes no statement of a day already past. Each posting's key
is ``expire:{lot_id}``: a rerun, or two runs at once, never expire a lot twice (X-5).
Value held by a pending hold is not touched (see :mod:`holds`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal

from alliance.domain.ledger.accounts import AccountKind
from alliance.domain.ledger.commands import ExpireLot, expiry_key
from alliance.domain.ledger.lots import Lot, LotRemaining
from alliance.domain.ledger.postings import Posting, PostingKind, id_for, pair


def plan_expiry(
    lots_with_remaining: Iterable[LotRemaining], as_of: date, *, recorded_at: datetime
) -> list[Posting]:
    """One ``EXPIRE`` posting per lot expired on ``as_of`` with value left, by expiry date."""
    due = [
        (lot, remaining)
        for lot, remaining in lots_with_remaining
        if remaining > 0 and lot.is_expired_on(as_of)
    ]
    due.sort(key=lambda item: (item[0].expires_on, item[0].id))
    return [expiry_posting(lot, remaining, recorded_at=recorded_at) for lot, remaining in due]


def expiry_posting(lot: Lot, remaining: Decimal, *, recorded_at: datetime) -> Posting:
    """The posting that expires what remains of ``lot``, keyed ``expire:{lot.id}``."""
    first_expired_day = lot.first_expired_day
    if first_expired_day is None:
        raise ValueError(f"lot {lot.id} never expires")
    command = ExpireLot(expiry_key(lot.id), lot.id)
    return Posting(
        id=id_for("pst", command.idempotency_key),
        idempotency_key=command.idempotency_key,
        request=command.fingerprint,
        kind=PostingKind.EXPIRE,
        effective_on=first_expired_day,
        recorded_at=recorded_at,
        legs=pair(
            lot.account(AccountKind.WALLET), lot.account(AccountKind.EXPIRED), remaining, lot.id
        ),
        memo=f"expired at the end of {lot.expires_on} (OSR-14)",
        lot_id=lot.id,
    )
