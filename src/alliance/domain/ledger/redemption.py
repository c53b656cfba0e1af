"""Which lots a redemption or a hold consumes, and in what order (OSR-21, CRD-6, OSR-23).

The order is a strategy chosen from a table keyed by :class:`RedemptionOrder` (as
beancount's booking methods): every strategy is a sort key over lots, and one function,
:func:`plan_redemption`, walks the sorted lots and takes what it needs, the last lot in
part. Lots that are expired on the redemption day (OSR-14), that carry an excluded tag
(CRD-6) or that were accrued after a cut-off (OSR-23) are never taken.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import TYPE_CHECKING

from alliance.domain.errors import InvalidInput
from alliance.domain.ledger.accounts import AccountKind
from alliance.domain.ledger.errors import InsufficientBalance
from alliance.domain.ledger.lots import Lot, LotRemaining
from alliance.domain.ledger.postings import Leg, Posting, PostingKind, id_for, pair
from alliance.domain.ledger.units import Unit, show

if TYPE_CHECKING:
    from alliance.domain.ledger.commands import Redeem, Spend


class RedemptionOrder(StrEnum):
    """The order lots are consumed in; ``EARLIEST_EXPIRY_FIRST`` is the default (OSR-21)."""

    EARLIEST_EXPIRY_FIRST = "earliest_expiry_first"
    FIFO = "fifo"  # oldest accrual first
    LIFO = "lifo"  # newest accrual first


SortKey = tuple[date, date, str]


@dataclass(frozen=True)
class _Strategy:
    key: Callable[[Lot], SortKey]
    newest_first: bool = False


def _expiry_first(lot: Lot) -> SortKey:
    """OSR-21: earliest expiry first (never-expiring lots last), then accrual, then id."""
    return (lot.expires_on or date.max, lot.accrued_on, lot.id)


def _accrual_first(lot: Lot) -> SortKey:
    return (lot.accrued_on, lot.expires_on or date.max, lot.id)


STRATEGIES: Mapping[RedemptionOrder, _Strategy] = MappingProxyType(
    {
        RedemptionOrder.EARLIEST_EXPIRY_FIRST: _Strategy(_expiry_first),
        RedemptionOrder.FIFO: _Strategy(_accrual_first),
        RedemptionOrder.LIFO: _Strategy(_accrual_first, newest_first=True),
    }
)


def sort_lots(lots: Iterable[Lot], order: RedemptionOrder) -> list[Lot]:
    """``lots`` in the order ``order`` consumes them."""
    strategy = STRATEGIES[RedemptionOrder(order)]
    return sorted(lots, key=strategy.key, reverse=strategy.newest_first)


def plan_redemption(
    open_lots: Iterable[LotRemaining],
    amount: Decimal,
    as_of: date,
    order: RedemptionOrder = RedemptionOrder.EARLIEST_EXPIRY_FIRST,
    *,
    excluded_tags: frozenset[str] = frozenset(),
    accrued_on_or_before: date | None = None,
    unit: str | None = None,
    rule: str | None = None,
) -> list[tuple[Lot, Decimal]]:
    """The lots that pay ``amount`` on ``as_of`` and how much each gives, in order.

    A lot is usable when it is accrued by ``as_of`` and not expired on it (a lot is
    still redeemable on its ``expires_on``, OSR-14), carries none of ``excluded_tags``
    (CRD-6) and, if ``accrued_on_or_before`` is given, was accrued by then (OSR-23).
    Every lot but the last is taken whole. When the usable lots hold less than
    ``amount``, raises :class:`InsufficientBalance` citing ``rule`` and saying how much
    was left out, and why.
    """
    lots = [(lot, remaining) for lot, remaining in open_lots if remaining > 0]
    units = {lot.unit for lot, _ in lots} | ({unit} if unit else set())
    if len(units) > 1:
        raise InvalidInput(
            f"one redemption spends one unit, got {sorted(units)}", field="unit", rule="X-1"
        )
    unit = next(iter(units), None)
    if unit is not None:
        Unit.of(unit).check(amount)
    if amount <= 0:
        raise InvalidInput(
            f"a redemption takes a positive amount, got {amount}", field="amount", rule="X-5"
        )
    usable: dict[str, Decimal] = {}
    left_out: dict[str, Decimal] = {}
    for lot, remaining in lots:
        reason = _why_unusable(lot, as_of, excluded_tags, accrued_on_or_before)
        if reason is None:
            usable[lot.id] = remaining
        else:
            left_out[reason] = left_out.get(reason, Decimal(0)) + remaining
    available = sum(usable.values(), Decimal(0))
    if available < amount:
        detail = "".join(
            f"; {show(value, unit) if unit else value} {reason}"
            for reason, value in sorted(left_out.items())
        )
        raise InsufficientBalance(
            requested=amount, available=available, unit=unit, rule=rule, detail=detail
        )
    by_id = {lot.id: lot for lot, _ in lots}
    taken: list[tuple[Lot, Decimal]] = []
    needed = amount
    for lot in sort_lots((by_id[lot_id] for lot_id in usable), order):
        if needed == 0:
            break
        take = min(needed, usable[lot.id])
        taken.append((lot, take))
        needed -= take
    return taken


def _why_unusable(
    lot: Lot, as_of: date, excluded_tags: frozenset[str], cut_off: date | None
) -> str | None:
    if lot.accrued_on > as_of:
        return f"not yet accrued on {as_of}"
    if lot.is_expired_on(as_of):
        return "expired (OSR-14)"
    refused = lot.tags & excluded_tags
    if refused:
        return f"tagged {', '.join(sorted(refused))}, which this use refuses (CRD-6)"
    if cut_off is not None and lot.accrued_on > cut_off:
        return f"accrued after {cut_off} (OSR-23)"
    return None


def spend_legs(
    taken: Iterable[tuple[Lot, Decimal]], to: AccountKind = AccountKind.SPENT
) -> tuple[Leg, ...]:
    """Legs moving each taken amount from its lot's wallet to the owner's ``to`` account."""
    return tuple(
        leg
        for lot, amount in taken
        for leg in pair(lot.account(AccountKind.WALLET), lot.account(to), amount, lot.id)
    )


def select_for(
    command: Spend, open_lots: Iterable[LotRemaining], on: date
) -> list[tuple[Lot, Decimal]]:
    """:func:`plan_redemption` with the options of a redemption or hold request."""
    return plan_redemption(
        (
            (lot, remaining)
            for lot, remaining in open_lots
            if (lot.owner, lot.wallet, lot.unit) == (command.owner, command.wallet, command.unit)
        ),
        command.amount,
        on,
        command.order,
        excluded_tags=command.excluded_tags,
        accrued_on_or_before=command.accrued_on_or_before,
        unit=command.unit,
        rule=command.rule,
    )


def plan_redeem(
    command: Redeem,
    open_lots: Iterable[LotRemaining],
    *,
    effective_on: date,
    recorded_at: datetime,
) -> Posting:
    """The ``REDEEM`` posting that spends ``command.amount`` from the member's lots."""
    taken = select_for(command, open_lots, effective_on)
    return Posting(
        id=id_for("pst", command.idempotency_key),
        idempotency_key=command.idempotency_key,
        request=command.fingerprint,
        kind=PostingKind.REDEEM,
        effective_on=effective_on,
        recorded_at=recorded_at,
        legs=spend_legs(taken),
        memo=command.memo,
    )
