"""Inline SVG charts, drawn on the server (no JavaScript): what expires when."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from alliance.services.credits.statements import CreditLot

WIDTH = 600
HEIGHT = 180
BASELINE = 150
TOP = 24


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


def bars(
    points: Sequence[ExpiryMonth],
    month_label: Callable[[date], str],
    value_label: Callable[[Decimal], str],
) -> list[Bar]:
    """Bars scaled to the largest month; each carries its labels."""
    if not points:
        return []
    largest = max(p.amount for p in points) or Decimal(1)
    slot = WIDTH // max(len(points), 1)
    width = max(min(slot - 12, 80), 8)
    drawn = []
    for index, point in enumerate(points):
        height = int((point.amount / largest) * (BASELINE - TOP))
        drawn.append(
            Bar(
                x=index * slot + (slot - width) // 2,
                y=BASELINE - height,
                width=width,
                height=height,
                label=month_label(point.month),
                value=value_label(point.amount),
            )
        )
    return drawn
