"""Ledger rows ↔ domain objects: accounts, postings with their legs, lots, holds.

Account ids are derived from the account's key (:func:`account_id`), as the domain
derives posting, lot and hold ids from idempotency keys: the same account always has
the same id, on every database and in every process. Amounts read back are shown with
their unit's places (``12.5000`` in the column is ``12.50`` USD).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from functools import cache, lru_cache
from typing import Any

from sqlalchemy import RowMapping

from alliance.domain.ledger import (
    AccountKey,
    AccountKind,
    Book,
    Hold,
    HoldStatus,
    Leg,
    Lot,
    Origin,
    Posting,
    PostingKind,
    Unit,
)


def account_id(account: AccountKey) -> str:
    """``acc_`` and 20 hex digits of the SHA-256 of the account's key."""
    return account_id_of(account.owner, account.wallet, account.unit, account.kind.value)


@lru_cache(maxsize=65_536)
def account_id_of(owner: str | None, wallet: str, unit: str, kind: str) -> str:
    """:func:`account_id` from the key's parts (cached for the busiest: source accounts)."""
    text = "\x1f".join((owner if owner is not None else "\x00", wallet, unit, kind))
    return f"acc_{hashlib.sha256(text.encode()).hexdigest()[:20]}"


def book_account_ids(book: Book, kinds: Iterable[AccountKind] = AccountKind) -> list[str]:
    """The ids of ``book``'s accounts of ``kinds`` (all five kinds, the source included)."""
    return [account_id(book.source if k is AccountKind.SOURCE else book.account(k)) for k in kinds]


def account_row(account: AccountKey) -> dict[str, Any]:
    return {
        "id": account_id(account),
        "owner": account.owner,
        "wallet": account.wallet,
        "unit": account.unit,
        "kind": account.kind.value,
    }


def account_key(row: RowMapping | Mapping[str, Any]) -> AccountKey:
    return AccountKey(row["owner"], row["wallet"], row["unit"], AccountKind(row["kind"]))


@cache
def _quantum(unit: str) -> Decimal:
    return Decimal(1).scaleb(-Unit.of(unit).places)


def in_unit(amount: Decimal, unit: str) -> Decimal:
    """``amount`` with exactly ``unit``'s places; the column keeps more (zeros only)."""
    return amount.quantize(_quantum(unit))


# -- postings ---------------------------------------------------------------------------


def posting_row(posting: Posting) -> dict[str, Any]:
    return {
        "id": posting.id,
        "idempotency_key": posting.idempotency_key,
        "request": posting.request,
        "kind": posting.kind.value,
        "effective_on": posting.effective_on,
        "recorded_at": posting.recorded_at,
        "memo": posting.memo,
        "reverses": posting.reverses,
        "hold_id": posting.hold_id,
        "lot_id": posting.lot_id,
    }


def leg_rows(posting: Posting) -> list[dict[str, Any]]:
    return [
        {
            "posting_id": posting.id,
            "seq": seq,
            "account_id": account_id(leg.account),
            "lot_id": leg.lot_id,
            "amount": leg.amount,
        }
        for seq, leg in enumerate(posting.legs)
    ]


def posting_from(header: RowMapping, legs: tuple[Leg, ...]) -> Posting:
    """A posting from its header row and its legs."""
    return Posting(
        id=header["id"],
        idempotency_key=header["idempotency_key"],
        request=header["request"],
        kind=PostingKind(header["kind"]),
        effective_on=header["effective_on"],
        recorded_at=header["recorded_at"],
        legs=legs,
        memo=header["memo"],
        reverses=header["reverses"],
        hold_id=header["hold_id"],
        lot_id=header["lot_id"],
    )


# -- lots -------------------------------------------------------------------------------


def lot_row(lot: Lot, posting_id: str) -> dict[str, Any]:
    return {
        "id": lot.id,
        "posting_id": posting_id,
        "account_id": account_id_of(lot.owner, lot.wallet, lot.unit, AccountKind.WALLET.value),
        "owner": lot.owner,
        "wallet": lot.wallet,
        "unit": lot.unit,
        "amount": lot.amount,
        "accrued_on": lot.accrued_on,
        "expires_on": lot.expires_on,
        "program": lot.origin.program,
        "source_event": lot.origin.source_event,
    }


def tag_rows(lot: Lot) -> list[dict[str, Any]]:
    return [{"lot_id": lot.id, "tag": tag} for tag in sorted(lot.tags)]


def lot_from(row: RowMapping, tags: Iterable[str] = ()) -> Lot:
    return Lot(
        id=row["id"],
        owner=row["owner"],
        wallet=row["wallet"],
        unit=row["unit"],
        amount=in_unit(row["amount"], row["unit"]),
        accrued_on=row["accrued_on"],
        expires_on=row["expires_on"],
        origin=Origin(row["program"], row["source_event"], frozenset(tags)),
    )


# -- holds ------------------------------------------------------------------------------


def hold_row(hold: Hold) -> dict[str, Any]:
    return {
        "id": hold.id,
        "owner": hold.owner,
        "wallet": hold.wallet,
        "unit": hold.unit,
        "amount": hold.amount,
        "status": hold.status.value,
        "captured": hold.captured,
        "created_on": hold.created_on,
        "settled_on": hold.settled_on,
    }


def hold_lot_rows(hold: Hold) -> list[dict[str, Any]]:
    return [
        {"hold_id": hold.id, "seq": seq, "lot_id": lot_id, "amount": amount}
        for seq, (lot_id, amount) in enumerate(hold.lots)
    ]


def hold_from(row: RowMapping, lots: Sequence[RowMapping]) -> Hold:
    unit = row["unit"]
    return Hold(
        id=row["id"],
        owner=row["owner"],
        wallet=row["wallet"],
        unit=unit,
        amount=in_unit(row["amount"], unit),
        lots=tuple((lot["lot_id"], in_unit(lot["amount"], unit)) for lot in lots),
        created_on=row["created_on"],
        status=HoldStatus(row["status"]),
        captured=in_unit(row["captured"], unit),
        settled_on=row["settled_on"],
    )
