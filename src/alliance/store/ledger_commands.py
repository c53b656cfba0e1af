"""The reference ledger's keyword methods (``accrue``, ``redeem``…), as commands.

Each method builds the domain command (:mod:`alliance.domain.ledger.commands`) from the
same arguments as :class:`alliance.domain.ledger.Ledger` and hands it to ``execute``, so
a caller can swap the in-memory ledger for the SQL one without changing a line.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from alliance.domain.ledger import (
    Capture,
    Command,
    OpenLot,
    Origin,
    PlaceHold,
    Posting,
    PostingKind,
    Redeem,
    RedemptionOrder,
    Release,
    Reverse,
)


class LedgerCommands:
    """Keyword front-end over ``execute``; subclasses carry commands out."""

    def execute(self, command: Command) -> Posting:
        raise NotImplementedError

    def accrue(
        self,
        owner: str,
        wallet: str,
        unit: str,
        amount: Decimal,
        *,
        accrued_on: date,
        expires_on: date | None,
        origin: Origin,
        idempotency_key: str,
        kind: PostingKind = PostingKind.ACCRUE,
        memo: str = "",
    ) -> Posting:
        """Open a lot of ``amount`` (OSR-12, RWD-4, PEX-4; ``ALLOCATE`` for CRD-1)."""
        return self.execute(
            OpenLot(
                idempotency_key=idempotency_key,
                owner=owner,
                wallet=wallet,
                unit=unit,
                amount=amount,
                accrued_on=accrued_on,
                expires_on=expires_on,
                origin=origin,
                kind=kind,
                memo=memo,
            )
        )

    def redeem(
        self,
        owner: str,
        wallet: str,
        unit: str,
        amount: Decimal,
        *,
        idempotency_key: str,
        effective_on: date | None = None,
        order: RedemptionOrder = RedemptionOrder.EARLIEST_EXPIRY_FIRST,
        excluded_tags: frozenset[str] = frozenset(),
        accrued_on_or_before: date | None = None,
        memo: str = "",
        rule: str | None = None,
    ) -> Posting:
        """Spend ``amount`` now, lots in ``order`` (OSR-21, CRD-6, OSR-23)."""
        return self.execute(
            Redeem(
                idempotency_key=idempotency_key,
                owner=owner,
                wallet=wallet,
                unit=unit,
                amount=amount,
                effective_on=effective_on,
                order=order,
                excluded_tags=frozenset(excluded_tags),
                accrued_on_or_before=accrued_on_or_before,
                memo=memo,
                rule=rule,
            )
        )

    def place_hold(
        self,
        owner: str,
        wallet: str,
        unit: str,
        amount: Decimal,
        *,
        idempotency_key: str,
        effective_on: date | None = None,
        order: RedemptionOrder = RedemptionOrder.EARLIEST_EXPIRY_FIRST,
        excluded_tags: frozenset[str] = frozenset(),
        accrued_on_or_before: date | None = None,
        memo: str = "",
        rule: str | None = None,
    ) -> Posting:
        """Reserve ``amount`` (CRD-3); the posting's ``hold_id`` names the hold."""
        return self.execute(
            PlaceHold(
                idempotency_key=idempotency_key,
                owner=owner,
                wallet=wallet,
                unit=unit,
                amount=amount,
                effective_on=effective_on,
                order=order,
                excluded_tags=frozenset(excluded_tags),
                accrued_on_or_before=accrued_on_or_before,
                memo=memo,
                rule=rule,
            )
        )

    def capture(
        self,
        hold_id: str,
        amount: Decimal | None = None,
        *,
        idempotency_key: str,
        effective_on: date | None = None,
        memo: str = "",
    ) -> Posting:
        """Spend a pending hold, all of it or ``amount`` (the rest released) (CRD-3)."""
        return self.execute(
            Capture(
                idempotency_key=idempotency_key,
                hold_id=hold_id,
                amount=amount,
                effective_on=effective_on,
                memo=memo,
            )
        )

    def release(
        self,
        hold_id: str,
        *,
        idempotency_key: str,
        effective_on: date | None = None,
        memo: str = "",
    ) -> Posting:
        """Cancel a pending hold; its value goes back to its lots (CRD-3)."""
        return self.execute(
            Release(
                idempotency_key=idempotency_key,
                hold_id=hold_id,
                effective_on=effective_on,
                memo=memo,
            )
        )

    def reverse(
        self,
        posting_id: str,
        *,
        idempotency_key: str,
        effective_on: date | None = None,
        memo: str = "",
    ) -> Posting:
        """Undo a posting by a new one (X-4); see :mod:`reversals` for what can be."""
        return self.execute(
            Reverse(
                idempotency_key=idempotency_key,
                posting_id=posting_id,
                effective_on=effective_on,
                memo=memo,
            )
        )
