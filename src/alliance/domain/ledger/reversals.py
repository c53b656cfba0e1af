"""Reversals: corrections are new postings, never edits or deletes (X-4, hordak).

What a reversal does depends on what it reverses — a table keyed by the posting's kind:

- ``ACCRUE``/``ALLOCATE`` — the exact mirror: the lot's value goes back to the source.
  Only an untouched lot can be reversed (all its value still in the wallet); release
  its holds and reverse its redemptions first.
- ``REDEEM``/``CAPTURE`` — the spent value goes back to the lots it came from, to their
  wallets, or to the expired account for a lot that has expired by the reversal day
  (OSR-14: no reactivation). A reversed capture leaves its hold ``captured``.
- ``HOLD``/``RELEASE`` are settled by release and by placing a new hold; ``EXPIRE`` is
  final (OSR-14: no extension, no reactivation); a ``REVERSE`` is final too.

A posting is reversed at most once, on or after its own effective day.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime
from decimal import Decimal
from types import MappingProxyType

from alliance.domain.ledger.accounts import AccountKind
from alliance.domain.ledger.commands import Reverse
from alliance.domain.ledger.errors import BackdatedPosting, NotReversible
from alliance.domain.ledger.lots import Lot, returning_kind
from alliance.domain.ledger.postings import Leg, Posting, PostingKind, id_for, pair
from alliance.domain.ledger.units import show

FINAL: Mapping[PostingKind, tuple[str, str]] = MappingProxyType(
    {
        PostingKind.HOLD: ("a hold is undone by releasing it", "CRD-3"),
        PostingKind.RELEASE: ("a released hold is not revived; place a new hold", "CRD-3"),
        PostingKind.EXPIRE: ("expired value is never reactivated", "OSR-14"),
        PostingKind.REVERSE: ("a reversal is final; post the movement anew", "X-4"),
    }
)
"""Kinds that cannot be reversed, with why and the rule."""

_LegsFor = Callable[[Posting, Mapping[str, Lot], Mapping[str, Decimal], date], tuple[Leg, ...]]


def _unopen(
    original: Posting, lots: Mapping[str, Lot], remaining: Mapping[str, Decimal], on: date
) -> tuple[Leg, ...]:
    for lot_id, accrued in original.lot_amounts(AccountKind.WALLET).items():
        left = remaining.get(lot_id, Decimal(0))
        if left != accrued:
            unit = lots[lot_id].unit
            raise NotReversible(
                f"lot {lot_id} has {show(left, unit)} of its {show(accrued, unit)} in the "
                "wallet; release its holds and reverse its redemptions first",
                field="posting_id",
                rule="X-4",
            )
    return original.mirrored_legs()


def _unspend(
    original: Posting, lots: Mapping[str, Lot], remaining: Mapping[str, Decimal], on: date
) -> tuple[Leg, ...]:
    return tuple(
        leg
        for lot_id, spent in original.lot_amounts(AccountKind.SPENT).items()
        for leg in pair(
            lots[lot_id].account(AccountKind.SPENT),
            lots[lot_id].account(returning_kind(lots[lot_id], on)),
            spent,
            lot_id,
        )
    )


REVERSERS: Mapping[PostingKind, _LegsFor] = MappingProxyType(
    {
        PostingKind.ACCRUE: _unopen,
        PostingKind.ALLOCATE: _unopen,
        PostingKind.REDEEM: _unspend,
        PostingKind.CAPTURE: _unspend,
    }
)


def plan_reversal(
    command: Reverse,
    original: Posting,
    lots: Mapping[str, Lot],
    remaining: Mapping[str, Decimal],
    *,
    already_reversed: bool,
    effective_on: date,
    recorded_at: datetime,
) -> Posting:
    """The ``REVERSE`` posting that undoes ``original`` on ``effective_on``.

    ``lots`` holds at least the lots ``original`` touches; ``remaining`` the wallet value
    left in each of them.
    """
    if original.kind in FINAL:
        reason, rule = FINAL[original.kind]
        raise NotReversible(
            f"{original.kind} {original.id} cannot be reversed: {reason}",
            field="posting_id",
            rule=rule,
        )
    if already_reversed:
        raise NotReversible(f"{original.id} is already reversed", field="posting_id", rule="X-4")
    if effective_on < original.effective_on:
        raise BackdatedPosting(
            f"{original.id} takes effect on {original.effective_on}; "
            f"it cannot be reversed on {effective_on}",
            field="effective_on",
            rule="X-4",
        )
    legs = REVERSERS[original.kind](original, lots, remaining, effective_on)
    return Posting(
        id=id_for("pst", command.idempotency_key),
        idempotency_key=command.idempotency_key,
        request=command.fingerprint,
        kind=PostingKind.REVERSE,
        effective_on=effective_on,
        recorded_at=recorded_at,
        legs=legs,
        memo=command.memo or f"reversal of {original.kind} {original.id}",
        reverses=original.id,
        hold_id=original.hold_id,
        lot_id=original.lot_id,
    )
