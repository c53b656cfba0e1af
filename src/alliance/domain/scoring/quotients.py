"""The one rounding of capability scores: a quotient that does not end (MCPP-9, X-1).

Growth in percent divides by last year's usage, and a score rule with ``per`` divides by
it (``1 per 750 USD``): such a quotient often has no finite decimal form (100 / 3).
Python's ``Decimal`` would silently round it to the ambient context's 28 significant
digits — a precision no SQL engine shares, and one any code can change. So a quotient
is exact when it ends within :data:`QUOTIENT_PLACES` decimals, and otherwise rounded
once, half-up (ties away from zero), to that many decimals; the batch evaluator
(:mod:`alliance.batch.mcpp_scores`) rounds the same way, with integers.
"""

from __future__ import annotations

from decimal import Context, Decimal, Inexact
from fractions import Fraction

QUOTIENT_PLACES = 10
"""Decimals kept of a quotient that does not end: 10⁻¹⁰ of a point or of a percent."""


def quotient(numerator: Decimal, denominator: Decimal) -> Decimal:
    """``numerator / denominator``: exact when it ends within :data:`QUOTIENT_PLACES`
    decimals, else rounded half-up to them — ``quotient(100, 3) == 33.3333333333``."""
    context = Context(prec=60, traps=[])  # one per call: flags are per context
    exact = context.divide(numerator, denominator)
    exponent = exact.as_tuple().exponent
    if not context.flags[Inexact] and isinstance(exponent, int) and exponent >= -QUOTIENT_PLACES:
        return exact
    scaled = Fraction(numerator) * 10**QUOTIENT_PLACES / Fraction(denominator)
    whole, rest = divmod(abs(scaled.numerator), scaled.denominator)
    if 2 * rest >= scaled.denominator:
        whole += 1
    return Decimal(whole if scaled >= 0 else -whole).scaleb(-QUOTIENT_PLACES, context)
