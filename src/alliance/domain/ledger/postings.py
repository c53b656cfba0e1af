"""Postings: a header and legs that sum to zero per unit (hordak's transfer, beancount's
transaction). Postings are never changed or deleted: a mistake is corrected by a
reversal, a new posting that mirrors the old one (X-4).

Every posting carries the idempotency key of the request that made it and a fingerprint
of that request, so a replay returns the first posting and moves nothing (X-5). Ids are
derived from the key (:func:`id_for`), so the same request always names the same posting,
lot and hold.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from alliance.domain.errors import InvalidInput
from alliance.domain.ledger.accounts import LOT_KINDS, AccountKey, AccountKind, Book
from alliance.domain.ledger.errors import UnbalancedPosting
from alliance.domain.ledger.units import Unit, show


class PostingKind(StrEnum):
    """Why value moved."""

    ACCRUE = "accrue"  # a reward earned (OSR-12, RWD-4, PEX-4): opens a lot
    ALLOCATE = "allocate"  # credits granted on enrolment (CRD-1): opens a lot
    REDEEM = "redeem"  # value spent at once (OSR-20, PEX-4)
    HOLD = "hold"  # value reserved by a pending request (CRD-3)
    CAPTURE = "capture"  # a hold spent, in full or in part; the rest released
    RELEASE = "release"  # a hold cancelled: the value goes back to its lots
    EXPIRE = "expire"  # a lot's remaining value moved to the expired account (OSR-14)
    REVERSE = "reverse"  # a correction undoing an earlier posting


OPENING_KINDS: frozenset[PostingKind] = frozenset({PostingKind.ACCRUE, PostingKind.ALLOCATE})


def id_for(prefix: str, idempotency_key: str) -> str:
    """The id a request's key gives to what it creates: ``id_for("lot", key)`` is
    ``lot_`` and 20 hex digits of the key's SHA-256. Stable across replays and processes.
    """
    return f"{prefix}_{hashlib.sha256(idempotency_key.encode()).hexdigest()[:20]}"


@dataclass(frozen=True, slots=True)
class Leg:
    """``amount`` added to ``account`` (negative: taken out), belonging to lot ``lot_id``.

    Every leg on a ``WALLET`` or ``HELD`` account names its lot, so a lot's remaining
    value is the sum of its wallet legs and the wallet's balance the sum of its lots.
    """

    account: AccountKey
    amount: Decimal
    lot_id: str | None = None

    def __post_init__(self) -> None:
        unit = Unit.of(self.account.unit)
        unit.check(self.amount)
        if self.amount == 0:
            raise InvalidInput(
                f"a leg moves a non-zero amount; {self.account} got 0", field="amount", rule="X-1"
            )
        if self.lot_id is None and self.account.kind in LOT_KINDS:
            raise InvalidInput(
                f"a leg on {self.account} must name the lot it moves", field="lot_id", rule="X-5"
            )

    def __str__(self) -> str:
        lot = f" [{self.lot_id}]" if self.lot_id else ""
        return f"{self.account} {self.amount:+}{lot}"


@dataclass(frozen=True)
class Posting:
    """A balanced, immutable movement of value, effective on a calendar day (X-2).

    - ``id`` — ``id_for("pst", idempotency_key)``;
    - ``idempotency_key`` — unique in the ledger (X-5);
    - ``request`` — the fingerprint of the request that made it (see ``commands``):
      the same key with another fingerprint is an :class:`IdempotencyConflict`;
    - ``effective_on`` — the day it counts from in balances and statements (X-4);
    - ``recorded_at`` — the aware moment it was written;
    - ``reverses`` — the id of the posting a ``REVERSE`` undoes;
    - ``hold_id`` — the hold a ``HOLD``, ``CAPTURE`` or ``RELEASE`` belongs to;
    - ``lot_id`` — the lot an ``ACCRUE``/``ALLOCATE`` opens or an ``EXPIRE`` closes.
    """

    id: str
    idempotency_key: str
    request: str
    kind: PostingKind
    effective_on: date
    recorded_at: datetime
    legs: tuple[Leg, ...]
    memo: str = ""
    reverses: str | None = None
    hold_id: str | None = None
    lot_id: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", PostingKind(self.kind))
        object.__setattr__(self, "legs", tuple(self.legs))
        if not self.idempotency_key.strip():
            raise InvalidInput(
                "every posting carries an idempotency key", field="idempotency_key", rule="X-5"
            )
        if self.recorded_at.tzinfo is None:
            raise InvalidInput(
                "recorded_at must be time-zone aware", field="recorded_at", rule="X-2"
            )
        if not self.legs:
            raise InvalidInput("a posting has at least one leg", field="legs", rule="X-5")
        if (self.kind is PostingKind.REVERSE) != (self.reverses is not None):
            raise InvalidInput(
                "a reversal, and only a reversal, names the posting it reverses",
                field="reverses",
                rule="X-4",
            )
        totals = unit_totals(self.legs)
        unbalanced = {unit: total for unit, total in totals.items() if total != 0}
        if unbalanced:
            detail = ", ".join(show(total, unit) for unit, total in sorted(unbalanced.items()))
            raise UnbalancedPosting(
                f"the legs of a posting sum to zero in every unit; these sum to {detail}",
                field="legs",
                rule="X-5",
            )

    # -- reading ----------------------------------------------------------------------

    @property
    def units(self) -> tuple[str, ...]:
        return tuple(sorted({leg.account.unit for leg in self.legs}))

    @property
    def lot_ids(self) -> tuple[str, ...]:
        """The lots the posting moves value of, in leg order, each once."""
        return tuple(dict.fromkeys(leg.lot_id for leg in self.legs if leg.lot_id))

    def books(self) -> frozenset[Book]:
        return frozenset(book for leg in self.legs if (book := leg.account.book) is not None)

    def amount_on(self, kind: AccountKind, book: Book | None = None) -> Decimal:
        """What the posting adds to accounts of ``kind`` (of ``book`` if given)."""
        return sum(
            (
                leg.amount
                for leg in self.legs
                if leg.account.kind is kind and (book is None or leg.account.book == book)
            ),
            Decimal(0),
        )

    def lot_amounts(self, kind: AccountKind) -> dict[str, Decimal]:
        """What the posting adds to each lot's share of accounts of ``kind``."""
        amounts: dict[str, Decimal] = defaultdict(Decimal)
        for leg in self.legs:
            if leg.account.kind is kind and leg.lot_id is not None:
                amounts[leg.lot_id] += leg.amount
        return {lot: amount for lot, amount in amounts.items() if amount != 0}

    # -- correcting -------------------------------------------------------------------

    def mirrored_legs(self) -> tuple[Leg, ...]:
        """The legs that undo this posting: same accounts and lots, opposite amounts."""
        return tuple(Leg(leg.account, -leg.amount, leg.lot_id) for leg in self.legs)

    def reversal(
        self,
        *,
        idempotency_key: str,
        request: str,
        effective_on: date,
        recorded_at: datetime,
        memo: str = "",
    ) -> Posting:
        """The exact mirror of this posting, as a ``REVERSE`` posting (X-4)."""
        return Posting(
            id=id_for("pst", idempotency_key),
            idempotency_key=idempotency_key,
            request=request,
            kind=PostingKind.REVERSE,
            effective_on=effective_on,
            recorded_at=recorded_at,
            legs=self.mirrored_legs(),
            memo=memo or f"reversal of {self.id}",
            reverses=self.id,
            hold_id=self.hold_id,
            lot_id=self.lot_id,
        )


def unit_totals(legs: Iterable[Leg]) -> dict[str, Decimal]:
    """The sum of ``legs`` per unit; a balanced posting has only zeros."""
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for leg in legs:
        totals[leg.account.unit] += leg.amount
    return dict(totals)


def pair(
    source: AccountKey, target: AccountKey, amount: Decimal, lot_id: str | None
) -> tuple[Leg, Leg]:
    """Two legs moving ``amount`` of lot ``lot_id`` from ``source`` to ``target``."""
    return Leg(source, -amount, lot_id), Leg(target, amount, lot_id)
