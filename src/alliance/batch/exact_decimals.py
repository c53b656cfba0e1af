"""Exact decimal arithmetic in Ibis expressions, the same on every backend (X-1).

The domain computes with Python ``Decimal`` in a context that never rounds
(:mod:`alliance.domain.rewards.exact`). A SQL engine computes with fixed-point
``DECIMAL(p, s)`` types whose rules differ from engine to engine, and an engine may round
or overflow silently where the domain never would. The helpers here give every step an
explicit type wide enough to be exact, so the backends compute what the domain computes:

* **a line's value** ``quantity × unit_net_price`` — a ``DECIMAL(18,4)`` times a
  ``DECIMAL(18,6)`` — is computed as ``DECIMAL(38,4) × DECIMAL(38,6)``: DuckDB's product
  of those is ``DECIMAL(38,10)`` (its product of the narrow types is ``DECIMAL(18,10)``,
  which overflows above 10⁸), and so is Spark's when precision loss is off
  (:func:`alliance.batch.backends.exact_decimal_settings`). 10 decimals hold the product
  exactly; 28 integer digits hold any line of the usage schema (< 10²⁶).
* **sums** are of ``DECIMAL(38,10)``. DuckDB does not check a 128-bit sum for overflow,
  so an accrual flags any group whose sum *could* reach 10²⁸ (:func:`sum_could_overflow`)
  and refuses it instead of trusting a wrapped-around total.
* **× rate** — a fraction ``DECIMAL(p, s)`` — gives ``DECIMAL(38, 10 + s)``, exact.
* **the one rounding**, half-up (ties away from zero) to a currency's minor unit, is the
  backend's ``ROUND`` of a ``DECIMAL``: DuckDB's and Spark's round decimal ties away from
  zero, as :func:`alliance.domain.rounding.round_half_up` does (``tests/integration/
  test_batch_pairing.py`` and ``test_batch_pyspark.py`` hold each backend to it). A
  backend whose decimal ``ROUND`` rounds ties to even must not run these expressions.
"""

from __future__ import annotations

from decimal import Decimal

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from alliance.domain.money import DEFAULT_MINOR_UNIT, MINOR_UNITS

LINE_SCALE = 10
"""Decimals of a line's value: 4 of the quantity + 6 of the unit net price."""

WIDE = dt.Decimal(38, LINE_SCALE)
"""The type of line values and their sums: 28 integer digits, 10 decimals."""

ZERO = ibis.literal(Decimal(0), type=WIDE)
"""The sum of no line."""

LINE_LIMIT = Decimal(10) ** 17
LINES_LIMIT = 10**11
"""A sum of fewer than ``LINES_LIMIT`` line values, each below ``LINE_LIMIT``, stays below
10²⁸: the largest ``DECIMAL(38,10)``. Beyond that, DuckDB's 128-bit sum would not fail but
wrap around silently (at ≈ 1.7 × 10²⁸), so a buyer-month that could get there is refused."""

AMOUNT_PLACES = max([DEFAULT_MINOR_UNIT, *MINOR_UNITS.values()])
"""Decimals of the ``amount`` column before it is narrowed to the currencies present:
the largest minor unit of any currency (3, for KWD)."""


def line_value(quantity: ir.DecimalValue, unit_net_price: ir.DecimalValue) -> ir.DecimalValue:
    """``unit_net_price × quantity`` as an exact ``DECIMAL(38,10)`` (OSR-12)."""
    product = quantity.cast(dt.Decimal(38, 4)) * unit_net_price.cast(dt.Decimal(38, 6))
    return product.cast(WIDE)


def times_rate(amount: ir.DecimalValue, rate: ir.DecimalValue) -> ir.DecimalValue:
    """``amount × rate`` (a ``DECIMAL(38,10)`` times a fraction), exact (OSR-11)."""
    return (amount * rate).cast(dt.Decimal(38, scale_of(amount) + scale_of(rate)))


def round_half_up(value: ir.DecimalValue, places: int) -> ir.DecimalValue:
    """``value`` rounded half-up (ties away from zero) to ``places`` decimals, as
    :func:`alliance.domain.rounding.round_half_up` does (X-1); typed ``DECIMAL(38, places)``."""
    return value.round(places).cast(dt.Decimal(38, places))


def at_least_half_a_step(value: ir.DecimalValue, currency: ir.StringValue) -> ir.BooleanValue:
    """Whether ``value`` rounds half-up to a positive amount of ``currency``: it is at
    least half its minor unit (0.005 USD). Cheaper than rounding, and exactly the same."""
    # One type for every branch: DuckDB types a CASE of DECIMAL(38,1) and DECIMAL(38,3)
    # as DECIMAL(38,1), silently truncating 0.005 to 0.0.
    typed = dt.Decimal(38, AMOUNT_PLACES + 1)
    steps = {
        places: ibis.literal(Decimal(5).scaleb(-places - 1), type=typed)
        for places in {DEFAULT_MINOR_UNIT, *MINOR_UNITS.values()}
    }
    # Both sides of the comparison of one type: Spark compares DECIMAL(38,12) with
    # DECIMAL(38,4) at scale 4, which makes 0.004999999999 ≥ 0.005.
    return value >= _by_minor_unit(currency, steps).cast(value.type())


def scale_of(value: ir.Value) -> int:
    """The scale of a decimal value's type; a ``TypeError`` for anything else."""
    value_type = value.type()
    if not isinstance(value_type, dt.Decimal):
        raise TypeError(f"expected a decimal, got {value_type}")
    return value_type.scale or 0


def round_to_minor_unit(value: ir.DecimalValue, currency: ir.StringValue) -> ir.DecimalValue:
    """``value`` rounded once, half-up, to the minor unit of ``currency`` as
    :func:`alliance.domain.money.minor_unit` gives it (X-1), typed
    ``DECIMAL(38, AMOUNT_PLACES)`` so that every currency fits one column."""
    typed = dt.Decimal(38, AMOUNT_PLACES)
    rounded = {
        places: round_half_up(value, places).cast(typed)
        for places in {DEFAULT_MINOR_UNIT, *MINOR_UNITS.values()}
    }
    return _by_minor_unit(currency, rounded)


def _by_minor_unit(currency: ir.StringValue, choices: dict[int, ir.Value]) -> ir.Value:
    """The one of ``choices`` (keyed by decimal places) for ``currency``'s minor unit."""
    by_places: dict[int, list[str]] = {}
    for code, places in sorted(MINOR_UNITS.items()):
        if places != DEFAULT_MINOR_UNIT:
            by_places.setdefault(places, []).append(code)
    cases = [(currency.isin(codes), choices[places]) for places, codes in sorted(by_places.items())]
    return ibis.cases(*cases, else_=choices[DEFAULT_MINOR_UNIT])


def beyond_exact_range(value: ir.DecimalValue) -> ir.BooleanValue:
    """Whether a line's ``value`` is too large for its sum to be checked cheaply: at least
    :data:`LINE_LIMIT` (10¹⁷ of a currency — no real line comes near)."""
    return value >= ibis.literal(LINE_LIMIT, type=dt.Decimal(38, 0)).cast(value.type())


def sum_could_overflow(lines: ir.IntegerValue, huge_lines: ir.IntegerValue) -> ir.BooleanValue:
    """Whether a sum of ``lines`` line values, ``huge_lines`` of them at least
    :data:`LINE_LIMIT`, could reach 10²⁸: fewer than :data:`LINES_LIMIT` lines, each
    below :data:`LINE_LIMIT`, sum to less than 10²⁸ and cannot overflow."""
    return (huge_lines > 0) | (lines >= LINES_LIMIT)
