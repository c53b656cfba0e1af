"""Exact integer quotients in Ibis expressions, the same on every backend (X-1).

DuckDB divides decimals and integers in ``DOUBLE`` and Ibis compiles ``//`` to
``FLOOR(a / b)``: neither is exact. A capability score needs quotients that are
(:mod:`alliance.domain.scoring.quotients`: growth in percent, points "per 750 USD"), so
they are computed here with integers held in ``DECIMAL(38,0)``, whose products and
differences both DuckDB and Spark compute exactly (or refuse, on overflow):

* a first quotient is *estimated* in floating point, then corrected: the remainder
  ``a - q × b`` is exact, and the estimate of ``remainder / b`` is added — each round
  gains ~50 bits, so three rounds reach the true quotient of any ``|a| < 10³⁶`` to
  within one, and a last comparison of the remainder with ``0`` and ``b`` fixes that one;
* :func:`rounded_quotient` is the half-up (ties away from zero) quotient of
  :func:`alliance.domain.scoring.quotients.quotient`, scaled: ``sign(a) × ⌊(2|a| + b) / 2b⌋``.

Floating point only guesses; every result is checked with exact integers.
"""

from __future__ import annotations

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

INTEGER = dt.Decimal(38, 0)
"""Integers of up to 38 digits, exact on DuckDB and Spark."""

_ROUNDS = 3


def integer(value: ir.NumericValue) -> ir.DecimalValue:
    return value.cast(INTEGER)


def _estimate(a: ir.DecimalValue, b: ir.DecimalValue) -> ir.DecimalValue:
    return integer(a.cast(dt.float64) / b.cast(dt.float64))


def floor_quotient(a: ir.DecimalValue, b: ir.DecimalValue) -> ir.DecimalValue:
    """``⌊a / b⌋`` for integers ``a`` and ``b > 0`` (``DECIMAL(38,0)``), exact."""
    q = _estimate(a, b)
    for _ in range(_ROUNDS - 1):
        q = integer(q + _estimate(integer(a - q * b), b))
    remainder = integer(a - q * b)
    return ibis.cases(
        (remainder < 0, integer(q - 1)),
        (remainder >= b, integer(q + 1)),
        else_=q,
    )


def rounded_quotient(a: ir.DecimalValue, b: ir.DecimalValue) -> ir.DecimalValue:
    """``a / b`` rounded half-up (ties away from zero) to an integer, ``b > 0``, exact."""
    twice_b = integer(b * 2)
    up = floor_quotient(integer(a.abs() * 2 + b), twice_b)
    return ibis.ifelse(a < 0, integer(-up), up)


def with_rounded_quotients(
    table: ir.Table, quotients: dict[str, tuple[ir.Value, ir.Value]]
) -> ir.Table:
    """``table`` with a column ``name`` = :func:`rounded_quotient` ``(a, b)`` for each
    ``name: (a, b)`` of ``quotients`` (``a``, ``b`` expressions over ``table``).

    The same arithmetic as :func:`rounded_quotient`, one step per projection: written as
    one expression, each step would repeat the previous ones in the SQL text (a tree,
    not a graph) and a few dozen quotients would compile to megabytes."""
    if not quotients:
        return table
    keep = table.columns
    t = table.mutate(
        **{f"{n}__a": integer(a.abs() * 2 + b) for n, (a, b) in quotients.items()},
        **{f"{n}__b": integer(b * 2) for n, (_, b) in quotients.items()},
        **{f"{n}__neg": a < 0 for n, (a, _) in quotients.items()},
    )
    t = t.mutate(**{f"{n}__q": _estimate(t[f"{n}__a"], t[f"{n}__b"]) for n in quotients})
    for _ in range(_ROUNDS - 1):
        t = t.mutate(
            **{
                f"{n}__q": integer(
                    t[f"{n}__q"]
                    + _estimate(integer(t[f"{n}__a"] - t[f"{n}__q"] * t[f"{n}__b"]), t[f"{n}__b"])
                )
                for n in quotients
            }
        )
    t = t.mutate(
        **{f"{n}__r": integer(t[f"{n}__a"] - t[f"{n}__q"] * t[f"{n}__b"]) for n in quotients}
    )
    floors = {
        n: ibis.cases(
            (t[f"{n}__r"] < 0, integer(t[f"{n}__q"] - 1)),
            (t[f"{n}__r"] >= t[f"{n}__b"], integer(t[f"{n}__q"] + 1)),
            else_=t[f"{n}__q"],
        )
        for n in quotients
    }
    t = t.mutate(**{n: floors[n] for n in quotients})
    t = t.mutate(**{n: ibis.ifelse(t[f"{n}__neg"], integer(-t[n]), t[n]) for n in quotients})
    return t.select(*keep, *[n for n in quotients if n not in keep])
