"""Opening a lot: an accrued reward (OSR-12, RWD-4, PEX-4) or allocated credits (CRD-1).

The ``ACCRUE``/``ALLOCATE`` posting moves the lot's amount from the wallet's ``SOURCE``
account to the member's ``WALLET``, both legs naming the lot, and is effective on the
lot's ``accrued_on`` day. A lot may be accrued in the past (an end-of-month run recorded
days later, a historical import); it may even be expired already, in which case the
next expiry run moves it to the expired account.
"""

from __future__ import annotations

from datetime import datetime

from alliance.domain.errors import InvalidInput
from alliance.domain.ledger.accounts import AccountKind
from alliance.domain.ledger.commands import OpenLot
from alliance.domain.ledger.lots import Lot
from alliance.domain.ledger.postings import OPENING_KINDS, Posting, id_for, pair


def plan_accrual(command: OpenLot, *, recorded_at: datetime) -> tuple[Lot, Posting]:
    """The lot ``command`` opens and the posting that funds it."""
    if command.kind not in OPENING_KINDS:
        raise InvalidInput(
            f"a lot is opened by an accrual or an allocation, not {command.kind}",
            field="kind",
            rule="X-5",
        )
    if not command.owner.strip():
        raise InvalidInput("a lot belongs to an owner", field="owner", rule="X-6")
    lot = Lot(
        id=id_for("lot", command.idempotency_key),
        owner=command.owner,
        wallet=command.wallet,
        unit=command.unit,
        amount=command.amount,
        accrued_on=command.accrued_on,
        expires_on=command.expires_on,
        origin=command.origin,
    )
    posting = Posting(
        id=id_for("pst", command.idempotency_key),
        idempotency_key=command.idempotency_key,
        request=command.fingerprint,
        kind=command.kind,
        effective_on=lot.accrued_on,
        recorded_at=recorded_at,
        legs=pair(lot.book.source, lot.account(AccountKind.WALLET), lot.amount, lot.id),
        memo=command.memo,
        lot_id=lot.id,
    )
    return lot, posting
