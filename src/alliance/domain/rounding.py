"""The one place where amounts are rounded (X-1).

Amounts are kept exact (``Decimal``) through a calculation. They are rounded only at the
edge of a calculation, where a rule says so — an invoice line, an instalment, a payout —
and every such rounding goes through this module, so that "which roundings happen" can be
answered by reading its callers.

The policy is **half-up**, as accountants mean it: a tie rounds away from zero, so
``0.005 → 0.01`` and ``-0.005 → -0.01``; rounding is symmetric (``round(-x) == -round(x)``)
and idempotent (rounding a rounded amount changes nothing).
"""

from __future__ import annotations

from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
)

#: Wide enough to quantize an amount of any size: the default context's 28 digits would
#: refuse to round a month with no cap (OSR-16).
_WIDE = Context(
    prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN, traps=[InvalidOperation, Overflow, DivisionByZero]
)


def quantum(places: int) -> Decimal:
    """The smallest step at ``places`` decimal places: ``quantum(2) == Decimal("0.01")``.

    ``places`` may be negative to round to tens, hundreds…: ``quantum(-2) == 1E+2``.
    """
    return Decimal(1).scaleb(-places)


def round_half_up(amount: Decimal, places: int) -> Decimal:
    """Round ``amount`` to ``places`` decimal places, ties away from zero (X-1).

    >>> round_half_up(Decimal("2.675"), 2)
    Decimal('2.68')
    >>> round_half_up(Decimal("-2.5"), 0)
    Decimal('-3')
    """
    return amount.quantize(quantum(places), rounding=ROUND_HALF_UP, context=_WIDE)


def split_evenly(amount: Decimal, parts: int, places: int) -> list[Decimal]:
    """Split ``amount`` into ``parts`` amounts at ``places`` decimals that sum to it exactly.

    ``amount`` is first rounded half-up to ``places``; the parts then differ by at most one
    step, and the leftover steps go to the first parts (OPN-6: ``1000.01`` in 4 quarterly
    instalments is ``250.01, 250.00, 250.00, 250.00``). A negative amount splits like its
    opposite, negated, so the leftover also sits in the first parts.
    """
    if parts < 1:
        raise ValueError(f"cannot split an amount into {parts} parts; at least 1 is needed")
    step = quantum(places)
    rounded = round_half_up(amount, places)
    sign = -1 if rounded < 0 else 1
    steps = int(abs(rounded).scaleb(places))  # exact: rounded is a whole number of steps
    base, leftover = divmod(steps, parts)
    counts = [base + 1] * leftover + [base] * (parts - leftover)
    return [round_half_up(sign * count * step, places) for count in counts]
