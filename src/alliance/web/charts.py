"""Inline SVG charts, drawn on the server (no JavaScript): what expires when."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from alliance.services.credits.statements import CreditLot

WIDTH = 600
HEIGHT = 180
BASELINE = 150
TOP = 24
SPAN = 24  # months drawn one by one at most


@dataclass(frozen=True)
class Bar:
    x: int
    y: int
    width: int
    height: int
    label: str  # the month
    value: str  # the amount, formatted


@dataclass(frozen=True)
class ExpiryMonth:
    """The credits still available that expire in one month."""

    month: date  # its first day
    amount: Decimal


def expiry_timeline(lots: Sequence[CreditLot], today: date) -> list[ExpiryMonth]:
    """Available (not held, spent or expired) credits by the month they expire, from today."""
    months: dict[date, Decimal] = {}
    for lot in lots:
        if lot.expires_on is None or lot.available <= 0 or lot.expires_on < today:
            continue
        first = lot.expires_on.replace(day=1)
        months[first] = months.get(first, Decimal(0)) + lot.available
    return [ExpiryMonth(m, months[m]) for m in sorted(months)]


def months_from(today: date, points: Sequence[ExpiryMonth]) -> list[date]:
    """The axis: every month from this one to the last that has credits expiring, so
    that the gaps show; only the months with credits when that is over :data:`SPAN`."""
    if not points:
        return []
    month, last = today.replace(day=1), points[-1].month
    axis: list[date] = []
    while month <= last and len(axis) <= SPAN:
        axis.append(month)
        month = (month + timedelta(days=32)).replace(day=1)
    return axis if len(axis) <= SPAN else [p.month for p in points]


def bars(
    points: Sequence[ExpiryMonth],
    axis: Sequence[date],
    month_label: Callable[[date], str],
    value_label: Callable[[Decimal], str],
) -> list[Bar]:
    """One slot per month of ``axis``, its bar scaled to the largest month; a month
    without credits expiring has no bar (``height`` 0, no labels)."""
    if not points:
        return []
    amounts = {p.month: p.amount for p in points}
    largest = max(amounts.values()) or Decimal(1)
    slot = WIDTH // max(len(axis), 1)
    width = max(min(slot - 8, 80), 6)
    drawn = []
    for index, month in enumerate(axis):
        amount = amounts.get(month, Decimal(0))
        height = int((amount / largest) * (BASELINE - TOP))
        drawn.append(
            Bar(
                x=index * slot + (slot - width) // 2,
                y=BASELINE - height,
                width=width,
                height=height,
                label=month_label(month) if amount or index == 0 else "",
                value=value_label(amount) if amount else "",
            )
        )
    return drawn
