"""Holds: two-phase spending, as TigerBeetle's pending transfers (CRD-3).

A hold moves value from the member's wallet to its ``HELD`` account, lot by lot in the
redemption order: the value is neither available nor spent. Then exactly one of:

- **capture** — the request was delivered: the captured amount goes to ``SPENT``, taken
  from the hold's lots in the order they were reserved; any rest is released;
- **release** — the request was cancelled: the value goes back to the *same lots* it
  came from, keeping their expiry.

A pending hold protects its value from expiry: the expiry run only moves wallet value,
and a capture after a lot's expiry date still spends it. Value released from a lot that
has expired meanwhile goes straight to the ``EXPIRED`` account, in the release posting
itself (OSR-14: expired value is never redeemable again). Status changes follow the
table :data:`MOVES`; any other is refused with :class:`HoldNotPending`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

from alliance.domain.errors import InvalidInput
from alliance.domain.ledger.accounts import AccountKind, Book
from alliance.domain.ledger.commands import Capture, PlaceHold, Release
from alliance.domain.ledger.errors import BackdatedPosting, CaptureExceedsHold, HoldNotPending
from alliance.domain.ledger.lots import Lot, LotRemaining, returning_kind
from alliance.domain.ledger.postings import Leg, Posting, PostingKind, id_for
from alliance.domain.ledger.redemption import select_for, spend_legs
from alliance.domain.ledger.units import Unit, show


class HoldStatus(StrEnum):
    PENDING = "pending"
    CAPTURED = "captured"
    RELEASED = "released"


MOVES: frozenset[tuple[HoldStatus, HoldStatus]] = frozenset(
    {(HoldStatus.PENDING, HoldStatus.CAPTURED), (HoldStatus.PENDING, HoldStatus.RELEASED)}
)
"""The allowed status changes of a hold: a hold is settled once."""


@dataclass(frozen=True)
class Hold:
    """``amount`` of ``owner``'s ``wallet`` reserved on ``created_on``.

    ``lots`` lists ``(lot id, amount)`` in the order they were reserved; ``captured`` is
    what a capture spent; ``settled_on`` the day of the capture or release.
    """

    id: str
    owner: str
    wallet: str
    unit: str
    amount: Decimal
    lots: tuple[tuple[str, Decimal], ...]
    created_on: date
    status: HoldStatus = HoldStatus.PENDING
    captured: Decimal = Decimal(0)
    settled_on: date | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", HoldStatus(self.status))
        if sum((amount for _, amount in self.lots), Decimal(0)) != self.amount:
            raise InvalidInput("a hold's lots add up to its amount", field="lots", rule="CRD-3")

    @property
    def book(self) -> Book:
        return Book(self.owner, self.wallet, self.unit)

    @property
    def is_pending(self) -> bool:
        return self.status is HoldStatus.PENDING

    def moved_to(self, status: HoldStatus, *, on: date, captured: Decimal = Decimal(0)) -> Hold:
        """This hold in ``status``; refuses a move :data:`MOVES` does not allow."""
        if (self.status, status) not in MOVES:
            raise HoldNotPending(
                f"hold {self.id} is {self.status}; it cannot become {status}",
                field="hold_id",
                rule="CRD-3",
            )
        if on < self.created_on:
            raise BackdatedPosting(
                f"hold {self.id} was placed on {self.created_on}; it cannot be settled on {on}",
                field="effective_on",
                rule="X-4",
            )
        return replace(self, status=status, captured=captured, settled_on=on)


def plan_hold(
    command: PlaceHold,
    open_lots: Iterable[LotRemaining],
    *,
    effective_on: date,
    recorded_at: datetime,
) -> tuple[Hold, Posting]:
    """The hold that reserves ``command.amount`` and its ``HOLD`` posting (CRD-3)."""
    taken = select_for(command, open_lots, effective_on)
    hold = Hold(
        id=id_for("hld", command.idempotency_key),
        owner=command.owner,
        wallet=command.wallet,
        unit=command.unit,
        amount=command.amount,
        lots=tuple((lot.id, amount) for lot, amount in taken),
        created_on=effective_on,
    )
    posting = Posting(
        id=id_for("pst", command.idempotency_key),
        idempotency_key=command.idempotency_key,
        request=command.fingerprint,
        kind=PostingKind.HOLD,
        effective_on=effective_on,
        recorded_at=recorded_at,
        legs=spend_legs(taken, to=AccountKind.HELD),
        memo=command.memo,
        hold_id=hold.id,
    )
    return hold, posting


def plan_capture(
    command: Capture,
    hold: Hold,
    lots: Mapping[str, Lot],
    *,
    effective_on: date,
    recorded_at: datetime,
) -> tuple[Hold, Posting]:
    """Spend ``command.amount`` (default: all) of a pending hold; release the rest."""
    _check_same_hold(command, hold)
    amount = hold.amount if command.amount is None else command.amount
    Unit.of(hold.unit).check(amount)
    if amount <= 0:
        raise InvalidInput(
            f"a capture spends a positive amount, got {amount}; release the hold instead",
            field="amount",
            rule="CRD-3",
        )
    if amount > hold.amount:
        raise CaptureExceedsHold(
            f"hold {hold.id} reserved {show(hold.amount, hold.unit)}; "
            f"it cannot spend {show(amount, hold.unit)}",
            field="amount",
            rule="CRD-3",
        )
    settled = hold.moved_to(HoldStatus.CAPTURED, on=effective_on, captured=amount)
    legs: list[Leg] = []
    to_spend = amount
    for lot_id, held in hold.lots:
        lot = lots[lot_id]
        spent = min(to_spend, held)
        to_spend -= spent
        legs.extend(_settle(lot, held, spent, effective_on))
    return settled, _settlement(PostingKind.CAPTURE, command, hold, legs, effective_on, recorded_at)


def plan_release(
    command: Release,
    hold: Hold,
    lots: Mapping[str, Lot],
    *,
    effective_on: date,
    recorded_at: datetime,
) -> tuple[Hold, Posting]:
    """Cancel a pending hold: its value goes back to the lots it came from (CRD-3)."""
    _check_same_hold(command, hold)
    settled = hold.moved_to(HoldStatus.RELEASED, on=effective_on)
    legs = [
        leg
        for lot_id, held in hold.lots
        for leg in _settle(lots[lot_id], held, Decimal(0), effective_on)
    ]
    return settled, _settlement(PostingKind.RELEASE, command, hold, legs, effective_on, recorded_at)


def _check_same_hold(command: Capture | Release, hold: Hold) -> None:
    if command.hold_id != hold.id:
        raise InvalidInput(
            f"the request names hold {command.hold_id}, not {hold.id}", field="hold_id"
        )


def _settle(lot: Lot, held: Decimal, spent: Decimal, on: date) -> list[Leg]:
    """Legs taking ``held`` of ``lot`` out of HELD: ``spent`` to SPENT, the rest back."""
    legs = [Leg(lot.account(AccountKind.HELD), -held, lot.id)]
    if spent:
        legs.append(Leg(lot.account(AccountKind.SPENT), spent, lot.id))
    if held - spent:
        legs.append(Leg(lot.account(returning_kind(lot, on)), held - spent, lot.id))
    return legs


def _settlement(
    kind: PostingKind,
    command: Capture | Release,
    hold: Hold,
    legs: list[Leg],
    effective_on: date,
    recorded_at: datetime,
) -> Posting:
    return Posting(
        id=id_for("pst", command.idempotency_key),
        idempotency_key=command.idempotency_key,
        request=command.fingerprint,
        kind=kind,
        effective_on=effective_on,
        recorded_at=recorded_at,
        legs=tuple(legs),
        memo=command.memo,
        hold_id=hold.id,
    )
