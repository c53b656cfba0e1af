"""Exact decimal arithmetic for consumption amounts (X-1).

Python's default decimal context keeps 28 significant digits and rounds beyond them
silently; a month with no cap (OSR-16) can exceed that. Sums and products of usage are
therefore computed in :data:`EXACT`, a context wide enough never to round, which traps
any inexact result instead of rounding it. The one rounding of an accrual happens after,
by :func:`rounded`: the half-up policy of :mod:`alliance.domain.rounding`, applied in a
context wide enough to hold a result of more than 28 digits (where the default context
would refuse to quantize).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    Context,
    Decimal,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
    Rounded,
)

from alliance.domain.rounding import round_half_up

EXACT = Context(
    prec=MAX_PREC,
    Emax=MAX_EMAX,
    Emin=MIN_EMIN,
    traps=[Inexact, Rounded, InvalidOperation, Overflow, DivisionByZero],
)
"""A context that never rounds: an addition or a multiplication is exact, or raises."""


def product(a: Decimal, b: Decimal) -> Decimal:
    """``a × b``, exact."""
    return EXACT.multiply(a, b)


def total(amounts: Iterable[Decimal]) -> Decimal:
    """The exact sum of ``amounts``; an empty sum is 0."""
    result = Decimal(0)
    for amount in amounts:
        result = EXACT.add(result, amount)
    return result


def rounded(amount: Decimal, places: int) -> Decimal:
    """``amount`` rounded half-up to ``places`` decimals (X-1), however large it is."""
    return round_half_up(amount, places)
